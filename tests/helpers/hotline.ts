// Starts a whole hotline for a test on a free port, on a fresh database and (with REDIS_URL)
// its own Redis key prefix, and tears everything down after.
import { randomBytes } from 'node:crypto';
import pino from 'pino';
import WebSocket from 'ws';
import { createHotline, type Hotline, type HotlineOptions, type HotlineRole } from '../../src/app';
import { loadConfig } from '../../src/config';
import { fileTap } from '../../scripts/demo';
import { freshDatabase, type TestDatabase } from './databases';
import { hotlineCommand, type HotlineCommand } from '../../scripts/hotline-command';

export interface TestHotline {
  hotline: Hotline;
  baseUrl: string;
  wsUrl: string;
  env: Record<string, string>;
  /** Stops the hotline; keeps the database when `keepDatabase` (for restart tests). */
  stop(opts?: { keepDatabase?: boolean }): Promise<void>;
}

export interface StartOptions extends Omit<HotlineOptions, 'config'> {
  env?: Record<string, string>;
  /** Reuse this database (and its env) instead of a fresh one. */
  database?: TestDatabase;
}

/**
 * Node flags for a hotline a test starts in a process of its own (what it runs comes after: the
 * bundle of hotlineProcessCommand, or `--import tsx` and a fixture): the test run's WebAssembly
 * tier. scripts/test.cjs runs jest with --liftoff-only, which costs less CPU in a process that
 * opens PGlite and does little work; a child started without it cost a third more.
 */
export const CHILD_NODE_FLAGS: readonly string[] = process.execArgv.filter((flag) => flag === '--liftoff-only');

/**
 * How a test starts a hotline in a process of its own: as `npm start` runs it (the bundle, built
 * from the sources as they are now; scripts/hotline-command.ts), with CHILD_NODE_FLAGS first.
 */
export function hotlineProcessCommand(role?: HotlineRole): HotlineCommand {
  const command = hotlineCommand(role);
  return { args: [...CHILD_NODE_FLAGS, ...command.args], env: command.env };
}

export function testEnv(db: TestDatabase, extra: Record<string, string> = {}): Record<string, string> {
  return {
    NODE_ENV: 'test',
    PORT: '0',
    HOST: '127.0.0.1',
    LOG_LEVEL: 'silent',
    PUBLIC_URL: 'https://hotline.test',
    SEED_DEMO: 'true',
    QUEUE_PREFIX: `t${randomBytes(5).toString('hex')}`,
    ...(process.env.REDIS_URL ? { REDIS_URL: process.env.REDIS_URL } : {}),
    ...db.env,
    ...extra,
  };
}

export async function startTestHotline(opts: StartOptions = {}): Promise<TestHotline> {
  const database = opts.database ?? (await freshDatabase());
  const env = testEnv(database, opts.env);
  const config = loadConfig(env);
  const hotline = await createHotline({
    retryBackoffMs: 20,
    // Tests of the slice's mechanics run without classification (every ticket to triage), so
    // they do not depend on the model; tests about understanding pass a classifier.
    classifier: null,
    ...opts,
    config,
    // With a log destination, the hotline's own logger (and its redaction) writes there.
    logger: opts.logger ?? (opts.logDestination ? undefined : pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' })),
  });
  const address = await hotline.listen();
  const baseUrl = address.replace('0.0.0.0', '127.0.0.1');
  return {
    hotline,
    baseUrl,
    wsUrl: baseUrl.replace(/^http/, 'ws'),
    env,
    async stop(stopOpts = {}) {
      await hotline.close();
      if (!stopOpts.keepDatabase) await database.drop();
    },
  };
}

/**
 * One HTTP request to the hotline: through fastify's inject when it runs in this process (the
 * route, hooks and serialisation are the same; the socket is not what these helpers test), over
 * the network for a hotline in another process.
 */
async function request(
  t: TestHotline,
  method: string,
  url: string,
  headers: Record<string, string>,
  body?: string,
): Promise<{ status: number; text: string }> {
  if (t.hotline) {
    const res = await t.hotline.server.inject({ method: method as 'GET', url, headers, payload: body });
    return { status: res.statusCode, text: res.body };
  }
  const res = await fetch(`${t.baseUrl}${url}`, { method, headers, body });
  return { status: res.status, text: await res.text() };
}

const JSON_BODY = { 'content-type': 'application/json' };

export async function newSession(t: TestHotline, locale: 'vi' | 'en' = 'vi'): Promise<{ sessionId: string; token: string }> {
  const res = await request(t, 'POST', '/webchat/sessions', JSON_BODY, JSON.stringify({ locale }));
  if (res.status !== 200) throw new Error(`session: ${res.status} ${res.text}`);
  return JSON.parse(res.text) as { sessionId: string; token: string };
}

export async function staffLogin(t: TestHotline, email: string, password = 'demo1022'): Promise<string> {
  const res = await request(t, 'POST', '/api/auth/login', JSON_BODY, JSON.stringify({ email, password }));
  if (res.status !== 200) throw new Error(`login ${email}: ${res.status} ${res.text}`);
  return (JSON.parse(res.text) as { token: string }).token;
}

export async function api<T = unknown>(
  t: TestHotline,
  token: string,
  method: string,
  path: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const headers = { authorization: `Bearer ${token}`, ...(body !== undefined ? JSON_BODY : {}) };
  const res = await request(t, method, `/api${path}`, headers, body !== undefined ? JSON.stringify(body) : undefined);
  return { status: res.status, body: (res.text ? JSON.parse(res.text) : null) as T };
}

/** A web chat client over a real WebSocket that records every frame it receives. */
/** Plain answers to the questions that have no button to tap. */
const TYPED_ANSWERS: Array<[RegExp, string]> = [
  [/cho biết họ tên|your full name/i, 'Nguyễn Văn An'],
  [/cơ quan báo chí nào|which newsroom/i, 'Báo Tuổi Trẻ'],
];

export class ChatClient {
  readonly frames: Array<Record<string, unknown>> = [];
  private waiters: Array<() => void> = [];
  closeCode: number | null = null;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(data.toString()) as Record<string, unknown>);
      this.wake();
    });
    ws.on('close', (code) => {
      this.closeCode = code;
      this.wake();
    });
  }

  static connect(t: TestHotline, token: string, after?: number): Promise<ChatClient> {
    const q = new URLSearchParams({ token, ...(after !== undefined ? { after: String(after) } : {}) });
    const ws = new WebSocket(`${t.wsUrl}/webchat/ws?${q}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new ChatClient(ws)));
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => reject(Object.assign(new Error(`HTTP ${res.statusCode}`), { status: res.statusCode, body })));
      });
      ws.once('error', reject);
    });
  }

  send(frame: unknown): void {
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** Waits until a received frame matches; returns it. */
  async waitFor(match: (f: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<Record<string, unknown>> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.closeCode !== null) throw new Error(`socket closed (${this.closeCode}) before the frame arrived`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  /**
   * Sends a request and answers the bot's questions the quickest way (no place, no photo, no phone,
   * send; "did not answer me") until a reply gives no more to tap: the one with the tracking code,
   * for tests that need the ticket rather than the conversation. Returns that reply.
   */
  async sendAndFile(clientMsgId: string, text: string): Promise<Record<string, unknown>> {
    let seq = await this.sendMessage(clientMsgId, text);
    for (let n = 1; ; n++) {
      const reply = await this.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > seq && (fileTap(f) !== null || TYPED_ANSWERS.some(([question]) => question.test(String(f.text))) || /\b[A-Z]{2,4}-\d{2}-[0-9A-Z]{5}\b/.test(String(f.text)) || n === 1));
      // A question without buttons (a reporter's name) gets a plain answer.
      const answer = fileTap(reply)?.value ?? TYPED_ANSWERS.find(([question]) => question.test(String(reply.text)))?.[1];
      if (!answer || n > 8) return reply;
      seq = await this.sendMessage(`${clientMsgId}-${n}`, answer);
    }
  }

  async sendMessage(clientMsgId: string, text: string): Promise<number> {
    this.send({ type: 'message', clientMsgId, text });
    const ack = await this.waitFor((f) => f.type === 'ack' && f.clientMsgId === clientMsgId);
    return ack.seq as number;
  }

  close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return Promise.resolve();
    return new Promise((resolve) => {
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

/** Polls until `check` returns a value (not undefined/null/false). */
export async function eventually<T>(check: () => Promise<T | null | undefined | false>, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await check();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}
