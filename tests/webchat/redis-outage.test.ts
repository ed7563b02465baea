// Web chat while Redis is down: the messages and the replay live in the database, so sockets stay
// open, new ones connect and replay, messages are stored and acknowledged, and the answers arrive
// on the same sockets, in order, once Redis is back.
import pino from 'pino';
import { Writable } from 'node:stream';
import { ChatClient, eventually, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';
import { OwnRedis, REDIS_SERVER } from '../helpers/redis-server';
import { describeIf } from '../helpers/requires';

jest.setTimeout(90_000);

/** Log lines of the hotline, to wait for what it noticed rather than for a fixed time. */
class LogLines extends Writable {
  readonly lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString().split('\n').filter(Boolean));
    done();
  }
  count(text: string): number {
    return this.lines.filter((l) => l.includes(text)).length;
  }
}

const messageSeqs = (chat: ChatClient) => chat.frames.filter((f) => f.type === 'message').map((f) => f.seq as number);

describeIf(REDIS_SERVER, 'web chat while Redis is down', () => {
  let redis: OwnRedis;
  let t: TestHotline;
  const logs = new LogLines();
  beforeAll(async () => {
    redis = await OwnRedis.start();
    t = await startTestHotline({ env: { REDIS_URL: redis.url }, logger: pino({ level: 'warn' }, logs) });
  });
  afterAll(async () => {
    await t?.stop();
    await redis?.kill();
  });

  it('keeps sockets open, stores and acknowledges, and delivers every answer in order when Redis is back', async () => {
    // A has a socket open through the outage; B comes back (a reload) while Redis is down.
    const a = await newSession(t);
    const b = await newSession(t);
    const open = await ChatClient.connect(t, a.token);
    const earlier = await ChatClient.connect(t, b.token);
    for (const [chat, text] of [[open, 'Ống nước trước nhà bị vỡ'], [earlier, 'Đèn đường hỏng']] as const) {
      const seq = await chat.sendMessage('before', text);
      await chat.waitFor((f) => f.type === 'message' && (f.seq as number) > seq);
    }
    const bReplayed = messageSeqs(earlier);
    await earlier.close();

    await redis.kill();
    await eventually(async () => !t.hotline.bus.live);
    // Stored and acknowledged although nothing can be queued or published.
    await open.sendMessage('during-1', 'Nước tràn ra đường');
    await open.sendMessage('during-2', 'Xin xử lý gấp');
    // B reconnects: the replay comes from the database; its subscription cannot be made, and it
    // says so in the log, yet the socket stays open and takes messages.
    const reloaded = await ChatClient.connect(t, b.token);
    await eventually(async () => messageSeqs(reloaded).length === bReplayed.length);
    expect(messageSeqs(reloaded)).toEqual(bReplayed);
    await reloaded.sendMessage('during', 'Vẫn chưa sửa');
    await eventually(async () => logs.count('live updates unavailable') > 0, 30_000);
    expect(reloaded.closeCode).toBeNull();
    expect(open.closeCode).toBeNull();

    await redis.restart();
    // Every message answered, each answer shown once and in order on the socket that was open.
    for (const [chat, session, answers] of [[open, a, 3], [reloaded, b, 2]] as const) {
      const replies = await eventually(async () => {
        const rows = await t.hotline.db.prisma.message.findMany({
          where: { direction: 'outbound', conversation: { contact: { channelUserId: session.sessionId } } },
          orderBy: { seq: 'asc' },
        });
        return rows.length === answers ? rows.map((r) => r.seq) : null;
      }, 60_000);
      await eventually(async () => messageSeqs(chat).length >= answers, 30_000);
      expect(messageSeqs(chat)).toEqual(replies);
      expect(chat.closeCode).toBeNull();
    }
    await open.close();
    await reloaded.close();
  });
});
