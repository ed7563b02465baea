// The same conversation as on web chat, over Zalo OA: a person writes, the bot answers with a
// tracking code through Zalo's cs API, and an agency's answer arrives the same way — including
// when Zalo refuses, rate-limits or fails part-way.
import { userEvent } from '../../helpers/fake-zalo-oa';
import { api, eventually, staffLogin } from '../../helpers/hotline';
import { APP_ID, BIG_USER_ID, CODE, answerTicket, assignTicket, replyToTicket, sentMatching, startZaloHotline, type ZaloHotline } from './harness';

describe('Zalo OA conversation', () => {
  let z: ZaloHotline;
  beforeAll(async () => {
    z = await startZaloHotline({ env: { QUEUE_MAX_ATTEMPTS: '3', MAX_MESSAGE_CHARS: '6000' } });
  });
  afterAll(async () => {
    await z.stop();
  });

  const prisma = () => z.t.hotline.db.prisma;

  /** A person writes; returns the tracking code the bot answered with. */
  async function openTicket(userId: string, text: string): Promise<string> {
    expect((await z.post(userEvent(APP_ID, 'user_send_text', userId, { text }))).status).toBe(200);
    const reply = await sentMatching(z.fake, (t, to) => to === userId && CODE.test(t));
    return CODE.exec(reply.text!)![1]!;
  }

  async function agentMessage(messageId: string) {
    return prisma().message.findUniqueOrThrow({ where: { id: messageId } });
  }

  async function jobOf(messageId: string) {
    return prisma().outboxJob.findFirstOrThrow({ where: { messageId } });
  }

  it('answers with a tracking code and delivers the agency answer on Zalo', async () => {
    const code = await openTicket(BIG_USER_ID, 'Mất điện từ 8h sáng ở phường Bến Thành');
    const botReply = z.fake.sent.find((m) => m.userId === BIG_USER_ID)!;
    expect(botReply.text).toContain(`https://hotline.test/t/${code}`);
    expect(botReply.accessToken).toBe('at-env');
    const request = z.fake.requests.find((r) => r.endpoint === 'cs' && r.body?.recipient?.user_id === BIG_USER_ID)!;
    expect(request.headers.access_token).toBe('at-env');
    expect(request.body).toEqual({ recipient: { user_id: BIG_USER_ID }, message: { text: botReply.text } });

    const { messageId } = await answerTicket(z.t, code, 'Đội sửa chữa đã khắc phục lúc 10h30.');
    const answer = await sentMatching(z.fake, (t, to) => to === BIG_USER_ID && t.includes('10h30'));
    expect(answer.text).toContain('Tổng công ty Điện lực Thành phố');
    await eventually(async () => (await agentMessage(messageId)).delivery === 'sent');
    const parts = await prisma().deliveryPart.findMany({ where: { messageId } });
    expect(parts).toEqual([expect.objectContaining({ part: 0, channel: 'zalo_oa', externalId: answer.msgId })]);
  });

  it('splits a 4,500-character answer into 3 parts and resends none when the 3rd fails once', async () => {
    const userId = '6001';
    const code = await openTicket(userId, 'Rác thải ùn ứ ở chợ Bến Thành');
    const sentence = 'Đơn vị vệ sinh môi trường đã thu gom rác tại khu vực chợ và sẽ tăng tần suất thu gom. ';
    const long = sentence.repeat(Math.ceil(4500 / sentence.length)).slice(0, 4500).trim();
    const ending = long.slice(-40);
    await assignTicket(z.t, code);
    // The last part (it carries the end of the answer, then the question whether it solved the problem) is refused once with a 502.
    z.fake.fail('cs', { status: 502 }, 1, (r) => r.body?.recipient?.user_id === userId && JSON.stringify(r.body).includes('vấn đề của bạn chưa?'));
    const before = z.fake.requests.length;
    const { messageId } = await replyToTicket(z.t, code, long);
    await eventually(async () => (await agentMessage(messageId)).delivery === 'sent');

    // The first messages to this person were the bot's answer with the tracking code and the notice that it was assigned.
    const parts = z.fake.sent.filter((m) => m.userId === userId).slice(2);
    expect(parts).toHaveLength(3);
    expect(parts.every((p) => [...(p.text ?? '')].length <= 2000)).toBe(true);
    expect(parts[2]!.text!.includes(ending)).toBe(true);
    const stored = await agentMessage(messageId);
    expect(parts.map((p) => p.text).join(' ').replace(/\s+/g, ' ')).toBe(stored.text.replace(/\s+/g, ' '));
    // Part 1 and 2 once, part 3 refused then accepted: nothing was sent twice.
    const calls = z.fake.requests.slice(before).filter((r) => r.endpoint === 'cs' && r.body?.recipient?.user_id === userId);
    expect(calls.map((r) => (r.outcome === 'ok' ? 'ok' : 'refused'))).toEqual(['ok', 'ok', 'refused', 'ok']);
    expect(await jobOf(messageId)).toMatchObject({ status: 'done', attempts: 2 });
    expect(await prisma().deliveryPart.count({ where: { messageId } })).toBe(3);
  });

  it('backs off on -32 (rate limited) and then delivers', async () => {
    const userId = '6002';
    const code = await openTicket(userId, 'Cây xanh đổ chắn ngang đường');
    await assignTicket(z.t, code);
    z.fake.fail('cs', { error: -32, message: 'Exceeded rate limit' }, 1, (r) => r.body?.recipient?.user_id === userId);
    const { messageId } = await replyToTicket(z.t, code, 'Đã cắt tỉa và dọn dẹp cây đổ.');
    await sentMatching(z.fake, (t, to) => to === userId && t.includes('dọn dẹp'));
    await eventually(async () => (await jobOf(messageId)).status === 'done');
    const job = await jobOf(messageId);
    expect(job.attempts).toBe(2);
    const refused = z.fake.requests.filter((r) => r.body?.recipient?.user_id === userId && r.outcome !== 'ok');
    expect(refused).toEqual([expect.objectContaining({ outcome: { error: -32, message: 'Exceeded rate limit' } })]);
  });

  it('does not retry -230 (no interaction within the window): the ticket and the tracking page say so', async () => {
    const userId = '6003';
    const code = await openTicket(userId, 'Đèn tín hiệu giao thông không hoạt động');
    await assignTicket(z.t, code);
    z.fake.fail('cs', { error: -230, message: 'User has not interacted with the OA in the last 7 days' }, 5, (r) => r.body?.recipient?.user_id === userId);
    const { messageId } = await replyToTicket(z.t, code, 'Đèn đã được sửa chữa vào chiều nay.');
    const job = await eventually(async () => {
      const row = await jobOf(messageId);
      return row.status === 'dead' ? row : null;
    });
    expect(job.attempts).toBe(1);
    expect(z.fake.requests.filter((r) => r.body?.recipient?.user_id === userId && r.outcome !== 'ok')).toHaveLength(1);
    // The job is dead-lettered first, then the message and the ticket record why.
    const failed = await eventually(async () => {
      const m = await agentMessage(messageId);
      return m.delivery === 'failed' ? m : null;
    });
    expect(failed.deliveryError).toMatch(/-230/);

    const operator = await staffLogin(z.t, 'operator@hotline.local');
    const detail = await api<{ events: Array<{ kind: string; data: any }> }>(z.t, operator, 'GET', `/tickets/${code}`);
    const event = detail.body.events.find((e) => e.kind === 'answer_not_delivered');
    expect(event?.data).toMatchObject({ channel: 'zalo_oa', reason: 'interaction_window_closed', messageId });

    const page = await fetch(`${z.t.baseUrl}/t/${code}`);
    const html = await page.text();
    expect(html).toContain('Đèn đã được sửa chữa vào chiều nay.');
    expect(html).toContain('data-testid="not-delivered"');
  });

  it('dead-letters a delivery that fails every attempt, visible at GET /api/work?status=dead', async () => {
    const userId = '6004';
    const code = await openTicket(userId, 'Nắp cống bị mất trên đường Hai Bà Trưng');
    await assignTicket(z.t, code);
    z.fake.fail('cs', { status: 502 }, 3, (r) => r.body?.recipient?.user_id === userId);
    const { messageId } = await replyToTicket(z.t, code, 'Đã lắp nắp cống mới.');
    const job = await eventually(async () => {
      const row = await jobOf(messageId);
      return row.status === 'dead' ? row : null;
    });
    expect(job).toMatchObject({ attempts: 3, lastError: expect.stringMatching(/HTTP 502/) });
    const operator = await staffLogin(z.t, 'operator@hotline.local');
    const dead = await api<Array<{ id: string }>>(z.t, operator, 'GET', '/work?status=dead');
    expect(dead.body.map((j) => j.id)).toContain(job.id);
    await eventually(async () => (await agentMessage(messageId)).delivery === 'failed');
  });

  it('offers choices as oa.query.show buttons whose tap comes back as the value', async () => {
    const userId = '6005';
    await openTicket(userId, 'Hỏi về thủ tục');
    const conversation = await prisma().conversation.findFirstOrThrow({ where: { contact: { channelUserId: userId, channel: 'zalo_oa' } } });
    const buttons = [
      { label: 'Có', value: 'co' },
      { label: 'Không', value: 'khong' },
    ];
    const message = await prisma().message.findFirstOrThrow({ where: { conversationId: conversation.id, direction: 'outbound' } });
    await z.zalo.adapter.send(
      { messageId: message.id, conversationId: conversation.id, channel: 'zalo_oa', channelUserId: userId, seq: 99, author: 'bot', text: 'Bạn đã có mã hồ sơ chưa?', buttons },
      { sentParts: new Map(), recordPart: async () => undefined },
    );
    const sent = await sentMatching(z.fake, (t, to) => to === userId && t === 'Bạn đã có mã hồ sơ chưa?');
    expect(sent.buttons).toEqual([
      { title: 'Có', type: 'oa.query.show', payload: 'co' },
      { title: 'Không', type: 'oa.query.show', payload: 'khong' },
    ]);
    // Zalo sends the tap back as an ordinary text message carrying the payload.
    const tap = userEvent(APP_ID, 'user_send_text', userId, { text: 'co' });
    expect((await z.post(tap)).status).toBe(200);
    const stored = await prisma().message.findFirstOrThrow({ where: { conversationId: conversation.id, direction: 'inbound', text: 'co' } });
    expect(stored.author).toBe('person');
  });
});
