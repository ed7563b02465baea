// The staff console API: login, who sees what, the ticket lifecycle, audit of views, dead letters.
import { ChatClient, api, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('console API', () => {
  let t: TestHotline;
  let operator: string;
  let agencies: Array<{ id: string; slug: string; name: string }>;

  async function openTicket(text: string): Promise<string> {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('m', text);
    const reply = await chat.waitFor((f) => f.type === 'message');
    await chat.close();
    return CODE.exec(String(reply.text))![1]!;
  }
  const agencyId = (slug: string) => agencies.find((a) => a.slug === slug)!.id;

  beforeAll(async () => {
    t = await startTestHotline();
    operator = await staffLogin(t, 'operator@hotline.local');
    agencies = (await api<typeof agencies>(t, operator, 'GET', '/agencies')).body;
  });
  afterAll(async () => {
    await t.stop();
  });

  it('refuses wrong passwords, missing and forged tokens with clear messages', async () => {
    const wrong = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@hotline.local', password: 'nope' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ error: 'invalid_credentials', message: 'Wrong e-mail or password.' });
    const unknown = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nobody@hotline.local', password: 'demo1022' }),
    });
    expect(unknown.status).toBe(401);
    const noToken = await fetch(`${t.baseUrl}/api/tickets`);
    expect(noToken.status).toBe(401);
    expect(((await noToken.json()) as { message: string }).message).toMatch(/POST \/api\/auth\/login/);
    expect((await api(t, `${operator}x`, 'GET', '/me')).status).toBe(401);
    const badBody = await fetch(`${t.baseUrl}/api/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(badBody.status).toBe(400);
  });

  it('never returns password hashes', async () => {
    const me = await api<Record<string, unknown>>(t, operator, 'GET', '/me');
    expect(me.body).toMatchObject({ email: 'operator@hotline.local', role: 'operator' });
    expect(JSON.stringify(me.body)).not.toMatch(/argon2/);
  });

  it('shows agency staff only their own agency’s tickets, and hides others’ as not found', async () => {
    const code = await openTicket('Trường mầm non thu thêm phí ngoài quy định');
    const education = await staffLogin(t, 'so-giao-duc@hotline.local');
    const health = await staffLogin(t, 'so-y-te@hotline.local');
    expect((await api(t, education, 'GET', `/tickets/${code}`)).status).toBe(404); // still in triage
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: agencyId('so-giao-duc'), reason: 'Học phí' });
    const mine = await api<{ items: Array<{ trackingCode: string }> }>(t, education, 'GET', '/tickets');
    expect(mine.body.items.map((x) => x.trackingCode)).toContain(code);
    const theirs = await api<{ items: Array<{ trackingCode: string }> }>(t, health, 'GET', '/tickets');
    expect(theirs.body.items.map((x) => x.trackingCode)).not.toContain(code);
    const probe = await api(t, health, 'GET', `/tickets/${code}`);
    expect(probe).toMatchObject({ status: 404, body: { error: 'ticket_not_found' } });
    expect((await api(t, health, 'POST', `/tickets/${code}/replies`, { text: 'x' })).status).toBe(404);
  });

  it('records every view of a ticket in the audit log', async () => {
    const code = await openTicket('Chó thả rông không rọ mõm ở công viên');
    await api(t, operator, 'GET', `/tickets/${code}`);
    const detail = await api<{ events: Array<{ kind: string; actorId: string }>; contact: Record<string, unknown> }>(
      t,
      operator,
      'GET',
      `/tickets/${code}`,
    );
    expect(detail.body.events.filter((e) => e.kind === 'viewed')).toHaveLength(1); // the earlier view; this one is recorded after
    expect(detail.body.contact).toMatchObject({ channel: 'webchat', phone: null });
  });

  it('moves a ticket through its lifecycle and refuses impossible moves', async () => {
    const code = await openTicket('Hố ga mất nắp trên đường Hai Bà Trưng');
    const bad = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: 'not-a-uuid', reason: 'x y z' });
    expect(bad.status).toBe(400);
    const unknown = await api(t, operator, 'POST', `/tickets/${code}/assign`, {
      agencyId: '00000000-0000-4000-8000-000000000000',
      reason: 'Sai',
    });
    expect(unknown).toMatchObject({ status: 400, body: { error: 'unknown_agency' } });
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: agencyId('so-y-te'), reason: 'Nhầm' });
    const health = await staffLogin(t, 'so-y-te@hotline.local');
    // Misrouted: the agency transfers it on, with a reason; it leaves their inbox.
    const moved = await api(t, health, 'POST', `/tickets/${code}/assign`, { agencyId: agencyId('so-xay-dung'), reason: 'Không thuộc ngành y tế' });
    expect(moved).toMatchObject({ status: 200, body: { status: 'transferred' } });
    expect((await api(t, health, 'GET', `/tickets/${code}`)).status).toBe(404);
    const construction = await staffLogin(t, 'so-xay-dung@hotline.local');
    expect((await api(t, construction, 'POST', `/tickets/${code}/status`, { status: 'in_progress' })).body).toMatchObject({ status: 'in_progress' });
    expect((await api(t, construction, 'POST', `/tickets/${code}/notes`, { text: 'Đã cử đội kiểm tra' })).status).toBe(201);
    expect((await api(t, construction, 'POST', `/tickets/${code}/replies`, { text: '   ' })).status).toBe(400);
    expect((await api(t, construction, 'POST', `/tickets/${code}/replies`, { text: 'a'.repeat(4001) })).status).toBe(400);
    await api(t, construction, 'POST', `/tickets/${code}/replies`, { text: 'Đã lắp nắp hố ga mới.' });
    const rejectNoReason = await api(t, construction, 'POST', `/tickets/${code}/status`, { status: 'rejected' });
    expect(rejectNoReason.status).toBe(409);
    expect((await api(t, construction, 'POST', `/tickets/${code}/status`, { status: 'closed' })).body).toMatchObject({ status: 'closed' });
    const late = await api(t, construction, 'POST', `/tickets/${code}/replies`, { text: 'Thêm' });
    expect(late).toMatchObject({ status: 409, body: { error: 'ticket_closed' } });
    const events = await api<{ events: Array<{ kind: string }> }>(t, operator, 'GET', `/tickets/${code}`);
    expect(events.body.events.map((e) => e.kind).filter((k) => k !== 'viewed')).toEqual([
      'opened',
      'routed',
      'assigned',
      'transferred',
      'status_changed',
      'note',
      'replied',
      'status_changed',
    ]);
    // The view names who wrote the reply and who did each step.
    const named = await api<{ messages: Array<{ text: string; staffUserId: string | null }>; staffNames: Record<string, string>; events: Array<{ actorId: string | null }> }>(
      t, operator, 'GET', `/tickets/${code}`);
    const reply = named.body.messages.find((m) => m.text.includes('Đã lắp nắp hố ga mới.'))!;
    const constructionUser = await t.hotline.db.prisma.staffUser.findUniqueOrThrow({ where: { email: 'so-xay-dung@hotline.local' } });
    expect(reply.staffUserId).toBe(constructionUser.id);
    expect(named.body.staffNames[constructionUser.id]).toBe(constructionUser.displayName);
    for (const e of named.body.events) if (e.actorId) expect(named.body.staffNames[e.actorId]).toBeDefined();
  });

  it('answers unknown or malformed tracking codes with 404', async () => {
    expect((await api(t, operator, 'GET', '/tickets/HCM-26-ZZZZZ')).status).toBe(404);
    expect((await api(t, operator, 'GET', '/tickets/%3Cscript%3E')).status).toBe(404);
  });

  it('dead-letters a reply that cannot be delivered, and shows it to operators only', async () => {
    // A Telegram conversation while the Telegram channel is off: delivery fails for good at once.
    const db = t.hotline.db.prisma;
    const contact = await db.contact.create({ data: { channel: 'telegram', channelUserId: '5000000001' } });
    const conversation = await db.conversation.create({ data: { contactId: contact.id, channel: 'telegram' } });
    const triage = await db.agency.findFirstOrThrow({ where: { isTriage: true } });
    const ticket = await db.ticket.create({
      data: {
        trackingCode: 'HCM-26-TGAAA',
        contactId: contact.id,
        conversationId: conversation.id,
        channel: 'telegram',
        status: 'triage',
        agencyId: triage.id,
        routingReason: 'test',
        summary: 'x',
        acceptDueAt: new Date(),
        dueAt: new Date(),
      },
    });
    const sent = await api(t, operator, 'POST', `/tickets/${ticket.trackingCode}/replies`, { text: 'Trả lời' });
    expect(sent.status).toBe(201);
    const dead = await eventually(async () => {
      const rows = await api<Array<{ status: string; lastError: string }>>(t, operator, 'GET', '/work?status=dead');
      return rows.body.length > 0 ? rows.body : null;
    });
    expect(dead[0]).toMatchObject({ status: 'dead', lastError: expect.stringMatching(/telegram is off/) });
    const message = await db.message.findFirstOrThrow({ where: { ticketId: ticket.id, author: 'agent' } });
    expect(message).toMatchObject({ delivery: 'failed', deliveryError: expect.stringMatching(/credentials/) });
    const staff = await staffLogin(t, 'so-y-te@hotline.local');
    expect((await api(t, staff, 'GET', '/work?status=dead')).status).toBe(403);
  });

  it('serves health, readiness, API docs and a JSON 404', async () => {
    expect(await (await fetch(`${t.baseUrl}/healthz`)).json()).toEqual({ status: 'ok' });
    const ready = await fetch(`${t.baseUrl}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({
      status: 'ready',
      database: { ok: true },
      queue: { ok: true },
      channels: { webchat: true, zalo_oa: false, zalo_bot: false, telegram: false },
    });
    const docs = await fetch(`${t.baseUrl}/docs/json`);
    const spec = (await docs.json()) as { paths: Record<string, unknown> };
    expect(Object.keys(spec.paths)).toEqual(expect.arrayContaining(['/api/auth/login', '/api/tickets/{code}/replies', '/webchat/sessions']));
    const missing = await fetch(`${t.baseUrl}/nope`);
    expect(missing.status).toBe(404);
    // A platform webhook of a channel that is off says so, and what turns it on.
    const off = await fetch(`${t.baseUrl}/webhooks/telegram`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(off.status).toBe(404);
    expect(await off.json()).toEqual({ error: 'channel_off', message: expect.stringContaining('TELEGRAM_BOT_TOKEN') });
    expect(await missing.json()).toEqual({ error: 'not_found', message: 'No route GET /nope.' });
    const huge = await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'a', password: 'x'.repeat(300_000) }),
    });
    expect(huge.status).toBe(413);
  });
});
