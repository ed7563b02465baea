// Canned answers: administrators manage them all, an agency's lead their agency's own; a text with a
// variable that does not exist is refused when saved; for a ticket, the answers usable by the
// agency in the person's language come back with the variables filled.
import { hashPassword } from '../../src/console/auth';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

type Filled = { id: string; title: string; text: string };
type Answer = { id: string; title: string; body: string; locale: string; agencyId: string | null; active: boolean; editable: boolean };

describe('canned answers', () => {
  let t: TestHotline;
  let admin: string;
  let lead: string; // Sở Xây dựng's lead
  let colleague: string; // Sở Xây dựng staff, not the lead
  let police: string;
  let constructionId: string;
  const db = () => t.hotline.db.prisma;
  let n = 0;

  /** A ticket of an agency, from a person with this name and language. */
  async function ticketFor(agencyId: string, person: { name?: string; locale: 'vi' | 'en' }): Promise<string> {
    n++;
    const contact = await db().contact.create({ data: { channel: 'webchat', channelUserId: `canned-${n}`, displayName: person.name, locale: person.locale } });
    const conversation = await db().conversation.create({ data: { contactId: contact.id, channel: 'webchat' } });
    const code = `HCM-26-C${'ABCDEFGH'[n]}NN${'23456789'[n]}`;
    const due = new Date(Date.now() + 86_400_000);
    await db().ticket.create({
      data: {
        trackingCode: code,
        contactId: contact.id,
        conversationId: conversation.id,
        channel: 'webchat',
        status: 'assigned',
        agencyId,
        routingReason: 'test',
        summary: 'Đèn đường hỏng',
        acceptDueAt: due,
        dueAt: due,
      },
    });
    return code;
  }

  beforeAll(async () => {
    t = await startTestHotline();
    constructionId = (await db().agency.findUniqueOrThrow({ where: { slug: 'so-xay-dung' } })).id;
    await db().staffUser.update({ where: { email: 'so-xay-dung@hotline.local' }, data: { isLead: true, displayName: 'Trần Thị Bình' } });
    await db().staffUser.create({
      data: { email: 'nhan-vien@so-xay-dung.test', displayName: 'Lê Văn Cường', passwordHash: await hashPassword('mat-khau-nhan-vien'), role: 'agency_staff', agencyId: constructionId },
    });
    admin = await staffLogin(t, 'admin@hotline.local');
    lead = await staffLogin(t, 'so-xay-dung@hotline.local');
    colleague = await staffLogin(t, 'nhan-vien@so-xay-dung.test', 'mat-khau-nhan-vien');
    police = await staffLogin(t, 'cong-an-thanh-pho@hotline.local');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('seeds demo answers in Vietnamese and English, usable by every agency, editable by administrators only', async () => {
    const listed = await api<Answer[]>(t, colleague, 'GET', '/canned-answers');
    expect(listed.status).toBe(200);
    const locales = new Set(listed.body.map((a) => a.locale));
    expect(locales).toEqual(new Set(['vi', 'en']));
    expect(listed.body.every((a) => a.agencyId === null && !a.editable)).toBe(true);
    expect((await api<Answer[]>(t, admin, 'GET', '/canned-answers?locale=en')).body.every((a) => a.locale === 'en' && a.editable)).toBe(true);
  });

  it('fills the variables for a ticket, in the person’s language', async () => {
    const code = await ticketFor(constructionId, { name: 'Nguyễn Văn An', locale: 'vi' });
    const res = await api<Filled[]>(t, colleague, 'GET', `/canned-answers?ticket=${code}`);
    expect(res.status).toBe(200);
    const received = res.body.find((a) => a.title === 'Đã tiếp nhận, đang xử lý')!;
    expect(received.text).toBe(
      `Chào Nguyễn Văn An, Sở Xây dựng đã tiếp nhận yêu cầu ${code} và đang cử cán bộ kiểm tra. Bạn theo dõi tiến độ tại https://hotline.test/t/${code}. Cán bộ phụ trách: Lê Văn Cường.`,
    );
    expect(res.body.every((a) => !/\{\{/.test(a.text))).toBe(true);
    expect(Object.keys(received).sort()).toEqual(['id', 'text', 'title']);

    const english = await ticketFor(constructionId, { locale: 'en' });
    const en = await api<Filled[]>(t, lead, 'GET', `/canned-answers?ticket=${english.toLowerCase()}`);
    expect(en.body.find((a) => a.title === 'Received, being handled')!.text).toBe(
      `Hello there, Department of Construction has received request ${english} and is sending someone to check. You can follow it at https://hotline.test/t/${english}. Handled by: Trần Thị Bình.`,
    );
    expect(en.body.some((a) => a.title === 'Đã xử lý xong')).toBe(false);

    // Another agency's ticket is not in your inbox.
    expect((await api(t, police, 'GET', `/canned-answers?ticket=${code}`)).status).toBe(404);
  });

  it('lets an agency’s lead keep answers of their own agency, which only that agency uses', async () => {
    const body = { title: 'Hẹn kiểm tra', body: 'Chào {{ name }}, {{agency}} sẽ kiểm tra yêu cầu {{code}} trong 2 ngày làm việc.', locale: 'vi' };
    expect((await api(t, colleague, 'POST', '/canned-answers', body)).status).toBe(403);
    expect((await api(t, lead, 'POST', '/canned-answers', { ...body, agencyId: null })).status).toBe(403);
    const created = await api<Answer>(t, lead, 'POST', '/canned-answers', body);
    expect(created).toMatchObject({ status: 201, body: { agencyId: constructionId, active: true, editable: true } });

    const mine = await ticketFor(constructionId, { name: 'Chị Hoa', locale: 'vi' });
    const filled = (await api<Filled[]>(t, colleague, 'GET', `/canned-answers?ticket=${mine}`)).body.find((a) => a.id === created.body.id);
    expect(filled?.text).toBe(`Chào Chị Hoa, Sở Xây dựng sẽ kiểm tra yêu cầu ${mine} trong 2 ngày làm việc.`);
    expect((await api<Answer[]>(t, police, 'GET', '/canned-answers')).body.some((a) => a.id === created.body.id)).toBe(false);

    // A lead cannot change the answers every agency shares, nor another agency's.
    const shared = (await api<Answer[]>(t, lead, 'GET', '/canned-answers')).body.find((a) => a.agencyId === null)!;
    expect((await api(t, lead, 'PATCH', `/canned-answers/${shared.id}`, { title: 'Đổi' })).status).toBe(403);
    const policeLead = await db().staffUser.update({ where: { email: 'cong-an-thanh-pho@hotline.local' }, data: { isLead: true } });
    expect(policeLead.isLead).toBe(true);
    expect((await api(t, police, 'DELETE', `/canned-answers/${created.body.id}`)).status).toBe(403);

    // Switched off, it is no longer offered; deleted, it is gone.
    expect((await api<Answer>(t, lead, 'PATCH', `/canned-answers/${created.body.id}`, { active: false })).body.active).toBe(false);
    expect((await api<Filled[]>(t, colleague, 'GET', `/canned-answers?ticket=${mine}`)).body.some((a) => a.id === created.body.id)).toBe(false);
    expect((await api(t, lead, 'DELETE', `/canned-answers/${created.body.id}`)).status).toBe(204);
    expect((await api(t, lead, 'DELETE', `/canned-answers/${created.body.id}`)).status).toBe(404);
  });

  it('refuses unknown or broken variables when an answer is saved, naming them and the ones that exist', async () => {
    const unknown = await api<{ error: string; message: string }>(t, admin, 'POST', '/canned-answers', {
      title: 'Sai biến',
      body: 'Chào {{nme}}, yêu cầu {{code}} của {{ward}} đã xong.',
      locale: 'vi',
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body.error).toBe('unknown_variable');
    expect(unknown.body.message).toContain('{{nme}}, {{ward}}');
    expect(unknown.body.message).toContain('{{name}}, {{code}}, {{agency}}, {{staff}}, {{tracking_url}}');

    const broken = await api<{ error: string }>(t, admin, 'POST', '/canned-answers', { title: 'Thiếu ngoặc', body: 'Chào {{name}, cảm ơn.', locale: 'vi' });
    expect(broken).toMatchObject({ status: 400, body: { error: 'broken_placeholder' } });

    const good = await api<Answer>(t, admin, 'POST', '/canned-answers', { title: 'Chung', body: 'Cảm ơn {{name}}.', locale: 'vi' });
    expect(good).toMatchObject({ status: 201, body: { agencyId: null } });
    const patched = await api<{ error: string }>(t, admin, 'PATCH', `/canned-answers/${good.body.id}`, { body: 'Cảm ơn {{ten}}.' });
    expect(patched).toMatchObject({ status: 400, body: { error: 'unknown_variable' } });
    expect((await db().cannedAnswer.findUniqueOrThrow({ where: { id: good.body.id } })).body).toBe('Cảm ơn {{name}}.');
    expect((await api(t, admin, 'POST', '/canned-answers', { title: 'x', body: 'y', locale: 'fr' })).status).toBe(400);
  });
});
