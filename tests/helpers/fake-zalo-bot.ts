// A local stand-in for the Zalo Bot API (bot-api.zaloplatforms.com) speaking its protocol:
// POST /bot<TOKEN>/<method> with a JSON body, answers `{ ok: true, result }` or
// `{ ok: false, error_code, description }`. getUpdates is a real long poll (held open until an
// update is queued or `timeout` seconds pass, then error_code 408), refused while a webhook is set,
// as the documentation says. Tests script failures per method and read what was sent.
import { randomBytes } from 'node:crypto';
import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedCall {
  method: string;
  body: Record<string, any>;
  /** When the request arrived (Date.now()). */
  at: number;
  /** What the fake answered (HTTP status and the envelope), 'network' when it cut the connection, null while held open. */
  answer: { status: number; body: unknown } | 'network' | null;
}

export interface Failure {
  /** HTTP status of the answer (default: error_code when it is an HTTP-like code, else 200). */
  status?: number;
  errorCode?: number;
  description?: string;
  /** Seconds, in `parameters.retry_after` (Telegram-style; the Zalo docs list no rate-limit shape). */
  retryAfter?: number;
  /** Close the connection without answering. */
  network?: boolean;
  /** Only for requests whose body matches, e.g. one chat. */
  when?: (body: Record<string, any>) => boolean;
  /** How many requests it applies to (default 1; Infinity for always). */
  times?: number;
}

export interface FakeZaloBot {
  /** What to give the hotline as ZALO_BOT_API_BASE. */
  apiBase: string;
  token: string;
  calls: RecordedCall[];
  /** The webhook registered with setWebhook, if any. */
  webhook: { url: string; secret_token: string } | null;
  /** Answers the next matching calls of `method` with a failure. */
  fail(method: string, failure: Failure): void;
  /** Queues an update for getUpdates (handed out once, like the real API). */
  queueUpdate(update: unknown): void;
  /** Successful calls of `method` (optionally to one chat). */
  accepted(method: string, chatId?: string): RecordedCall[];
  /** Texts accepted by sendMessage for a chat, in order. */
  textsTo(chatId: string): string[];
  close(): Promise<void>;
}

const MAX_HOLD_MS = 60_000;

export async function startFakeZaloBot(opts: { token?: string } = {}): Promise<FakeZaloBot> {
  const token = opts.token ?? `1234567890:${randomBytes(12).toString('hex')}`;
  const calls: RecordedCall[] = [];
  const failures: Array<{ method: string; failure: Failure; left: number }> = [];
  const updates: unknown[] = [];
  const waiting = new Set<{ res: ServerResponse; timer: NodeJS.Timeout; call: RecordedCall }>();
  let webhook: FakeZaloBot['webhook'] = null;

  function answer(res: ServerResponse, call: RecordedCall, status: number, body: unknown): void {
    call.answer = { status, body };
    if (res.destroyed) return;
    res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
  }
  const ok = (res: ServerResponse, call: RecordedCall, result: unknown) => answer(res, call, 200, { ok: true, result });
  const refuse = (res: ServerResponse, call: RecordedCall, errorCode: number, description: string, status = errorCode) =>
    answer(res, call, status, { ok: false, error_code: errorCode, description });

  function handOut(): void {
    for (const w of waiting) {
      if (updates.length === 0) return;
      waiting.delete(w);
      clearTimeout(w.timer);
      ok(w.res, w.call, updates.shift());
    }
  }

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      let body: Record<string, any> = {};
      try {
        body = raw ? (JSON.parse(raw) as Record<string, any>) : {};
      } catch {
        return void res.writeHead(400, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, error_code: 400, description: 'Invalid JSON' }));
      }
      const match = /^\/bot([^/]+)\/(\w+)$/.exec(req.url ?? '');
      const method = match?.[2] ?? '';
      const call: RecordedCall = { method, body, at: Date.now(), answer: null };
      calls.push(call);
      if (req.method !== 'POST' && req.method !== 'GET') return refuse(res, call, 405, 'Method not allowed');
      if (!match) return refuse(res, call, 404, 'Not Found');
      if (match[1] !== token) return refuse(res, call, 401, 'Unauthorized');

      const scripted = failures.find((f) => f.method === method && f.left > 0 && (!f.failure.when || f.failure.when(body)));
      if (scripted) {
        scripted.left--;
        const f = scripted.failure;
        if (f.network) {
          call.answer = 'network';
          return void res.destroy();
        }
        const code = f.errorCode ?? 500;
        return answer(res, call, f.status ?? (code >= 100 && code < 600 ? code : 200), {
          ok: false,
          error_code: code,
          description: f.description ?? 'Scripted failure',
          ...(f.retryAfter !== undefined ? { parameters: { retry_after: f.retryAfter } } : {}),
        });
      }

      const sent = () => ({ message_id: randomBytes(10).toString('hex'), date: Date.now() });
      switch (method) {
        case 'getMe':
          return ok(res, call, { id: '1459232241454765289', account_name: 'bot.Hotline', account_type: 'BASIC', can_join_groups: false });
        case 'sendMessage': {
          const text = body.text;
          if (typeof body.chat_id !== 'string' || !body.chat_id) return refuse(res, call, 400, 'chat_id is required');
          if (typeof text !== 'string' || [...text].length < 1 || [...text].length > 2000) return refuse(res, call, 400, 'text must be 1 to 2000 characters');
          return ok(res, call, sent());
        }
        case 'sendPhoto':
          if (typeof body.chat_id !== 'string' || typeof body.photo !== 'string') return refuse(res, call, 400, 'chat_id and photo are required');
          return ok(res, call, sent());
        case 'sendChatAction':
          return answer(res, call, 200, { ok: true });
        case 'setWebhook':
          if (typeof body.url !== 'string' || !body.url.startsWith('https://')) return refuse(res, call, 400, 'url must be HTTPS');
          if (typeof body.secret_token !== 'string' || body.secret_token.length < 8 || body.secret_token.length > 256) {
            return refuse(res, call, 400, 'secret_token must be 8 to 256 characters');
          }
          webhook = { url: body.url, secret_token: body.secret_token };
          return ok(res, call, { url: body.url, updated_at: Date.now() });
        case 'deleteWebhook':
          webhook = null;
          return ok(res, call, { url: '', updated_at: Date.now() });
        case 'getWebhookInfo':
          return ok(res, call, { url: webhook?.url ?? '', updated_at: Date.now() });
        case 'getUpdates': {
          if (webhook) return refuse(res, call, 409, 'Conflict: webhook is active; use deleteWebhook first');
          if (updates.length > 0) return ok(res, call, updates.shift());
          const holdMs = Math.min(MAX_HOLD_MS, Math.max(0, Number(body.timeout ?? 30)) * 1000);
          const w = {
            res,
            call,
            timer: setTimeout(() => {
              waiting.delete(w);
              refuse(res, call, 408, 'Request timeout', 200);
            }, holdMs),
          };
          waiting.add(w);
          // The client gave up (shutdown): forget the poll, keep the update for the next one.
          res.on('close', () => {
            if (waiting.delete(w)) clearTimeout(w.timer);
          });
          return;
        }
        default:
          return refuse(res, call, 404, `Unknown method ${method}`);
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  const accepted = (method: string, chatId?: string) =>
    calls.filter((c) => c.method === method && c.answer !== null && c.answer !== 'network' && (c.answer.body as { ok?: boolean }).ok === true && (chatId === undefined || c.body.chat_id === chatId));

  return {
    apiBase: `http://127.0.0.1:${port}`,
    token,
    calls,
    get webhook() {
      return webhook;
    },
    fail(method, failure) {
      failures.push({ method, failure, left: failure.times ?? 1 });
    },
    queueUpdate(update) {
      updates.push(update);
      handOut();
    },
    accepted,
    textsTo: (chatId) => accepted('sendMessage', chatId).map((c) => String(c.body.text)),
    async close() {
      for (const w of waiting) {
        clearTimeout(w.timer);
        w.res.destroy();
      }
      waiting.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  } as FakeZaloBot;
}

let counter = 0;
const hexId = () => `${(Date.now() + counter++).toString(16)}${randomBytes(7).toString('hex')}`.slice(0, 20);

/** Updates in the documented webhook shape (flat; wrap with `wrapped()` for the `{ ok, result }` form). */
export const zaloUpdate = {
  text(chatId: string, text: string, opts: { messageId?: string; name?: string } = {}) {
    return {
      event_name: 'message.text.received',
      message: {
        message_id: opts.messageId ?? hexId(),
        text,
        chat: { id: chatId, chat_type: 'PRIVATE' },
        from: { id: chatId, display_name: opts.name ?? 'Nguyễn Văn A', is_bot: false },
        date: Date.now(),
      },
    };
  },
  image(chatId: string, photoUrl: string, caption?: string, opts: { messageId?: string } = {}) {
    return {
      event_name: 'message.image.received',
      message: {
        message_id: opts.messageId ?? hexId(),
        photo_url: photoUrl,
        ...(caption !== undefined ? { caption } : {}),
        chat: { id: chatId, chat_type: 'PRIVATE' },
        from: { id: chatId, display_name: 'Nguyễn Văn A', is_bot: false },
        date: Date.now(),
      },
    };
  },
  sticker(chatId: string, opts: { messageId?: string } = {}) {
    return {
      event_name: 'message.sticker.received',
      message: {
        message_id: opts.messageId ?? hexId(),
        sticker: 'bfe458bf64fa8da4d4eb',
        url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=46991&size=130',
        chat: { id: chatId, chat_type: 'PRIVATE' },
        from: { id: chatId, display_name: 'Nguyễn Văn A', is_bot: false },
        date: Date.now(),
      },
    };
  },
  unsupported(chatId: string, opts: { messageId?: string } = {}) {
    return {
      event_name: 'message.unsupported.received',
      message: {
        message_id: opts.messageId ?? hexId(),
        chat: { id: chatId, chat_type: 'PRIVATE' },
        from: { id: chatId, display_name: 'Nguyễn Văn A', is_bot: false },
        date: Date.now(),
      },
    };
  },
};

export const wrapped = (update: unknown) => ({ ok: true, result: update });

/** A fresh chat id in the platform's style (20 hex characters). */
export const newChatId = () => randomBytes(10).toString('hex');

/** Delivers a webhook the way the platform does: JSON body, secret in X-Bot-Api-Secret-Token. */
export async function postZaloBotWebhook(
  baseUrl: string,
  body: unknown,
  secret: string | undefined,
): Promise<{ status: number; body: any }> {
  const res = await fetch(`${baseUrl}/webhooks/zalo-bot`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(secret !== undefined ? { 'x-bot-api-secret-token': secret } : {}) },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    /* not JSON */
  }
  return { status: res.status, body: parsed };
}
