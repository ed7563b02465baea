// A reporter's request that needs several agencies: the press officer asks each for its part, each
// answers in its own inbox (and only its own), and the officer sends one consolidated answer that
// reaches the reporter in the chat; the reporter is told when the work starts.
import { api, ChatClient, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[0-9A-Z]{5})\b/;

describe('input from several agencies for one press request', () => {
  let t: TestHotline;
  let press: string;
  let health: string;
  let education: string;
  let chat: ChatClient;
  let code: string;
  let filedSeq: number;
  let agencies: Array<{ id: string; slug: string }>;

  beforeAll(async () => {
    t = await startTestHotline();
    [press, health, education] = await Promise.all([
      staffLogin(t, 'trung-tam-bao-chi@hotline.local'),
      staffLogin(t, 'so-y-te@hotline.local'),
      staffLogin(t, 'so-giao-duc@hotline.local'),
    ]);
    chat = await ChatClient.connect(t, (await newSession(t)).token);
    await chat.sendAndFile('m1', 'menu:press');
    const filed = await chat.sendAndFile('m2', 'Xin số ca sốt xuất huyết và số trường học đã phun thuốc muỗi tháng này');
    code = CODE.exec(String(filed.text))![1]!;
    filedSeq = Number(filed.seq);
    agencies = (await api<Array<{ id: string; slug: string }>>(t, press, 'GET', '/agencies')).body;
  });
  afterAll(async () => {
    await chat.close();
    await t.stop();
  });
  const id = (slug: string) => agencies.find((a) => a.slug === slug)!.id;

  it('asks two agencies, each answers its part, and the consolidated answer reaches the reporter', async () => {
    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code }, include: { agency: true } });
    expect(ticket.agency?.slug).toBe('trung-tam-bao-chi');

    // Only press officers and admins ask; agencies must exist.
    expect(await api(t, health, 'POST', `/tickets/${code}/subtasks`, { agencyIds: [id('so-y-te')], question: 'Số ca?' })).toMatchObject({
      status: 403,
      body: { error: 'press_officers_only' },
    });
    expect(await api(t, press, 'POST', `/tickets/${code}/subtasks`, { agencyIds: ['00000000-0000-4000-8000-000000000000'], question: 'Số ca?' })).toMatchObject({
      status: 400,
      body: { error: 'unknown_agency' },
    });
    const asked = await api<Array<{ id: string; agencyId: string }>>(t, press, 'POST', `/tickets/${code}/subtasks`, {
      agencyIds: [id('so-y-te'), id('so-giao-duc')],
      question: 'Đề nghị cung cấp số liệu phần việc của đơn vị trước 15h.',
    });
    expect(asked.status).toBe(201);
    expect(asked.body).toHaveLength(2);
    // The reporter is told the work has started.
    const told = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > filedSeq);
    expect(String(told.text)).toContain(code);
    expect((await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code } })).status).toBe('in_progress');

    // Each agency sees only its own part, and answers it once.
    const healthInbox = await api<Array<{ id: string; agencyId: string; ticket: { trackingCode: string } }>>(t, health, 'GET', '/subtasks');
    expect(healthInbox.body.map((s) => s.agencyId)).toEqual([id('so-y-te')]);
    const healthPart = healthInbox.body[0]!.id;
    const educationPart = asked.body.find((s) => s.agencyId === id('so-giao-duc'))!.id;
    expect(await api(t, health, 'POST', `/subtasks/${educationPart}/answer`, { text: 'không phải việc của tôi' })).toMatchObject({ status: 404 });
    expect((await api(t, health, 'POST', `/subtasks/${healthPart}/answer`, { text: 'Tháng này có 412 ca sốt xuất huyết.' })).status).toBe(200);
    expect(await api(t, health, 'POST', `/subtasks/${healthPart}/answer`, { text: 'lần hai' })).toMatchObject({ status: 409, body: { error: 'already_answered' } });
    expect((await api(t, education, 'POST', `/subtasks/${educationPart}/answer`, { text: '37 trường đã phun thuốc.' })).status).toBe(200);

    // The officer sees every part and sends one answer.
    const parts = await api<Array<{ answer: string | null; agency: { slug: string } }>>(t, press, 'GET', `/tickets/${code}/subtasks`);
    expect(parts.body.map((p) => p.answer).sort()).toEqual(['37 trường đã phun thuốc.', 'Tháng này có 412 ca sốt xuất huyết.']);
    const consolidated = parts.body.map((p) => p.answer).join(' ');
    expect((await api(t, press, 'POST', `/tickets/${code}/replies`, { text: consolidated })).status).toBe(201);
    const answer = await chat.waitFor((f) => f.type === 'message' && f.from === 'agent');
    expect(String(answer.text)).toContain('412 ca');
    expect(String(answer.text)).toContain('37 trường');
    const events = await t.hotline.db.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(expect.arrayContaining(['input_requested', 'input_answered', 'replied']));
  });
});
