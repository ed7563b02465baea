// Hotline web chat widget: the launcher button, the chat panel and the WebSocket client of the web chat
// wire protocol (POST /webchat/sessions, GET /webchat/ws). Served at GET /widget.js after a line that sets
// window.HOTLINE_WIDGET_STRINGS to {"vi": locales/vi/widget.json, "en": locales/en/widget.json}.
// Server text is only ever inserted as text nodes; links are built element by element.
(function () {
  'use strict';

  if (window.HotlineWidget) return;

  const STORAGE_KEY = 'hotline.webchat.v1';
  const HISTORY_CAP = 200;
  const PING_MS = 25000;
  const SILENCE_LIMIT_MS = 2 * PING_MS + 10000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;
  // The backoff starts over only once a connection has stayed open this long: a server that
  // accepts and then closes at once (overloaded, failing) is retried ever more slowly.
  const STABLE_MS = 10000;
  const SESSION_MARGIN_MS = 60000;
  const COUNTER_WINDOW = 400;
  const ERROR_HIDE_MS = 12000;
  const LOCALES = ['vi', 'en'];
  const FROM = ['person', 'bot', 'agent'];
  const STATES = ['pending', 'sent', 'received', 'failed'];
  const CODE_PATTERN = '[A-Z]{2,4}-\\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5}';
  const LINK_RE = new RegExp('(https?:\\/\\/[^\\s<>"\'`]+)|\\b(' + CODE_PATTERN + ')\\b', 'g');
  const URL_TRAILING_PUNCTUATION = /[.,;:!?'")\]}»…]+$/;
  const SVG_NS = 'http://www.w3.org/2000/svg';

  const scriptEl = document.currentScript;

  // ---------- configuration from the script tag ----------

  function scriptAttr(name) {
    return scriptEl && scriptEl.getAttribute(name) ? scriptEl.getAttribute(name).trim() : '';
  }

  function resolveBaseUrl() {
    const override = scriptAttr('data-hotline-url');
    try {
      if (override) return new URL(override, location.href).href.replace(/\/+$/, '');
      if (scriptEl && scriptEl.src) return new URL(scriptEl.src, location.href).origin;
    } catch (_) {
      // fall through to the page origin
    }
    return location.origin;
  }

  function pickLocale(value) {
    const short = String(value || '').toLowerCase().slice(0, 2);
    return LOCALES.indexOf(short) >= 0 ? short : null;
  }

  function resolveMaxChars() {
    const n = parseInt(scriptAttr('data-max-chars'), 10);
    return Number.isFinite(n) && n > 0 ? n : 4000;
  }

  const baseUrl = resolveBaseUrl();
  const wsBaseUrl = baseUrl.replace(/^http/i, 'ws');
  const maxChars = resolveMaxChars();

  // ---------- strings ----------

  const strings = isObject(window.HOTLINE_WIDGET_STRINGS) ? window.HOTLINE_WIDGET_STRINGS : {};
  let locale = 'vi';

  function t(key, params) {
    const table = isObject(strings[locale]) ? strings[locale] : {};
    const fallback = isObject(strings.vi) ? strings.vi : {};
    const template = typeof table[key] === 'string' ? table[key] : typeof fallback[key] === 'string' ? fallback[key] : key;
    return template.replace(/\{\{\s*(\w+)\s*\}\}/g, function (whole, name) {
      return params && params[name] != null ? String(params[name]) : whole;
    });
  }

  function formatNumber(n) {
    try {
      return new Intl.NumberFormat(locale === 'vi' ? 'vi-VN' : 'en-US').format(n);
    } catch (_) {
      return String(n);
    }
  }

  function formatTime(ms) {
    const date = new Date(ms);
    const sameDay = new Date().toDateString() === date.toDateString();
    const options = sameDay
      ? { hour: '2-digit', minute: '2-digit' }
      : { day: '2-digit', month: '2-digit', hour: '2-digit', minute: '2-digit' };
    try {
      return new Intl.DateTimeFormat(locale === 'vi' ? 'vi-VN' : 'en-GB', options).format(date);
    } catch (_) {
      return date.toLocaleTimeString();
    }
  }

  // ---------- persisted state ----------

  function isObject(v) {
    return v !== null && typeof v === 'object' && !Array.isArray(v);
  }

  function isEntry(e) {
    return isObject(e) && FROM.indexOf(e.from) >= 0 && typeof e.text === 'string' && STATES.indexOf(e.state) >= 0;
  }

  function loadState() {
    let raw = null;
    try {
      raw = JSON.parse(localStorage.getItem(STORAGE_KEY) || 'null');
    } catch (_) {
      raw = null;
    }
    const d = isObject(raw) ? raw : {};
    return {
      sessionId: typeof d.sessionId === 'string' ? d.sessionId : null,
      token: typeof d.token === 'string' ? d.token : null,
      expiresAt: typeof d.expiresAt === 'string' ? d.expiresAt : null,
      lastSeq: Number.isFinite(d.lastSeq) ? d.lastSeq : 0,
      locale: pickLocale(d.locale),
      // The language the server has for this session (it answers in it); null when unknown.
      serverLocale: pickLocale(d.serverLocale),
      history: Array.isArray(d.history) ? d.history.filter(isEntry).slice(-HISTORY_CAP) : [],
    };
  }

  const state = loadState();
  const storedTooLong = state.history.length === HISTORY_CAP;

  function saveState() {
    if (state.history.length > HISTORY_CAP) state.history.splice(0, state.history.length - HISTORY_CAP);
    try {
      localStorage.setItem(STORAGE_KEY, JSON.stringify(state));
    } catch (_) {
      // storage full or disabled: the widget keeps working in memory
    }
  }

  function hasUsableSession() {
    if (!state.token || !state.expiresAt) return false;
    const expires = Date.parse(state.expiresAt);
    return Number.isFinite(expires) && expires - Date.now() > SESSION_MARGIN_MS;
  }

  function newClientMsgId() {
    if (window.crypto && typeof window.crypto.randomUUID === 'function') return window.crypto.randomUUID();
    const bytes = new Uint8Array(16);
    if (window.crypto && typeof window.crypto.getRandomValues === 'function') window.crypto.getRandomValues(bytes);
    else for (let i = 0; i < 16; i++) bytes[i] = Math.floor(Math.random() * 256);
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.prototype.map.call(bytes, (b) => (b + 0x100).toString(16).slice(1)).join('');
    return hex.slice(0, 8) + '-' + hex.slice(8, 12) + '-' + hex.slice(12, 16) + '-' + hex.slice(16, 20) + '-' + hex.slice(20);
  }

  // ---------- connection ----------

  const conn = {
    ws: null,
    status: 'idle',
    attempt: 0,
    retryTimer: null,
    retryAt: 0,
    countdownTimer: null,
    pingTimer: null,
    stableTimer: null,
    lastHeardAt: 0,
    renewTried: false,
    sessionPromise: null,
  };

  function createSession() {
    if (conn.sessionPromise) return conn.sessionPromise;
    const asked = locale;
    conn.sessionPromise = fetch(baseUrl + '/webchat/sessions', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: asked }),
      credentials: 'omit',
    })
      .then(function (res) {
        if (!res.ok) throw new Error('session request failed with ' + res.status);
        return res.json();
      })
      .then(function (body) {
        if (!isObject(body) || typeof body.token !== 'string' || typeof body.sessionId !== 'string') {
          throw new Error('session response without sessionId and token');
        }
        state.sessionId = body.sessionId;
        state.token = body.token;
        state.expiresAt = typeof body.expiresAt === 'string' ? body.expiresAt : new Date(Date.now() + 3600000).toISOString();
        state.lastSeq = 0;
        state.locale = locale;
        state.serverLocale = asked;
        saveState();
      })
      .finally(function () {
        conn.sessionPromise = null;
      });
    return conn.sessionPromise;
  }

  function ensureSession() {
    return hasUsableSession() ? Promise.resolve() : createSession();
  }

  function isSocketActive() {
    return conn.ws && (conn.ws.readyState === WebSocket.CONNECTING || conn.ws.readyState === WebSocket.OPEN);
  }

  function connect() {
    if (isSocketActive() || conn.sessionPromise) return;
    clearRetry();
    setStatus(conn.attempt > 0 ? 'reconnecting-now' : 'connecting');
    ensureSession().then(openSocket, function () {
      if (conn.attempt === 0) showError(t('error.session'), 'error.session');
      scheduleReconnect();
    });
  }

  function openSocket() {
    if (isSocketActive()) return;
    const url = wsBaseUrl + '/webchat/ws?token=' + encodeURIComponent(state.token) + '&after=' + encodeURIComponent(state.lastSeq);
    let opened = false;
    let ws;
    try {
      ws = new WebSocket(url);
    } catch (_) {
      scheduleReconnect();
      return;
    }
    conn.ws = ws;
    ws.onopen = function () {
      opened = true;
      clearTimeout(conn.stableTimer);
      conn.stableTimer = setTimeout(function () {
        if (conn.ws === ws) conn.attempt = 0;
      }, STABLE_MS);
      conn.renewTried = false;
      conn.lastHeardAt = Date.now();
      setStatus('online');
      clearError('error.session');
      startPing();
      syncLocale();
      flushOutbox();
    };
    ws.onmessage = function (ev) {
      conn.lastHeardAt = Date.now();
      handleFrame(ev.data);
    };
    ws.onclose = function () {
      if (conn.ws !== ws) return;
      clearTimeout(conn.stableTimer);
      conn.ws = null;
      stopPing();
      if (!opened) onOpenFailed();
      else if (!hasUsableSession()) connect();
      else scheduleReconnect();
    };
  }

  // A socket that closes before opening means the upgrade failed; the usual reason is a rejected
  // token, so a new session is created once (per streak of failures) before backing off.
  function onOpenFailed() {
    if (conn.renewTried || navigator.onLine === false) {
      scheduleReconnect();
      return;
    }
    conn.renewTried = true;
    setStatus('reconnecting-now');
    createSession().then(openSocket, scheduleReconnect);
  }

  function scheduleReconnect() {
    clearRetry();
    const exp = Math.min(BACKOFF_MAX_MS, BACKOFF_MIN_MS * Math.pow(2, conn.attempt));
    const delay = Math.min(BACKOFF_MAX_MS, Math.round(exp * (0.75 + Math.random() * 0.5)));
    conn.attempt += 1;
    conn.retryAt = Date.now() + delay;
    conn.retryTimer = setTimeout(connect, delay);
    conn.countdownTimer = setInterval(renderStatus, 1000);
    setStatus(navigator.onLine === false ? 'offline' : 'reconnecting');
  }

  function clearRetry() {
    clearTimeout(conn.retryTimer);
    clearInterval(conn.countdownTimer);
    conn.retryTimer = null;
    conn.countdownTimer = null;
  }

  function retryNow() {
    if (isSocketActive()) return;
    clearRetry();
    connect();
  }

  // Detaches the socket before closing it: a dead connection can stay in CLOSING for a long time.
  function dropSocket(next) {
    const ws = conn.ws;
    if (!ws) return;
    conn.ws = null;
    stopPing();
    ws.close();
    next();
  }

  function startPing() {
    stopPing();
    conn.pingTimer = setInterval(function () {
      if (Date.now() - conn.lastHeardAt > SILENCE_LIMIT_MS) {
        dropSocket(scheduleReconnect);
        return;
      }
      sendFrame({ type: 'ping' });
    }, PING_MS);
  }

  function stopPing() {
    clearInterval(conn.pingTimer);
    conn.pingTimer = null;
  }

  function sendFrame(frame) {
    if (!conn.ws || conn.ws.readyState !== WebSocket.OPEN) return false;
    conn.ws.send(JSON.stringify(frame));
    return true;
  }

  function sendEntry(entry) {
    const frame = { type: 'message', clientMsgId: entry.clientMsgId, text: entry.text };
    if (entry.location) frame.attachments = [{ type: 'location', latitude: entry.location.latitude, longitude: entry.location.longitude }];
    if (Array.isArray(entry.files)) frame.attachments = entry.files.map((f) => ({ type: f.type === 'image' ? 'image' : 'file', uploadId: String(f.uploadId) }));
    return sendFrame(frame);
  }

  // Sent before any pending message, so the bot answers that message in the language now shown.
  function syncLocale() {
    if (state.token && state.serverLocale !== locale) sendFrame({ type: 'locale', locale: locale });
  }

  function flushOutbox() {
    state.history.forEach(function (entry) {
      if (entry.from === 'person' && entry.state === 'pending') sendEntry(entry);
    });
  }

  // ---------- server frames ----------

  function handleFrame(data) {
    let frame;
    try {
      frame = JSON.parse(data);
    } catch (_) {
      return;
    }
    if (!isObject(frame)) return;
    if (frame.type === 'ack') onAck(frame);
    else if (frame.type === 'message') onServerMessage(frame);
    else if (frame.type === 'error') onServerError(frame);
    else if (frame.type === 'locale_set' && pickLocale(frame.locale)) {
      state.serverLocale = pickLocale(frame.locale);
      saveState();
    }
  }

  function findPersonEntry(clientMsgId) {
    for (let i = state.history.length - 1; i >= 0; i--) {
      const e = state.history[i];
      if (e.from === 'person' && e.clientMsgId === clientMsgId) return e;
    }
    return null;
  }

  function onAck(frame) {
    const entry = findPersonEntry(frame.clientMsgId);
    if (!entry || entry.state === 'sent') return;
    entry.state = 'sent';
    if (Number.isFinite(frame.seq)) entry.seq = frame.seq;
    saveState();
    view.updateEntry(entry);
  }

  function cleanButtons(buttons) {
    if (!Array.isArray(buttons)) return undefined;
    const clean = buttons
      .filter((b) => isObject(b) && typeof b.label === 'string' && typeof b.value === 'string' && b.label.trim())
      .map((b) => ({ label: b.label, value: b.value }));
    return clean.length ? clean : undefined;
  }

  function onServerMessage(frame) {
    if (!Number.isFinite(frame.seq) || typeof frame.text !== 'string') return;
    const from = frame.from === 'agent' ? 'agent' : 'bot';
    if (frame.seq > state.lastSeq) state.lastSeq = frame.seq;
    const seen = state.history.some((e) => e.from !== 'person' && e.sid === state.sessionId && e.seq === frame.seq);
    if (!seen) {
      const entry = { from: from, text: frame.text, state: 'received', seq: frame.seq, sid: state.sessionId, at: Date.now() };
      const buttons = cleanButtons(frame.buttons);
      if (buttons) entry.buttons = buttons;
      const images = Array.isArray(frame.images) ? frame.images.filter((u) => typeof u === 'string' && /^https:\/\//.test(u)) : [];
      if (images.length) entry.images = images;
      state.history.push(entry);
      view.addEntry(entry);
    }
    saveState();
  }

  function onServerError(frame) {
    const code = typeof frame.code === 'string' ? frame.code : '';
    if (code === 'token_expired') {
      state.token = null;
      state.expiresAt = null;
      saveState();
      dropSocket(connect);
      return;
    }
    const entry = typeof frame.clientMsgId === 'string' ? findPersonEntry(frame.clientMsgId) : null;
    if (code === 'rate_limited' && entry) {
      // Not stored yet, not failed: it stays pending and goes again when the server said it may.
      const wait = Number.isFinite(frame.retryAfterMs) && frame.retryAfterMs > 0 ? frame.retryAfterMs : 5000;
      setTimeout(function () {
        if (entry.state === 'pending') sendEntry(entry);
      }, Math.min(wait, 10 * 60 * 1000));
      showError(t('error.rate_limited'));
      return;
    }
    if (entry && entry.state === 'pending') {
      entry.state = 'failed';
      saveState();
      view.updateEntry(entry);
    }
    // The server's message is English for developers: a known code is shown in the person's language.
    const max = Number.isFinite(frame.max) && frame.max > 0 ? frame.max : maxChars;
    const localized = code ? t('error.' + code, { max: formatNumber(max) }) : '';
    const serverText = typeof frame.message === 'string' && frame.message.trim() ? frame.message : '';
    showError(localized && localized !== 'error.' + code ? localized : serverText || t('error.generic'));
  }

  // ---------- actions ----------

  function sendText(text, label) {
    const entry = { from: 'person', text: text, state: 'pending', clientMsgId: newClientMsgId(), sid: state.sessionId, at: Date.now() };
    if (label && label !== text) entry.label = label;
    state.history.push(entry);
    saveState();
    view.addEntry(entry, true);
    if (!sendEntry(entry)) connect();
  }

  // The browser asks the person's permission; a refusal or a failure is said, and nothing is sent.
  function shareLocation() {
    clearError();
    if (!navigator.geolocation || typeof navigator.geolocation.getCurrentPosition !== 'function') {
      showError(t('location.unavailable'));
      return;
    }
    view.locate.disabled = true;
    navigator.geolocation.getCurrentPosition(
      function (pos) {
        view.locate.disabled = false;
        const latitude = Math.round(pos.coords.latitude * 1e6) / 1e6;
        const longitude = Math.round(pos.coords.longitude * 1e6) / 1e6;
        const entry = { from: 'person', text: '', state: 'pending', clientMsgId: newClientMsgId(), sid: state.sessionId, at: Date.now() };
        entry.location = { latitude: latitude, longitude: longitude };
        entry.label = t('location.shared', { latitude: latitude, longitude: longitude });
        state.history.push(entry);
        saveState();
        view.addEntry(entry, true);
        if (!sendEntry(entry)) connect();
      },
      function (err) {
        view.locate.disabled = false;
        showError(t(err && err.code === 1 ? 'location.denied' : 'location.failed'));
      },
      { enableHighAccuracy: true, timeout: 20000, maximumAge: 60000 },
    );
  }

  // Same limits as the server (src/webchat/uploads.ts), checked here first so nothing is sent in vain.
  const UPLOAD_TYPES = ['image/jpeg', 'image/png', 'image/webp', 'application/pdf'];
  const MAX_UPLOAD_BYTES = 5 * 1024 * 1024;

  // The file goes up first (POST /webchat/uploads), then a message carries its id.
  function attachFile(file) {
    clearError();
    if (!file) return;
    if (UPLOAD_TYPES.indexOf(file.type) < 0) {
      showError(t('upload.type'));
      return;
    }
    if (file.size > MAX_UPLOAD_BYTES) {
      showError(t('upload.size', { max: 5 }));
      return;
    }
    view.attach.disabled = true;
    ensureSession()
      .then(function () {
        return fetch(baseUrl + '/webchat/uploads?name=' + encodeURIComponent(file.name || ''), {
          method: 'POST',
          headers: { 'content-type': file.type, authorization: 'Bearer ' + state.token },
          body: file,
          credentials: 'omit',
        });
      })
      .then(function (res) {
        return res.json().then(function (body) {
          if (!res.ok || !isObject(body) || typeof body.uploadId !== 'string') throw new Error(isObject(body) && body.error ? String(body.error) : 'upload failed');
          return body;
        });
      })
      .then(function (body) {
        const entry = { from: 'person', text: '', state: 'pending', clientMsgId: newClientMsgId(), sid: state.sessionId, at: Date.now() };
        entry.files = [{ type: body.type === 'image' ? 'image' : 'file', uploadId: body.uploadId }];
        entry.label = t('upload.sent', { name: file.name || '' });
        state.history.push(entry);
        saveState();
        view.addEntry(entry, true);
        if (!sendEntry(entry)) connect();
      })
      .catch(function (err) {
        const code = err && err.message;
        showError(code === 'too_large' ? t('upload.size', { max: 5 }) : code === 'unsupported_type' || code === 'type_mismatch' ? t('upload.type') : t('upload.failed'));
      })
      .finally(function () {
        view.attach.disabled = false;
        view.fileInput.value = '';
      });
  }

  function submitInput() {
    const text = view.input.value.trim();
    if (!text) {
      view.input.focus();
      return;
    }
    if (text.length > maxChars) {
      showError(t('error.message_too_long', { max: formatNumber(maxChars) }));
      return;
    }
    clearError();
    view.input.value = '';
    view.onInputChanged();
    sendText(text);
  }

  function editFailed(entry) {
    const index = state.history.indexOf(entry);
    if (index >= 0) state.history.splice(index, 1);
    saveState();
    view.removeEntry(entry);
    view.input.value = entry.text;
    view.onInputChanged();
    view.input.focus();
  }

  function setStatus(status) {
    conn.status = status;
    if (status !== 'reconnecting' && status !== 'offline') clearInterval(conn.countdownTimer);
    renderStatus();
  }

  function renderStatus() {
    view.renderStatus(conn.status, Math.max(0, Math.ceil((conn.retryAt - Date.now()) / 1000)));
  }

  let errorTimer = null;
  let errorKey = null;

  function showError(message, key) {
    errorKey = key || null;
    view.renderError(message);
    clearTimeout(errorTimer);
    errorTimer = setTimeout(clearError, ERROR_HIDE_MS);
  }

  function clearError(onlyKey) {
    if (onlyKey && errorKey !== onlyKey) return;
    clearTimeout(errorTimer);
    view.renderError('');
  }

  // ---------- view ----------

  const ICONS = {
    chat: ['M21 12a8.5 8.5 0 0 1-12.3 7.6L3 21l1.5-5.4A8.5 8.5 0 1 1 21 12z', 'M8 10.5h8', 'M8 14h5'],
    down: ['M6 9l6 6 6-6'],
    minus: ['M5 12h14'],
    send: ['M22 2L11 13', 'M22 2l-7 20-4-9-9-4 20-7z'],
    headset: ['M3 18v-6a9 9 0 0 1 18 0v6', 'M21 19a2 2 0 0 1-2 2h-1a2 2 0 0 1-2-2v-3a2 2 0 0 1 2-2h3z', 'M3 19a2 2 0 0 0 2 2h1a2 2 0 0 0 2-2v-3a2 2 0 0 0-2-2H3z'],
    check: ['M20 6L9 17l-5-5'],
    clock: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 6v6l4 2'],
    alert: ['M12 22a10 10 0 1 0 0-20 10 10 0 0 0 0 20z', 'M12 8v4', 'M12 16h.01'],
    close: ['M18 6L6 18', 'M6 6l12 12'],
    shield: ['M12 22s8-4 8-10V5l-8-3-8 3v7c0 6 8 10 8 10z'],
    clip: ['M21.4 11.1l-9.2 9.2a6 6 0 0 1-8.5-8.5l9.2-9.2a4 4 0 0 1 5.7 5.7l-9.2 9.2a2 2 0 0 1-2.8-2.8l8.5-8.5'],
    pin: ['M12 22s7-6.2 7-12a7 7 0 1 0-14 0c0 5.8 7 12 7 12z', 'M12 12.5a2.5 2.5 0 1 0 0-5 2.5 2.5 0 0 0 0 5z'],
  };

  function icon(name, className) {
    const svg = document.createElementNS(SVG_NS, 'svg');
    svg.setAttribute('viewBox', '0 0 24 24');
    svg.setAttribute('aria-hidden', 'true');
    svg.setAttribute('focusable', 'false');
    svg.setAttribute('class', 'hl-icon' + (className ? ' ' + className : ''));
    ICONS[name].forEach(function (d) {
      const path = document.createElementNS(SVG_NS, 'path');
      path.setAttribute('d', d);
      svg.appendChild(path);
    });
    return svg;
  }

  function el(tag, attrs, children) {
    const node = document.createElement(tag);
    Object.keys(attrs || {}).forEach(function (name) {
      const value = attrs[name];
      if (value == null || value === false) return;
      if (name === 'text') node.textContent = value;
      else if (name === 'className') node.className = value;
      else node.setAttribute(name, value === true ? '' : String(value));
    });
    (children || []).forEach(function (child) {
      if (child) node.appendChild(child);
    });
    return node;
  }

  function safeHttpUrl(candidate) {
    try {
      const url = new URL(candidate);
      return url.protocol === 'http:' || url.protocol === 'https:' ? url.href : null;
    } catch (_) {
      return null;
    }
  }

  function trackingHref(code) {
    const path = '/t/' + encodeURIComponent(code);
    return baseUrl === location.origin ? path : baseUrl + path;
  }

  function externalLink(href, text, className, title) {
    const a = el('a', { href: href, target: '_blank', rel: 'noopener noreferrer nofollow', className: className, title: title, text: text });
    a.appendChild(el('span', { className: 'hl-sr-only', text: ' ' + t('link.newTab') }));
    return a;
  }

  // Builds text nodes and <a> elements from server text: tracking codes link to /t/<code>, http(s) URLs to themselves.
  function linkify(text) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    LINK_RE.lastIndex = 0;
    let match;
    while ((match = LINK_RE.exec(text)) !== null) {
      let raw = match[0];
      let node = null;
      if (match[1]) {
        raw = raw.replace(URL_TRAILING_PUNCTUATION, '');
        const href = safeHttpUrl(raw);
        if (href) node = externalLink(href, raw, 'hl-link');
      } else {
        node = externalLink(trackingHref(raw), raw, 'hl-code', t('code.title', { code: raw }));
        node.setAttribute('data-testid', 'hotline-code');
      }
      if (!node || !raw) continue;
      if (match.index > last) fragment.appendChild(document.createTextNode(text.slice(last, match.index)));
      fragment.appendChild(node);
      last = match.index + raw.length;
      LINK_RE.lastIndex = last;
    }
    if (last < text.length) fragment.appendChild(document.createTextNode(text.slice(last)));
    return fragment;
  }

  const CSS = `
.hl-root, .hl-root * , .hl-root *::before, .hl-root *::after { box-sizing: border-box; }
.hl-root {
  --hl-primary: #0b57d0; --hl-primary-strong: #0842a0; --hl-primary-soft: #e8f0fe;
  --hl-text: #1b1f24; --hl-muted: #5f6b7a; --hl-border: #e1e5ec; --hl-surface: #f4f6fa;
  --hl-bot-bg: #ffffff; --hl-agent-bg: #e6f4ea; --hl-agent-border: #b7dfc3; --hl-agent-text: #0d5c2e;
  --hl-danger: #b3261e; --hl-danger-bg: #fdecea; --hl-ok: #1e8e3e; --hl-warn: #e37400;
  font: 400 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", "Helvetica Neue", Arial, sans-serif;
  color: var(--hl-text); letter-spacing: normal; text-align: left; text-transform: none;
}
.hl-root [hidden] { display: none !important; }
.hl-root button, .hl-root textarea { font: inherit; color: inherit; margin: 0; letter-spacing: normal; text-transform: none; }
.hl-root button { cursor: pointer; background: none; border: 0; padding: 0; line-height: inherit; }
.hl-root p, .hl-root h2 { margin: 0; padding: 0; }
.hl-root :focus { outline: none; }
.hl-root :focus-visible { outline: 3px solid #f9ab00; outline-offset: 2px; }
.hl-icon { width: 20px; height: 20px; flex: none; fill: none; stroke: currentColor; stroke-width: 2; stroke-linecap: round; stroke-linejoin: round; display: block; }
.hl-sr-only { position: absolute !important; width: 1px; height: 1px; padding: 0; margin: -1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }

.hl-launcher {
  position: fixed; right: 24px; bottom: 24px; z-index: 2147483000;
  width: 60px; height: 60px; border-radius: 50% !important;
  background: var(--hl-primary) !important; color: #fff !important;
  display: flex; align-items: center; justify-content: center;
  box-shadow: 0 6px 20px rgba(11, 87, 208, .35), 0 2px 6px rgba(0, 0, 0, .15);
  transition: transform .18s ease, background-color .18s ease, box-shadow .18s ease;
}
.hl-launcher:hover { background: var(--hl-primary-strong) !important; transform: translateY(-2px); }
.hl-launcher .hl-icon { width: 28px; height: 28px; transition: transform .2s ease, opacity .2s ease; }
.hl-launcher-close { position: absolute; opacity: 0; transform: rotate(-90deg); }
.hl-root[data-open="true"] .hl-launcher-chat { opacity: 0; transform: rotate(90deg); }
.hl-root[data-open="true"] .hl-launcher-close { opacity: 1; transform: none; }
.hl-badge {
  position: absolute; top: -4px; right: -4px; min-width: 22px; height: 22px; padding: 0 6px;
  border-radius: 11px; background: #d93025; color: #fff; border: 2px solid #fff;
  font-size: 12px; font-weight: 700; line-height: 18px; text-align: center;
}

.hl-panel {
  position: fixed; right: 24px; bottom: 100px; z-index: 2147483000;
  width: 384px; height: min(640px, calc(100vh - 124px)); max-height: calc(100vh - 124px);
  display: flex; flex-direction: column; overflow: hidden;
  background: var(--hl-surface); border-radius: 18px;
  box-shadow: 0 18px 50px rgba(16, 24, 40, .22), 0 4px 12px rgba(16, 24, 40, .10);
  animation: hl-pop .2s ease-out; transform-origin: bottom right;
}
@keyframes hl-pop { from { opacity: 0; transform: translateY(12px) scale(.98); } to { opacity: 1; transform: none; } }

.hl-header {
  display: flex; align-items: flex-start; gap: 10px; padding: 14px 10px 12px 14px; flex: none;
  background: linear-gradient(135deg, var(--hl-primary) 0%, var(--hl-primary-strong) 100%); color: #fff;
}
.hl-avatar {
  width: 38px; height: 38px; border-radius: 50%; flex: none; margin-top: 1px;
  display: flex; align-items: center; justify-content: center;
  background: rgba(255, 255, 255, .18); box-shadow: inset 0 0 0 1px rgba(255, 255, 255, .35);
}
.hl-avatar .hl-icon { width: 20px; height: 20px; }
.hl-heading { flex: 1; min-width: 0; }
.hl-title { font-size: 16px; font-weight: 700; line-height: 1.3; color: #fff; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hl-subtitle { font-size: 12.5px; line-height: 1.35; opacity: .9; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hl-status { display: block; font-size: 12.5px; line-height: 1.4; margin-top: 3px; color: rgba(255, 255, 255, .95); }
.hl-dot { display: inline-block; vertical-align: 1px; width: 8px; height: 8px; margin-right: 6px; border-radius: 50%; background: #c4c9d0; }
.hl-status[data-status="online"] .hl-dot { background: #5bd17f; box-shadow: 0 0 0 3px rgba(91, 209, 127, .25); }
.hl-status[data-status="connecting"] .hl-dot, .hl-status[data-status="reconnecting"] .hl-dot { background: #fbbc04; animation: hl-blink 1.2s ease-in-out infinite; }
.hl-status[data-status="offline"] .hl-dot { background: #ff8a80; }
.hl-status[data-status="idle"] { display: none; }
@keyframes hl-blink { 50% { opacity: .3; } }
.hl-status .hl-retry { font-size: 12.5px; font-weight: 700; text-decoration: underline; color: #fff !important; margin-left: 6px; white-space: nowrap; }
.hl-actions { display: flex; align-items: center; gap: 2px; flex: none; margin-top: 2px; }
.hl-lang {
  display: flex; align-items: center; gap: 2px; padding: 3px !important; border-radius: 999px !important;
  background: rgba(255, 255, 255, .16) !important; box-shadow: inset 0 0 0 1px rgba(255, 255, 255, .3);
}
.hl-lang-opt { font-size: 11px; font-weight: 700; letter-spacing: .04em; padding: 2px 6px; border-radius: 999px; color: rgba(255, 255, 255, .85); }
.hl-lang-opt.hl-active { background: #fff; color: var(--hl-primary-strong); }
.hl-icon-btn {
  width: 34px; height: 34px; border-radius: 50% !important; display: flex; align-items: center; justify-content: center;
  color: inherit; transition: background-color .15s ease;
}
.hl-header .hl-icon-btn:hover { background: rgba(255, 255, 255, .18) !important; }

.hl-messages { flex: 1; overflow-y: auto; overscroll-behavior: contain; padding: 14px 14px 10px; }
.hl-greeting {
  background: #fff; border: 1px solid var(--hl-border); border-radius: 14px; padding: 14px 14px 12px;
  margin-bottom: 14px; box-shadow: 0 1px 2px rgba(16, 24, 40, .04);
}
.hl-greeting-title { font-weight: 700; font-size: 15px; margin-bottom: 6px; }
.hl-greeting-body { font-size: 14px; color: #2f3742; margin-bottom: 8px; }
.hl-greeting-row { display: flex; gap: 8px; align-items: flex-start; margin-top: 6px; color: var(--hl-muted); }
.hl-greeting-row .hl-icon { width: 16px; height: 16px; margin-top: 2px; }
.hl-greeting-note { font-size: 12.5px; line-height: 1.4; }
.hl-greeting-emergency { color: #8a1c14; }
.hl-greeting-row:last-child { color: #8a1c14; }

.hl-list { display: flex; flex-direction: column; gap: 10px; }
.hl-msg { display: flex; flex-direction: column; align-items: flex-start; max-width: 86%; }
.hl-msg.hl-new { animation: hl-in .18s ease-out; }
@keyframes hl-in { from { opacity: 0; transform: translateY(4px); } to { opacity: 1; transform: none; } }
.hl-msg-person { align-self: flex-end; align-items: flex-end; }
.hl-msg-label { display: inline-flex; align-items: center; gap: 4px; font-size: 11.5px; font-weight: 600; color: var(--hl-muted); margin: 0 0 3px 4px; text-transform: uppercase; letter-spacing: .03em; }
.hl-msg-agent .hl-msg-label { color: var(--hl-agent-text); }
.hl-agent-mark { width: 13px; height: 13px; stroke-width: 3; }
.hl-bubble {
  padding: 9px 13px; border-radius: 16px; white-space: pre-wrap; overflow-wrap: anywhere; word-break: normal;
  font-size: 14.5px; line-height: 1.45; max-width: 100%;
}
.hl-image { display: block; margin-top: 6px; }
.hl-image img { display: block; max-width: 100%; max-height: 240px; border-radius: 10px; border: 1px solid var(--hl-border); }
.hl-msg-bot .hl-bubble { background: var(--hl-bot-bg); border: 1px solid var(--hl-border); border-top-left-radius: 5px; }
.hl-msg-agent .hl-bubble { background: var(--hl-agent-bg); border: 1px solid var(--hl-agent-border); border-top-left-radius: 5px; }
.hl-msg-person .hl-bubble { background: var(--hl-primary); color: #fff; border-bottom-right-radius: 5px; }
.hl-msg-person.hl-state-pending .hl-bubble { background: #5b8def; }
.hl-msg-person.hl-state-failed .hl-bubble { background: #fff; color: var(--hl-text); box-shadow: inset 0 0 0 1.5px var(--hl-danger); }
.hl-bubble a { color: var(--hl-primary-strong); text-decoration: underline; text-underline-offset: 2px; }
.hl-bubble a.hl-code {
  font-family: ui-monospace, "SFMono-Regular", "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13.5px; font-weight: 700;
  text-decoration: none; background: var(--hl-primary-soft); color: var(--hl-primary-strong);
  padding: 1px 6px; border-radius: 6px; box-shadow: inset 0 0 0 1px #c6d8fb; white-space: nowrap;
}
.hl-bubble a.hl-code:hover { background: #d5e3fd; text-decoration: underline; }
.hl-meta { display: flex; align-items: center; gap: 6px; font-size: 11.5px; color: var(--hl-muted); margin: 3px 4px 0; }
.hl-state { display: inline-flex; align-items: center; gap: 3px; }
.hl-state .hl-icon { width: 13px; height: 13px; stroke-width: 2.4; }
.hl-state-sent .hl-state { color: var(--hl-ok); }
.hl-state-failed .hl-state { color: var(--hl-danger); font-weight: 600; }
.hl-edit { font-size: 11.5px; font-weight: 600; color: var(--hl-primary) !important; text-decoration: underline; }
.hl-quick { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 8px; }
.hl-quick-btn {
  padding: 6px 12px !important; border-radius: 16px !important; font-size: 13.5px; font-weight: 600; line-height: 1.3;
  max-width: 100%; text-align: left; white-space: normal; overflow-wrap: anywhere;
  background: #fff !important; color: var(--hl-primary) !important; border: 1.5px solid var(--hl-primary) !important;
  transition: background-color .15s ease, color .15s ease;
}
.hl-quick-btn:hover { background: var(--hl-primary) !important; color: #fff !important; }

.hl-error {
  display: flex; align-items: flex-start; gap: 8px; margin: 0 12px 8px; padding: 8px 6px 8px 10px; flex: none;
  background: var(--hl-danger-bg); color: var(--hl-danger); border-radius: 10px; font-size: 13px; line-height: 1.4;
  box-shadow: inset 0 0 0 1px #f5c2bd;
}
.hl-error > .hl-icon { width: 17px; height: 17px; margin-top: 1px; }
.hl-error-text { flex: 1; }
.hl-error .hl-error-close { width: 24px; height: 24px; color: var(--hl-danger); }
.hl-error .hl-error-close .hl-icon { width: 15px; height: 15px; }

.hl-composer { flex: none; background: #fff; border-top: 1px solid var(--hl-border); padding: 10px 12px 8px; }
.hl-input-row { display: flex; align-items: flex-end; gap: 8px; }
.hl-input {
  flex: 1; min-height: 42px; max-height: 140px; resize: none; overflow-y: auto; display: block;
  padding: 10px 12px !important; border: 1px solid var(--hl-border) !important; border-radius: 12px !important;
  background: var(--hl-surface) !important; font-size: 15px; line-height: 1.4; color: var(--hl-text) !important;
  transition: border-color .15s ease, background-color .15s ease, box-shadow .15s ease; box-shadow: none;
}
.hl-input::placeholder { color: #7b8594; opacity: 1; }
.hl-input:focus { border-color: var(--hl-primary) !important; background: #fff !important; box-shadow: 0 0 0 3px rgba(11, 87, 208, .15); outline: none; }
.hl-send {
  width: 42px; height: 42px; border-radius: 12px !important; flex: none; display: flex; align-items: center; justify-content: center;
  background: var(--hl-primary) !important; color: #fff !important; transition: background-color .15s ease, opacity .15s ease;
}
.hl-locate {
  width: 42px; height: 42px; border-radius: 12px !important; flex: none; display: flex; align-items: center; justify-content: center;
  color: var(--hl-primary) !important;
}
.hl-locate:disabled { opacity: .4; cursor: default; }
.hl-locate .hl-icon { width: 20px; height: 20px; }
.hl-send:hover:not(:disabled) { background: var(--hl-primary-strong) !important; }
.hl-send:disabled { opacity: .4; cursor: default; }
.hl-send .hl-icon { width: 19px; height: 19px; margin-left: -2px; }
.hl-composer-meta { display: flex; justify-content: space-between; align-items: center; gap: 8px; min-height: 18px; margin-top: 5px; font-size: 11.5px; color: var(--hl-muted); }
.hl-hint { min-width: 0; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.hl-counter { margin-left: auto; flex: none; white-space: nowrap; font-variant-numeric: tabular-nums; color: var(--hl-warn); font-weight: 600; }
.hl-counter.hl-over { color: var(--hl-danger); }

@media (max-width: 480px) {
  .hl-panel { inset: 0; right: 0; bottom: 0; width: 100%; height: 100%; max-height: none; border-radius: 0; animation-name: hl-slide; }
  @supports (height: 100dvh) { .hl-panel { height: 100dvh; } }
  .hl-root[data-open="true"] .hl-launcher { display: none; }
  .hl-launcher { right: 16px; bottom: 16px; }
  .hl-header { padding-top: max(14px, env(safe-area-inset-top)); }
  .hl-composer { padding-bottom: max(8px, env(safe-area-inset-bottom)); }
  .hl-input { font-size: 16px; }
  .hl-hint { display: none; }
  .hl-composer-meta { min-height: 0; margin-top: 0; }
  .hl-counter { margin-top: 4px; }
  .hl-msg { max-width: 90%; }
}
@keyframes hl-slide { from { transform: translateY(24px); opacity: 0; } to { transform: none; opacity: 1; } }
@media (prefers-reduced-motion: reduce) {
  .hl-root *, .hl-root *::before, .hl-root *::after { animation: none !important; transition: none !important; scroll-behavior: auto !important; }
}
@media print { .hl-root { display: none !important; } }
`;

  const view = buildView();

  function buildView() {
    const v = { nodes: new Map(), open: false, unread: 0, pinned: true };

    v.root = el('div', { className: 'hl-root', id: 'hotline-widget', 'data-open': 'false' });
    v.style = el('style', { text: CSS });

    v.launcherIcon = icon('chat', 'hl-launcher-chat');
    v.badge = el('span', { className: 'hl-badge', 'aria-hidden': 'true', hidden: true });
    v.launcher = el('button', { type: 'button', className: 'hl-launcher', 'data-testid': 'hotline-launcher', 'aria-controls': 'hotline-panel', 'aria-expanded': 'false' }, [
      v.launcherIcon,
      icon('down', 'hl-launcher-close'),
      v.badge,
    ]);

    v.title = el('h2', { className: 'hl-title', id: 'hotline-title' });
    v.subtitle = el('p', { className: 'hl-subtitle' });
    v.statusDot = el('span', { className: 'hl-dot', 'aria-hidden': 'true' });
    v.statusText = el('span', { className: 'hl-status-text' });
    v.retryButton = el('button', { type: 'button', className: 'hl-retry', hidden: true });
    v.status = el('p', { className: 'hl-status', 'data-testid': 'hotline-status', 'data-status': 'idle', role: 'status' }, [v.statusDot, v.statusText, v.retryButton]);
    v.langVi = el('span', { className: 'hl-lang-opt', lang: 'vi', text: 'VI' });
    v.langEn = el('span', { className: 'hl-lang-opt', lang: 'en', text: 'EN' });
    v.lang = el('button', { type: 'button', className: 'hl-lang', 'data-testid': 'hotline-lang' }, [v.langVi, v.langEn]);
    v.minimize = el('button', { type: 'button', className: 'hl-icon-btn', 'data-testid': 'hotline-minimize' }, [icon('minus')]);
    const header = el('header', { className: 'hl-header' }, [
      el('div', { className: 'hl-avatar', 'aria-hidden': 'true' }, [icon('headset')]),
      el('div', { className: 'hl-heading' }, [v.title, v.subtitle, v.status]),
      el('div', { className: 'hl-actions' }, [v.lang, v.minimize]),
    ]);

    v.greetingTitle = el('p', { className: 'hl-greeting-title' });
    v.greetingBody = el('p', { className: 'hl-greeting-body' });
    v.greetingPrivacy = el('p', { className: 'hl-greeting-note' });
    v.greetingEmergency = el('p', { className: 'hl-greeting-note hl-greeting-emergency' });
    v.greeting = el('div', { className: 'hl-greeting', 'data-testid': 'hotline-greeting' }, [
      v.greetingTitle,
      v.greetingBody,
      el('div', { className: 'hl-greeting-row' }, [icon('shield'), v.greetingPrivacy]),
      el('div', { className: 'hl-greeting-row' }, [icon('alert'), v.greetingEmergency]),
    ]);
    v.list = el('div', { className: 'hl-list' });
    v.messages = el('div', { className: 'hl-messages', 'data-testid': 'hotline-messages', role: 'log', 'aria-live': 'polite', 'aria-relevant': 'additions', tabindex: '0' }, [
      v.greeting,
      v.list,
    ]);

    v.errorText = el('span', { className: 'hl-error-text' });
    v.errorClose = el('button', { type: 'button', className: 'hl-icon-btn hl-error-close' }, [icon('close')]);
    v.error = el('div', { className: 'hl-error', 'data-testid': 'hotline-error', role: 'alert', hidden: true }, [icon('alert'), v.errorText, v.errorClose]);

    v.inputLabel = el('label', { className: 'hl-sr-only', for: 'hotline-input' });
    v.input = el('textarea', { className: 'hl-input', id: 'hotline-input', 'data-testid': 'hotline-input', rows: '1', 'aria-describedby': 'hotline-hint hotline-counter', autocomplete: 'off' });
    v.send = el('button', { type: 'submit', className: 'hl-send', 'data-testid': 'hotline-send' }, [icon('send')]);
    v.fileInput = el('input', { type: 'file', className: 'hl-sr-only', accept: 'image/jpeg,image/png,image/webp,application/pdf', tabindex: '-1', 'data-testid': 'hotline-file' });
    v.attach = el('button', { type: 'button', className: 'hl-locate', 'data-testid': 'hotline-attach' }, [icon('clip')]);
    v.locate = el('button', { type: 'button', className: 'hl-locate', 'data-testid': 'hotline-locate' }, [icon('pin')]);
    v.hint = el('span', { className: 'hl-hint', id: 'hotline-hint' });
    v.counter = el('span', { className: 'hl-counter', id: 'hotline-counter', 'data-testid': 'hotline-counter', 'aria-live': 'polite', hidden: true });
    v.form = el('form', { className: 'hl-composer', novalidate: true }, [
      v.inputLabel,
      el('div', { className: 'hl-input-row' }, [v.attach, v.locate, v.input, v.send, v.fileInput]),
      el('div', { className: 'hl-composer-meta' }, [v.hint, v.counter]),
    ]);

    v.panel = el('section', { className: 'hl-panel', id: 'hotline-panel', 'data-testid': 'hotline-panel', role: 'dialog', 'aria-labelledby': 'hotline-title', hidden: true }, [
      header,
      v.messages,
      v.error,
      v.form,
    ]);
    v.root.appendChild(v.style);
    v.root.appendChild(v.panel);
    v.root.appendChild(v.launcher);

    v.addEntry = function (entry, fromPerson) {
      const stick = fromPerson || v.pinned;
      const node = renderEntry(entry);
      node.classList.add('hl-new');
      v.nodes.set(entry, node);
      v.list.appendChild(node);
      refreshQuickReplies();
      if (entry.from !== 'person' && !v.open) setUnread(v.unread + 1);
      if (stick) scrollToBottom();
    };

    v.updateEntry = function (entry) {
      const old = v.nodes.get(entry);
      if (!old) return;
      const node = renderEntry(entry);
      v.nodes.set(entry, node);
      old.replaceWith(node);
      refreshQuickReplies();
      if (v.pinned) scrollToBottom();
    };

    v.removeEntry = function (entry) {
      const node = v.nodes.get(entry);
      if (node) node.remove();
      v.nodes.delete(entry);
      refreshQuickReplies();
    };

    v.renderAll = function () {
      v.nodes.clear();
      v.list.textContent = '';
      state.history.forEach(function (entry) {
        const node = renderEntry(entry);
        v.nodes.set(entry, node);
        v.list.appendChild(node);
      });
      refreshQuickReplies();
      if (v.pinned) scrollToBottom();
    };

    v.renderStatus = function (status, seconds) {
      const keys = {
        idle: '',
        connecting: 'status.connecting',
        online: 'status.online',
        reconnecting: 'status.reconnecting',
        'reconnecting-now': 'status.reconnectingNow',
        offline: 'status.offline',
      };
      v.status.setAttribute('data-status', status === 'reconnecting-now' ? 'reconnecting' : status);
      v.statusText.textContent = keys[status] ? t(keys[status], { seconds: seconds }) : '';
      v.retryButton.hidden = !(status === 'reconnecting' || status === 'offline');
      v.subtitle.hidden = !(status === 'idle' || status === 'connecting' || status === 'online');
    };

    v.renderError = function (message) {
      v.errorText.textContent = message;
      v.error.hidden = !message;
    };

    v.onInputChanged = function () {
      const length = v.input.value.length;
      const near = length >= maxChars - COUNTER_WINDOW;
      v.counter.hidden = !near;
      v.counter.textContent = near ? t('counter', { count: formatNumber(length), max: formatNumber(maxChars) }) : '';
      v.counter.classList.toggle('hl-over', length > maxChars);
      v.send.disabled = !v.input.value.trim();
      v.input.style.height = 'auto';
      v.input.style.height = Math.min(v.input.scrollHeight, 140) + 'px';
    };

    v.applyStrings = function () {
      v.root.setAttribute('lang', locale);
      v.launcher.setAttribute('aria-label', v.open ? t('launcher.close') : t('launcher.open') + (v.unread ? ', ' + t('launcher.unread', { count: v.unread }) : ''));
      v.title.textContent = t('title');
      v.subtitle.textContent = t('subtitle');
      v.lang.setAttribute('aria-label', t('lang.switch'));
      v.lang.setAttribute('title', t('lang.switch'));
      v.lang.setAttribute('data-locale', locale);
      v.langVi.classList.toggle('hl-active', locale === 'vi');
      v.langEn.classList.toggle('hl-active', locale === 'en');
      v.minimize.setAttribute('aria-label', t('minimize'));
      v.minimize.setAttribute('title', t('minimize'));
      v.greetingTitle.textContent = t('greeting.title');
      v.greetingBody.textContent = t('greeting.body');
      v.greetingPrivacy.textContent = t('greeting.privacy');
      v.greetingEmergency.textContent = t('greeting.emergency');
      v.messages.setAttribute('aria-label', t('messages.label'));
      v.errorClose.setAttribute('aria-label', t('error.dismiss'));
      v.retryButton.textContent = t('status.retryNow');
      v.inputLabel.textContent = t('input.label');
      v.input.setAttribute('placeholder', t('input.placeholder'));
      v.hint.textContent = t('input.hint');
      v.attach.setAttribute('aria-label', t('upload.attach'));
      v.attach.setAttribute('title', t('upload.attach'));
      v.locate.setAttribute('aria-label', t('location.share'));
      v.locate.setAttribute('title', t('location.share'));
      v.send.setAttribute('aria-label', t('send'));
      v.send.setAttribute('title', t('send'));
      v.onInputChanged();
      renderStatus();
      v.renderAll();
    };

    // Follows new messages unless the person has scrolled up to read older ones, also when the
    // header, the error line or the composer change height.
    v.messages.addEventListener('scroll', function () {
      v.pinned = v.messages.scrollHeight - v.messages.scrollTop - v.messages.clientHeight < 60;
    });
    if (window.ResizeObserver) {
      const keepPinned = new ResizeObserver(function () {
        if (v.pinned) v.messages.scrollTop = v.messages.scrollHeight;
      });
      keepPinned.observe(v.messages);
      keepPinned.observe(v.list);
    }

    function scrollToBottom() {
      v.messages.scrollTop = v.messages.scrollHeight;
      v.pinned = true;
    }
    v.scrollToBottom = scrollToBottom;

    function setUnread(count) {
      v.unread = count;
      v.badge.hidden = count === 0;
      v.badge.textContent = count > 9 ? '9+' : String(count);
      v.launcher.setAttribute('aria-label', v.open ? t('launcher.close') : t('launcher.open') + (count ? ', ' + t('launcher.unread', { count: count }) : ''));
    }
    v.setUnread = setUnread;

    // Quick replies are offered only under the newest message, so an old menu cannot be answered twice.
    function refreshQuickReplies() {
      const last = state.history[state.history.length - 1];
      v.list.querySelectorAll('.hl-quick').forEach(function (group) {
        group.hidden = !last || v.nodes.get(last) !== group.parentNode;
      });
    }

    function renderEntry(entry) {
      const node = el('div', {
        className: 'hl-msg hl-msg-' + entry.from + ' hl-state-' + entry.state,
        'data-testid': 'hotline-msg',
        'data-from': entry.from,
        'data-state': entry.state,
        'data-seq': Number.isFinite(entry.seq) ? entry.seq : null,
        'data-client-msg-id': entry.clientMsgId || null,
      });
      const who = t('from.' + entry.from);
      if (entry.from === 'person') node.appendChild(el('span', { className: 'hl-sr-only', text: who + ': ' }));
      else node.appendChild(el('span', { className: 'hl-msg-label', text: who }, entry.from === 'agent' ? [icon('check', 'hl-agent-mark')] : []));
      const bubble = el('div', { className: 'hl-bubble' });
      bubble.appendChild(entry.from === 'person' ? document.createTextNode(entry.label || entry.text) : linkify(entry.text));
      node.appendChild(bubble);
      (entry.images || []).forEach(function (url) {
        const link = el('a', { href: url, target: '_blank', rel: 'noopener noreferrer', className: 'hl-image' });
        link.appendChild(el('img', { src: url, alt: '', loading: 'lazy' }));
        node.appendChild(link);
      });
      node.appendChild(renderMeta(entry));
      if (entry.buttons) node.appendChild(renderQuickReplies(entry.buttons));
      return node;
    }

    function renderMeta(entry) {
      const meta = el('div', { className: 'hl-meta' });
      if (Number.isFinite(entry.at)) meta.appendChild(el('time', { datetime: new Date(entry.at).toISOString(), text: formatTime(entry.at) }));
      if (entry.from !== 'person') return meta;
      const stateIcon = { pending: 'clock', sent: 'check', failed: 'alert' }[entry.state];
      meta.appendChild(el('span', { className: 'hl-state' }, [icon(stateIcon), document.createTextNode(t('state.' + entry.state))]));
      if (entry.state === 'failed') {
        const edit = el('button', { type: 'button', className: 'hl-edit', text: t('msg.edit') });
        edit.addEventListener('click', function () {
          editFailed(entry);
        });
        meta.appendChild(edit);
      }
      return meta;
    }

    function renderQuickReplies(buttons) {
      const group = el('div', { className: 'hl-quick', role: 'group', 'aria-label': t('quickReplies.label') });
      buttons.forEach(function (b) {
        const button = el('button', { type: 'button', className: 'hl-quick-btn', 'data-testid': 'hotline-quick-reply', 'data-value': b.value, text: b.label });
        button.addEventListener('click', function () {
          clearError();
          sendText(b.value, b.label);
          v.input.focus();
        });
        group.appendChild(button);
      });
      return group;
    }

    return v;
  }

  // ---------- open / close / locale ----------

  function open() {
    if (view.open) return;
    view.open = true;
    view.panel.hidden = false;
    view.root.setAttribute('data-open', 'true');
    view.launcher.setAttribute('aria-expanded', 'true');
    view.setUnread(0);
    view.onInputChanged();
    view.scrollToBottom();
    connect();
    if (window.matchMedia && window.matchMedia('(max-width: 480px)').matches) view.messages.focus({ preventScroll: true });
    else view.input.focus({ preventScroll: true });
  }

  function close() {
    if (!view.open) return;
    const hadFocus = view.panel.contains(document.activeElement);
    view.open = false;
    view.panel.hidden = true;
    view.root.setAttribute('data-open', 'false');
    view.launcher.setAttribute('aria-expanded', 'false');
    view.setUnread(0);
    if (hadFocus) view.launcher.focus();
  }

  function setLocale(value) {
    const next = pickLocale(value);
    if (!next) return;
    const changed = next !== locale;
    locale = next;
    state.locale = next;
    saveState();
    view.applyStrings();
    if (changed) syncLocale();
    if (changed) window.dispatchEvent(new CustomEvent('hotline:localechange', { detail: { locale: next } }));
  }

  function wireEvents() {
    view.launcher.addEventListener('click', function () {
      if (view.open) close();
      else open();
    });
    view.minimize.addEventListener('click', close);
    view.locate.addEventListener('click', shareLocation);
    view.attach.addEventListener('click', function () {
      view.fileInput.click();
    });
    view.fileInput.addEventListener('change', function () {
      attachFile(view.fileInput.files && view.fileInput.files[0]);
    });
    view.lang.addEventListener('click', function () {
      setLocale(locale === 'vi' ? 'en' : 'vi');
    });
    view.retryButton.addEventListener('click', retryNow);
    view.errorClose.addEventListener('click', function () {
      clearError();
    });
    view.form.addEventListener('submit', function (ev) {
      ev.preventDefault();
      submitInput();
    });
    view.input.addEventListener('input', view.onInputChanged);
    view.input.addEventListener('keydown', function (ev) {
      if (ev.key !== 'Enter' || ev.shiftKey || ev.isComposing || ev.keyCode === 229) return;
      ev.preventDefault();
      submitInput();
    });
    view.panel.addEventListener('keydown', function (ev) {
      if (ev.key === 'Escape') close();
    });
    window.addEventListener('online', retryNow);
    window.addEventListener('offline', function () {
      if (!isSocketActive()) setStatus('offline');
    });
    document.addEventListener('visibilitychange', function () {
      if (document.visibilityState === 'visible' && conn.retryTimer) retryNow();
    });
  }

  function start() {
    locale = state.locale || pickLocale(scriptAttr('data-locale')) || pickLocale(document.documentElement.getAttribute('lang')) || 'vi';
    document.body.appendChild(view.root);
    wireEvents();
    view.applyStrings();
    if (storedTooLong) saveState();
    if (hasUsableSession() && state.history.length) connect();
  }

  window.HotlineWidget = { open: open, close: close, setLocale: setLocale };

  if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', start);
  else start();
}());
