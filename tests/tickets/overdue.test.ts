// The overdue sweep on a fake clock: once per deadline, escalated, the person apologised to on
// their channel and in their language, never twice even when two workers sweep at once.
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
const minuteAfter = (d: Date) => new Date(d.getTime() + 60_000);

describe('overdue sweep', () => {
  let t: TestHotline;
  beforeAll(async () => {
    // The timer's own sweep stays out of the way: the test drives the clock.
    t = await startTestHotline({ env: { OVERDUE_SWEEP_SECONDS: '86400' } });
  });
  afterAll(() => t.stop());

  async function openTicket(locale: 'vi' | 'en', text: string) {
    const { token } = await newSession(t, locale);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('m1', text);
    const opened = await chat.waitFor((f) => f.type === 'message' && CODE.test(String(f.text)));
    const code = CODE.exec(String(opened.text))![1]!;
    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    return { chat, ticket };
  }

  it('marks a ticket past its accept deadline once, escalates it, and apologises with a new time', async () => {
    const { chat, ticket } = await openTicket('vi', 'Cống thoát nước bị tắc ở hẻm 12');
    // Before the deadline nothing happens.
    expect((await t.hotline.sweepOverdue(ticket.createdAt)).marked.filter((m) => m.ticketId === ticket.id)).toEqual([]);
    const late = minuteAfter(ticket.acceptDueAt);
    const first = await t.hotline.sweepOverdue(late);
    const mine = first.marked.filter((m) => m.ticketId === ticket.id);
    expect(mine).toMatchObject([{ stage: 'accept', code: ticket.trackingCode }]);
    const apology = await chat.waitFor((f) => f.type === 'message' && String(f.text).startsWith('Chúng tôi xin lỗi'));
    expect(apology.text).toContain(ticket.trackingCode);
    expect(apology.text).toContain(`https://hotline.test/t/${ticket.trackingCode}`);
    const after = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { id: ticket.id } });
    expect(after.acceptOverdueAt).toEqual(late);
    expect(after.expectedAt!.getTime()).toBeGreaterThan(late.getTime());
    const events = await t.hotline.db.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id, kind: 'overdue' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.data).toMatchObject({ stage: 'accept', escalatedTo: ['operators'] });
    // The same deadline is not apologised for again.
    expect((await t.hotline.sweepOverdue(minuteAfter(late))).marked.filter((m) => m.ticketId === ticket.id)).toEqual([]);
    // The answer deadline is a second, separate escalation.
    const answerLate = minuteAfter(ticket.dueAt);
    expect((await t.hotline.sweepOverdue(answerLate)).marked.filter((m) => m.ticketId === ticket.id)).toMatchObject([{ stage: 'answer' }]);
    await chat.waitFor((f) => f.type === 'message' && String(f.text).includes('chưa được trả lời đúng hạn'));
    await chat.close();
  });

  it('apologises in English to an English session, and not at all for an answered ticket', async () => {
    const { chat, ticket } = await openTicket('en', 'The drain in alley 7 is blocked');
    const answered = await openTicket('vi', 'Đèn đường hỏng trước nhà số 5');
    await t.hotline.db.prisma.ticket.update({ where: { id: answered.ticket.id }, data: { status: 'answered', answeredAt: new Date() } });
    const late = minuteAfter(new Date(Math.max(ticket.dueAt.getTime(), answered.ticket.dueAt.getTime())));
    const result = await t.hotline.sweepOverdue(late);
    expect(result.marked.filter((m) => m.ticketId === ticket.id).map((m) => m.stage).sort()).toEqual(['accept', 'answer']);
    expect(result.marked.filter((m) => m.ticketId === answered.ticket.id)).toEqual([]);
    await chat.waitFor((f) => f.type === 'message' && String(f.text).startsWith('We are sorry: request'));
    await Promise.all([chat.close(), answered.chat.close()]);
  });

  it('never apologises twice when two workers sweep at the same moment', async () => {
    const { chat, ticket } = await openTicket('vi', 'Rác chưa được thu gom ở chợ');
    const late = minuteAfter(ticket.acceptDueAt);
    const [a, b] = await Promise.all([t.hotline.sweepOverdue(late), t.hotline.sweepOverdue(late)]);
    const both = [...a.marked, ...b.marked].filter((m) => m.ticketId === ticket.id);
    expect(both).toHaveLength(1);
    const apologies = await t.hotline.db.prisma.message.count({ where: { ticketId: ticket.id, author: 'bot', text: { startsWith: 'Chúng tôi xin lỗi' } } });
    expect(apologies).toBe(1);
    await chat.close();
  });
});
