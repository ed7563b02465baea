// Who may do what: every role (and no login) against every action that matters, in one table.
// Each cell is what the role gets: an HTTP status, or for "what do they see" actions a word.
// Tickets are made fresh for each cell, so one role's action never changes another's outcome.
import { hashPassword } from '../../src/console/auth';
import type { TicketStatus } from '../../src/generated/prisma/enums';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const ROLES = ['admin', 'operator', 'agency_staff', 'agency_lead', 'press_officer', 'no_login'] as const;
type Role = (typeof ROLES)[number];
type Outcome = number | string;

/** One row: the action, and what each role gets, in ROLES order. */
type Row = [action: string, run: (as: Role) => Promise<Outcome>, ...outcomes: [Outcome, Outcome, Outcome, Outcome, Outcome, Outcome]];

describe('rights: role × action', () => {
  let t: TestHotline;
  const tokens = new Map<Role, string>();
  let agencies: Array<{ id: string; slug: string }>;
  const id = (slug: string) => agencies.find((a) => a.slug === slug)!.id;
  let n = 0;
  let plainStaffId: string;

  /** Own agency: Sở Xây dựng (the agency staff and the lead); other: Điện lực; the press center's own. */
  const OWN = 'so-xay-dung';
  const OTHER = 'dien-luc';
  const PRESS = 'trung-tam-bao-chi';

  async function ticket(agency: string, status: TicketStatus = 'assigned'): Promise<string> {
    const db = t.hotline.db.prisma;
    n += 1;
    const contact = await db.contact.create({ data: { channel: 'webchat', channelUserId: `rights-${n}`, phone: '0901234567', phoneConsent: true } });
    const conversation = await db.conversation.create({ data: { contactId: contact.id, channel: 'webchat' } });
    const code = `HCM-26-${'ABCDEFGHJK'[Math.floor(n / 100) % 10]}${'23456789AB'[Math.floor(n / 10) % 10]}${'23456789AB'[n % 10]}QZ`;
    await db.ticket.create({
      data: {
        trackingCode: code,
        contactId: contact.id,
        conversationId: conversation.id,
        channel: 'webchat',
        status,
        agencyId: id(agency),
        routingReason: 'rights test',
        summary: `Phản ánh ${n}`,
        place: '12 Lê Lợi',
        acceptDueAt: new Date(Date.now() + 3600_000),
        dueAt: new Date(Date.now() + 86_400_000),
      },
    });
    return code;
  }

  async function call(as: Role, method: string, path: string, body?: unknown): Promise<{ status: number; body: any }> {
    if (as === 'no_login') {
      const res = await t.hotline.server.inject({ method: method as 'GET', url: `/api${path}`, ...(body !== undefined ? { payload: body as object } : {}) });
      return { status: res.statusCode, body: res.body ? JSON.parse(res.body) : null };
    }
    return api<any>(t, tokens.get(as)!, method, path, body);
  }
  const status = async (as: Role, method: string, path: string, body?: unknown) => (await call(as, method, path, body)).status;

  beforeAll(async () => {
    t = await startTestHotline();
    const db = t.hotline.db.prisma;
    tokens.set('admin', await staffLogin(t, 'admin@hotline.local'));
    tokens.set('operator', await staffLogin(t, 'operator@hotline.local'));
    tokens.set('agency_staff', await staffLogin(t, `${OWN}@hotline.local`));
    tokens.set('press_officer', await staffLogin(t, `${PRESS}@hotline.local`));
    agencies = (await api<typeof agencies>(t, tokens.get('admin')!, 'GET', '/agencies')).body;
    await db.staffUser.create({
      data: { email: 'lead@so-xay-dung.example', displayName: 'Trưởng phòng', role: 'agency_staff', agencyId: id(OWN), isLead: true, passwordHash: await hashPassword('lead-password-1022') },
    });
    tokens.set('agency_lead', await staffLogin(t, 'lead@so-xay-dung.example', 'lead-password-1022'));
    plainStaffId = (await db.staffUser.findUniqueOrThrow({ where: { email: `${OWN}@hotline.local` } })).id;
  });
  afterAll(async () => {
    await t.stop();
  });

  const rows: Row[] = [
    // ---- inbox views ----
    ['list the inbox', (as) => status(as, 'GET', '/tickets'), 200, 200, 200, 200, 200, 401],
    ['count the inbox', (as) => status(as, 'GET', '/tickets/counts'), 200, 200, 200, 200, 200, 401],
    ['list "assigned to me"', (as) => status(as, 'GET', '/tickets?assignee=me'), 200, 200, 200, 200, 200, 401],
    ['see another agency’s ticket in the inbox', async (as) => {
      const code = await ticket(OTHER);
      const res = await call(as, 'GET', `/tickets?q=${code}`);
      return res.status !== 200 ? res.status : res.body.items.some((i: { trackingCode: string }) => i.trackingCode === code) ? 'listed' : 'not listed';
    }, 'listed', 'listed', 'not listed', 'not listed', 'not listed', 401],
    ['read the dead letters', (as) => status(as, 'GET', '/work'), 200, 200, 403, 403, 403, 401],

    // ---- one ticket ----
    ['open an own-agency ticket', async (as) => status(as, 'GET', `/tickets/${await ticket(OWN)}`), 200, 200, 200, 200, 404, 401],
    ['open another agency’s ticket', async (as) => status(as, 'GET', `/tickets/${await ticket(OTHER)}`), 200, 200, 404, 404, 404, 401],
    ['see the phone and place of an own-agency ticket (audited)', async (as) => {
      const code = await ticket(OWN);
      const res = await call(as, 'GET', `/tickets/${code}`);
      if (res.status !== 200) return res.status;
      if (res.body.personalDataHidden) return res.body.contact.phone === null && res.body.ticket.place === null ? 'hidden' : 'LEAKED';
      const audited = await t.hotline.db.prisma.ticketEvent.count({ where: { kind: 'personal_data_viewed', ticket: { trackingCode: code } } });
      return res.body.contact.phone === '0901234567' && audited === 1 ? 'shown, audited' : 'shown, NOT audited';
    }, 'shown, audited', 'shown, audited', 'shown, audited', 'shown, audited', 404, 401],
    ['see the phone of a press-center ticket', async (as) => {
      const res = await call(as, 'GET', `/tickets/${await ticket(PRESS)}`);
      return res.status !== 200 ? res.status : res.body.personalDataHidden ? 'hidden' : 'shown';
    }, 'shown', 'shown', 404, 404, 'hidden', 401],
    ['reply on an own-agency ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/replies`, { text: 'Đã xử lý.' }), 201, 201, 201, 201, 404, 401],
    ['reply on a press-center ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(PRESS)}/replies`, { text: 'Đã trả lời.' }), 201, 201, 404, 404, 201, 401],
    ['reply on another agency’s ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(OTHER)}/replies`, { text: 'Đã xử lý.' }), 201, 201, 404, 404, 404, 401],
    ['transfer an own-agency ticket', async (as) =>
      status(as, 'POST', `/tickets/${await ticket(OWN)}/assign`, { agencyId: id(OTHER), reason: 'Thuộc ngành điện' }), 200, 200, 200, 200, 404, 401],
    ['assign a triage ticket to an agency', async (as) =>
      status(as, 'POST', `/tickets/${await ticket('tiep-nhan', 'triage')}/assign`, { agencyId: id(OWN), reason: 'Thuộc ngành xây dựng' }), 200, 200, 404, 404, 404, 401],
    ['move an own-agency ticket to in progress', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/status`, { status: 'in_progress' }), 200, 200, 200, 200, 404, 401],
    ['reject an own-agency ticket with a reason', async (as) =>
      status(as, 'POST', `/tickets/${await ticket(OWN)}/status`, { status: 'rejected', reason: 'Không thuộc thẩm quyền' }), 200, 200, 200, 200, 404, 401],
    ['merge an own-agency duplicate', async (as) => {
      const [a, b] = [await ticket(OWN), await ticket(OWN)];
      return status(as, 'POST', `/tickets/${a}/merge`, { into: b });
    }, 200, 200, 200, 200, 404, 401],
    ['merge into another agency’s ticket', async (as) => {
      const [a, b] = [await ticket(OWN), await ticket(OTHER)];
      return status(as, 'POST', `/tickets/${a}/merge`, { into: b });
    }, 200, 200, 404, 404, 404, 401],
    // Only the agency's own people take its tickets; operators and admins give them to someone.
    ['take an own-agency ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/take`), 400, 400, 200, 200, 404, 401],
    ['give an own-agency ticket to a colleague', async (as) =>
      status(as, 'POST', `/tickets/${await ticket(OWN)}/assign-user`, { staffUserId: plainStaffId }), 200, 200, 200, 200, 404, 401],
    ['change the priority of an own-agency ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/priority`, { priority: 'urgent' }), 200, 200, 200, 200, 404, 401],
    ['change the priority of another agency’s ticket', async (as) => status(as, 'POST', `/tickets/${await ticket(OTHER)}/priority`, { priority: 'urgent' }), 200, 200, 404, 404, 404, 401],
    ['list the colleagues a ticket can be given to', async (as) => status(as, 'GET', `/tickets/${await ticket(OWN)}/colleagues`), 200, 200, 200, 200, 404, 401],
    ['canned answers filled for an own-agency ticket', async (as) => status(as, 'GET', `/canned-answers?ticket=${await ticket(OWN)}`), 200, 200, 200, 200, 404, 401],
    ['canned answers filled for another agency’s ticket', async (as) => status(as, 'GET', `/canned-answers?ticket=${await ticket(OTHER)}`), 200, 200, 404, 404, 404, 401],
    // Publishing is the press center's and the answering agency's; operators triage.
    ['ask the person whether an own-agency answer may be published', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/publish-consent`), 202, 404, 202, 202, 202, 401],
    ['write an internal note', async (as) => status(as, 'POST', `/tickets/${await ticket(OWN)}/notes`, { text: 'Đã gọi điện cho người dân.' }), 201, 201, 201, 201, 404, 401],

    // ---- administration ----
    ['list agencies (administration)', (as) => status(as, 'GET', '/admin/agencies'), 200, 403, 403, 403, 403, 401],
    ['rename an agency', (as) => status(as, 'PATCH', `/admin/agencies/${id(OWN)}`, { name: 'Sở Xây dựng' }), 200, 403, 403, 403, 403, 401],
    ['list staff accounts', (as) => status(as, 'GET', '/admin/staff'), 200, 403, 403, 200, 403, 401],
    ['create an own-agency staff account', (as) =>
      status(as, 'POST', '/admin/staff', { email: `new-${as}@so-xay-dung.example`, displayName: 'Cán bộ mới', role: 'agency_staff', agencyId: id(OWN) }), 201, 403, 403, 201, 403, 401],
    ['create an operator account', (as) =>
      status(as, 'POST', '/admin/staff', { email: `op-${as}@hotline.example`, displayName: 'Điều phối viên', role: 'operator', agencyId: id('tiep-nhan') }), 201, 403, 403, 403, 403, 401],
    ['reset an own-agency colleague’s password', async (as) => {
      const user = await t.hotline.db.prisma.staffUser.create({
        data: { email: `reset-${as}-${n++}@so-xay-dung.example`, displayName: 'Cán bộ', role: 'agency_staff', agencyId: id(OWN), passwordHash: 'x' },
      });
      return status(as, 'POST', `/admin/staff/${user.id}/reset-password`);
    }, 200, 403, 403, 200, 403, 401],
    ['reset another agency’s staff password', async (as) => {
      const user = await t.hotline.db.prisma.staffUser.findUniqueOrThrow({ where: { email: `${OTHER}@hotline.local` } });
      return status(as, 'POST', `/admin/staff/${user.id}/reset-password`);
    }, 200, 403, 403, 403, 403, 401],
    ['list routing rules', (as) => status(as, 'GET', '/admin/routing/rules'), 200, 200, 403, 403, 403, 401],
    ['test a text against the routing', (as) => status(as, 'POST', '/admin/routing/test', { text: 'Đèn đường hỏng' }), 200, 200, 403, 403, 403, 401],
    ['add a routing rule', (as) => status(as, 'POST', '/admin/routing/rules', { name: `Quy tắc ${as}`, topic: 'transport', agencyId: id(OWN), active: false }), 201, 403, 403, 403, 403, 401],
    ['list knowledge-base entries', (as) => status(as, 'GET', '/admin/knowledge'), 200, 403, 403, 200, 403, 401],
    ['add a day off', (as) => status(as, 'PUT', '/admin/calendar/days/2030-01-02', { kind: 'holiday', name: 'Thử', nameEn: 'Test' }), 200, 403, 403, 403, 403, 401],
    ['read the administration history', (as) => status(as, 'GET', '/admin/audit'), 200, 403, 403, 200, 403, 401],

    ['write a canned answer for every agency', (as) =>
      status(as, 'POST', '/canned-answers', { title: `Mẫu ${as}`, body: 'Chào {{name}}, yêu cầu {{code}} đã được tiếp nhận.', locale: 'vi', agencyId: null }), 201, 403, 403, 403, 403, 401],
    ['write a canned answer for the own agency', (as) =>
      status(as, 'POST', '/canned-answers', { title: `Mẫu riêng ${as}`, body: 'Chào {{name}}.', locale: 'vi', agencyId: id(OWN) }), 201, 403, 403, 201, 403, 401],
    ['read my notifications', (as) => status(as, 'GET', '/notifications'), 200, 200, 200, 200, 200, 401],
    ['open the live stream without signing in', async (as) => (as === 'no_login' ? status(as, 'GET', '/live') : 'n/a'), 'n/a', 'n/a', 'n/a', 'n/a', 'n/a', 401],

    // ---- reports ----
    ['read the dashboard', (as) => status(as, 'GET', '/reports/dashboard'), 200, 200, 200, 200, 200, 401],
    ['read another agency’s dashboard', (as) => status(as, 'GET', `/reports/dashboard?agencyId=${id(OTHER)}`), 200, 200, 403, 403, 200, 401],
    ['read the period report', (as) => status(as, 'GET', '/reports/period?period=year&year=2026'), 200, 200, 403, 403, 200, 401],

    // ---- the press center ----
    ['list press profiles', (as) => status(as, 'GET', '/press/profiles'), 200, 403, 403, 403, 200, 401],
    ['list announcements', (as) => status(as, 'GET', '/press/announcements'), 200, 403, 403, 403, 200, 401],
    ['list published answers', (as) => status(as, 'GET', '/press/published'), 200, 200, 200, 200, 200, 401],
    ['read my requests for input', (as) => status(as, 'GET', '/subtasks'), 200, 200, 200, 200, 200, 401],
    ['ask agencies for input on a press-center ticket', async (as) =>
      status(as, 'POST', `/tickets/${await ticket(PRESS)}/subtasks`, { agencyIds: [id(OWN)], question: 'Xin số liệu' }), 201, 403, 403, 403, 201, 401],
  ];

  const cells = rows.flatMap(([action, run, ...outcomes]) => ROLES.map((role, i) => [action, role, run, outcomes[i]!] as const));

  it.each(cells)('%s — %s', async (_action, role, run, expected) => {
    expect(await run(role)).toBe(expected);
  });
});
