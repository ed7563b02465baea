// Steady web chat traffic through the faults a deployment meets: the app killed (SIGKILL) and started
// again, Redis killed and started again, PostgreSQL cutting every connection. Afterwards every
// acknowledged message is stored once, each has exactly one bot answer, every person saw every
// answer once and in order (live or by replay after reconnecting), and the app never exited by itself.
// Embedded, only the app is killed (there is no Redis or server to fail).
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import pg from 'pg';
import WebSocket from 'ws';
import { openDatabase } from '../../src/db/database';
import { freshDatabase, usingPostgres, type TestDatabase } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { eventually, hotlineProcessCommand, testEnv } from '../helpers/hotline';
import { HAVE_REDIS_SERVER, OwnRedis } from '../helpers/redis-server';

const ROOT = path.join(__dirname, '../..');
const PEOPLE = 6;
const MESSAGES_EACH = 10;
/** A client's pause before it tries again after a refused connection or a lost socket. */
const CLIENT_RETRY_MS = 100;

jest.setTimeout(240_000);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The hotline as `npm start` runs it, in a process of its own that the test may kill. */
class App {
  private child: ChildProcess | null = null;
  private log = '';
  /** Exits the test did not cause. */
  readonly unexpectedExits: string[] = [];

  constructor(
    private readonly env: Record<string, string>,
    readonly baseUrl: string,
  ) {}

  async start(): Promise<void> {
    const command = hotlineProcessCommand();
    const child = spawn(process.execPath, command.args, { cwd: ROOT, env: { ...process.env, ...command.env, ...this.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    this.child = child;
    child.stdout!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000)));
    child.stderr!.on('data', (d: Buffer) => (this.log = (this.log + d.toString()).slice(-20_000)));
    child.once('exit', (code, signal) => {
      if (this.child === child) this.unexpectedExits.push(`exited by itself (${code ?? signal}):\n${this.log}`);
    });
    await eventually(async () => fetch(`${this.baseUrl}/readyz`).then((r) => r.ok, () => false), 90_000);
  }

  /** SIGTERM, as a deployment stops it; resolves once it has exited. */
  stop(): Promise<void> {
    return this.end('SIGTERM');
  }

  /** SIGKILL: nothing is flushed or closed, as in a crash or an out-of-memory kill. */
  kill(): Promise<void> {
    return this.end('SIGKILL');
  }

  private async end(signal: NodeJS.Signals): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null) return;
    const gone = new Promise((resolve) => child.once('exit', resolve));
    child.kill(signal);
    await gone;
  }
}

/** A person on the web chat: writes, waits for each acknowledgement, reconnects and resends as the widget does. */
class Person {
  readonly acked = new Map<string, number>();
  /** Seqs of the answers received, in the order they arrived, over every connection. */
  readonly seen: number[] = [];
  private ws: WebSocket | null = null;
  private acks = new Map<string, (seq: number) => void>();

  constructor(
    private readonly baseUrl: string,
    readonly sessionId: string,
    private readonly token: string,
  ) {}

  static async create(baseUrl: string): Promise<Person> {
    const res = await fetch(`${baseUrl}/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    const { sessionId, token } = (await res.json()) as { sessionId: string; token: string };
    return new Person(baseUrl, sessionId, token);
  }

  private connect(): Promise<WebSocket> {
    const after = this.seen.length ? Math.max(...this.seen) : 0;
    const ws = new WebSocket(`${this.baseUrl.replace('http', 'ws')}/webchat/ws?token=${this.token}&after=${after}`);
    return new Promise((resolve, reject) => {
      ws.once('open', () => {
        ws.on('message', (data) => {
          const frame = JSON.parse(data.toString()) as { type: string; seq?: number; clientMsgId?: string };
          if (frame.type === 'message') this.seen.push(frame.seq!);
          if (frame.type === 'ack') this.acks.get(frame.clientMsgId!)?.(frame.seq!);
        });
        ws.once('close', () => {
          if (this.ws === ws) this.ws = null;
        });
        this.ws = ws;
        resolve(ws);
      });
      ws.once('error', reject);
      ws.once('unexpected-response', () => reject(new Error('refused')));
    });
  }

  /** Sends one message until it is acknowledged, through whatever happens to the app. */
  async write(clientMsgId: string, text: string): Promise<void> {
    for (;;) {
      try {
        const ws = this.ws ?? (await this.connect());
        const acked = new Promise<number>((resolve, reject) => {
          this.acks.set(clientMsgId, resolve);
          ws.once('close', () => reject(new Error('closed')));
          setTimeout(() => reject(new Error('no ack')), 10_000).unref();
        });
        ws.send(JSON.stringify({ type: 'message', clientMsgId, text }));
        this.acked.set(clientMsgId, await acked);
        return;
      } catch {
        this.ws?.terminate();
        this.ws = null;
        await pause(CLIENT_RETRY_MS);
      }
    }
  }

  /** Stays connected (reconnecting as needed) until `done` says every answer is there. */
  async listenUntil(done: () => boolean): Promise<void> {
    await eventually(async () => {
      if (!this.ws) await this.connect().catch(() => null);
      return done();
    }, 90_000);
  }

  close(): void {
    this.ws?.close();
  }
}

async function terminateConnections(databaseUrl: string): Promise<void> {
  const admin = new pg.Client({ connectionString: databaseUrl });
  await admin.connect();
  try {
    await admin.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()');
  } finally {
    await admin.end();
  }
}

describe('steady web chat traffic through faults', () => {
  let db: TestDatabase;
  let redis: OwnRedis | null = null;
  let app: App;
  beforeAll(async () => {
    db = await freshDatabase();
    if (usingPostgres() && HAVE_REDIS_SERVER) redis = await OwnRedis.start();
    const port = await freePort();
    const env = testEnv(db, { PORT: String(port), LOG_LEVEL: 'warn', ...(redis ? { REDIS_URL: redis.url } : {}) });
    if (!redis) delete env.REDIS_URL;
    app = new App(env, `http://127.0.0.1:${port}`);
    await app.start();
  });
  afterAll(async () => {
    await app?.kill();
    await redis?.kill();
    await db?.drop();
  });

  it('stores every acknowledged message once, answers each once, and shows every answer in order', async () => {
    const people = await Promise.all(Array.from({ length: PEOPLE }, () => Person.create(app.baseUrl)));
    const ackedCount = () => people.reduce((n, p) => n + p.acked.size, 0);
    const traffic = Promise.all(
      people.map(async (p, i) => {
        for (let m = 0; m < MESSAGES_EACH; m++) {
          await p.write(`m${m}`, m === 0 ? `Ống nước số ${i} trước nhà bị vỡ` : `Bổ sung lần ${m}: nước vẫn chảy ra đường`);
        }
      }),
    );
    const total = PEOPLE * MESSAGES_EACH;
    const when = (share: number) => eventually(async () => ackedCount() >= Math.floor(total * share), 120_000);

    await when(0.15);
    await app.kill();
    await app.start();
    if (redis) {
      await when(0.35);
      await redis.kill();
      await when(0.5);
      await redis.restart();
    }
    if (usingPostgres()) {
      await when(0.65);
      await terminateConnections(db.env.DATABASE_URL!);
      await when(0.8);
      await terminateConnections(db.env.DATABASE_URL!);
    }
    await traffic;

    // Each acknowledged message gets one answer; wait until every person has seen as many.
    for (const p of people) await p.listenUntil(() => p.seen.length >= p.acked.size);
    expect(app.unexpectedExits).toEqual([]);
    await app.stop();
    people.forEach((p) => p.close());

    const stored = await openDatabase({ databaseUrl: db.env.DATABASE_URL, dataDir: db.env.DATA_DIR ?? '' });
    try {
      for (const p of people) {
        const messages = await stored.prisma.message.findMany({
          where: { conversation: { contact: { channel: 'webchat', channelUserId: p.sessionId } } },
          orderBy: { seq: 'asc' },
        });
        const inbound = messages.filter((m) => m.direction === 'inbound');
        const answers = messages.filter((m) => m.direction === 'outbound');
        // Every acknowledged message stored, once.
        expect(inbound.map((m) => m.externalId).sort()).toEqual([...p.acked.keys()].map((id) => `${p.sessionId}:${id}`).sort());
        expect(inbound.map((m) => m.seq).sort((a, b) => a - b)).toEqual([...p.acked.values()].sort((a, b) => a - b));
        // Exactly one bot answer each, and the person saw each one once, in order.
        expect(answers).toHaveLength(inbound.length);
        expect(answers.every((m) => m.author === 'bot')).toBe(true);
        expect(p.seen).toEqual(answers.map((m) => m.seq));
      }
    } finally {
      await stored.close();
    }
  });
});
