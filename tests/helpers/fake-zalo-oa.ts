// A local stand-in for Zalo's OA Open API and OAuth server, speaking the same protocol:
//   POST /v3.0/oa/message/cs     header access_token → {error:0, message:"Success", data:{message_id, user_id}}
//   POST /v2.0/oa/upload/image   header access_token, multipart "file" → {error:0, data:{attachment_id}}
//   POST /v4/oa/access_token     header secret_key, form refresh_token/app_id/grant_type
//                                → {access_token, refresh_token, expires_in:"90000"}, refresh tokens single-use
//   GET  /files/<name>           images a test serves for the hotline to download and re-upload
// It records every request, and can be told to fail (HTTP 5xx, Zalo error codes, slow answers).
// It also signs webhook events the way Zalo does, for posting them to the hotline.
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { zaloMac } from '../../bots/zalo-oa/signature';

export type Endpoint = 'cs' | 'upload' | 'oauth';

export interface Failure {
  /** A Zalo error code answered with HTTP 200 (e.g. -216, -32, -230). */
  error?: number;
  message?: string;
  /** An HTTP status with a non-JSON body (e.g. 502). */
  status?: number;
}

interface Rule {
  endpoint: Endpoint;
  failure: Failure;
  times: number;
  match?: (req: RecordedZaloRequest) => boolean;
}

export interface RecordedZaloRequest {
  endpoint: Endpoint | 'file' | 'other';
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** JSON body for cs, form fields for oauth, {filename, type, size} for upload. */
  body: any;
  /** What the fake answered: 'ok' or the failure. */
  outcome?: 'ok' | Failure;
}

export interface SentCsMessage {
  msgId: string;
  userId: string;
  text?: string;
  buttons?: Array<{ title: string; type: string; payload: unknown }>;
  attachmentId?: string;
  accessToken: string;
}

export interface FakeZaloOa {
  /** Base for ZALO_OA_API_BASE and ZALO_OAUTH_BASE (one server speaks both). */
  baseUrl: string;
  requests: RecordedZaloRequest[];
  /** Customer-service messages the fake accepted, in order. */
  sent: SentCsMessage[];
  uploads: Array<{ attachmentId: string; filename: string; type: string; size: number }>;
  /** Successful OAuth refreshes, in order. */
  refreshes: Array<{ oldRefreshToken: string; accessToken: string; refreshToken: string }>;
  /** Answers the next `times` matching calls to `endpoint` with `failure`. */
  fail(endpoint: Endpoint, failure: Failure, times?: number, match?: (req: RecordedZaloRequest) => boolean): void;
  /** Makes every access token issued so far invalid (Zalo answers -216). */
  expireAccessTokens(): void;
  /** Delays OAuth answers (to hold a refresh in flight). */
  oauthDelayMs: number;
  /** Current valid tokens. */
  validAccessTokens: Set<string>;
  validRefreshTokens: Set<string>;
  /** Serves bytes at /files/<name>; returns the URL. */
  serveFile(name: string, bytes: Buffer, type: string): string;
  close(): Promise<void>;
}

export interface FakeZaloOptions {
  appId: string;
  appSecret: string;
  accessTokens?: string[];
  refreshTokens?: string[];
}

export async function startFakeZaloOa(opts: FakeZaloOptions): Promise<FakeZaloOa> {
  const rules: Rule[] = [];
  const files = new Map<string, { bytes: Buffer; type: string }>();
  let counter = 0;
  const fake: FakeZaloOa = {
    baseUrl: '',
    requests: [],
    sent: [],
    uploads: [],
    refreshes: [],
    oauthDelayMs: 0,
    validAccessTokens: new Set(opts.accessTokens ?? []),
    validRefreshTokens: new Set(opts.refreshTokens ?? []),
    fail(endpoint, failure, times = 1, match) {
      rules.push({ endpoint, failure, times, match });
    },
    expireAccessTokens() {
      fake.validAccessTokens.clear();
    },
    serveFile(name, bytes, type) {
      files.set(name, { bytes, type });
      return `${fake.baseUrl}/files/${encodeURIComponent(name)}`;
    },
    close: async () => undefined,
  };

  function scripted(record: RecordedZaloRequest): Failure | null {
    const rule = rules.find((r) => r.endpoint === record.endpoint && r.times > 0 && (!r.match || r.match(record)));
    if (!rule) return null;
    rule.times -= 1;
    return rule.failure;
  }

  function answerFailure(res: ServerResponse, record: RecordedZaloRequest, failure: Failure): void {
    record.outcome = failure;
    if (failure.status) {
      res.writeHead(failure.status, { 'content-type': 'text/html' });
      res.end('<html>Bad Gateway</html>');
      return;
    }
    // Zalo reports its errors with HTTP 200.
    sendJson(res, 200, { error: failure.error ?? -1, message: failure.message ?? `Scripted error ${failure.error}` });
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      void handle(Buffer.concat(chunks)).catch((err: Error) => {
        if (!res.headersSent) sendJson(res, 500, { error: -1, message: err.message });
      });
    });

    async function handle(raw: Buffer): Promise<void> {
      const path = (req.url ?? '').split('?')[0] ?? '';
      const method = req.method ?? '';
      if (method === 'GET' && path.startsWith('/files/')) {
        fake.requests.push({ endpoint: 'file', method, path, headers: req.headers, body: undefined });
        const file = files.get(decodeURIComponent(path.slice('/files/'.length)));
        if (!file) return sendJson(res, 404, { error: 'not found' });
        res.writeHead(200, { 'content-type': file.type, 'content-length': file.bytes.length });
        res.end(file.bytes);
        return;
      }
      if (method === 'POST' && path === '/v3.0/oa/message/cs') return cs(raw, path);
      if (method === 'POST' && path === '/v2.0/oa/upload/image') return upload(raw, path);
      if (method === 'POST' && path === '/v4/oa/access_token') return oauth(raw, path);
      fake.requests.push({ endpoint: 'other', method, path, headers: req.headers, body: raw.toString('utf8') });
      sendJson(res, 404, { error: -1, message: `No route ${method} ${path}` });
    }

    function cs(raw: Buffer, path: string): void {
      let body: any;
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        body = null;
      }
      const record: RecordedZaloRequest = { endpoint: 'cs', method: 'POST', path, headers: req.headers, body };
      fake.requests.push(record);
      const token = String(req.headers.access_token ?? '');
      if (!fake.validAccessTokens.has(token)) return answerFailure(res, record, { error: -216, message: 'Access token is invalid' });
      const failure = scripted(record);
      if (failure) return answerFailure(res, record, failure);
      const userId = body?.recipient?.user_id;
      const message = body?.message;
      if (typeof userId !== 'string' || !message || typeof message !== 'object') {
        return answerFailure(res, record, { error: -201, message: 'Parameters are invalid' });
      }
      if (typeof message.text === 'string' && [...message.text].length > 2000) {
        return answerFailure(res, record, { error: -210, message: 'Text is too long' });
      }
      const payload = message.attachment?.payload;
      counter += 1;
      const msgId = `zmsg${String(counter).padStart(6, '0')}f00dcafe`;
      fake.sent.push({
        msgId,
        userId,
        text: message.text,
        buttons: payload?.buttons,
        attachmentId: payload?.elements?.[0]?.attachment_id,
        accessToken: token,
      });
      record.outcome = 'ok';
      sendJson(res, 200, { data: { message_id: msgId, user_id: userId }, error: 0, message: 'Success' });
    }

    async function upload(raw: Buffer, path: string): Promise<void> {
      const form = await new Request('http://fake/upload', {
        method: 'POST',
        headers: { 'content-type': String(req.headers['content-type'] ?? '') },
        body: new Uint8Array(raw),
      })
        .formData()
        .catch(() => null);
      const file = form?.get('file');
      const body = file && typeof file !== 'string' ? { filename: file.name, type: file.type, size: file.size } : null;
      const record: RecordedZaloRequest = { endpoint: 'upload', method: 'POST', path, headers: req.headers, body };
      fake.requests.push(record);
      if (!fake.validAccessTokens.has(String(req.headers.access_token ?? ''))) {
        return answerFailure(res, record, { error: -216, message: 'Access token is invalid' });
      }
      const failure = scripted(record);
      if (failure) return answerFailure(res, record, failure);
      if (!body) return answerFailure(res, record, { error: -201, message: 'Parameters are invalid: file is required' });
      counter += 1;
      const attachmentId = `att${counter}`;
      fake.uploads.push({ attachmentId, ...body });
      record.outcome = 'ok';
      sendJson(res, 200, { data: { attachment_id: attachmentId }, error: 0, message: 'Success' });
    }

    async function oauth(raw: Buffer, path: string): Promise<void> {
      const form = Object.fromEntries(new URLSearchParams(raw.toString('utf8')));
      const record: RecordedZaloRequest = { endpoint: 'oauth', method: 'POST', path, headers: req.headers, body: form };
      fake.requests.push(record);
      if (fake.oauthDelayMs > 0) await new Promise((r) => setTimeout(r, fake.oauthDelayMs));
      const failure = scripted(record);
      if (failure) return answerFailure(res, record, failure);
      if (req.headers.secret_key !== opts.appSecret || form.app_id !== opts.appId) {
        record.outcome = { error: -14002 };
        return sendJson(res, 200, { error_name: 'Invalid parameter', error_description: 'Invalid app_id or secret_key', error: -14002 });
      }
      if (form.grant_type !== 'refresh_token' || !form.refresh_token || !fake.validRefreshTokens.has(form.refresh_token)) {
        record.outcome = { error: -14014 };
        return sendJson(res, 200, { error_name: 'Invalid parameter', error_description: 'Invalid refresh token', error: -14014 });
      }
      // Refresh tokens are single-use: the one just spent is gone.
      fake.validRefreshTokens.delete(form.refresh_token);
      counter += 1;
      const accessToken = `at-${counter}`;
      const refreshToken = `rt-${counter}`;
      fake.validAccessTokens.add(accessToken);
      fake.validRefreshTokens.add(refreshToken);
      fake.refreshes.push({ oldRefreshToken: form.refresh_token, accessToken, refreshToken });
      record.outcome = 'ok';
      sendJson(res, 200, { access_token: accessToken, refresh_token: refreshToken, expires_in: '90000' });
    }
  });

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  fake.baseUrl = `http://127.0.0.1:${port}`;
  fake.close = () =>
    new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    });
  return fake;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

// ---- webhook events, signed as Zalo signs them ----

export interface Signer {
  appId: string;
  secretKey: string;
}

/** Posts a raw webhook body to the hotline with Zalo's signature (or the given header). */
export async function postZaloEvent(
  hotlineUrl: string,
  raw: string,
  signer: Signer,
  opts: { signature?: string | null } = {},
): Promise<{ status: number; body: any }> {
  let signature = opts.signature;
  if (signature === undefined) {
    const parsed = JSON.parse(raw) as { app_id?: unknown; timestamp?: unknown };
    signature = `mac=${zaloMac(String(parsed.app_id ?? signer.appId), raw, String(parsed.timestamp ?? ''), signer.secretKey)}`;
  }
  const res = await fetch(`${hotlineUrl}/webhooks/zalo-oa`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(signature !== null ? { 'x-zevent-signature': signature } : {}) },
    body: raw,
  });
  const text = await res.text();
  let body: unknown = text;
  try {
    body = JSON.parse(text);
  } catch {
    // keep text
  }
  return { status: res.status, body };
}

let eventCounter = 0;

/** A user_send_* event as Zalo sends it. Sender ids are strings; pass bigIdAsNumber to send it as a bare JSON number. */
export function userEvent(
  appId: string,
  eventName: string,
  userId: string,
  message: Record<string, unknown>,
  opts: { bigIdAsNumber?: boolean; timestamp?: string } = {},
): string {
  eventCounter += 1;
  const body = {
    app_id: appId,
    user_id_by_app: `552177279717587730${eventCounter % 10}`,
    event_name: eventName,
    timestamp: opts.timestamp ?? String(Date.now()),
    sender: { id: opts.bigIdAsNumber ? '__SENDER__' : userId },
    recipient: { id: '579745863508352884' },
    message: { msg_id: `m${Date.now().toString(16)}${eventCounter}`, ...message },
  };
  const json = JSON.stringify(body);
  return opts.bigIdAsNumber ? json.replace('"__SENDER__"', userId) : json;
}

export function followEvent(appId: string, eventName: 'follow' | 'unfollow', userId: string): string {
  return JSON.stringify({
    app_id: appId,
    oa_id: '579745863508352884',
    user_id_by_app: '5521772797175877301',
    event_name: eventName,
    timestamp: String(Date.now()),
    source: 'oa_profile',
    follower: { id: userId },
  });
}

export function receiptEvent(appId: string, eventName: 'user_received_message' | 'user_seen_message', userId: string, msgIds: string[]): string {
  return JSON.stringify({
    app_id: appId,
    event_name: eventName,
    timestamp: String(Date.now()),
    sender: { id: '579745863508352884' },
    recipient: { id: userId },
    message: eventName === 'user_seen_message' ? { msg_ids: msgIds } : { msg_id: msgIds[0], delivery_time: String(Date.now()) },
  });
}

/** A tiny valid PNG (1×1). */
export const PNG_1X1 = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
  'base64',
);
