// A local Telegram Bot API: POST /bot<TOKEN>/<method> with a JSON body, answered with the Bot
// API's envelope {ok, result} or {ok: false, error_code, description, parameters}
// (https://core.telegram.org/bots/api#making-requests). It records every call and can be told to
// fail the next calls of a method (429 with retry_after, 403 blocked, 400, 500), and serves
// getUpdates (long polling) from updates a test pushes. Files a test adds are answered by getFile
// and downloaded from GET /file/bot<TOKEN>/<file_path>, as from Telegram's file server (the
// download is recorded as method "file" and can be failed like a method).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export const FAKE_BOT = { id: 7000000001, is_bot: true, first_name: 'Hotline 1022', username: 'hotline1022_bot' } as const;

export interface RecordedCall {
  /** When the fake received it (ms since the epoch). */
  at: number;
  method: string;
  body: Record<string, unknown>;
  /** What the fake answered. */
  status: number;
  ok: boolean;
  /** For sendMessage/sendPhoto accepted: the message id given. */
  messageId?: number;
}

/** Telegram lets bots download files up to 20 MB; getFile refuses bigger ones. */
export const BOT_DOWNLOAD_LIMIT = 20 * 1024 * 1024;

interface FakeFile {
  path: string;
  content: Buffer;
  /** What getFile reports (defaults to the content's length); over the limit, getFile refuses. */
  size: number;
}

interface Failure {
  status: number;
  body: Record<string, unknown>;
  times: number;
  /** Fail only calls whose body matches (e.g. only the second text part). */
  when?: (body: Record<string, unknown>) => boolean;
}

export const FAILURES = {
  tooManyRequests: (retryAfterSeconds: number) => ({
    status: 429,
    body: {
      ok: false,
      error_code: 429,
      description: `Too Many Requests: retry after ${retryAfterSeconds}`,
      parameters: { retry_after: retryAfterSeconds },
    },
  }),
  blocked: () => ({ status: 403, body: { ok: false, error_code: 403, description: 'Forbidden: bot was blocked by the user' } }),
  chatNotFound: () => ({ status: 400, body: { ok: false, error_code: 400, description: 'Bad Request: chat not found' } }),
  serverError: () => ({ status: 500, body: { ok: false, error_code: 500, description: 'Internal Server Error' } }),
};

export class FakeTelegram {
  readonly calls: RecordedCall[] = [];
  private readonly failures = new Map<string, Failure[]>();
  private readonly nextMessageId = new Map<string, number>();
  private readonly files = new Map<string, FakeFile>();
  private updates: string[] = [];
  private pollers: Array<() => void> = [];
  private server!: Server;
  url = '';

  constructor(readonly token = '123456:TEST-token') {}

  static async start(token?: string): Promise<FakeTelegram> {
    const fake = new FakeTelegram(token);
    fake.server = createServer((req, res) => void fake.route(req, res));
    await new Promise<void>((resolve) => fake.server.listen(0, '127.0.0.1', resolve));
    fake.url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    this.releasePollers();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  /** The next `times` calls of `method` (matching `when`) fail with this answer. */
  fail(method: string, failure: { status: number; body: Record<string, unknown> }, times = 1, when?: Failure['when']): void {
    const list = this.failures.get(method) ?? [];
    list.push({ ...failure, times, when });
    this.failures.set(method, list);
  }

  clearFailures(): void {
    this.failures.clear();
  }

  /** Queues an update for getUpdates; a string is sent as is (to keep big ids as written). */
  pushUpdate(update: object | string): void {
    this.updates.push(typeof update === 'string' ? update : JSON.stringify(update));
    this.releasePollers();
  }

  /** A file people may send: getFile(fileId) answers `path`, and the download serves `content`. */
  addFile(fileId: string, file: { path: string; content: Buffer; size?: number }): void {
    this.files.set(fileId, { ...file, size: file.size ?? file.content.length });
  }

  callsOf(method: string): RecordedCall[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Messages the fake accepted (text and photos), optionally for one chat. */
  sent(chatId?: string): RecordedCall[] {
    return this.calls.filter(
      (c) => c.ok && (c.method === 'sendMessage' || c.method === 'sendPhoto') && (chatId === undefined || String(c.body.chat_id) === chatId),
    );
  }

  private async route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const download = /^\/file\/bot([^/]+)\/(.+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (download) return this.download(download[1]!, decodeURIComponent(download[2]!), res);
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec((req.url ?? '').split('?')[0] ?? '');
    if (!match) return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    const [, token, method] = match as unknown as [string, string, string];
    if (token !== this.token) return this.answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    const raw = Buffer.concat(chunks).toString('utf8');
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return this.answer(res, 400, { ok: false, error_code: 400, description: 'Bad Request: body is not JSON' });
    }
    const failure = this.takeFailure(method, body);
    if (failure) {
      this.calls.push({ at: Date.now(), method, body, status: failure.status, ok: false });
      return this.answer(res, failure.status, failure.body);
    }
    if (method === 'getUpdates') return this.getUpdates(body, res);
    if (method === 'getFile') return this.getFile(body, res);
    const result = this.result(method, body);
    if (result === undefined) {
      this.calls.push({ at: Date.now(), method, body, status: 404, ok: false });
      return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found: method not found' });
    }
    const messageId = (result as { message_id?: number }).message_id;
    this.calls.push({ at: Date.now(), method, body, status: 200, ok: true, messageId });
    return this.answer(res, 200, { ok: true, result });
  }

  private result(method: string, body: Record<string, unknown>): unknown {
    switch (method) {
      case 'getMe':
        return FAKE_BOT;
      case 'sendMessage':
      case 'sendPhoto': {
        const chatId = String(body.chat_id);
        const id = (this.nextMessageId.get(chatId) ?? 1000) + 1;
        this.nextMessageId.set(chatId, id);
        return {
          message_id: id,
          date: Math.floor(Date.now() / 1000),
          chat: { id: chatId, type: 'private' },
          from: FAKE_BOT,
          ...(method === 'sendMessage' ? { text: body.text } : { photo: [{ file_id: 'sent-photo', width: 1, height: 1 }] }),
          ...(body.reply_markup ? { reply_markup: body.reply_markup } : {}),
        };
      }
      case 'answerCallbackQuery':
      case 'setWebhook':
      case 'deleteWebhook':
        return true;
      default:
        return undefined;
    }
  }

  /** https://core.telegram.org/bots/api#getfile, with the errors Telegram gives for unknown and big files. */
  private getFile(body: Record<string, unknown>, res: ServerResponse): void {
    const fileId = String(body.file_id ?? '');
    const file = this.files.get(fileId);
    const refuse = (description: string) => {
      this.calls.push({ at: Date.now(), method: 'getFile', body, status: 400, ok: false });
      this.answer(res, 400, { ok: false, error_code: 400, description });
    };
    if (!file) return refuse('Bad Request: invalid file_id');
    if (file.size > BOT_DOWNLOAD_LIMIT) return refuse('Bad Request: file is too big');
    this.calls.push({ at: Date.now(), method: 'getFile', body, status: 200, ok: true });
    this.answer(res, 200, { ok: true, result: { file_id: fileId, file_unique_id: `u-${fileId}`, file_size: file.size, file_path: file.path } });
  }

  private download(token: string, path: string, res: ServerResponse): void {
    const record = (status: number) => this.calls.push({ at: Date.now(), method: 'file', body: { path }, status, ok: status === 200 });
    if (token !== this.token) {
      record(401);
      return this.answer(res, 401, { ok: false, error_code: 401, description: 'Unauthorized' });
    }
    const failure = this.takeFailure('file', { path });
    if (failure) {
      record(failure.status);
      return this.answer(res, failure.status, failure.body);
    }
    const file = [...this.files.values()].find((f) => f.path === path);
    if (!file) {
      record(404);
      return this.answer(res, 404, { ok: false, error_code: 404, description: 'Not Found' });
    }
    record(200);
    // Telegram's file server labels most files application/octet-stream.
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': file.content.length });
    res.end(file.content);
  }

  private takeFailure(method: string, body: Record<string, unknown>): Failure | null {
    const list = this.failures.get(method);
    const failure = list?.find((f) => f.times > 0 && (!f.when || f.when(body)));
    if (!failure) return null;
    failure.times -= 1;
    return failure;
  }

  /** Long polling: answers at once when updates wait, else holds the request until one is pushed (briefly). */
  private getUpdates(body: Record<string, unknown>, res: ServerResponse): void {
    const offset = typeof body.offset === 'number' ? body.offset : 0;
    const pending = () => this.updates.filter((u) => (JSON.parse(u) as { update_id: number }).update_id >= offset);
    // Recorded when it arrives: a poll that is still held counts as made.
    this.calls.push({ at: Date.now(), method: 'getUpdates', body, status: 200, ok: true });
    // Asking with an offset confirms (and forgets) every earlier update, as Telegram does.
    this.updates = pending();
    const reply = () => {
      this.updates = pending();
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(`{"ok":true,"result":[${this.updates.join(',')}]}`);
    };
    if (pending().length > 0) return reply();
    const timer = setTimeout(() => done(), 200);
    const done = () => {
      clearTimeout(timer);
      this.pollers = this.pollers.filter((p) => p !== done);
      if (!res.writableEnded && !res.destroyed) reply();
    };
    this.pollers.push(done);
    // The client gave up (aborted on close): forget the held request.
    res.on('close', () => {
      clearTimeout(timer);
      this.pollers = this.pollers.filter((p) => p !== done);
    });
  }

  private releasePollers(): void {
    for (const p of [...this.pollers]) p();
  }

  private answer(res: ServerResponse, status: number, body: unknown): void {
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  }
}

/** Builders of Update payloads as the Bot API sends them (https://core.telegram.org/bots/api#update). */
export function privateChat(id: string | number, first = 'Lan', language_code = 'vi') {
  return {
    from: { id, is_bot: false, first_name: first, last_name: 'Nguyễn', language_code },
    chat: { id, type: 'private', first_name: first, last_name: 'Nguyễn' },
  };
}

export function textUpdate(update_id: number, chatId: string | number, message_id: number, text: string, extra: Record<string, unknown> = {}) {
  return { update_id, message: { message_id, date: 1767225600, ...privateChat(chatId), text, ...extra } };
}

/** A JSON body with the chat id written as a bare integer, as Telegram sends it (JSON.stringify would need a number). */
export function rawWithBareIds(update: object, ids: string[]): string {
  let json = JSON.stringify(update);
  for (const id of ids) json = json.split(`"${id}"`).join(id);
  return json;
}
