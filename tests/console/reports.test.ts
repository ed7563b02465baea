// Reports: the dashboard and the period report, on tickets, ratings, drafts and press conferences
// this test builds with known times, so each figure can be worked out from the data by hand.
import type { Channel } from '../../src/channels/types';
import type { TicketStatus } from '../../src/generated/prisma/enums';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

/** A local (UTC+7) wall-clock time of March or April 2026 as an instant. */
const local = (day: string, time: string) => new Date(`2026-${day}T${time}:00.000+07:00`);

interface Spec {
  channel: Channel;
  agency: string;
  intent: string;
  topic: string;
  status: TicketStatus;
  createdAt: Date;
  dueAt: Date;
  replies?: Date[];
  answeredAt?: Date;
  closedAt?: Date;
  onlineSupport?: boolean;
  overdue?: boolean;
  rating?: number;
}

describe('reports', () => {
  let t: TestHotline;
  let operator: string;
  let construction: string;
  let agencies: Array<{ id: string; slug: string }>;
  let openBefore: number;
  const id = (slug: string) => agencies.find((a) => a.slug === slug)!.id;
  let n = 0;

  async function contact() {
    const c = await t.hotline.db.prisma.contact.create({ data: { channel: 'webchat', channelUserId: `r${n++}` } });
    const conversation = await t.hotline.db.prisma.conversation.create({ data: { contactId: c.id, channel: 'webchat' } });
    return { contactId: c.id, conversationId: conversation.id };
  }

  async function ticket(s: Spec) {
    const db = t.hotline.db.prisma;
    const who = await contact();
    const row = await db.ticket.create({
      data: {
        ...who,
        trackingCode: `HCM-26-R${String(n).padStart(4, '2')}`.slice(0, 12),
        channel: s.channel,
        agencyId: id(s.agency),
        intent: s.intent,
        topic: s.topic,
        status: s.status,
        routingReason: 'test',
        summary: 'test',
        onlineSupport: s.onlineSupport ?? false,
        createdAt: s.createdAt,
        acceptDueAt: s.dueAt,
        dueAt: s.dueAt,
        answeredAt: s.answeredAt ?? s.replies?.[s.replies.length - 1] ?? null,
        closedAt: s.closedAt ?? null,
        answerOverdueAt: s.overdue ? s.dueAt : null,
      },
    });
    for (const at of s.replies ?? []) await db.ticketEvent.create({ data: { ticketId: row.id, kind: 'replied', createdAt: at } });
    if (s.rating) await db.ticketEvent.create({ data: { ticketId: row.id, kind: 'rated', data: { score: s.rating }, createdAt: s.answeredAt ?? s.createdAt } });
    return row;
  }

  beforeAll(async () => {
    t = await startTestHotline();
    operator = await staffLogin(t, 'operator@hotline.local');
    construction = await staffLogin(t, 'so-xay-dung@hotline.local');
    agencies = (await api<typeof agencies>(t, operator, 'GET', '/agencies')).body;
    const db = t.hotline.db.prisma;
    openBefore = await db.ticket.count({ where: { status: { in: ['new', 'triage', 'assigned', 'transferred', 'in_progress', 'reopened'] } } });

    // Monday 2 March 2026 is an ordinary working day (07:30–11:30, 13:00–17:00).
    // T1: answered after 1 working hour (by its deadline), a follow-up answer at 15:00 stands (4.5 h); rated 5.
    await ticket({ channel: 'webchat', agency: 'so-xay-dung', intent: 'feedback', topic: 'urban_infrastructure', status: 'answered',
      createdAt: local('03-02', '09:00'), dueAt: local('03-09', '09:00'), replies: [local('03-02', '10:00'), local('03-02', '15:00')], rating: 5 });
    // T2: a question opened at 16:00, first answered 08:30 the next day (1 + 1 = 2 h), after its deadline; closed; rated 3.
    await ticket({ channel: 'telegram', agency: 'so-xay-dung', intent: 'question', topic: 'transport', status: 'closed',
      createdAt: local('03-02', '16:00'), dueAt: local('03-03', '08:00'), replies: [local('03-03', '08:30')], closedAt: local('03-04', '10:00'), rating: 3 });
    // T3: online-service support, 09:00 to 14:00 = 2.5 + 1 = 3.5 h, on time; rated 4.
    await ticket({ channel: 'zalo_oa', agency: 'dien-luc', intent: 'service_support', topic: 'digital_services', status: 'answered', onlineSupport: true,
      createdAt: local('03-03', '09:00'), dueAt: local('03-10', '09:00'), replies: [local('03-03', '14:00')], rating: 4 });
    // T4: a press request nobody answered, past its deadline: due, late, open and overdue now.
    await ticket({ channel: 'webchat', agency: 'dien-luc', intent: 'press', topic: 'general', status: 'in_progress',
      createdAt: local('03-04', '10:00'), dueAt: local('03-05', '10:00'), overdue: true });
    // T5: a duplicate: counted as opened, never as due.
    await ticket({ channel: 'webchat', agency: 'so-xay-dung', intent: 'feedback', topic: 'urban_infrastructure', status: 'duplicate',
      createdAt: local('03-04', '11:00'), dueAt: local('03-05', '11:00'), closedAt: local('03-04', '11:05') });
    // T6: April, outside both ranges; open.
    await ticket({ channel: 'webchat', agency: 'so-xay-dung', intent: 'question', topic: 'transport', status: 'assigned',
      createdAt: local('04-01', '09:00'), dueAt: local('04-08', '09:00') });

    // Two drafts commented in March (3 and 1), one comment in April.
    const drafts = await Promise.all(
      ['Quy định về vỉa hè', 'Quy định về cây xanh'].map((titleVi, i) =>
        db.draftDocument.create({
          data: { titleVi, titleEn: `Draft ${i}`, agencyId: id('so-xay-dung'), summary: 's', fullTextUrl: 'https://x.example/d', opensAt: local('03-01', '00:00'), closesAt: local('04-30', '00:00') },
        }),
      ),
    );
    const comment = async (draftId: string, at: Date) =>
      db.draftComment.create({ data: { draftId, contactId: (await contact()).contactId, text: 'ý kiến', trackingCode: `GY-26-R${n}`, createdAt: at } }).then(() => undefined);
    for (const day of ['03-05', '03-06', '03-20']) await comment(drafts[0]!.id, local(day, '10:00'));
    await comment(drafts[1]!.id, local('03-07', '10:00'));
    await comment(drafts[1]!.id, local('04-02', '10:00'));

    // A conference held in March with 3 registrations (1 cancelled); one cancelled conference.
    const event = (titleVi: string, startsAt: Date, cancelledAt: Date | null) =>
      db.pressEvent.create({ data: { titleVi, titleEn: titleVi, startsAt, place: 'Hội trường', registrationDeadline: startsAt, cancelledAt } });
    const held = await event('Họp báo quý I', local('03-25', '15:00'), null);
    await event('Họp báo bị hủy', local('03-26', '15:00'), local('03-20', '00:00'));
    for (const cancelled of [null, null, local('03-24', '00:00')]) {
      const { contactId } = await contact();
      await db.pressRegistration.create({ data: { eventId: held.id, contactId, cancelledAt: cancelled } });
    }
  });
  afterAll(async () => {
    await t.stop();
  });

  it('dashboard: volumes by day and channel, labels, agencies, on-time rate, working-hour medians, ratings', async () => {
    const res = await api<Record<string, any>>(t, operator, 'GET', '/reports/dashboard?from=2026-03-02&to=2026-03-08');
    expect(res.status).toBe(200);
    const d = res.body;
    expect(d.totals).toEqual({ tickets: 5, answered: 3, onlineSupport: 1 });
    expect(d.perDay).toHaveLength(7);
    expect(d.perDay.slice(0, 3)).toEqual([
      { date: '2026-03-02', total: 2, webchat: 1, zalo_oa: 0, zalo_bot: 0, telegram: 1 },
      { date: '2026-03-03', total: 1, webchat: 0, zalo_oa: 1, zalo_bot: 0, telegram: 0 },
      { date: '2026-03-04', total: 2, webchat: 2, zalo_oa: 0, zalo_bot: 0, telegram: 0 },
    ]);
    expect(d.byIntent).toHaveLength(4);
    expect(d.byIntent).toEqual(
      expect.arrayContaining([{ key: 'feedback', count: 2 }, { key: 'press', count: 1 }, { key: 'question', count: 1 }, { key: 'service_support', count: 1 }]),
    );
    expect(d.byIntent[0]).toEqual({ key: 'feedback', count: 2 });
    expect(d.byTopic[0]).toEqual({ key: 'urban_infrastructure', count: 2 });
    expect(d.byAgency.map((a: { agencyId: string; count: number }) => [a.agencyId, a.count])).toEqual([[id('so-xay-dung'), 3], [id('dien-luc'), 2]]);
    // Due: T1, T2, T3 (answered) and T4 (deadline passed); on time: T1 and T3.
    expect(d.onTime).toEqual({ due: 4, onTime: 2, rate: 0.5 });
    // First answers after 1, 2 and 3.5 working hours; answers that stand after 4.5, 2 and 3.5.
    expect(d.firstResponse).toEqual({ count: 3, medianWorkingHours: 2 });
    expect(d.resolution).toEqual({ count: 3, medianWorkingHours: 3.5 });
    expect(d.ratings).toEqual({ count: 3, average: 4, distribution: { 1: 0, 2: 0, 3: 1, 4: 1, 5: 1 } });
    expect(d.onlineSupport).toEqual({ tickets: 1, answered: 1, share: 0.2 });
    // Now: T4 and T6 open, T4 overdue.
    expect(d.now).toEqual({ backlog: openBefore + 2, overdue: 1 });
  });

  it('dashboard: agency staff get their own agency only', async () => {
    const mine = await api<Record<string, any>>(t, construction, 'GET', '/reports/dashboard?from=2026-03-02&to=2026-03-08');
    expect(mine.body.range.agencyId).toBe(id('so-xay-dung'));
    expect(mine.body.totals).toEqual({ tickets: 3, answered: 2, onlineSupport: 0 });
    expect(mine.body.ratings.average).toBe(4);
    expect((await api(t, construction, 'GET', `/reports/dashboard?agencyId=${id('dien-luc')}`)).status).toBe(403);
    const power = await api<Record<string, any>>(t, operator, 'GET', `/reports/dashboard?from=2026-03-02&to=2026-03-08&agencyId=${id('dien-luc')}`);
    expect(power.body.totals.tickets).toBe(2);
    expect((await api(t, operator, 'GET', '/reports/dashboard?from=2026-03-08&to=2026-03-02')).status).toBe(400);
  });

  it('period report: the published figures for March, as JSON, CSV and a printable page', async () => {
    const press = await staffLogin(t, 'trung-tam-bao-chi@hotline.local');
    const res = await api<Record<string, any>>(t, press, 'GET', '/reports/period?period=month&year=2026&number=3');
    expect(res.status).toBe(200);
    const r = res.body;
    expect(r.period).toEqual({ kind: 'month', year: 2026, number: 3, from: '2026-03-01', to: '2026-03-31' });
    expect(r.requests).toEqual({ received: 5, answered: 3 });
    expect(r.questions).toEqual({ received: 1, answered: 1 });
    expect(r.onlineSupport).toEqual({ received: 1, handled: 1 });
    expect(r.pressRequests).toEqual({ received: 1, answered: 0 });
    expect(r.draftComments.total).toBe(4);
    expect(r.draftComments.drafts.map((d: { titleVi: string; comments: number }) => [d.titleVi, d.comments])).toEqual([['Quy định về vỉa hè', 3], ['Quy định về cây xanh', 1]]);
    expect(r.pressConferences).toMatchObject({ held: 1, registrants: 2, events: [{ titleVi: 'Họp báo quý I', registrants: 2 }] });
    // The first quarter holds the same March figures; April holds T6 and the April comment.
    const q1 = await api<Record<string, any>>(t, press, 'GET', '/reports/period?period=quarter&year=2026&number=1');
    expect(q1.body.requests.received).toBe(5);
    const april = await api<Record<string, any>>(t, press, 'GET', '/reports/period?period=month&year=2026&number=4');
    expect(april.body).toMatchObject({ requests: { received: 1, answered: 0 }, draftComments: { total: 1 }, pressConferences: { held: 0 } });

    const csv = await t.hotline.server.inject({ url: '/api/reports/period?period=month&year=2026&number=3&lang=en', headers: { authorization: `Bearer ${press}`, accept: 'text/csv' } });
    expect(csv.headers['content-type']).toMatch(/^text\/csv/);
    expect(csv.body).toContain('Press information requests received,1');
    expect(csv.body).toContain('Comments on drafts,Draft 0 (Sở Xây dựng),3');
    const file = await t.hotline.server.inject({ url: '/api/reports/period.csv?period=month&year=2026&number=3', headers: { authorization: `Bearer ${press}` } });
    expect(file.headers['content-disposition']).toBe('attachment; filename="bao-cao-2026-3.csv"');
    expect(file.body).toContain('Số cuộc họp báo đã tổ chức,1');

    const page = await t.hotline.server.inject({ url: '/api/reports/period/print?period=month&year=2026&number=3&lang=vi', headers: { authorization: `Bearer ${press}` } });
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Báo cáo hoạt động tháng 3/2026');
    expect(page.body).toMatch(/Yêu cầu hỗ trợ dịch vụ công trực tuyến đã xử lý<\/td><td class="n">1</);
    expect(page.body).toContain('Quy định về vỉa hè');
    const english = await t.hotline.server.inject({ url: '/api/reports/period/print?period=year&year=2026&lang=en', headers: { authorization: `Bearer ${press}` } });
    expect(english.body).toContain('Activity report, year 2026');

    expect((await api(t, construction, 'GET', '/reports/period?period=year&year=2026')).status).toBe(403);
    expect((await api(t, press, 'GET', '/reports/period?period=month&year=2026')).status).toBe(400);
  });
});
