// "A process stopped mid-work (kill the worker, start again) finishes the work exactly once."
// A real hotline runs in a child process (tests/fixtures/hotline-that-hangs.ts) and stops in the
// middle of its work; the test SIGKILLs it there (no clean shutdown), checks that nothing of the
// unfinished work was kept, then starts a normal hotline on the same database (and, with Redis, the
// same queue prefix) and checks that the work is finished once, and not again on a second start.
// Embedded mode: the PGlite folder the killed process had open is reopened by the next one, which
// relies on PostgreSQL's crash recovery (WAL replay) running inside PGlite.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import readline from 'node:readline';
import Redis from 'ioredis';
import { loadConfig } from '../../src/config';
import { openDatabase, type Database } from '../../src/db/database';
import type { HangPoint, MidWork } from '../fixtures/hotline-that-hangs';
import { freshDatabase, type TestDatabase } from '../helpers/databases';
import { CHILD_NODE_FLAGS, ChatClient, eventually, newSession, startTestHotline, testEnv, type TestHotline } from '../helpers/hotline';

const ROOT = path.resolve(__dirname, '../..');
const FIXTURE = path.join(ROOT, 'tests/fixtures/hotline-that-hangs.ts');
const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

/**
 * Generous: starting the child compiles TypeScript and opens the database; and with BullMQ the job
 * the killed worker held stays "active" in Redis (re-enqueuing its id at start-up is a no-op) until
 * BullMQ's stalled-job check puts it back: with BullMQ's defaults (30 s lock, a check every 30 s,
 * and a job is moved only if it was already seen active by the previous check) that takes 30-60 s.
 */
const STARTUP_MS = 60_000;
const RECOVERY_MS = 120_000;
jest.setTimeout(240_000);

/** The hotline child process: its marker lines on stdout, its stderr kept for failure messages. */
class HangingHotline {
  private readonly lines: string[] = [];
  private stderr = '';
  private waiters: Array<() => void> = [];
  private exit: { code: number | null; signal: NodeJS.Signals | null } | null = null;
  private readonly exited: Promise<void>;

  private constructor(readonly child: ChildProcess) {
    readline.createInterface({ input: child.stdout! }).on('line', (line) => {
      this.lines.push(line);
      this.wake();
    });
    child.stderr!.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-20_000);
    });
    this.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.exit = { code, signal };
        this.wake();
        resolve();
      });
    });
  }

  static start(env: Record<string, string>): HangingHotline {
    // A clean environment, as a deployment would have: only the hotline's settings.
    const inherited = Object.fromEntries(
      ['PATH', 'HOME', 'TMPDIR'].flatMap((k) => (process.env[k] ? [[k, process.env[k]!]] : [])),
    );
    const child = spawn(process.execPath, [...CHILD_NODE_FLAGS, '--import', 'tsx', FIXTURE], {
      cwd: ROOT,
      env: { ...inherited, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const hotline = new HangingHotline(child);
    running.add(hotline);
    return hotline;
  }

  get alive(): boolean {
    return this.exit === null;
  }

  /** Waits for a stdout line starting with `prefix`; returns the rest of the line. */
  async waitForLine(prefix: string, timeoutMs: number): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const line = this.lines.find((l) => l.startsWith(`${prefix} `));
      if (line !== undefined) return line.slice(prefix.length + 1);
      if (this.exit) throw new Error(`the hotline process exited (${JSON.stringify(this.exit)}) before "${prefix}":\n${this.stderr}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no "${prefix}" line within ${timeoutMs} ms; stdout: ${JSON.stringify(this.lines)}\nstderr:\n${this.stderr}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  async url(): Promise<string> {
    return this.waitForLine('LISTENING', STARTUP_MS);
  }

  async midWork(): Promise<MidWork> {
    return JSON.parse(await this.waitForLine('MID-WORK', RECOVERY_MS)) as MidWork;
  }

  /** SIGKILL: no shutdown code runs, nothing is flushed or closed. Resolves once the process is gone. */
  async kill(): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
    if (this.exit === null) this.child.kill('SIGKILL');
    await this.exited;
    running.delete(this);
    return this.exit!;
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

const running = new Set<HangingHotline>();
// Should this jest worker itself die, take the children along (afterEach covers every other case).
process.once('exit', () => {
  for (const h of running) h.child.kill('SIGKILL');
});

/** What newSession and ChatClient use of a TestHotline, for the hotline in the child process. */
function remote(baseUrl: string): TestHotline {
  return { baseUrl, wsUrl: baseUrl.replace(/^http/, 'ws') } as TestHotline;
}

/** The server is gone: drop our end of the socket without a closing handshake. */
async function drop(chat: ChatClient): Promise<void> {
  if (chat.closeCode !== null) return;
  const closed = new Promise<void>((resolve) => chat.ws.once('close', () => resolve()));
  chat.ws.terminate();
  await closed;
}

/** Every frame the server had sent before it answered this ping has arrived. */
async function settle(chat: ChatClient): Promise<void> {
  const before = chat.frames.filter((f) => f.type === 'pong').length;
  chat.send({ type: 'ping' });
  await chat.waitFor(() => chat.frames.filter((f) => f.type === 'pong').length > before);
}

function messageFrames(chat: ChatClient): Array<Record<string, unknown>> {
  return chat.frames.filter((f) => f.type === 'message');
}

/** The database as the killed process left it, opened the way the hotline opens it. */
async function openAfterCrash(env: Record<string, string>): Promise<Database> {
  const config = loadConfig(env);
  return openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir });
}

/**
 * The conversation's messages, work rows and tickets. Several queries, not one snapshot, while a
 * worker may be committing: the work rows are read first, so whatever a finished row's transaction
 * wrote with it (ticket, replies, delivery status) is visible to the reads that follow.
 */
async function conversationState(db: Database['prisma'], sessionId: string) {
  const { id: conversationId } = await db.conversation.findFirstOrThrow({
    where: { contact: { channel: 'webchat', channelUserId: sessionId } },
    select: { id: true },
  });
  const messageIds = (await db.message.findMany({ where: { conversationId }, select: { id: true } })).map((m) => m.id);
  const jobs = await db.outboxJob.findMany({ where: { messageId: { in: messageIds } }, orderBy: [{ createdAt: 'asc' }, { kind: 'asc' }] });
  const conversation = await db.conversation.findUniqueOrThrow({
    where: { id: conversationId },
    include: { messages: { orderBy: { seq: 'asc' } } },
  });
  const tickets = await db.ticket.findMany({ where: { conversationId }, include: { events: true } });
  return {
    conversation,
    messages: conversation.messages,
    inbound: conversation.messages.filter((m) => m.direction === 'inbound'),
    outbound: conversation.messages.filter((m) => m.direction === 'outbound'),
    jobs,
    inboundJobs: jobs.filter((j) => j.kind === 'process_inbound'),
    deliveryJobs: jobs.filter((j) => j.kind === 'deliver_outbound'),
    tickets,
  };
}

describe('crash recovery: a hotline killed mid-work finishes the work exactly once after a restart', () => {
  let database: TestDatabase | undefined;
  let env: Record<string, string>;
  const hotlines: TestHotline[] = [];
  const clients: ChatClient[] = [];

  async function startHangingHotline(hangIn: HangPoint): Promise<{ child: HangingHotline; target: TestHotline }> {
    const child = HangingHotline.start({ ...env, HANG_IN: hangIn, LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent' });
    return { child, target: remote(await child.url()) };
  }

  /** A normal hotline in this process on the same database and queue prefix: the restart. */
  async function restart(): Promise<TestHotline> {
    const t = await startTestHotline({
      database,
      env: { QUEUE_PREFIX: env.QUEUE_PREFIX!, QUEUE_STALL_TIMEOUT_MS: env.QUEUE_STALL_TIMEOUT_MS! },
    });
    hotlines.push(t);
    return t;
  }

  async function stop(t: TestHotline): Promise<void> {
    hotlines.splice(hotlines.indexOf(t), 1);
    await t.stop({ keepDatabase: true });
  }

  async function connect(t: TestHotline, token: string, after?: number): Promise<ChatClient> {
    const chat = await ChatClient.connect(t, token, after);
    clients.push(chat);
    return chat;
  }

  beforeEach(async () => {
    database = await freshDatabase();
    // A dead worker's BullMQ job comes back after the stall timeout; keep it short here.
    env = testEnv(database, { QUEUE_STALL_TIMEOUT_MS: '2000' });
  });

  afterEach(async () => {
    // Whatever happened: no child process, socket, hotline or database outlives the test.
    await Promise.all([...running].map((child) => child.kill()));
    await Promise.all(clients.splice(0).map((chat) => drop(chat)));
    for (const t of hotlines.splice(0)) await t.stop({ keepDatabase: true });
    await database?.drop();
    database = undefined;
    if (process.env.REDIS_URL) {
      const redis = new Redis(process.env.REDIS_URL);
      const keys = await redis.keys(`${env.QUEUE_PREFIX}:*`);
      if (keys.length > 0) await redis.del(...keys);
      await redis.quit();
    }
  });

  it('killed inside the transaction that turns a message into a ticket: the restart opens one ticket and sends one reply', async () => {
    // Danger first: filed at once, with no questions, so the first message is the one that opens the ticket.
    const text = 'Cháy bãi rác trước chợ Bến Thành, khói bay vào nhà dân';
    const { child, target } = await startHangingHotline('process_inbound');
    const { sessionId, token } = await newSession(target);
    const chat = await connect(target, token);
    const seq = await chat.sendMessage('crash-1', text); // acknowledged: the message is committed
    const mid = await child.midWork(); // the ticket is written, uncommitted; the step never returns
    expect(mid).toMatchObject({ hangIn: 'process_inbound', text });
    expect(mid.ticketId).toEqual(expect.any(String));
    expect(mid.trackingCode).toMatch(CODE);

    expect(await child.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await drop(chat);
    expect(messageFrames(chat)).toEqual([]);

    // Nothing of the unfinished work survived the kill; the message and its work record did.
    const crashed = await openAfterCrash(env);
    try {
      const s = await conversationState(crashed.prisma, sessionId);
      expect(s.messages).toHaveLength(1);
      expect(s.inbound[0]).toMatchObject({ seq, text, ticketId: null });
      expect(s.jobs).toHaveLength(1);
      expect(s.inboundJobs[0]).toMatchObject({ status: 'pending', attempts: 0, finishedAt: null });
      expect(s.tickets).toEqual([]);
      expect(await crashed.prisma.ticket.findUnique({ where: { id: mid.ticketId! } })).toBeNull();
      expect(await crashed.prisma.ticket.findUnique({ where: { trackingCode: mid.trackingCode! } })).toBeNull();
      expect(await crashed.prisma.ticketEvent.count({ where: { ticketId: mid.ticketId! } })).toBe(0);
      expect(s.conversation).toMatchObject({ step: 'start', lastSeq: seq, state: {} });
    } finally {
      await crashed.close();
    }

    // Start again: the stored work is picked up and finished.
    const first = await restart();
    const db = first.hotline.db.prisma;
    const done = await eventually(async () => {
      const s = await conversationState(db, sessionId);
      return s.jobs.length === 2 && s.jobs.every((j) => j.status === 'done') ? s : null;
    }, RECOVERY_MS);
    expect(done.tickets).toHaveLength(1);
    const ticket = done.tickets[0]!;
    expect(ticket.events.map((e) => e.kind).sort()).toEqual(['opened', 'routed']); // once each (one createMany: same createdAt)
    expect(done.inbound).toHaveLength(1);
    expect(done.inbound[0]).toMatchObject({ seq, ticketId: ticket.id });
    expect(done.outbound).toHaveLength(1);
    const reply = done.outbound[0]!;
    expect(reply).toMatchObject({ author: 'bot', seq: seq + 1, ticketId: ticket.id, delivery: 'sent' });
    expect(reply.text).toContain(ticket.trackingCode);
    expect(done.inboundJobs).toHaveLength(1);
    expect(done.inboundJobs[0]).toMatchObject({ status: 'done', lastError: null });
    expect(done.deliveryJobs).toHaveLength(1);
    expect(done.deliveryJobs[0]).toMatchObject({ messageId: reply.id, status: 'done', lastError: null });
    expect(done.conversation).toMatchObject({ step: 'ticket_open', lastSeq: seq + 1, state: { ticketId: ticket.id } });

    // The person comes back (same token: the signing secret is in the database): one reply.
    const back = await connect(first, token, seq);
    const replayed = await back.waitFor((f) => f.type === 'message');
    await settle(back);
    expect(messageFrames(back)).toEqual([replayed]);
    expect(replayed).toMatchObject({ from: 'bot', seq: seq + 1 });
    expect(String(replayed.text)).toContain(ticket.trackingCode);
    await drop(back);

    // And again: finished work is not done twice.
    await stop(first);
    const second = await restart();
    expect(await second.hotline.sweep()).toBe(0);
    const again = await conversationState(second.hotline.db.prisma, sessionId);
    expect(again.tickets.map((x) => x.id)).toEqual([ticket.id]);
    expect(again.outbound.map((m) => m.id)).toEqual([reply.id]);
    expect(again.jobs.map((j) => [j.id, j.status, j.finishedAt?.getTime()])).toEqual(done.jobs.map((j) => [j.id, 'done', j.finishedAt?.getTime()]));
    const later = await connect(second, token, seq);
    await later.waitFor((f) => f.type === 'message');
    await settle(later);
    expect(messageFrames(later)).toEqual([replayed]);
  });

  it('killed while delivering the reply to the web chat: the restart delivers it and the person sees it once', async () => {
    const text = 'Cháy xe rác ở bãi đất trống đường Nguyễn Văn Linh';
    const { child, target } = await startHangingHotline('deliver_outbound');
    const { sessionId, token } = await newSession(target);
    const chat = await connect(target, token);
    const seq = await chat.sendMessage('crash-2', text);
    const mid = await child.midWork(); // the reply is stored and committed; its delivery never returns
    expect(mid).toMatchObject({ hangIn: 'deliver_outbound', seq: seq + 1 });
    expect(mid.text).toMatch(CODE);

    expect(await child.kill()).toEqual({ code: null, signal: 'SIGKILL' });
    await drop(chat);
    expect(messageFrames(chat)).toEqual([]); // it hung before publishing

    const crashed = await openAfterCrash(env);
    let ticketId: string;
    try {
      const s = await conversationState(crashed.prisma, sessionId);
      expect(s.tickets).toHaveLength(1);
      ticketId = s.tickets[0]!.id;
      expect(s.inboundJobs).toHaveLength(1);
      expect(s.inboundJobs[0]).toMatchObject({ status: 'done' });
      expect(s.outbound).toHaveLength(1);
      expect(s.outbound[0]).toMatchObject({ id: mid.messageId, author: 'bot', seq: seq + 1, delivery: 'pending', text: mid.text });
      expect(s.deliveryJobs).toHaveLength(1);
      expect(s.deliveryJobs[0]).toMatchObject({ messageId: mid.messageId, status: 'pending', attempts: 0, finishedAt: null });
    } finally {
      await crashed.close();
    }

    const first = await restart();
    // Connected while the delivery may still be waiting: the stored reply is replayed, and the
    // delivery that follows must not show it a second time.
    const back = await connect(first, token, seq);
    const done = await eventually(async () => {
      const s = await conversationState(first.hotline.db.prisma, sessionId);
      return s.deliveryJobs[0]?.status === 'done' ? s : null;
    }, RECOVERY_MS);
    expect(done.tickets.map((x) => x.id)).toEqual([ticketId!]);
    expect(done.outbound).toHaveLength(1);
    expect(done.outbound[0]).toMatchObject({ id: mid.messageId, delivery: 'sent', deliveryError: null });
    expect(done.jobs.every((j) => j.status === 'done')).toBe(true);
    expect(done.jobs).toHaveLength(2);
    const shown = await back.waitFor((f) => f.type === 'message');
    await settle(back);
    expect(messageFrames(back)).toEqual([shown]);
    expect(shown).toMatchObject({ from: 'bot', seq: seq + 1, text: mid.text });
    await drop(back);

    await stop(first);
    const second = await restart();
    expect(await second.hotline.sweep()).toBe(0);
    const again = await conversationState(second.hotline.db.prisma, sessionId);
    expect(again.tickets).toHaveLength(1);
    expect(again.outbound).toHaveLength(1);
    expect(again.jobs.map((j) => [j.id, j.status, j.finishedAt?.getTime()])).toEqual(done.jobs.map((j) => [j.id, 'done', j.finishedAt?.getTime()]));
    const later = await connect(second, token, seq);
    await later.waitFor((f) => f.type === 'message');
    await settle(later);
    expect(messageFrames(later)).toEqual([shown]);
  });
});
