// GET /api/live: the console's Server-Sent Events. A ticket opened by the worker, moved by staff
// and answered reaches the consoles that may see it — the operators all, an agency only its own
// tickets — with a heartbeat in between; no login, no stream; a logout or the hotline stopping
// ends it. On PostgreSQL and Redis, an event from a worker or from another API node reaches a
// console connected to this one (the chat bus's Redis pub/sub).
import { api, ChatClient, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { codeIn, LiveClient } from '../helpers/live';
import { allOf, describeIf, REQUIRES } from '../helpers/requires';

jest.setTimeout(120_000);

const isoTime = expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);

/** A person writes on the web chat until the worker has opened a ticket (in triage: no classifier); its code. */
async function fileTicket(t: TestHotline, text: string): Promise<string> {
  const session = await newSession(t);
  const chat = await ChatClient.connect(t, session.token);
  try {
    const reply = await chat.sendAndFile(`m-${Math.random().toString(36).slice(2)}`, text);
    return codeIn(reply.text);
  } finally {
    await chat.close();
  }
}

describe('live updates (one hotline)', () => {
  let t: TestHotline;
  let operator: string;
  let construction: string; // Sở Xây dựng staff
  let police: string; // Công an staff
  let constructionId: string;
  let policeId: string;
  const streams: LiveClient[] = [];
  const open = async (token: string) => {
    const live = await LiveClient.connect(t, token);
    streams.push(live);
    return live;
  };

  beforeAll(async () => {
    t = await startTestHotline({ env: { LIVE_HEARTBEAT_SECONDS: '1' } });
    operator = await staffLogin(t, 'operator@hotline.local');
    construction = await staffLogin(t, 'so-xay-dung@hotline.local');
    police = await staffLogin(t, 'cong-an-thanh-pho@hotline.local');
    const agencies = await t.hotline.db.prisma.agency.findMany({ select: { id: true, slug: true } });
    constructionId = agencies.find((a) => a.slug === 'so-xay-dung')!.id;
    policeId = agencies.find((a) => a.slug === 'cong-an-thanh-pho')!.id;
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await t.stop();
  });

  it('answers 401 without a login, and streams text/event-stream with heartbeat comments to a logged-in console', async () => {
    const anonymous = await fetch(`${t.baseUrl}/api/live`);
    expect(anonymous.status).toBe(401);
    expect(await anonymous.json()).toMatchObject({ error: 'unauthorized' });
    const forged = await fetch(`${t.baseUrl}/api/live`, { headers: { authorization: 'Bearer not-a-token' } });
    expect(forged.status).toBe(401);

    const live = await open(operator);
    expect(live.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
    expect(live.response.headers.get('cache-control')).toMatch(/no-cache/);
    await live.waitForComment(/^heartbeat /);
  });

  it('tells the operators of a ticket the worker opened, then only the agency it goes to, of its moves and messages', async () => {
    const ops = await open(operator);
    const mine = await open(construction);
    const other = await open(police);

    const code = await fileTicket(t, 'Đèn đường trước số 12 Lê Lợi bị hỏng');
    const created = await ops.waitFor((f) => f.event === 'ticket_created' && f.data.ticketCode === code);
    expect(created.data).toMatchObject({ ticketCode: code, agencyId: expect.any(String), at: isoTime, status: 'triage' });
    // The operators are the triage agency's staff: a new ticket there is a notification for them.
    const notified = await ops.waitFor((f) => f.event === 'notification' && f.data.ticketCode === code);
    expect(notified.data).toMatchObject({ id: expect.any(String), kind: 'new_ticket', ticketCode: code, at: isoTime, title: expect.stringContaining(code) });
    expect(notified.data).not.toHaveProperty('staffUserId');

    const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: constructionId, reason: 'Đèn đường do Sở Xây dựng quản lý' });
    expect(assigned.status).toBe(200);
    const changed = await mine.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === code);
    expect(changed.data).toMatchObject({ ticketCode: code, agencyId: constructionId, status: 'assigned', change: 'assigned', at: isoTime });
    await ops.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === code);

    const replied = await api<{ messageId: string }>(t, construction, 'POST', `/tickets/${code}/replies`, { text: 'Sở đã cử đội sửa chữa đến thay bóng đèn.' });
    expect(replied.status).toBe(201);
    // The person was told of the assignment (the bot's message), then got the agency's answer.
    const added = await mine.waitFor((f) => f.event === 'message_added' && f.data.ticketCode === code && f.data.author === 'agent');
    expect(added.data).toMatchObject({ ticketCode: code, agencyId: constructionId, direction: 'outbound', messageId: replied.body.messageId });
    await ops.waitFor((f) => f.event === 'message_added' && f.data.ticketCode === code && f.data.author === 'agent');
    // Once the worker has sent it, the consoles showing the ticket hear that its delivery state changed.
    await mine.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === code && f.data.change === 'answer_delivered');

    // A ticket sent to the police afterwards reaches the police's console; by then every event of
    // the first ticket was published before it, so the police's stream has had its chance to show them.
    const second = await fileTicket(t, 'Có người đánh nhau trước cổng chợ Bến Thành');
    await ops.waitFor((f) => f.event === 'ticket_created' && f.data.ticketCode === second);
    await api(t, operator, 'POST', `/tickets/${second}/assign`, { agencyId: policeId, reason: 'Trật tự công cộng' });
    await other.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === second);
    expect(other.frames.filter((f) => f.data.ticketCode === code)).toEqual([]);
    // Nor did the construction department hear of the police's ticket, nor of the operators' notification.
    await mine.waitForComment(/^heartbeat /);
    expect(mine.frames.filter((f) => f.data.ticketCode === second || f.event === 'notification')).toEqual([]);
  });

  it('tells the agency a transfer takes the ticket from that it left', async () => {
    const code = await fileTicket(t, 'Ống nước bị vỡ trên đường Hai Bà Trưng');
    await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: constructionId, reason: 'Hạ tầng' });
    const mine = await open(construction);
    const moved = await api(t, construction, 'POST', `/tickets/${code}/assign`, { agencyId: policeId, reason: 'Không thuộc thẩm quyền của Sở' });
    expect(moved.status).toBe(200);
    const left = await mine.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === code);
    expect(left.data).toMatchObject({ agencyId: policeId, fromAgencyId: constructionId, status: 'transferred' });
  });

  it('ends the stream of a session that logged out', async () => {
    const token = await staffLogin(t, 'so-xay-dung@hotline.local');
    const live = await open(token);
    expect((await api(t, token, 'POST', '/auth/logout')).status).toBe(204);
    await live.waitForEnd();
  });

  it('ends the stream of a session left idle, of a disabled account, and of one moved to another agency', async () => {
    const token = await staffLogin(t, 'cong-an-thanh-pho@hotline.local');
    const idle = await open(token);
    const session = await t.hotline.db.prisma.staffSession.findFirstOrThrow({ where: { staffUser: { email: 'cong-an-thanh-pho@hotline.local' } }, orderBy: { createdAt: 'desc' } });
    await t.hotline.db.prisma.staffSession.update({ where: { id: session.id }, data: { lastSeenAt: new Date(Date.now() - t.hotline.config.consoleSession.idleMs - 60_000) } });
    await idle.waitForEnd();

    const other = await open(await staffLogin(t, 'so-y-te@hotline.local'));
    await t.hotline.db.prisma.staffUser.update({ where: { email: 'so-y-te@hotline.local' }, data: { active: false } });
    await other.waitForEnd();

    // Moved to another agency: the stream ends, and the console reconnects with the new rights.
    const moving = await open(await staffLogin(t, 'so-giao-duc@hotline.local'));
    await t.hotline.db.prisma.staffUser.update({ where: { email: 'so-giao-duc@hotline.local' }, data: { agencyId: constructionId } });
    await moving.waitForEnd();
  });

  it('ends every open stream when the hotline closes', async () => {
    const live = await open(operator);
    await t.hotline.close();
    await live.waitForEnd();
  });
});

describeIf(allOf(REQUIRES.postgres, REQUIRES.redis), 'live updates across nodes (PostgreSQL and Redis)', () => {
  let api1: TestHotline;
  let api2: TestHotline;
  let worker: TestHotline;
  const streams: LiveClient[] = [];

  beforeAll(async () => {
    api1 = await startTestHotline({ role: 'api' });
    const shared = { QUEUE_PREFIX: api1.env.QUEUE_PREFIX!, DATABASE_URL: api1.env.DATABASE_URL! };
    const database = { env: { DATABASE_URL: api1.env.DATABASE_URL! }, drop: async () => undefined };
    api2 = await startTestHotline({ role: 'api', env: shared, database });
    worker = await startTestHotline({ role: 'worker', env: { ...shared, SEED_DEMO: 'false' }, database });
  });
  afterAll(async () => {
    for (const s of streams) s.close();
    await worker?.stop();
    await api2?.stop();
    await api1?.stop();
  });

  it('brings a ticket the worker opened, and a move made on another API node, to a console on this node', async () => {
    const operatorOn1 = await staffLogin(api1, 'operator@hotline.local');
    const live = await LiveClient.connect(api1, operatorOn1);
    streams.push(live);

    // The person writes to the other API node; the ticket is opened by the worker node.
    const code = await fileTicket(api2, 'Đèn đường trước số 12 Lê Lợi bị hỏng');
    const created = await live.waitFor((f) => f.event === 'ticket_created' && f.data.ticketCode === code);
    expect(created.data).toMatchObject({ ticketCode: code, status: 'triage', at: isoTime });
    await live.waitFor((f) => f.event === 'notification' && f.data.ticketCode === code && f.data.kind === 'new_ticket');

    // An operator working on the other API node moves it.
    const operatorOn2 = await staffLogin(api2, 'operator@hotline.local');
    const agencies = (await api<Array<{ id: string; slug: string }>>(api2, operatorOn2, 'GET', '/agencies')).body;
    const construction = agencies.find((a) => a.slug === 'so-xay-dung')!.id;
    expect((await api(api2, operatorOn2, 'POST', `/tickets/${code}/assign`, { agencyId: construction, reason: 'Đèn đường' })).status).toBe(200);
    const changed = await live.waitFor((f) => f.event === 'ticket_changed' && f.data.ticketCode === code);
    expect(changed.data).toMatchObject({ agencyId: construction, status: 'assigned' });
  });
});
