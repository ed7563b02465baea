// The slice end to end over a real WebSocket: message → ack after commit → ticket with a tracking
// code → bot reply → staff reply delivered live, and replayed to a person who was offline.
import { ChatClient, api, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('web chat round trip', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('acknowledges only a committed message, opens a ticket and replies with its tracking code', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const seq = await chat.sendMessage('m1', 'Đèn đường trước số 12 Lê Lợi bị hỏng 3 ngày nay');
    // The ack came after the commit: the message is readable right now.
    const stored = await t.hotline.db.prisma.message.findUnique({
      where: { channel_externalId: { channel: 'webchat', externalId: `${sessionId}:m1` } },
    });
    expect(stored).toMatchObject({ seq, direction: 'inbound', text: 'Đèn đường trước số 12 Lê Lợi bị hỏng 3 ngày nay' });

    const reply = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot');
    expect(reply.seq).toBeGreaterThan(seq);
    const code = CODE.exec(String(reply.text))?.[1];
    expect(code).toBeDefined();
    expect(reply.text).toContain('Tổ tiếp nhận');
    expect(reply.text).toContain(`https://hotline.test/t/${code}`);

    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code! }, include: { agency: true } });
    expect(ticket).toMatchObject({ status: 'triage', intent: null, topic: null, priority: 'normal' });
    expect(ticket.agency?.isTriage).toBe(true);
    expect(ticket.routingReason).toMatch(/Chưa phân loại/);
    const events = await t.hotline.db.prisma.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } });
    expect(events.map((e) => e.kind)).toEqual(['opened', 'routed']);
    await chat.close();
  });

  it('adds follow-up messages to the open ticket instead of opening another', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('a', 'Nước sinh hoạt bị đục');
    const first = await chat.waitFor((f) => f.type === 'message' && CODE.test(String(f.text)));
    const code = CODE.exec(String(first.text))![1]!;
    await chat.sendMessage('b', 'Ở hẻm 45 Nguyễn Trãi');
    const appended = await chat.waitFor((f) => f.type === 'message' && String(f.text).startsWith('Đã bổ sung'));
    expect(appended.text).toContain(code);
    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code }, include: { messages: true } });
    expect(ticket.messages.filter((m) => m.direction === 'inbound')).toHaveLength(2);
    await chat.close();
  });

  it('answers in English for an English session, and looks up a quoted tracking code', async () => {
    const { token } = await newSession(t, 'en');
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('x', 'The pedestrian light at Nguyen Hue is broken');
    const opened = await chat.waitFor((f) => f.type === 'message');
    expect(opened.text).toMatch(/^Thank you for contacting the Hotline/);
    const code = CODE.exec(String(opened.text))![1]!;
    await chat.sendMessage('y', `what is the status of ${code.toLowerCase()}?`);
    const status = await chat.waitFor((f) => f.type === 'message' && String(f.text).startsWith(`Request ${code}`));
    expect(status.text).toContain('waiting to be assigned');
    await chat.sendMessage('z', 'HCM-26-ZZZZZ');
    const unknown = await chat.waitFor((f) => f.type === 'message' && String(f.text).includes('No request with the code HCM-26-ZZZZZ'));
    expect(unknown).toBeDefined();
    await chat.close();
  });

  it('stores a redelivered message once and acknowledges it with the same sequence number', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const first = await chat.sendMessage('dup', 'Rác ùn ứ đầu hẻm');
    chat.frames.length = 0;
    const again = await chat.sendMessage('dup', 'Rác ùn ứ đầu hẻm');
    expect(again).toBe(first);
    const count = await t.hotline.db.prisma.message.count({ where: { channel: 'webchat', externalId: `${sessionId}:dup` } });
    expect(count).toBe(1);
    await eventually(async () => (await t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);
    expect(await t.hotline.db.prisma.ticket.count({ where: { conversation: { contact: { channelUserId: sessionId } } } })).toBe(1);
    await chat.close();
  });

  it('replays what was missed after a reconnect with after=<seq>', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const seq = await chat.sendMessage('r1', 'Cây xanh gãy đổ chắn đường');
    await chat.close(); // offline before the bot has answered
    await eventually(async () => (await t.hotline.db.prisma.outboxJob.count({ where: { status: 'pending' } })) === 0);

    const back = await ChatClient.connect(t, token, seq);
    const replayed = await back.waitFor((f) => f.type === 'message');
    expect(replayed).toMatchObject({ from: 'bot', seq: seq + 1 });
    expect(replayed.text).toMatch(CODE);
    await back.close();

    const upToDate = await ChatClient.connect(t, token, seq + 1);
    upToDate.send({ type: 'ping' });
    await upToDate.waitFor((f) => f.type === 'pong');
    expect(upToDate.frames.filter((f) => f.type === 'message')).toHaveLength(0);
    await upToDate.close();
  });

  it('delivers a staff reply live, records it, and replays it to a person who was offline', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('s1', 'Mất điện từ 8h sáng ở phường Bến Thành');
    const opened = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot');
    const code = CODE.exec(String(opened.text))![1]!;

    const operator = await staffLogin(t, 'operator@hotline.local');
    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    const power = agencies.body.find((a) => a.slug === 'dien-luc')!;
    const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Sự cố điện' });
    expect(assigned).toMatchObject({ status: 200, body: { status: 'assigned', agencyId: power.id } });

    const staff = await staffLogin(t, 'dien-luc@hotline.local');
    const inbox = await api<{ items: Array<{ trackingCode: string }> }>(t, staff, 'GET', '/tickets');
    expect(inbox.body.items.map((x) => x.trackingCode)).toContain(code);
    const replied = await api(t, staff, 'POST', `/tickets/${code}/replies`, { text: 'Đội sửa chữa đã khắc phục lúc 10h30.' });
    expect(replied).toMatchObject({ status: 201, body: { status: 'answered' } });

    const live = await chat.waitFor((f) => f.type === 'message' && f.from === 'agent');
    expect(live.text).toContain('Đội sửa chữa đã khắc phục lúc 10h30.');
    expect(live.text).toContain('Tổng công ty Điện lực Thành phố');
    await eventually(async () => {
      const m = await t.hotline.db.prisma.message.findFirst({ where: { author: 'agent', text: { contains: '10h30' } } });
      return m?.delivery === 'sent';
    });
    await chat.close();

    // The person was offline for a second answer: it waits in the database and is replayed.
    // It carries a photo: staff attach public https images, never other schemes.
    const photo = 'https://cdn.example.vn/cong-to-moi.jpg';
    const badImage = await api(t, staff, 'POST', `/tickets/${code}/replies`, { text: 'Ảnh', images: ['javascript:alert(1)'] });
    expect(badImage.status).toBe(400);
    await api(t, staff, 'POST', `/tickets/${code}/replies`, { text: 'Bổ sung: đã thay công tơ mới.', images: [photo] });
    const back = await ChatClient.connect(t, token, Number(live.seq));
    const missed = await back.waitFor((f) => f.type === 'message' && f.from === 'agent');
    expect(missed.text).toContain('đã thay công tơ mới');
    expect(missed.images).toEqual([photo]);
    await back.close();

    const detail = await api<{ events: Array<{ kind: string }> }>(t, staff, 'GET', `/tickets/${code}`);
    expect(detail.body.events.map((e) => e.kind)).toEqual(['opened', 'routed', 'assigned', 'replied', 'replied']);
  });

  it('opens a new ticket when the person writes again after an answer, and speaks English to English sessions', async () => {
    const { token } = await newSession(t, 'en');
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('e1', 'Streetlight out on Pasteur street');
    const first = CODE.exec(String((await chat.waitFor((f) => f.type === 'message')).text))![1]!;
    const operator = await staffLogin(t, 'operator@hotline.local');
    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    await api(t, operator, 'POST', `/tickets/${first}/assign`, {
      agencyId: agencies.body.find((a) => a.slug === 'so-xay-dung')!.id,
      reason: 'Street lighting',
    });
    const staff = await staffLogin(t, 'so-xay-dung@hotline.local');
    await api(t, staff, 'POST', `/tickets/${first}/replies`, { text: 'Fixed this morning.' });
    const answer = await chat.waitFor((f) => f.from === 'agent');
    expect(answer.text).toBe(`Department of Construction answers your request ${first}:\nFixed this morning.\n\nDid this answer solve your problem?`);
    expect(answer.buttons).toEqual([
      { label: 'Solved', value: `feedback:solved:${first}` },
      { label: 'Not solved', value: `feedback:unsolved:${first}` },
    ]);

    await chat.sendMessage('e2', 'Another one is broken near the market');
    const second = await chat.waitFor((f) => f.from === 'bot' && CODE.test(String(f.text)) && !String(f.text).includes(first));
    const code2 = CODE.exec(String(second.text))![1]!;
    expect(code2).not.toBe(first);
    const answered = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: first }, include: { events: true, messages: true } });
    expect(answered.events.map((e) => e.kind)).not.toContain('message_added');
    expect(answered.messages.filter((m) => m.direction === 'inbound')).toHaveLength(1);
    await chat.close();
  });
});
