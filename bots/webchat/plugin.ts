// Web chat channel: sessions, the WebSocket, the embeddable widget and the demo page.
// Only this folder knows the web chat wire format; storing and understanding messages is src/'s job.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import type { WebSocket } from 'ws';
import type { Attachment, InboundMessage } from '../../src/channels/types';
import type { ChatBus } from '../../src/chat-bus/types';
import type { TokenSigner } from '../../src/auth/tokens';
import type { Limit } from '../../src/config';
import type { Db } from '../../src/db/database';
import { isLocale, LOCALES, readNamespace } from '../../src/i18n';
import type { KeyedLimiter } from '../../src/limits';
import { routeLimit } from '../../src/limits/http';
import { storableText } from '../../src/messages/storable';
import { cspWithInlineScripts } from '../../src/security';
import {
  createWebchatSession,
  findWebchatSession,
  outboundSince,
  setWebchatLocale,
  webchatTopic,
  type WebchatSession,
} from '../../src/webchat/sessions';
import { checkUpload, storeUpload, uploadAttachments, MAX_UPLOAD_BYTES, UPLOAD_TYPES } from '../../src/webchat/uploads';
import { parseClientFrame, type ClientFrame, type ErrorFrame, type LocaleSetFrame } from './protocol';
import { inProject } from '../../src/project-root';

export interface WebchatOptions {
  db: Db;
  bus: ChatBus;
  signer: TokenSigner;
  tokenTtlMs: number;
  maxMessageChars: number;
  limits: {
    /** New sessions per client address: generous, since a mobile carrier puts a whole ward behind one address. */
    sessionsPerIp: Limit;
    /** Open sockets of one token at once, on this node. */
    socketsPerToken: number;
    /** Messages of one token (session), on every socket and node together. */
    messages: KeyedLimiter;
  };
  /** Stores the message (and its work record) and returns its sequence number once committed. */
  receive(inbound: InboundMessage, conversationId: string): Promise<{ seq: number; duplicate: boolean }>;
}

const PUBLIC_DIR = inProject('bots', 'webchat', 'public');
const MAX_FRAME_BYTES = 64 * 1024;

const sessionBody = {
  type: 'object',
  additionalProperties: false,
  properties: { locale: { type: 'string', enum: [...LOCALES] } },
} as const;

const wsQuery = {
  type: 'object',
  required: ['token'],
  properties: {
    token: { type: 'string', minLength: 1, maxLength: 2000 },
    after: { type: 'integer', minimum: 0, default: 0 },
  },
} as const;

function widgetScript(): string {
  const strings = Object.fromEntries(LOCALES.map((l) => [l, readNamespace(l, 'widget')]));
  const source = readFileSync(path.join(PUBLIC_DIR, 'widget.js'), 'utf8');
  return `window.HOTLINE_WIDGET_STRINGS = ${JSON.stringify(strings)};\n${source}`;
}

export const webchatPlugin: FastifyPluginAsync<WebchatOptions> = async (app, opts) => {
  await app.register(websocket, {
    options: { maxPayload: MAX_FRAME_BYTES },
    // On shutdown every browser is told "going away" (1001), so the widget reconnects to the next
    // process at once instead of waiting for a silent socket to time out.
    preClose(this: FastifyInstance, done: () => void) {
      const clients = [...this.websocketServer.clients];
      for (const client of clients) client.close(1001, 'server shutting down');
      // A browser that does not answer the close (gone off the network) must not hold the exit.
      setTimeout(() => clients.forEach((c) => c.terminate()), CLOSE_GRACE_MS).unref();
      this.websocketServer.close();
      done();
    },
  });
  const widget = widgetScript();
  const demoPage = readFileSync(path.join(PUBLIC_DIR, 'index.html'), 'utf8');

  app.get('/', { schema: { hide: true }, helmet: cspWithInlineScripts(demoPage) }, async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(demoPage),
  );
  // Other sites embed the widget with <script src>: its script may be loaded from any origin.
  app.get('/widget.js', { schema: { hide: true }, helmet: { crossOriginResourcePolicy: { policy: 'cross-origin' } } }, async (_req, reply) =>
    reply.type('application/javascript; charset=utf-8').header('cache-control', 'public, max-age=300').send(widget),
  );

  // Sites embedding the widget call this from their own origin; the token (not a cookie) is the credential.
  app.options('/webchat/sessions', { schema: { hide: true } }, async (_req, reply) =>
    reply
      .header('access-control-allow-origin', '*')
      .header('access-control-allow-methods', 'POST')
      .header('access-control-allow-headers', 'content-type')
      .code(204)
      .send(),
  );
  app.post<{ Body: { locale?: 'vi' | 'en' } }>(
    '/webchat/sessions',
    {
      onRequest: routeLimit(app, {
        name: 'webchat-sessions-ip',
        limit: opts.limits.sessionsPerIp,
        message: (wait) => `Too many new chats from your address; try again in ${wait}.`,
      }),
      schema: {
        tags: ['webchat'],
        summary: 'Start a web chat session',
        body: sessionBody,
        response: {
          200: {
            type: 'object',
            properties: { sessionId: { type: 'string' }, token: { type: 'string' }, expiresAt: { type: 'string' } },
          },
        },
      },
    },
    async (req, reply) => {
      const locale = isLocale(req.body?.locale) ? req.body.locale : 'vi';
      const session = await createWebchatSession(opts.db, locale);
      const { token, expiresAt } = opts.signer.sign('webchat', session.sessionId, opts.tokenTtlMs);
      reply.header('access-control-allow-origin', '*');
      return { sessionId: session.sessionId, token, expiresAt: expiresAt.toISOString() };
    },
  );

  registerUploads(app, opts);
  registerSocket(app, opts);
};

/**
 * POST /webchat/uploads: the widget sends one file's bytes (body of its own content type, the
 * session token as a Bearer token, the file name in ?name=) and gets an uploadId to attach to its
 * next message frame. Only photos and PDF, at most MAX_UPLOAD_BYTES; anything else is refused with
 * a reason and nothing is kept.
 */
function registerUploads(app: FastifyInstance, opts: WebchatOptions): void {
  app.register(async (scope) => {
    scope.addContentTypeParser(UPLOAD_TYPES, { parseAs: 'buffer', bodyLimit: MAX_UPLOAD_BYTES }, (_req, body, done) => done(null, body));
    scope.options('/webchat/uploads', { schema: { hide: true } }, async (_req, reply) =>
      reply
        .header('access-control-allow-origin', '*')
        .header('access-control-allow-methods', 'POST')
        .header('access-control-allow-headers', 'content-type, authorization')
        .code(204)
        .send(),
    );
    scope.post<{ Querystring: { name?: string } }>(
      '/webchat/uploads',
      {
        bodyLimit: MAX_UPLOAD_BYTES,
        schema: {
          tags: ['webchat'],
          summary: 'Upload a photo (JPEG, PNG, WebP) or a PDF from the web chat, to attach to the next message',
          querystring: { type: 'object', properties: { name: { type: 'string', maxLength: 500 } } },
          response: {
            201: { type: 'object', properties: { uploadId: { type: 'string' }, type: { type: 'string', enum: ['image', 'file'] }, size: { type: 'integer' } } },
          },
        },
      },
      async (req, reply) => {
        reply.header('access-control-allow-origin', '*');
        const bearer = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
        const check = bearer ? opts.signer.verify(bearer, 'webchat') : null;
        if (!check?.ok) {
          return reply.code(401).send({ error: 'invalid_token', message: 'A valid chat session token is required (Authorization: Bearer <token>).' });
        }
        const contentType = (req.headers['content-type'] ?? '').split(';')[0]!.trim().toLowerCase();
        const bytes = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
        const verdict = checkUpload(contentType, bytes);
        if (!verdict.ok) {
          const status = verdict.reason === 'too_large' ? 413 : verdict.reason === 'unsupported_type' ? 415 : 400;
          return reply.code(status).send({ error: verdict.reason, message: verdict.message });
        }
        const allowed = await opts.limits.messages.take(check.claims.subject);
        if (!allowed.ok) {
          return reply
            .code(429)
            .header('retry-after', Math.ceil(allowed.retryAfterMs / 1000))
            .send({ error: 'rate_limited', message: 'Too many messages and files in a short time; try again shortly.' });
        }
        const { id } = await storeUpload(opts.db, check.claims.subject, { contentType, bytes, fileName: req.query.name });
        return reply.code(201).send({ uploadId: id, type: verdict.attachment, size: bytes.length });
      },
    );
  });
}

/** How long browsers get to answer the close frame on shutdown before their sockets are cut. */
const CLOSE_GRACE_MS = 2_000;

/** How often sockets read the database themselves while the chat bus cannot tell them of replies. */
const WATCH_INTERVAL_MS = 2_000;

/** Seconds a client refused for too many open sockets is asked to wait (one of them may close by then). */
const SOCKETS_RETRY_AFTER_S = 30;

function registerSocket(app: FastifyInstance, opts: WebchatOptions): void {
  const sockets = new Set<ChatSocket>();
  const watch = new BusWatch(opts.bus, sockets);
  app.addHook('onClose', async () => watch.stop());
  // Open sockets by session, counted from the check before the upgrade until the connection closes.
  const openSockets = new Map<string, number>();
  app.get<{ Querystring: { token: string; after: number } }>(
    '/webchat/ws',
    {
      websocket: true,
      schema: { hide: true, querystring: wsQuery },
      // Runs before the upgrade: a bad token gets a plain HTTP 401 and no socket.
      preValidation: async (req, reply) => {
        const token = (req.query as { token?: unknown }).token;
        const check = typeof token === 'string' ? opts.signer.verify(token, 'webchat') : null;
        if (!check?.ok) {
          const reason = check && !check.ok ? check.reason : 'missing';
          return reply.code(401).send({
            error: 'invalid_token',
            message:
              reason === 'expired'
                ? 'The chat session has expired: create a new one with POST /webchat/sessions.'
                : 'A valid chat session token is required: create one with POST /webchat/sessions.',
          });
        }
        const session = await findWebchatSession(opts.db, check.claims.subject);
        if (!session) {
          return reply.code(401).send({ error: 'invalid_token', message: 'Unknown chat session: create a new one.' });
        }
        const open = openSockets.get(session.sessionId) ?? 0;
        if (open >= opts.limits.socketsPerToken) {
          req.log.info({ limit: 'webchat-sockets-token' }, 'rate limited');
          return reply
            .code(429)
            .header('retry-after', SOCKETS_RETRY_AFTER_S)
            .send({
              error: 'rate_limited',
              message: `This chat is already open in ${open} places; close one of them (a tab or window) and try again.`,
            });
        }
        // Counted synchronously after the last await, so simultaneous connects cannot all slip under the cap.
        openSockets.set(session.sessionId, open + 1);
        let released = false;
        req.raw.socket.once('close', () => {
          if (released) return;
          released = true;
          const left = (openSockets.get(session.sessionId) ?? 1) - 1;
          if (left > 0) openSockets.set(session.sessionId, left);
          else openSockets.delete(session.sessionId);
        });
        (req as unknown as { webchat: { session: WebchatSession; expiresAt: number } }).webchat = {
          session,
          expiresAt: check.claims.expiresAt,
        };
      },
    },
    (socket, req) => {
      const { session, expiresAt } = (req as unknown as { webchat: { session: WebchatSession; expiresAt: number } }).webchat;
      const chat = new ChatSocket(socket, session, expiresAt, opts, req.log);
      sockets.add(chat);
      socket.on('close', () => sockets.delete(chat));
      chat.start(req.query.after);
    },
  );
}

/**
 * While the chat bus is down (Redis unreachable) sockets stay open: every few seconds each reads
 * its conversation from the database, and when the bus is back each subscribes again (if it had
 * no subscription) and reads once more, for replies published while nobody could hear them.
 */
class BusWatch {
  private readonly timer: NodeJS.Timeout;
  /** Ticks since the bus came back; sockets keep reading for one more tick while it resubscribes. */
  private liveTicks = 2;

  constructor(
    private readonly bus: ChatBus,
    private readonly sockets: Set<ChatSocket>,
  ) {
    this.timer = setInterval(() => this.tick(), WATCH_INTERVAL_MS);
    this.timer.unref();
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private tick(): void {
    this.liveTicks = this.bus.live ? this.liveTicks + 1 : 0;
    const busQuiet = this.liveTicks < 2;
    for (const socket of this.sockets) {
      if (this.bus.live && !socket.subscribed) socket.subscribe();
      if (busQuiet || socket.behind) socket.pull();
    }
  }
}

/**
 * One open browser socket. The database is the mailbox and the chat bus only rings the bell: an
 * event says "something new in this conversation", and the socket reads every outbound message
 * after the last one it sent, in seq order. Replies delivered by parallel workers may ring out of
 * order; reading from the database sends them in order, each once, live or after a reconnect.
 */
class ChatSocket {
  private lastSentSeq = 0;
  private unsubscribe: (() => Promise<void>) | null = null;
  private subscribing = false;
  private work: Promise<void> = Promise.resolve();
  private pulling: Promise<void> | null = null;
  private pullAgain = false;
  /** A read failed (database unreachable): the watch tries again. */
  behind = false;

  constructor(
    private readonly socket: WebSocket,
    private readonly session: WebchatSession,
    private readonly expiresAt: number,
    private readonly opts: WebchatOptions,
    private readonly log: FastifyInstance['log'],
  ) {}

  get subscribed(): boolean {
    return this.unsubscribe !== null;
  }

  private get open(): boolean {
    return this.socket.readyState === this.socket.OPEN;
  }

  start(after: number): void {
    this.lastSentSeq = after;
    this.socket.on('message', (data, isBinary) => {
      const raw = isBinary ? null : data.toString();
      this.work = this.work.then(() => this.onFrame(raw)).catch((err) => this.log.error({ err }, 'web chat frame failed'));
    });
    this.socket.on('close', () => {
      const unsubscribe = this.unsubscribe;
      this.unsubscribe = null;
      void unsubscribe?.().catch(() => undefined);
    });
    // Subscribe first, then read: whatever is committed after the read rings the bell.
    void this.subscribe().then(() => this.pull());
  }

  /** Subscribes to the conversation's events; on failure the socket stays open and the watch reads for it. */
  async subscribe(): Promise<void> {
    if (this.subscribing || this.unsubscribe || !this.open) return;
    this.subscribing = true;
    try {
      const unsubscribe = await this.opts.bus.subscribe(webchatTopic(this.session.conversationId), (event) => {
        if (typeof event.seq !== 'number' || event.seq > this.lastSentSeq) void this.pull();
      });
      if (this.open) this.unsubscribe = unsubscribe;
      else await unsubscribe();
    } catch (err) {
      this.log.warn({ err }, 'web chat: live updates unavailable; reading replies from the database meanwhile');
    } finally {
      this.subscribing = false;
    }
  }

  /** Sends every outbound message after the last one sent, in order; concurrent calls coalesce. */
  pull(): Promise<void> {
    if (this.pulling) {
      this.pullAgain = true;
      return this.pulling;
    }
    this.pulling = (async () => {
      do {
        this.pullAgain = false;
        if (!this.open) return;
        try {
          for (const frame of await outboundSince(this.opts.db, this.session.conversationId, this.lastSentSeq)) {
            if (frame.seq <= this.lastSentSeq) continue;
            this.lastSentSeq = frame.seq;
            this.send(frame);
          }
          this.behind = false;
        } catch (err) {
          if (!this.behind) this.log.warn({ err }, 'web chat: could not read replies; trying again shortly');
          this.behind = true;
        }
      } while (this.pullAgain);
    })().finally(() => {
      this.pulling = null;
    });
    return this.pulling;
  }

  private send(frame: object): void {
    if (this.open) this.socket.send(JSON.stringify(frame));
  }

  private error(code: ErrorFrame['code'], message: string, clientMsgId?: string): void {
    this.send({ type: 'error', code, message, ...(clientMsgId ? { clientMsgId } : {}) } satisfies ErrorFrame);
  }

  private async onFrame(raw: string | null): Promise<void> {
    if (raw === null) return this.error('bad_frame', 'Binary frames are not accepted; send JSON text frames.');
    const parsed = parseClientFrame(raw);
    if (!parsed.ok) return this.send(parsed.error);
    const frame = parsed.frame;
    if (frame.type === 'ping') return this.send({ type: 'pong' });
    if (Date.now() >= this.expiresAt) {
      this.error('token_expired', 'The chat session has expired; start a new one.', frame.type === 'message' ? frame.clientMsgId : undefined);
      return this.socket.close(4401, 'token expired');
    }
    if (frame.type === 'locale') return this.onLocale(frame);
    return this.onMessage(frame);
  }

  private async onLocale(frame: Extract<ClientFrame, { type: 'locale' }>): Promise<void> {
    // Each switch is a database write: it counts against the same allowance as messages.
    const allowed = await this.opts.limits.messages.take(this.session.sessionId);
    if (!allowed.ok) {
      return this.send({
        type: 'error',
        code: 'rate_limited',
        message: `Too many changes in a short time; try the language switch again in ${Math.ceil(allowed.retryAfterMs / 1000)} s.`,
        retryAfterMs: allowed.retryAfterMs,
      });
    }
    try {
      await setWebchatLocale(this.opts.db, this.session.sessionId, frame.locale);
    } catch (err) {
      this.log.error({ err }, 'could not store a web chat language switch');
      return this.error('unavailable', 'The language could not be saved right now; please try again.');
    }
    this.send({ type: 'locale_set', locale: frame.locale } satisfies LocaleSetFrame);
  }

  private async onMessage(frame: Extract<ClientFrame, { type: 'message' }>): Promise<void> {
    // NUL cannot be stored (PostgreSQL); it carries nothing a person meant to write.
    const text = storableText(frame.text).trim();
    const given = frame.attachments ?? [];
    const uploads = await uploadAttachments(
      this.opts.db,
      this.session.sessionId,
      given.flatMap((a) => (a.type === 'location' ? [] : [a.uploadId])),
    );
    if (uploads === null) {
      return this.error('unknown_upload', 'An attached file is not one this chat uploaded (POST /webchat/uploads first); nothing was stored.', frame.clientMsgId);
    }
    const attachments: Attachment[] = [];
    for (const a of given) attachments.push(a.type === 'location' ? { type: 'location', latitude: a.latitude, longitude: a.longitude } : uploads.shift()!);
    if (!text && attachments.length === 0) return this.error('empty_message', 'The message is empty.', frame.clientMsgId);
    if ([...text].length > this.opts.maxMessageChars) {
      const max = this.opts.maxMessageChars;
      return this.send({
        type: 'error',
        code: 'message_too_long',
        message: `The message is longer than ${max} characters; please shorten it or send it in parts.`,
        clientMsgId: frame.clientMsgId,
        max,
      });
    }
    const allowed = await this.opts.limits.messages.take(this.session.sessionId);
    if (!allowed.ok) {
      // Not stored: the widget keeps the message pending and sends it again after retryAfterMs.
      return this.send({
        type: 'error',
        code: 'rate_limited',
        message: `Too many messages in a short time; this one will be sent again in ${Math.ceil(allowed.retryAfterMs / 1000)} s.`,
        clientMsgId: frame.clientMsgId,
        retryAfterMs: allowed.retryAfterMs,
      });
    }
    try {
      const { seq } = await this.opts.receive(
        {
          channel: 'webchat',
          channelUserId: this.session.sessionId,
          externalId: `${this.session.sessionId}:${storableText(frame.clientMsgId)}`,
          text,
          attachments,
          sentAt: new Date(),
        },
        this.session.conversationId,
      );
      this.send({ type: 'ack', clientMsgId: frame.clientMsgId, seq });
    } catch (err) {
      this.log.error({ err }, 'could not store a web chat message');
      // No clientMsgId: the message stays pending in the browser, which re-sends it after reconnecting.
      this.error('unavailable', 'The message could not be saved right now; it will be sent again automatically.');
      this.socket.close(1013, 'try again later');
    }
  }
}
