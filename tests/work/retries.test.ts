// Failures are data: a failing step is retried with backoff, every attempt is recorded, and the
// last failure dead-letters the work (kept and visible), never dropping it.
import { intakeFlow } from '../../flows/intake';
import type { Flow } from '../../flows/types';
import { ChatClient, api, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

function flakyIntake(failures: { left: number }): Flow {
  return {
    ...intakeFlow,
    steps: {
      ...intakeFlow.steps,
      start: async (ctx) => {
        if (failures.left > 0) {
          failures.left -= 1;
          throw new Error('classifier backend timed out');
        }
        return intakeFlow.steps.start!(ctx);
      },
    },
  };
}

describe('retries and dead letters', () => {
  let t: TestHotline;
  const failures = { left: 0 };
  beforeAll(async () => {
    t = await startTestHotline({ env: { QUEUE_MAX_ATTEMPTS: '3' }, flows: { intake: flakyIntake(failures) } });
  });
  afterAll(async () => {
    await t.stop();
  });

  async function send(text: string): Promise<{ chat: ChatClient; jobId: string }> {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('1', text);
    const message = await t.hotline.db.prisma.message.findFirstOrThrow({ where: { externalId: `${sessionId}:1` } });
    const job = await t.hotline.db.prisma.outboxJob.findFirstOrThrow({ where: { messageId: message.id } });
    return { chat, jobId: job.id };
  }

  it('retries a failing step and finishes it once', async () => {
    failures.left = 2;
    const { chat, jobId } = await send('Nhà vệ sinh công cộng bị khóa');
    const reply = await chat.waitFor((f) => f.type === 'message');
    expect(reply.text).toMatch(/HCM-/);
    const job = await eventually(async () => {
      const row = await t.hotline.db.prisma.outboxJob.findUniqueOrThrow({ where: { id: jobId } });
      return row.status === 'done' ? row : null;
    });
    expect(job).toMatchObject({ attempts: 3, lastError: null });
    await chat.close();
  });

  it('dead-letters work that keeps failing, keeps the message, and shows it to operators', async () => {
    failures.left = 3;
    const { chat, jobId } = await send('Xe rác chạy giờ cao điểm');
    const job = await eventually(async () => {
      const row = await t.hotline.db.prisma.outboxJob.findUniqueOrThrow({ where: { id: jobId } });
      return row.status === 'dead' ? row : null;
    });
    expect(job).toMatchObject({ attempts: 3, lastError: 'classifier backend timed out' });
    expect(await t.hotline.db.prisma.message.findUnique({ where: { id: job.messageId } })).not.toBeNull();
    const operator = await staffLogin(t, 'operator@hotline.local');
    const dead = await api<Array<{ id: string }>>(t, operator, 'GET', '/work?status=dead');
    expect(dead.body.map((j) => j.id)).toContain(jobId);
    // A dead job is not picked up again by the recovery sweep.
    expect(await t.hotline.sweep()).toBe(0);
    await chat.close();
  });

  it('puts stored work back on the queue when the queue lost it', async () => {
    failures.left = 0;
    const { sessionId, token } = await newSession(t);
    const spy = jest.spyOn(t.hotline.queue, 'enqueue').mockRejectedValue(new Error('Redis is down'));
    const chat = await ChatClient.connect(t, token);
    const seq = await chat.sendMessage('lost', 'Cột điện nghiêng sắp đổ'); // acknowledged: it is stored
    const message = await t.hotline.db.prisma.message.findFirstOrThrow({ where: { externalId: `${sessionId}:lost` } });
    expect(await t.hotline.db.prisma.outboxJob.findFirstOrThrow({ where: { messageId: message.id } })).toMatchObject({ status: 'pending' });
    spy.mockRestore();
    expect(await t.hotline.sweep()).toBeGreaterThanOrEqual(1);
    const reply = await chat.waitFor((f) => f.type === 'message');
    expect(reply.seq).toBe(seq + 1);
    await chat.close();
  });
});
