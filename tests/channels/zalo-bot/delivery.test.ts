// Outbound on the Zalo Bot platform through the whole hotline: the conversation end to end, long
// answers in parts that are never re-sent, rate limits, blocked chats and dead letters.
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../../helpers/hotline';
import { newChatId, postZaloBotWebhook, startFakeZaloBot, zaloUpdate, type FakeZaloBot } from '../../helpers/fake-zalo-bot';

const SECRET = 'zalo-bot-webhook-secret';
const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

describe('Zalo Bot delivery', () => {
  let t: TestHotline;
  let zalo: FakeZaloBot;
  let operator: string;
  beforeAll(async () => {
    zalo = await startFakeZaloBot();
    t = await startTestHotline({
      env: { ZALO_BOT_TOKEN: zalo.token, ZALO_BOT_WEBHOOK_SECRET: SECRET, ZALO_BOT_API_BASE: zalo.apiBase, QUEUE_MAX_ATTEMPTS: '3' },
    });
    operator = await staffLogin(t, 'operator@hotline.local');
  });
  afterAll(async () => {
    await t.stop();
    await zalo.close();
  });

  /** The person writes; resolves with the tracking code of the bot's answer on the platform. */
  async function report(chat: string, text: string): Promise<string> {
    expect((await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(chat, text), SECRET)).status).toBe(200);
    const answer = await eventually(async () => zalo.textsTo(chat).find((x) => CODE.test(x)));
    return CODE.exec(answer)![1]!;
  }

  /** Assigns the ticket to the power company, like the console does; resolves once the person was told so. */
  async function assign(code: string): Promise<void> {
    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    const power = agencies.body.find((a) => a.slug === 'dien-luc')!;
    expect((await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Điện' })).status).toBe(200);
    // The notice is the ticket's latest bot message: once it is delivered, what a test fails next is the answer.
    await eventually(async () => {
      const told = await t.hotline.db.prisma.message.findFirst({ where: { ticket: { trackingCode: code }, author: 'bot' }, orderBy: { seq: 'desc' } });
      return told?.delivery === 'sent';
    });
  }

  /** Answers the (assigned) ticket as the power company's staff. */
  async function reply(code: string, text: string): Promise<void> {
    const staff = await staffLogin(t, 'dien-luc@hotline.local');
    expect(await api(t, staff, 'POST', `/tickets/${code}/replies`, { text })).toMatchObject({ status: 201 });
  }

  /** Assigns the ticket to the power company and answers it as its staff. */
  async function staffAnswer(code: string, text: string): Promise<void> {
    await assign(code);
    await reply(code, text);
  }

  const agentMessage = (code: string) =>
    eventually(() => t.hotline.db.prisma.message.findFirst({ where: { author: 'agent', ticket: { trackingCode: code } }, include: { deliveryParts: true } }));
  const jobOf = (messageId: string) => t.hotline.db.prisma.outboxJob.findFirstOrThrow({ where: { messageId } });

  it('carries a whole conversation: report, tracking code, staff answer on the platform', async () => {
    const chat = newChatId();
    const code = await report(chat, 'Mất điện từ 8h sáng ở phường Bến Thành');
    await staffAnswer(code, 'Đội sửa chữa đã khắc phục lúc 10h30.');
    const answer = await eventually(async () => zalo.textsTo(chat).find((x) => x.includes('10h30')));
    expect(answer).toContain(code);
    expect(answer).toContain('Tổng công ty Điện lực Thành phố');
    const message = await eventually(async () => {
      const m = await agentMessage(code);
      return m.delivery === 'sent' ? m : null;
    });
    // The platform's message id is kept for the part it accepted.
    const accepted = zalo.accepted('sendMessage', chat).find((c) => String(c.body.text).includes('10h30'))!;
    expect(message.deliveryParts).toEqual([
      expect.objectContaining({ part: 0, externalId: (accepted.answer as { body: { result: { message_id: string } } }).body.result.message_id }),
    ]);
  });

  it('splits a long answer into parts of at most 2,000 characters and never re-sends an accepted part', async () => {
    const chat = newChatId();
    const code = await report(chat, 'Cột điện nghiêng sắp đổ ở hẻm 12');
    await assign(code);
    const before = zalo.calls.length;
    let seen = 0;
    // The second part of the answer fails once (a 502 from the platform); the job is retried.
    zalo.fail('sendMessage', { errorCode: 502, description: 'Bad Gateway', when: (b) => b.chat_id === chat && ++seen === 2 });
    const sentence = 'Đội kỹ thuật đã kiểm tra cột điện và sẽ thay thế trong tuần này. ';
    const long = sentence.repeat(Math.floor(3900 / sentence.length)).trim();
    await reply(code, long);

    const message = await eventually(async () => {
      const m = await agentMessage(code);
      return m.delivery === 'sent' ? m : null;
    });
    const requests = zalo.calls.slice(before).filter((c) => c.method === 'sendMessage' && c.body.chat_id === chat);
    const accepted = requests.filter((c) => c.answer !== null && c.answer !== 'network' && (c.answer.body as { ok: boolean }).ok);
    expect(requests).toHaveLength(accepted.length + 1); // the one failure
    expect(accepted.length).toBeGreaterThanOrEqual(3);
    for (const c of accepted) expect([...String(c.body.text)].length).toBeLessThanOrEqual(2000);
    // Every part went out once: the retry skipped the part the platform had accepted.
    const texts = accepted.map((c) => String(c.body.text));
    expect(new Set(texts).size).toBe(texts.length);
    expect(requests.filter((c) => c.body.text === texts[0])).toHaveLength(1);
    expect(texts.join(' ').replace(/\s+/g, ' ')).toContain(long.replace(/\s+/g, ' ').slice(-500));
    expect(message.deliveryParts.map((p) => p.part).sort()).toEqual(texts.map((_, i) => i));
    expect(await jobOf(message.id)).toMatchObject({ status: 'done', attempts: 2 });
  });

  it('waits as long as a 429 asks (retry_after) and then delivers', async () => {
    const chat = newChatId();
    zalo.fail('sendMessage', { errorCode: 429, description: 'Too Many Requests: retry after 1', retryAfter: 1, when: (b) => b.chat_id === chat });
    await report(chat, 'Nắp cống bị mất trên đường Hai Bà Trưng');
    const [refused, delivered] = zalo.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === chat);
    expect(refused!.answer).toMatchObject({ status: 429, body: { ok: false, error_code: 429 } });
    expect(delivered!.at - refused!.at).toBeGreaterThanOrEqual(950);
    const message = await t.hotline.db.prisma.message.findFirstOrThrow({
      where: { author: 'bot', conversation: { contact: { channelUserId: chat } } },
    });
    await eventually(async () => (await jobOf(message.id)).status === 'done');
    expect(await jobOf(message.id)).toMatchObject({ attempts: 2, lastError: null });
  });

  it('gives up at once when the person blocked the bot, and the ticket says the answer was not delivered', async () => {
    const chat = newChatId();
    const code = await report(chat, 'Đèn tín hiệu giao thông không hoạt động');
    await assign(code);
    zalo.fail('sendMessage', { errorCode: 403, description: 'User has blocked the bot', when: (b) => b.chat_id === chat, times: Infinity });
    await reply(code, 'Đã sửa đèn tín hiệu.');
    const event = await eventually(() =>
      t.hotline.db.prisma.ticketEvent.findFirst({ where: { kind: 'answer_not_delivered', ticket: { trackingCode: code } } }),
    );
    expect(event.data).toMatchObject({ reason: 'blocked', channel: 'zalo_bot' });
    const message = await agentMessage(code);
    expect(message.delivery).toBe('failed');
    expect(await jobOf(message.id)).toMatchObject({ status: 'dead', attempts: 1 });
    expect(zalo.calls.filter((c) => c.method === 'sendMessage' && String(c.body.text).includes('Đã sửa đèn'))).toHaveLength(1);
    // The answer is still public on the tracking page.
    const page = await fetch(`${t.baseUrl}/t/${code}`);
    expect(await page.text()).toContain('Đã sửa đèn tín hiệu.');
  });

  it('dead-letters an answer the platform keeps refusing, visible at GET /api/work?status=dead', async () => {
    const chat = newChatId();
    zalo.fail('sendMessage', { errorCode: 502, description: 'Bad Gateway', when: (b) => b.chat_id === chat, times: Infinity });
    expect((await postZaloBotWebhook(t.baseUrl, zaloUpdate.text(chat, 'Cây xanh gãy đổ chắn đường'), SECRET)).status).toBe(200);
    const message = await eventually(() =>
      t.hotline.db.prisma.message.findFirst({ where: { author: 'bot', conversation: { contact: { channelUserId: chat } } } }),
    );
    const job = await eventually(async () => {
      const j = await jobOf(message.id);
      return j.status === 'dead' ? j : null;
    });
    expect(job).toMatchObject({ attempts: 3, lastError: expect.stringContaining('502 Bad Gateway') });
    expect(job.lastError).not.toContain(zalo.token);
    const dead = await api<Array<{ id: string }>>(t, operator, 'GET', '/work?status=dead');
    expect(dead.body.map((j) => j.id)).toContain(job.id);
    expect(zalo.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === chat)).toHaveLength(3);
  });

  it('retries after a dropped connection', async () => {
    const chat = newChatId();
    zalo.fail('sendMessage', { network: true, when: (b) => b.chat_id === chat });
    const code = await report(chat, 'Hố ga bốc mùi hôi');
    expect(code).toMatch(CODE);
    expect(zalo.calls.filter((c) => c.method === 'sendMessage' && c.body.chat_id === chat)).toHaveLength(2);
  });
});
