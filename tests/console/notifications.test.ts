// Staff notifications: a new ticket for my agency, a ticket past its deadline (the operators, and
// the agency's lead), a ticket the person reopened — stored per staff member, read and unread,
// paged, never someone else's; and, for those who asked, e-mailed over SMTP (a local server started
// here) from the outbox, so a mail server that refuses for a while delays only the e-mail.
import { once } from 'node:events';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { hashPassword } from '../../src/console/auth';
import { api, ChatClient, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { freePort } from '../helpers/free-port';
import { codeIn } from '../helpers/live';

jest.setTimeout(120_000);

type Item = { id: string; kind: string; title: string; ticketCode: string; agencyId: string | null; read: boolean; readAt: string | null; at: string };
type Page = { items: Item[]; total: number; unread: number; page: number; hasMore: boolean };

/** A person files a report on the web chat; the worker opens the ticket (in triage: no classifier). */
async function fileTicket(t: TestHotline, text: string): Promise<{ code: string; chat: ChatClient }> {
  const session = await newSession(t);
  const chat = await ChatClient.connect(t, session.token);
  const reply = await chat.sendAndFile(`m-${Math.random().toString(36).slice(2)}`, text);
  return { code: codeIn(reply.text), chat };
}

describe('staff notifications', () => {
  let t: TestHotline;
  let operator: string;
  let construction: string;
  let constructionId: string;
  const chats: ChatClient[] = [];
  const db = () => t.hotline.db.prisma;
  const notifications = async (token: string, query = '') => {
    const res = await api<Page>(t, token, 'GET', `/notifications${query}`);
    expect(res.status).toBe(200);
    return res.body;
  };

  beforeAll(async () => {
    t = await startTestHotline();
    operator = await staffLogin(t, 'operator@hotline.local');
    construction = await staffLogin(t, 'so-xay-dung@hotline.local');
    constructionId = (await db().agency.findUniqueOrThrow({ where: { slug: 'so-xay-dung' } })).id;
  });
  afterAll(async () => {
    for (const c of chats) await c.close();
    await t.stop();
  });

  it('notifies the operators of a new ticket in triage, unread, titled in their language; marks one or all read', async () => {
    const before = await notifications(operator);
    const { code, chat } = await fileTicket(t, 'Đèn đường trước số 12 Lê Lợi bị hỏng');
    chats.push(chat);
    const page = await eventually(async () => {
      const p = await notifications(operator);
      return p.items.some((n) => n.ticketCode === code) && p;
    });
    const item = page.items.find((n) => n.ticketCode === code)!;
    expect(item).toMatchObject({ kind: 'new_ticket', read: false, readAt: null, title: expect.stringContaining(`Yêu cầu mới ${code}`) });
    expect(page.unread).toBe(before.unread + 1);
    // Agency staff were not told of a ticket still in triage.
    expect((await notifications(construction)).items.some((n) => n.ticketCode === code)).toBe(false);

    // English, once the operator says so.
    const settings = await api(t, operator, 'PUT', '/notifications/settings', { locale: 'en' });
    expect(settings.body).toMatchObject({ locale: 'en', email: false, emailAvailable: false });
    expect((await notifications(operator)).items.find((n) => n.id === item.id)!.title).toMatch(new RegExp(`^New request ${code}: `));
    await api(t, operator, 'PUT', '/notifications/settings', { locale: 'vi' });

    // Someone else's notification is not found; one's own becomes read.
    expect((await api(t, construction, 'POST', `/notifications/${item.id}/read`)).status).toBe(404);
    const read = await api<{ unread: number }>(t, operator, 'POST', `/notifications/${item.id}/read`);
    expect(read).toMatchObject({ status: 200, body: { unread: page.unread - 1 } });
    expect((await notifications(operator)).items.find((n) => n.id === item.id)).toMatchObject({ read: true, readAt: expect.any(String) });
    expect((await notifications(operator, '?unread=true')).items.some((n) => n.id === item.id)).toBe(false);

    const all = await api<{ marked: number; unread: number }>(t, operator, 'POST', '/notifications/read-all');
    expect(all).toMatchObject({ status: 200, body: { marked: page.unread - 1, unread: 0 } });
    expect((await notifications(operator)).unread).toBe(0);
  });

  it('pages newest first', async () => {
    const staff = await db().staffUser.findUniqueOrThrow({ where: { email: 'operator@hotline.local' } });
    const ticket = await db().ticket.findFirstOrThrow({ select: { id: true } });
    const total = await db().notification.count({ where: { staffUserId: staff.id } });
    await db().notification.createMany({
      data: [1, 2, 3].map((n) => ({ staffUserId: staff.id, kind: 'new_ticket', ticketId: ticket.id, createdAt: new Date(Date.now() + n * 1000) })),
    });
    const first = await notifications(operator, '?limit=2');
    expect(first).toMatchObject({ total: total + 3, page: 1, hasMore: true, unread: 3 });
    expect(first.items.map((n) => n.at)).toEqual([...first.items.map((n) => n.at)].sort().reverse());
    const last = await notifications(operator, `?limit=2&page=${Math.ceil((total + 3) / 2)}`);
    expect(last.hasMore).toBe(false);
    expect((await api(t, operator, 'GET', '/notifications?limit=500')).status).toBe(400);
    await api(t, operator, 'POST', '/notifications/read-all');
  });

  it('notifies the operators and the agency’s lead, not its other staff, of an overdue ticket', async () => {
    const { code, chat } = await fileTicket(t, 'Cây xanh bị đổ chắn ngang đường Nguyễn Huệ');
    chats.push(chat);
    await eventually(async () => (await db().ticket.findUnique({ where: { trackingCode: code } })) !== null);
    expect((await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: constructionId, reason: 'Cây xanh đô thị' })).status).toBe(200);
    await db().staffUser.update({ where: { email: 'so-xay-dung@hotline.local' }, data: { isLead: true } });
    const colleague = await db().staffUser.create({
      data: { email: 'can-bo-2@so-xay-dung.test', displayName: 'Cán bộ thứ hai', passwordHash: await hashPassword('mat-khau-thu-hai'), role: 'agency_staff', agencyId: constructionId },
    });
    const ticket = await db().ticket.update({ where: { trackingCode: code }, data: { acceptDueAt: new Date(Date.now() - 60_000) } });
    const swept = await t.hotline.sweepOverdue();
    expect(swept.marked.map((m) => m.code)).toContain(code);

    const overdue = (token: string) => notifications(token).then((p) => p.items.filter((n) => n.ticketCode === code && n.kind === 'overdue'));
    expect(await overdue(operator)).toHaveLength(1);
    expect(await overdue(construction)).toEqual([expect.objectContaining({ title: expect.stringContaining(`đã quá hạn`), agencyId: constructionId })]);
    expect(await db().notification.count({ where: { staffUserId: colleague.id, ticketId: ticket.id, kind: 'overdue' } })).toBe(0);
  });

  it('notifies the agency’s staff when the person says the answer did not solve it', async () => {
    const { code, chat } = await fileTicket(t, 'Ổ gà lớn trước số 40 đường Pasteur');
    chats.push(chat);
    await eventually(async () => (await db().ticket.findUnique({ where: { trackingCode: code } })) !== null);
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: constructionId, reason: 'Mặt đường' });
    expect((await api(t, construction, 'POST', `/tickets/${code}/replies`, { text: 'Đã vá ổ gà.' })).status).toBe(201);
    await chat.waitFor((f) => f.type === 'message' && f.from === 'agent' && String(f.text).includes(code));
    await chat.sendMessage('unsolved-1', `feedback:unsolved:${code}`);
    const reopened = await eventually(async () => (await notifications(construction)).items.find((n) => n.ticketCode === code && n.kind === 'reopened'));
    expect(reopened.title).toContain(`được mở lại`);
    // The operators are not the agency holding it.
    expect((await notifications(operator)).items.some((n) => n.ticketCode === code && n.kind === 'reopened')).toBe(false);
  });

  it('refuses e-mail notifications while the hotline sends no e-mail', async () => {
    const res = await api(t, construction, 'PUT', '/notifications/settings', { email: true });
    expect(res).toMatchObject({ status: 400, body: { error: 'email_unavailable' } });
  });
});

describe('staff notifications by e-mail (SMTP)', () => {
  let t: TestHotline;
  let smtp: SMTPServer;
  const mails: Array<{ to: string[]; mail: ParsedMail }> = [];
  /** How many deliveries the mail server still refuses (451: try again later). */
  let refuse = 0;
  let refused = 0;
  const chats: ChatClient[] = [];

  beforeAll(async () => {
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      logger: false,
      onData(stream, session, callback) {
        const to = session.envelope.rcptTo.map((r) => r.address);
        simpleParser(stream).then(
          (mail) => {
            if (refuse > 0) {
              refuse--;
              refused++;
              return callback(Object.assign(new Error('Mailbox busy, try again later'), { responseCode: 451 }));
            }
            mails.push({ to, mail });
            callback();
          },
          (err: Error) => callback(err),
        );
      },
    });
    const port = await freePort();
    smtp.listen(port, '127.0.0.1');
    await once(smtp.server, 'listening');
    t = await startTestHotline({ env: { SMTP_URL: `smtp://127.0.0.1:${port}`, SMTP_FROM: 'Hotline 1022 <hotline@hotline.test>' } });
  });
  afterAll(async () => {
    for (const c of chats) await c.close();
    await t.stop();
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
  });

  it('e-mails a notification to staff who turned it on, from the outbox, retried while the mail server refuses', async () => {
    const operator = await staffLogin(t, 'operator@hotline.local');
    expect((await api(t, operator, 'GET', '/notifications/settings')).body).toEqual({ email: false, emailAvailable: true, locale: 'vi' });
    const on = await api(t, operator, 'PUT', '/notifications/settings', { email: true, locale: 'en' });
    expect(on.body).toEqual({ email: true, emailAvailable: true, locale: 'en' });

    refuse = 2;
    const session = await newSession(t);
    const chat = await ChatClient.connect(t, session.token);
    chats.push(chat);
    const reply = await chat.sendAndFile('mail-1', 'Đèn đường trước số 12 Lê Lợi bị hỏng');
    const code = codeIn(reply.text);

    const { to, mail } = await eventually(async () => mails.find((m) => m.mail.subject?.includes(code)));
    expect(refused).toBe(2);
    expect(to).toEqual(['operator@hotline.local']);
    expect(mail.from?.value).toEqual([{ name: 'Hotline 1022', address: 'hotline@hotline.test' }]);
    expect(mail.subject).toBe(`[Hotline 1022] New request ${code}: Đèn đường trước số 12 Lê Lợi bị hỏng`);
    expect(mail.text).toContain(`Open the request in the console: https://hotline.test/console/tickets/${code}`);

    const staff = await t.hotline.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'operator@hotline.local' } });
    const notification = await t.hotline.db.prisma.notification.findFirstOrThrow({ where: { staffUserId: staff.id, ticket: { trackingCode: code } } });
    const job = await eventually(async () => {
      const row = await t.hotline.db.prisma.outboxJob.findFirst({ where: { kind: 'email_notification', messageId: notification.id } });
      return row?.status === 'done' && row;
    });
    expect(job.attempts).toBe(3);
    expect((await t.hotline.db.prisma.notification.findUniqueOrThrow({ where: { id: notification.id } })).emailedAt).not.toBeNull();
    // Staff who did not turn it on got no e-mail.
    expect(mails.every((m) => m.to.every((to) => to === 'operator@hotline.local'))).toBe(true);
  });
});
