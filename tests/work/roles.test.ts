// The production roles on one PostgreSQL and one Redis: two API nodes (people's sockets, webhooks,
// staff) and two workers (one of them a process of its own, killed mid-burst). Replies cross from
// the worker that wrote them to the API node holding the socket; nothing is processed or sent twice;
// the killed worker's jobs are finished by the other; the embedded default refuses the roles.
import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { createHotline } from '../../src/app';
import { loadConfig } from '../../src/config';
import { freePort } from '../helpers/free-port';
import { ChatClient, hotlineProcessCommand, eventually, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';
import { allOf, describeIf, REQUIRES } from '../helpers/requires';

const ROOT = path.join(__dirname, '../..');
const PEOPLE = 16;
const MESSAGES_EACH = 3;
/** Short, so a job the killed worker held is handed on quickly. */
const STALL_MS = '2000';

jest.setTimeout(180_000);

const messageSeqs = (chat: ChatClient) => chat.frames.filter((f) => f.type === 'message').map((f) => f.seq as number);

describe('roles', () => {
  it('refuses the api and worker roles without PostgreSQL and Redis, saying what to set', async () => {
    const config = loadConfig({ DATA_DIR: '/nonexistent-for-this-test', LOG_LEVEL: 'silent' });
    await expect(createHotline({ config, role: 'worker' })).rejects.toThrow(/set DATABASE_URL and REDIS_URL, or run everything in one process with npm start/);
  });
});

describeIf(allOf(REQUIRES.postgres, REQUIRES.redis), 'two API nodes and two workers', () => {
  const nodes: TestHotline[] = [];
  let child: ChildProcess | null = null;
  let childLog = '';
  let api1: TestHotline, api2: TestHotline;
  beforeAll(async () => {
    const env = { QUEUE_STALL_TIMEOUT_MS: STALL_MS, QUEUE_CONCURRENCY: '4' };
    api1 = await startTestHotline({ role: 'api', env });
    const shared = { ...env, QUEUE_PREFIX: api1.env.QUEUE_PREFIX!, DATABASE_URL: api1.env.DATABASE_URL! };
    const database = { env: { DATABASE_URL: api1.env.DATABASE_URL! }, drop: async () => undefined };
    nodes.push(api1);
    api2 = await startTestHotline({ role: 'api', env: shared, database });
    nodes.push(api2);
    nodes.push(await startTestHotline({ role: 'worker', env: shared, database }));
    // The second worker runs as `npm run start:worker` does, so it can be killed outright.
    const port = await freePort();
    const command = hotlineProcessCommand('worker');
    child = spawn(process.execPath, command.args, {
      cwd: ROOT,
      env: { ...process.env, ...command.env, ...api1.env, ...shared, PORT: String(port), LOG_LEVEL: 'warn', SEED_DEMO: 'false' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout!.on('data', (d: Buffer) => (childLog += d.toString()));
    child.stderr!.on('data', (d: Buffer) => (childLog += d.toString()));
    await eventually(async () => {
      if (child!.exitCode !== null) throw new Error(`the worker exited while starting:\n${childLog}`);
      return fetch(`http://127.0.0.1:${port}/readyz`).then((r) => r.ok, () => false);
    }, 90_000);
  });
  afterAll(async () => {
    if (child && child.exitCode === null) child.kill('SIGKILL');
    for (const node of nodes.slice(1)) await node.stop();
    await nodes[0]?.stop();
  });

  it('serves people only on API nodes, and a worker answers health and metrics only', async () => {
    const worker = nodes[2]!;
    expect((await fetch(`${worker.baseUrl}/readyz`)).status).toBe(200);
    expect((await fetch(`${worker.baseUrl}/metrics`)).status).toBe(200);
    const refused = await fetch(`${worker.baseUrl}/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(refused.status).toBe(404);
  });

  it('answers every message once, across nodes, while a worker is killed mid-burst', async () => {
    const people = await Promise.all(
      Array.from({ length: PEOPLE }, async (_, i) => {
        const node = i % 2 ? api2 : api1;
        const session = await newSession(node);
        return { ...session, chat: await ChatClient.connect(node, session.token) };
      }),
    );
    for (const p of people) {
      // The first message is a danger report: filed at once, no questions, so the rest follow an open ticket.
      for (let m = 0; m < MESSAGES_EACH; m++) p.chat.send({ type: 'message', clientMsgId: `m${m}`, text: m ? `Bổ sung ${m}` : 'Cháy nhà trước số 5 Lê Lợi, khói nhiều' });
    }
    const prisma = api1.hotline.db.prisma;
    const sessionIds = people.map((p) => p.sessionId);
    const answered = () => prisma.message.count({ where: { direction: 'outbound', conversation: { contact: { channelUserId: { in: sessionIds } } } } });
    await eventually(async () => (await answered()) >= 1, 60_000);
    child!.kill('SIGKILL');
    await eventually(async () => (await answered()) === PEOPLE * MESSAGES_EACH, 90_000);
    await eventually(async () => (await prisma.outboxJob.count({ where: { status: 'pending' } })) === 0, 60_000);

    for (const p of people) {
      const conversation = await prisma.conversation.findFirstOrThrow({
        where: { contact: { channel: 'webchat', channelUserId: p.sessionId } },
        include: { tickets: true, messages: { orderBy: { seq: 'asc' } } },
      });
      expect(conversation.tickets).toHaveLength(1);
      const answers = conversation.messages.filter((m) => m.direction === 'outbound');
      expect(answers).toHaveLength(MESSAGES_EACH);
      // Each answer reached the socket on its API node once, in order.
      await eventually(async () => messageSeqs(p.chat).length >= answers.length, 30_000);
      expect(messageSeqs(p.chat)).toEqual(answers.map((m) => m.seq));
      await p.chat.close();
    }
    // Nothing was done twice: one finished job per stored message.
    const messages = await prisma.message.findMany({ where: { conversation: { contact: { channelUserId: { in: sessionIds } } } }, select: { id: true } });
    const jobs = await prisma.outboxJob.findMany({ where: { messageId: { in: messages.map((m) => m.id) } } });
    expect(jobs).toHaveLength(PEOPLE * MESSAGES_EACH * 2);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
  });
});
