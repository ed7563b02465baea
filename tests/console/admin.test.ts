// The administration API: agencies, staff accounts (one-time passwords, deactivation ends sessions),
// routing rules with "test this text" (the classifier and the real routing), knowledge-base entries
// the bot uses at once, the working calendar deadlines use at once, and the audit history of it all.
import { extractEntities } from '../../src/classify/entities';
import type { ClassificationResult, Classifier } from '../../src/classify/types';
import { readWorkingCalendar } from '../../src/tickets/calendar';
import { addWorkingHours } from '../../src/tickets/deadlines';
import { api, ChatClient, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

// Labels by keyword, so the test is about routing, not the model.
const stub: Classifier = {
  async classify(text): Promise<ClassificationResult> {
    const lit = /thủy cung/i.test(text);
    const confidence = lit ? 0.9 : 0.2;
    return {
      intent: 'feedback',
      topic: lit ? 'culture_media' : 'general',
      confidence,
      intentConfidence: confidence,
      topicConfidence: confidence,
      entities: { ...extractEntities(text), language: 'vi' },
      source: 'builtin',
    };
  },
};

interface Agency {
  id: string;
  slug: string;
  name: string;
  active: boolean;
  tickets: number;
}
interface Rule {
  id: string;
  name: string;
  position: number;
  active: boolean;
  agencyId: string;
}

describe('administration API', () => {
  let t: TestHotline;
  let admin: string;
  let agencies: Agency[];
  const agencyId = (slug: string) => agencies.find((a) => a.slug === slug)!.id;

  beforeAll(async () => {
    t = await startTestHotline({ classifier: stub });
    admin = await staffLogin(t, 'admin@hotline.local');
    agencies = (await api<Agency[]>(t, admin, 'GET', '/admin/agencies')).body;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('creates, renames and deactivates agencies; one that held tickets is not deleted', async () => {
    const created = await api<Agency>(t, admin, 'POST', '/admin/agencies', { slug: 'ubnd-phuong-ban-co', name: 'UBND phường Bàn Cờ', nameEn: 'Ban Co Ward' });
    expect(created.status).toBe(201);
    expect((await api(t, admin, 'POST', '/admin/agencies', { slug: 'ubnd-phuong-ban-co', name: 'X y', nameEn: 'X y' })).status).toBe(409);
    const renamed = await api<Agency>(t, admin, 'PATCH', `/admin/agencies/${created.body.id}`, { name: 'Ủy ban nhân dân phường Bàn Cờ' });
    expect(renamed.body.name).toBe('Ủy ban nhân dân phường Bàn Cờ');
    // Unused: it can go.
    expect((await api(t, admin, 'DELETE', `/admin/agencies/${created.body.id}`)).status).toBe(204);

    // An agency that held a ticket: deactivated, not deleted, and out of the pickers.
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const reply = await chat.sendAndFile('a1', 'Có ý kiến về việc sắp xếp lại giờ mở cửa của bảo tàng');
    await chat.close();
    const code = CODE.exec(String(reply.text))![1]!;
    const operator = await staffLogin(t, 'operator@hotline.local');
    const culture = agencyId('so-van-hoa-the-thao');
    expect((await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: culture, reason: 'Bảo tàng thuộc Sở Văn hóa' })).status).toBe(200);
    const refused = await api<{ error: string }>(t, admin, 'DELETE', `/admin/agencies/${culture}`);
    expect(refused).toMatchObject({ status: 409, body: { error: 'agency_has_tickets' } });
    const off = await api<Agency>(t, admin, 'PATCH', `/admin/agencies/${culture}`, { active: false });
    expect(off.body).toMatchObject({ active: false, tickets: 1 });
    const picker = (await api<Agency[]>(t, operator, 'GET', '/agencies')).body;
    expect(picker.some((a) => a.id === culture)).toBe(false);
    // The ticket stays where it was.
    expect((await api<{ ticket: { agencyId: string } }>(t, operator, 'GET', `/tickets/${code}`)).body.ticket.agencyId).toBe(culture);
    await api(t, admin, 'PATCH', `/admin/agencies/${culture}`, { active: true });

    // The last triage agency cannot be switched off.
    const triage = agencies.find((a) => a.slug === 'tiep-nhan')!;
    expect((await api<{ error: string }>(t, admin, 'PATCH', `/admin/agencies/${triage.id}`, { active: false })).body.error).toBe('last_triage_agency');

    const history = await api<Array<{ action: string; entityId: string }>>(t, admin, 'GET', `/admin/audit?entity=agency&entityId=${culture}`);
    expect(history.body.map((h) => h.action)).toEqual(['reactivated', 'deactivated']);
  });

  it('creates staff with a one-time password that must be changed; deactivation and resets end sessions', async () => {
    const water = agencyId('cap-nuoc');
    const created = await api<{ user: { id: string; mustChangePassword: boolean }; oneTimePassword: string }>(t, admin, 'POST', '/admin/staff', {
      email: 'Lan.Nguyen@capnuoc.example',
      displayName: 'Nguyễn Thị Lan',
      role: 'agency_staff',
      agencyId: water,
    });
    expect(created.status).toBe(201);
    expect(created.body.user.mustChangePassword).toBe(true);
    const otp = created.body.oneTimePassword;
    expect(otp.length).toBeGreaterThanOrEqual(10);
    const first = await staffLogin(t, 'lan.nguyen@capnuoc.example', otp);
    expect((await api<{ error: string }>(t, first, 'GET', '/tickets')).body.error).toBe('password_change_required');
    expect((await api(t, first, 'POST', '/auth/password', { current: otp, next: 'nuoc-sach-cho-dan' })).status).toBe(200);
    expect((await api(t, first, 'GET', '/tickets')).status).toBe(200);
    // Nothing secret in the history.
    const audit = await api(t, admin, 'GET', `/admin/audit?entity=staff_user&entityId=${created.body.user.id}`);
    expect(JSON.stringify(audit.body)).not.toMatch(/argon2|passwordHash/);

    // An agency lead manages their own agency's staff, nobody else's.
    const waterStaff = (await api<Array<{ id: string; email: string }>>(t, admin, 'GET', `/admin/staff?agencyId=${water}`)).body;
    const demo = waterStaff.find((u) => u.email === 'cap-nuoc@hotline.local')!;
    expect((await api(t, admin, 'PATCH', `/admin/staff/${demo.id}`, { isLead: true })).status).toBe(200);
    const lead = await staffLogin(t, 'cap-nuoc@hotline.local');
    expect((await api<unknown[]>(t, lead, 'GET', '/admin/staff')).body).toHaveLength(2);
    expect((await api(t, lead, 'POST', '/admin/staff', { email: 'x@y.example', displayName: 'Người khác', role: 'operator' })).status).toBe(403);
    expect((await api(t, lead, 'POST', '/admin/staff', { email: 'x@y.example', displayName: 'Người khác', role: 'agency_staff', agencyId: agencyId('so-y-te') })).status).toBe(403);
    expect((await api(t, lead, 'PATCH', `/admin/staff/${created.body.user.id}`, { isLead: true })).status).toBe(403);
    const otherLead = await api<{ user: { id: string } }>(t, admin, 'POST', '/admin/staff', {
      email: 'lead2@capnuoc.example', displayName: 'Phó phòng', role: 'agency_staff', agencyId: water, isLead: true,
    });
    expect((await api(t, lead, 'PATCH', `/admin/staff/${otherLead.body.user.id}`, { active: false })).status).toBe(403);
    const reset = await api<{ oneTimePassword: string }>(t, lead, 'POST', `/admin/staff/${created.body.user.id}/reset-password`);
    expect(reset.status).toBe(200);
    expect((await api(t, first, 'GET', '/me')).status).toBe(401);
    const again = await staffLogin(t, 'lan.nguyen@capnuoc.example', reset.body.oneTimePassword);

    // Deactivated: the session that was open stops at once, and no new one starts.
    expect((await api(t, lead, 'PATCH', `/admin/staff/${created.body.user.id}`, { active: false })).status).toBe(200);
    expect((await api(t, again, 'GET', '/me')).status).toBe(401);
    await expect(staffLogin(t, 'lan.nguyen@capnuoc.example', reset.body.oneTimePassword)).rejects.toThrow(/401/);
    // Nobody deactivates themself.
    const me = (await api<{ id: string }>(t, admin, 'GET', '/me')).body;
    expect((await api<{ error: string }>(t, admin, 'PATCH', `/admin/staff/${me.id}`, { active: false })).body.error).toBe('own_account');
  });

  it('edits, reorders and disables routing rules, and tests a text through the real routing', async () => {
    const text = 'Thủy cung thành phố đóng cửa mà không báo trước';
    const before = await api<{ classification: { topic: string; confidence: number }; routing: { agency: { slug: string }; rule: { name: string } | null } }>(
      t, admin, 'POST', '/admin/routing/test', { text },
    );
    expect(before.status).toBe(200);
    expect(before.body.classification).toMatchObject({ topic: 'culture_media', confidence: 0.9 });
    const seeded = before.body.routing.rule!;
    expect(before.body.routing.agency.slug).toBe('so-van-hoa-the-thao');

    // A new rule for the same topic, put first: the test now names it.
    const health = agencyId('so-y-te');
    const rule = await api<Rule>(t, admin, 'POST', '/admin/routing/rules', { name: 'Thủy cung cho Sở Y tế (thử)', topic: 'culture_media', agencyId: health });
    expect(rule.status).toBe(201);
    const rules = (await api<Rule[]>(t, admin, 'GET', '/admin/routing/rules')).body;
    expect(rules[rules.length - 1]!.id).toBe(rule.body.id);
    const order = [rule.body.id, ...rules.filter((r) => r.id !== rule.body.id).map((r) => r.id)];
    expect((await api(t, admin, 'POST', '/admin/routing/rules/reorder', { ids: order.slice(1) })).status).toBe(400);
    const reordered = await api<Rule[]>(t, admin, 'POST', '/admin/routing/rules/reorder', { ids: order });
    expect(reordered.body[0]!.id).toBe(rule.body.id);
    const routed = await api<{ routing: { agency: { id: string }; rule: { id: string } } }>(t, admin, 'POST', '/admin/routing/test', { text });
    expect(routed.body.routing).toMatchObject({ agency: { id: health }, rule: { id: rule.body.id } });

    // And a real ticket goes where the test said.
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const reply = await chat.sendAndFile('r1', text);
    await chat.close();
    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: CODE.exec(String(reply.text))![1]! } });
    expect(ticket).toMatchObject({ agencyId: health, routingRuleId: rule.body.id });
    // The ticket view names the rule that routed it.
    const view = await api<{ ticket: { routingRule: { id: string; name: string } | null } }>(t, admin, 'GET', `/tickets/${ticket.trackingCode}`);
    expect(view.body.ticket.routingRule).toEqual({ id: rule.body.id, name: rule.body.name });

    // Disabled: the next rule routes again.
    expect((await api<Rule>(t, admin, 'PATCH', `/admin/routing/rules/${rule.body.id}`, { active: false })).body.active).toBe(false);
    const after = await api<{ routing: { rule: { name: string } } }>(t, admin, 'POST', '/admin/routing/test', { text });
    expect(after.body.routing.rule.name).toBe(seeded.name);
    const unsure = await api<{ routing: { status: string; reason: string } }>(t, admin, 'POST', '/admin/routing/test', { text: 'Một chuyện khác hẳn' });
    expect(unsure.body.routing.status).toBe('triage');
    expect(unsure.body.routing.reason).toMatch(/Độ tin cậy phân loại thấp/);
    const history = (await api<Array<{ action: string }>>(t, admin, 'GET', '/admin/audit?entity=routing_rule')).body.map((h) => h.action);
    expect(history).toEqual(['disabled', 'reordered', 'created']);
  });

  it('knowledge-base entries reach the bot at once, and leave it when deactivated', async () => {
    const ask = async (id: string) => {
      const { token } = await newSession(t);
      const chat = await ChatClient.connect(t, token);
      await chat.sendAndFile(`${id}0`, 'menu:question');
      const seq = await chat.sendMessage(`${id}1`, 'giờ mở cửa thủy cung thành phố');
      const reply = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > seq);
      await chat.close();
      return String(reply.text);
    };
    const entry = await api<{ id: string }>(t, admin, 'POST', '/admin/knowledge', {
      slug: 'gio-mo-cua-thuy-cung',
      topic: 'culture_media',
      agencyId: agencyId('so-van-hoa-the-thao'),
      kind: 'answer',
      titleVi: 'Giờ mở cửa thủy cung thành phố',
      titleEn: 'City aquarium opening hours',
      answerVi: 'Thủy cung mở cửa từ 8 giờ đến 20 giờ hằng ngày, kể cả ngày lễ.',
      answerEn: 'The aquarium is open from 8:00 to 20:00 every day, holidays included.',
      keywords: ['thủy cung', 'aquarium'],
      sourceName: 'Sở Văn hóa và Thể thao',
      sourceUrl: 'https://svhtt.example.gov.vn/thuy-cung',
    });
    expect(entry.status).toBe(201);
    expect(await ask('k1')).toContain('từ 8 giờ đến 20 giờ');
    await api(t, admin, 'PATCH', `/admin/knowledge/${entry.body.id}`, { answerVi: 'Thủy cung mở cửa từ 9 giờ đến 21 giờ hằng ngày.' });
    expect(await ask('k2')).toContain('từ 9 giờ đến 21 giờ');
    await api(t, admin, 'PATCH', `/admin/knowledge/${entry.body.id}`, { active: false });
    expect(await ask('k3')).not.toContain('Thủy cung mở cửa');
    const listed = await api<Array<{ slug: string; active: boolean }>>(t, admin, 'GET', '/admin/knowledge?q=thủy cung');
    expect(listed.body).toEqual([expect.objectContaining({ slug: 'gio-mo-cua-thuy-cung', active: false })]);
  });

  it('days off added in the console move the deadlines of the next ticket, without a restart', async () => {
    const calendarOf = () => t.hotline.db.prisma.calendarDay.findMany();
    const open = async (id: string) => {
      const { token } = await newSession(t);
      const chat = await ChatClient.connect(t, token);
      const reply = await chat.sendAndFile(id, `Phản ánh số ${id} về tiếng ồn`);
      await chat.close();
      return t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: CODE.exec(String(reply.text))![1]! } });
    };
    const plain = await open('c1');
    // Every day of the next two weeks becomes a day off.
    const days = Array.from({ length: 14 }, (_, i) => new Date(Date.now() + i * 86_400_000 + 7 * 3600_000).toISOString().slice(0, 10));
    const existing = new Set((await calendarOf()).map((d) => d.date.toISOString().slice(0, 10)));
    const added = days.filter((d) => !existing.has(d));
    for (const date of added) {
      const res = await api(t, admin, 'PUT', `/admin/calendar/days/${date}`, { kind: 'holiday', name: 'Nghỉ do bão', nameEn: 'Typhoon closure', source: 'UBND Thành phố' });
      expect(res.status).toBe(200);
    }
    const listed = await api<Array<{ date: string; kind: string }>>(t, admin, 'GET', `/admin/calendar/days?year=${days[0]!.slice(0, 4)}`);
    expect(listed.body).toEqual(expect.arrayContaining([expect.objectContaining({ date: added[0], kind: 'holiday' })]));
    const closed = await open('c2');
    const firstWorkingDay = `${days[days.length - 1]}T17:00:00.000Z`; // after the last day off, local time
    expect(closed.acceptDueAt.getTime()).toBeGreaterThan(new Date(firstWorkingDay).getTime());
    expect(plain.acceptDueAt.getTime()).toBeLessThan(closed.acceptDueAt.getTime());
    // The deadline is the one the calendar as now stored gives (to the second: the ticket's clock is its own).
    const stored = await readWorkingCalendar(t.hotline.db.prisma);
    expect(Math.abs(addWorkingHours(closed.createdAt, 8, 420, stored).getTime() - closed.acceptDueAt.getTime())).toBeLessThan(5000);
    for (const date of added) expect((await api(t, admin, 'DELETE', `/admin/calendar/days/${date}`)).status).toBe(204);
    const reopened = await open('c3');
    expect(reopened.acceptDueAt.getTime()).toBeLessThan(new Date(firstWorkingDay).getTime());
    expect((await api(t, admin, 'DELETE', `/admin/calendar/days/${added[0]}`)).status).toBe(404);
    // Office hours are replaced whole and checked.
    const hours = (await api<Array<{ weekday: number; opensAt: number; closesAt: number }>>(t, admin, 'GET', '/admin/calendar/hours')).body;
    expect((await api(t, admin, 'PUT', '/admin/calendar/hours', { windows: [{ weekday: 1, opensAt: 600, closesAt: 500 }] })).status).toBe(400);
    expect((await api(t, admin, 'PUT', '/admin/calendar/hours', { windows: hours })).status).toBe(200);
    expect((await api(t, admin, 'GET', '/admin/calendar/hours')).body).toEqual(hours);
  });
});
