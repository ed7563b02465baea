// The console's inbox: what each role may read inside a ticket (only that ticket's messages for an
// agency; the phone and exact place only for those who need them, each view audited), the list's
// filters, order and paging, the counts, and taking or giving a ticket to one person.
import type { Prisma } from '../../src/generated/prisma/client';
import { api, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

type Row = { trackingCode: string; priority: string; dueAt: string; assignee: { id: string; displayName: string } | null };
type Page = { items: Row[]; total: number; nextCursor: string | null };

describe('console inbox', () => {
  let t: TestHotline;
  let operator: string;
  let trade: string; // Sở Công Thương staff
  let health: string; // Sở Y tế staff
  let press: string; // press officer
  const agencyIds = new Map<string, string>();
  let seq = 0;
  const db = () => t.hotline.db.prisma;

  /** A ticket stored as the intake would leave it, with its own messages in the person's conversation. */
  async function makeTicket(opts: {
    agency: string;
    conversationId?: string;
    contactId?: string;
    priority?: 'urgent' | 'normal' | 'complex';
    dueInHours?: number;
    topic?: string;
    channel?: 'webchat' | 'telegram';
    onlineSupport?: boolean;
    summary?: string;
    phone?: string;
    place?: string;
    messages?: string[];
    set?: Partial<Prisma.TicketUncheckedCreateInput>;
  }): Promise<{ code: string; id: string; conversationId: string; contactId: string; messageIds: string[] }> {
    const n = ++seq;
    const channel = opts.channel ?? 'webchat';
    const contactId =
      opts.contactId ??
      (
        await db().contact.create({
          data: { channel, channelUserId: `inbox-${n}`, ...(opts.phone ? { phone: opts.phone, phoneConsent: true, phoneConsentAt: new Date() } : {}) },
        })
      ).id;
    const conversationId = opts.conversationId ?? (await db().conversation.create({ data: { contactId, channel } })).id;
    const code = `HCM-26-${'QRSTV'[n % 5]}${'WXYZ2'[Math.floor(n / 5) % 5]}${'3456789ABC'[n % 10]}${'DEFGH'[Math.floor(n / 25) % 5]}K`;
    const due = new Date(Date.now() + (opts.dueInHours ?? 24) * 3600_000);
    const ticket = await db().ticket.create({
      data: {
        trackingCode: code,
        contactId,
        conversationId,
        channel,
        status: 'assigned',
        priority: opts.priority ?? 'normal',
        topic: opts.topic ?? null,
        onlineSupport: opts.onlineSupport ?? false,
        agencyId: agencyIds.get(opts.agency)!,
        routingReason: 'test',
        summary: opts.summary ?? `Phản ánh số ${n}`,
        place: opts.place ?? null,
        latitude: opts.place ? 10.7725 : null,
        longitude: opts.place ? 106.698 : null,
        acceptDueAt: due,
        dueAt: due,
        ...opts.set,
      },
    });
    const messageIds: string[] = [];
    for (const text of opts.messages ?? []) {
      const conversation = await db().conversation.update({ where: { id: conversationId }, data: { lastSeq: { increment: 1 } } });
      const message = await db().message.create({
        data: {
          conversationId,
          seq: conversation.lastSeq,
          direction: 'inbound',
          author: 'person',
          channel,
          text,
          ticketId: ticket.id,
          attachments: [{ type: 'image', url: `https://cdn.example.test/${n}.jpg` }],
        },
      });
      messageIds.push(message.id);
    }
    return { code, id: ticket.id, conversationId, contactId, messageIds };
  }

  const list = (token: string, query = '') => api<Page>(t, token, 'GET', `/tickets${query ? `?${query}` : ''}`);
  const codes = async (token: string, query = '') => {
    const reply = await list(token, query);
    expect(reply.status).toBe(200);
    return reply.body.items.map((r) => r.trackingCode);
  };

  beforeAll(async () => {
    t = await startTestHotline({ runWorkers: false });
    for (const a of await db().agency.findMany()) agencyIds.set(a.slug, a.id);
    [operator, trade, health, press] = await Promise.all([
      staffLogin(t, 'operator@hotline.local'),
      staffLogin(t, 'so-cong-thuong@hotline.local'),
      staffLogin(t, 'so-y-te@hotline.local'),
      staffLogin(t, 'trung-tam-bao-chi@hotline.local'),
    ]);
  });
  afterAll(async () => {
    await t.stop();
  });

  describe('inside a ticket', () => {
    it('shows an agency only the messages of its own ticket; operators the whole conversation; another agency nothing', async () => {
      const first = await makeTicket({ agency: 'so-cong-thuong', messages: ['Cửa hàng bán hàng giả ở chợ Bến Thành'] });
      const second = await makeTicket({
        agency: 'so-y-te',
        contactId: first.contactId,
        conversationId: first.conversationId,
        messages: ['Con tôi bị ngộ độc thực phẩm ở trường'],
      });
      type Detail = { messages: Array<{ id: string; text: string; ticketId: string; attachments: Array<{ href?: string }> }> };
      const seen = await api<Detail>(t, trade, 'GET', `/tickets/${first.code}`);
      expect(seen.status).toBe(200);
      expect(seen.body.messages.map((m) => m.text)).toEqual(['Cửa hàng bán hàng giả ở chợ Bến Thành']);
      expect(seen.body.messages.every((m) => m.ticketId === first.id)).toBe(true);
      const all = await api<Detail>(t, operator, 'GET', `/tickets/${first.code}`);
      expect(all.body.messages.map((m) => m.text)).toEqual(['Cửa hàng bán hàng giả ở chợ Bến Thành', 'Con tôi bị ngộ độc thực phẩm ở trường']);
      // Nor the files of the other ticket's messages, nor the other agency's ticket.
      const theirs = `/messages/${second.messageIds[0]}/attachments/0`;
      expect((await api(t, trade, 'GET', theirs)).status).toBe(404);
      expect((await api(t, health, 'GET', theirs)).status).toBe(302);
      expect((await api(t, operator, 'GET', theirs)).status).toBe(302);
      expect((await api(t, trade, 'GET', `/tickets/${second.code}`)).status).toBe(404);
      expect((await api(t, health, 'GET', `/tickets/${first.code}`)).status).toBe(404);
    });

    it('shows the phone and exact place to operators and the handling agency’s staff, recording each view, and hides them from others', async () => {
      const mine = await makeTicket({ agency: 'so-cong-thuong', phone: '0903123456', place: '45 Lê Thánh Tôn' });
      type Detail = {
        ticket: { place: string | null; latitude: number | null; longitude: number | null };
        contact: { phone: string | null };
        personalDataHidden: boolean;
        events: Array<{ kind: string; actorId: string | null; data: Record<string, unknown> }>;
      };
      const staffView = await api<Detail>(t, trade, 'GET', `/tickets/${mine.code}`);
      expect(staffView.body).toMatchObject({
        ticket: { place: '45 Lê Thánh Tôn', latitude: 10.7725, longitude: 106.698 },
        contact: { phone: '0903123456' },
        personalDataHidden: false,
      });
      const me = await api<{ id: string }>(t, trade, 'GET', '/me');
      const opMe = await api<{ id: string }>(t, operator, 'GET', '/me');
      await api(t, operator, 'GET', `/tickets/${mine.code}`);
      const events = await db().ticketEvent.findMany({ where: { ticketId: mine.id, kind: 'personal_data_viewed' }, orderBy: { createdAt: 'asc' } });
      expect(events.map((e) => [e.actorId, e.data])).toEqual([
        [me.body.id, { actorId: me.body.id }],
        [opMe.body.id, { actorId: opMe.body.id }],
      ]);

      // The press centre's own ticket: its press officer sees the ticket, not the person's details.
      const pressTicket = await makeTicket({ agency: 'trung-tam-bao-chi', phone: '0903999888', place: '1 Công xã Paris' });
      await db().message.create({
        data: {
          conversationId: pressTicket.conversationId,
          seq: 50,
          direction: 'inbound',
          author: 'person',
          channel: 'webchat',
          text: '',
          ticketId: pressTicket.id,
          attachments: [{ type: 'location', latitude: 10.7769, longitude: 106.7009 }],
        },
      });
      const pressView = await api<Detail>(t, press, 'GET', `/tickets/${pressTicket.code}`);
      expect(pressView.body).toMatchObject({
        ticket: { place: null, latitude: null, longitude: null },
        contact: { phone: null },
        personalDataHidden: true,
      });
      expect(JSON.stringify(pressView.body)).not.toMatch(/0903999888|Công xã Paris|10\.7769|106\.7009/);
      expect((pressView.body as unknown as { messages: Array<{ attachments: unknown[] }> }).messages[0]!.attachments).toEqual([{ type: 'location', hidden: true }]);
      expect(await db().ticketEvent.count({ where: { ticketId: pressTicket.id, kind: 'personal_data_viewed' } })).toBe(0);
      expect(await db().ticketEvent.count({ where: { ticketId: pressTicket.id, kind: 'viewed' } })).toBe(1);
      const operatorView = await api<{ messages: Array<{ attachments: unknown[] }> }>(t, operator, 'GET', `/tickets/${pressTicket.code}`);
      expect(operatorView.body.messages[0]!.attachments).toEqual([{ type: 'location', latitude: 10.7769, longitude: 106.7009 }]);
      expect(await db().ticketEvent.count({ where: { ticketId: pressTicket.id, kind: 'personal_data_viewed' } })).toBe(1);
      // Searching by phone is for those who may see it.
      expect(await codes(press, 'q=0903999888')).toEqual([]);
      expect(await codes(operator, 'q=0903999888')).toEqual([pressTicket.code]);
    });
  });

  describe('the list', () => {
    let tickets: Record<'urgentSoon' | 'urgentLater' | 'normalSoon' | 'normalLater' | 'complex', { code: string; id: string }>;
    const agency = 'so-khoa-hoc-cong-nghe';
    let science: string;

    beforeAll(async () => {
      science = await staffLogin(t, 'so-khoa-hoc-cong-nghe@hotline.local');
      // Opened a minute apart, in this order (sort=newest).
      const opened = (i: number) => ({ createdAt: new Date(Date.now() - (10 - i) * 60_000) });
      tickets = {
        normalLater: await makeTicket({ agency, priority: 'normal', dueInHours: 30, summary: 'Mạng 5G chập chờn ở Thủ Thiêm', set: opened(1) }),
        urgentLater: await makeTicket({ agency, priority: 'urgent', dueInHours: 10, channel: 'telegram', topic: 'digital_services', onlineSupport: true, set: opened(2) }),
        complex: await makeTicket({ agency, priority: 'complex', dueInHours: 2, set: opened(3) }),
        normalSoon: await makeTicket({ agency, priority: 'normal', dueInHours: 3, phone: '0912345678', set: { ...opened(4), acceptOverdueAt: new Date() } }),
        urgentSoon: await makeTicket({ agency, priority: 'urgent', dueInHours: 1, set: opened(5) }),
      };
    });
    const all = () => [tickets.urgentSoon, tickets.urgentLater, tickets.normalSoon, tickets.normalLater, tickets.complex].map((x) => x.code);

    it('puts urgent tickets first, each group by its deadline; newest first on request', async () => {
      const page = await list(science);
      expect(page.body).toMatchObject({ total: 5, nextCursor: null });
      expect(page.body.items.map((r) => r.trackingCode)).toEqual(all());
      expect(await codes(science, 'sort=newest')).toEqual([...Object.values(tickets)].reverse().map((x) => x.code));
    });

    it('applies each filter', async () => {
      expect(await codes(science, 'priority=urgent')).toEqual([tickets.urgentSoon.code, tickets.urgentLater.code]);
      expect(await codes(science, 'topic=digital_services')).toEqual([tickets.urgentLater.code]);
      expect(await codes(science, 'channel=telegram')).toEqual([tickets.urgentLater.code]);
      expect(await codes(science, 'onlineSupport=true')).toEqual([tickets.urgentLater.code]);
      expect(await codes(science, 'onlineSupport=false')).not.toContain(tickets.urgentLater.code);
      expect(await codes(science, 'overdue=true')).toEqual([tickets.normalSoon.code]);
      expect(await codes(science, 'status=closed')).toEqual([]);
      // Status groups: these five are all work to do.
      expect(await codes(science, 'state=open')).toEqual(all());
      expect(await codes(science, 'state=final')).toEqual([]);
      expect(await codes(science, 'state=waiting_for_person&priority=urgent')).toEqual([]);
      expect(await codes(science, `q=${tickets.complex.code.toLowerCase()}`)).toEqual([tickets.complex.code]);
      expect(await codes(science, `q=${encodeURIComponent('5g chập')}`)).toEqual([tickets.normalLater.code]);
      expect(await codes(science, 'q=0912%20345')).toEqual([tickets.normalSoon.code]);
      expect(await codes(operator, `agencyId=${agencyIds.get(agency)}&priority=complex`)).toEqual([tickets.complex.code]);
      // Agency staff cannot widen their inbox with agencyId.
      expect(await codes(trade, `agencyId=${agencyIds.get(agency)}`)).not.toContain(tickets.complex.code);
      expect(await codes(health, 'q=0912345678')).toEqual([]);
    });

    it('pages by cursor and by page number, with the total of every page', async () => {
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const reply: { status: number; body: Page } = await list(science, `limit=2${cursor ? `&cursor=${cursor}` : ''}`);
        expect(reply.body.total).toBe(5);
        seen.push(...reply.body.items.map((r) => r.trackingCode));
        cursor = reply.body.nextCursor;
        pages++;
      } while (cursor);
      expect(pages).toBe(3);
      expect(seen).toEqual(all());
      expect(await codes(science, 'page=2&limit=2')).toEqual(all().slice(2, 4));
      expect(await codes(science, 'page=9&limit=2')).toEqual([]);
      expect((await list(science, 'page=1&cursor=HCM-26-QQQQQ')).body).toMatchObject({ error: 'bad_paging' });
      expect((await list(health, `cursor=${tickets.complex.code}`)).body).toMatchObject({ error: 'bad_cursor' });
    });

    it('answers 400 to unknown parameters and bad values', async () => {
      for (const query of ['colour=red', 'limit=101', 'limit=0', 'priority=high', 'assignee=someone', 'overdue=maybe', 'channel=fax', 'state=closed']) {
        const reply = await list(science, query);
        expect([query, reply.status]).toEqual([query, 400]);
      }
    });

    it('counts the tickets of the caller’s view by status, overdue and taken by them', async () => {
      const counts = await api<{ total: number; byStatus: Record<string, number>; overdue: number; mine: number }>(t, science, 'GET', '/tickets/counts');
      expect(counts.body).toMatchObject({ total: 5, open: 5, notTaken: 5, overdue: 1, mine: 0, byStatus: { assigned: 5, triage: 0, closed: 0 } });
      const everyone = await api<{ total: number }>(t, operator, 'GET', '/tickets/counts');
      expect(everyone.body.total).toBeGreaterThan(5);
      expect((await api(t, science, 'GET', '/tickets/counts?status=new')).status).toBe(400);
    });

    it('lets staff take a ticket of their agency or give it to a colleague, and lists theirs with assignee=me', async () => {
      const scienceAgency = agencyIds.get(agency)!;
      const colleague = await db().staffUser.create({
        data: { email: 'kh-cn-2@hotline.local', displayName: 'Cán bộ thứ hai', passwordHash: 'x', role: 'agency_staff', agencyId: scienceAgency },
      });
      const me = (await api<{ id: string }>(t, science, 'GET', '/me')).body;
      const taken = await api(t, science, 'POST', `/tickets/${tickets.complex.code}/take`);
      expect(taken).toMatchObject({ status: 200, body: { trackingCode: tickets.complex.code, assigneeId: me.id } });
      expect(await codes(science, 'assignee=me')).toEqual([tickets.complex.code]);
      expect((await list(science, 'assignee=me')).body.items[0]!.assignee).toEqual({ id: me.id, displayName: expect.any(String) });
      expect(await codes(science, 'assignee=none')).not.toContain(tickets.complex.code);
      const given = await api(t, science, 'POST', `/tickets/${tickets.normalLater.code}/assign-user`, { staffUserId: colleague.id });
      expect(given).toMatchObject({ status: 200, body: { assigneeId: colleague.id } });
      expect(await codes(operator, `assignee=${colleague.id}`)).toEqual([tickets.normalLater.code]);
      // One taken by me, one given to a colleague: three left that nobody has taken.
      expect((await api<{ mine: number; notTaken: number }>(t, science, 'GET', '/tickets/counts')).body).toMatchObject({ mine: 1, notTaken: 3 });

      // Only people of the agency holding it; another agency does not even see it.
      const outsider = (await api<{ id: string }>(t, health, 'GET', '/me')).body;
      const wrongPerson = await api(t, science, 'POST', `/tickets/${tickets.normalLater.code}/assign-user`, { staffUserId: outsider.id });
      expect(wrongPerson).toMatchObject({ status: 400, body: { error: 'not_agency_staff' } });
      expect((await api(t, health, 'POST', `/tickets/${tickets.urgentSoon.code}/take`)).status).toBe(404);
      expect(await api(t, operator, 'POST', `/tickets/${tickets.urgentSoon.code}/take`)).toMatchObject({ status: 400, body: { error: 'not_agency_staff' } });
      const events = await db().ticketEvent.findMany({ where: { ticketId: tickets.complex.id, kind: 'assignee_changed' } });
      expect(events).toEqual([expect.objectContaining({ actorId: me.id, data: { fromAssigneeId: null, toAssigneeId: me.id } })]);

      // Sent to another agency, the ticket leaves its person too.
      await api(t, science, 'POST', `/tickets/${tickets.complex.code}/assign`, { agencyId: agencyIds.get('so-y-te'), reason: 'Thuộc ngành y tế' });
      expect((await db().ticket.findUniqueOrThrow({ where: { id: tickets.complex.id } })).assigneeId).toBeNull();
    });
  });
});
