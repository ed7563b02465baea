// Announcements: 200 web chat subscribers each get exactly one message, whether the fan-out runs in
// one go, is interrupted and resumed, or is published twice; a stopped one stores and sends no more.
import { createTranslator } from '../../src/i18n';
import { publishAnnouncement, subscribe, unsubscribe } from '../../src/press/announcements';
import { createWebchatSession } from '../../src/webchat/sessions';
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

interface Counts {
  stored: number;
  sent: number;
  pending: number;
  failed: number;
  withheld: number;
}

describe('announcements', () => {
  let t: TestHotline;
  let press: string;
  const subscribers: string[] = [];
  const db = () => t.hotline.db.prisma;

  async function newAnnouncement(topic: string, title: string) {
    const res = await api<{ id: string }>(t, press, 'POST', '/press/announcements', {
      topic,
      titleVi: title,
      titleEn: `${title} (en)`,
      bodyVi: 'Nội dung thông báo.',
      bodyEn: 'The announcement.',
    });
    expect(res.status).toBe(201);
    return res.body.id;
  }
  /** How many messages of the announcement each subscriber's conversation holds. */
  async function perSubscriber(title: string): Promise<number[]> {
    const rows = await db().message.groupBy({
      by: ['conversationId'],
      where: { direction: 'outbound', text: { contains: title } },
      _count: { _all: true },
    });
    return rows.map((r) => r._count._all);
  }

  beforeAll(async () => {
    // The recovery sweep must not put withheld work back on the queue behind the test's back.
    t = await startTestHotline({ sweepIntervalMs: 3_600_000 });
    press = await staffLogin(t, 'trung-tam-bao-chi@hotline.local');
    for (let i = 0; i < 200; i++) {
      const session = await createWebchatSession(db(), i % 4 === 0 ? 'en' : 'vi');
      const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: session.sessionId } } });
      subscribers.push(contact.id);
    }
    await db().$transaction(async (tx) => {
      for (const id of subscribers) await subscribe(tx, id, 'press_releases');
      // Subscribing twice changes nothing.
      await subscribe(tx, subscribers[0]!, 'press_releases');
      for (const id of subscribers.slice(0, 40)) await subscribe(tx, id, 'service_outages');
    });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('sends one message to each active subscriber, in batches, however often it is published or resumed', async () => {
    // One who left before publication gets nothing.
    const gone = subscribers[199]!;
    await db().$transaction((tx) => unsubscribe(tx, gone, 'press_releases'));
    const id = await newAnnouncement('press_releases', 'Thông cáo về lễ hội Tết');
    const enqueue = (jobs: Parameters<typeof t.hotline.queue.enqueue>[0][]) => Promise.all(jobs.map((j) => t.hotline.queue.enqueue(j))).then(() => undefined);
    // Interrupted after two batches of 50 (a crash mid-way)...
    const partial = await publishAnnouncement(db(), id, { translator: await createTranslator(), enqueue, batchSize: 50, maxBatches: 2 });
    expect(partial).toMatchObject({ stored: 100, finished: false });
    // ...a restart carries on from the last committed batch...
    expect(await t.hotline.resumeAnnouncements()).toBe(99);
    // ...and publishing again sends nothing twice.
    const again = await api<{ finished: boolean; storedCount: number }>(t, press, 'POST', `/press/announcements/${id}/publish`);
    expect(again).toMatchObject({ status: 200, body: { finished: true, storedCount: 199 } });

    const counts = await perSubscriber('lễ hội Tết');
    const countsEn = await perSubscriber('lễ hội Tết (en)');
    expect(counts.length).toBe(199);
    expect(counts.every((n) => n === 1)).toBe(true);
    expect(countsEn.length).toBe(50); // the English-speaking quarter got the English title
    const goneMessages = await db().message.count({ where: { conversation: { contactId: gone }, text: { contains: 'lễ hội Tết' } } });
    expect(goneMessages).toBe(0);

    const delivered = await eventually(async () => {
      const res = await api<{ counts: Counts }>(t, press, 'GET', `/press/announcements/${id}`);
      return res.body.counts.sent === 199 ? res.body.counts : null;
    }, 30_000);
    expect(delivered).toEqual({ stored: 199, sent: 199, pending: 0, failed: 0, withheld: 0 });
  });

  it('stops an announcement: no more stored, queued ones withheld, never sent', async () => {
    const id = await newAnnouncement('service_outages', 'Tạm ngưng cấp nước khu vực');
    // Stored but not yet handed to the queue: as if the worker had not got to them.
    const partial = await publishAnnouncement(db(), id, { translator: await createTranslator(), enqueue: async () => undefined, batchSize: 10, maxBatches: 1 });
    expect(partial.stored).toBe(10);
    const stopped = await api<{ stoppedAt: string | null; withheld: number; counts: Counts }>(t, press, 'POST', `/press/announcements/${id}/stop`);
    expect(stopped.status).toBe(200);
    expect(stopped.body.stoppedAt).not.toBeNull();
    expect(stopped.body.withheld).toBe(10);
    expect(stopped.body.counts).toEqual({ stored: 10, sent: 0, pending: 0, failed: 0, withheld: 10 });

    expect((await api(t, press, 'POST', `/press/announcements/${id}/publish`)).body).toMatchObject({ error: 'announcement_stopped' });
    expect(await t.hotline.resumeAnnouncements()).toBe(0);
    // The recovery sweep finds nothing of it to put back on the queue.
    await t.hotline.sweep();
    const jobs = await db().outboxJob.findMany({ where: { lastError: 'announcement_stopped' } });
    expect(jobs.length).toBe(10);
    expect(jobs.every((j) => j.status === 'done')).toBe(true);
    expect((await perSubscriber('Tạm ngưng cấp nước')).length).toBe(10);
    const after = await api<{ counts: Counts; storedCount: number }>(t, press, 'GET', `/press/announcements/${id}`);
    expect(after.body.counts).toEqual({ stored: 10, sent: 0, pending: 0, failed: 0, withheld: 10 });
  });

  it('keeps announcements to press officers and admins', async () => {
    const staff = await staffLogin(t, 'so-y-te@hotline.local');
    expect((await api(t, staff, 'GET', '/press/announcements')).status).toBe(403);
    expect((await api(t, press, 'POST', '/press/announcements', { topic: 'gossip', titleVi: 'a', titleEn: 'a', bodyVi: 'a', bodyEn: 'a' })).status).toBe(400);
  });
});
