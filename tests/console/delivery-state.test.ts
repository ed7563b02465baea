// The ticket view says of each reply whether it reached the person: delivered, pending (with the
// error it is being retried for), failed (and why), or readable only on the tracking page — a
// channel that can no longer push to the person, or a web chat whose session has run out.
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

type ViewMessage = {
  id: string;
  direction: string;
  author: string;
  delivery: string;
  deliveryState?: string;
  deliveryReason?: string | null;
  readableOnTrackingPage?: boolean;
};
type View = { messages: ViewMessage[] };

describe('delivery state of replies in the ticket view', () => {
  let t: TestHotline;
  let staff: string;
  let agencyId: string;
  const db = () => t.hotline.db.prisma;
  let n = 0;

  async function ticketOn(channel: 'webchat' | 'telegram', opts: { contactCreatedAt?: Date } = {}) {
    n++;
    const contact = await db().contact.create({ data: { channel, channelUserId: `delivery-${n}`, ...(opts.contactCreatedAt ? { createdAt: opts.contactCreatedAt } : {}) } });
    const conversation = await db().conversation.create({ data: { contactId: contact.id, channel } });
    const code = `HCM-26-D${'ABCDEFGH'[n]}KV${'23456789'[n]}`;
    const due = new Date(Date.now() + 86_400_000);
    const ticket = await db().ticket.create({
      data: { trackingCode: code, contactId: contact.id, conversationId: conversation.id, channel, status: 'assigned', agencyId, routingReason: 'test', summary: 'Nước ngập', acceptDueAt: due, dueAt: due },
    });
    await db().message.create({
      data: { conversationId: conversation.id, seq: 1, direction: 'inbound', author: 'person', channel, text: 'Đường ngập nước', ticketId: ticket.id },
    });
    await db().conversation.update({ where: { id: conversation.id }, data: { lastSeq: 1 } });
    return { code, ticket, conversation };
  }
  const view = async (code: string) => {
    const res = await api<View>(t, staff, 'GET', `/tickets/${code}`);
    expect(res.status).toBe(200);
    return res.body;
  };
  /** Answers the ticket and waits until the worker is done with the delivery (sent or given up). */
  async function answer(code: string): Promise<ViewMessage> {
    const sent = await api<{ messageId: string }>(t, staff, 'POST', `/tickets/${code}/replies`, { text: 'Đã cử người đến khơi thông cống.' });
    expect(sent.status).toBe(201);
    return eventually(async () => {
      const m = (await view(code)).messages.find((x) => x.id === sent.body.messageId);
      return m && m.delivery !== 'pending' && m;
    });
  }

  beforeAll(async () => {
    t = await startTestHotline();
    agencyId = (await db().agency.findUniqueOrThrow({ where: { slug: 'so-xay-dung' } })).id;
    staff = await staffLogin(t, 'so-xay-dung@hotline.local');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('marks a web chat answer delivered, and the person’s own message with no delivery state', async () => {
    const { code } = await ticketOn('webchat');
    const reply = await answer(code);
    expect(reply).toMatchObject({ deliveryState: 'delivered', deliveryReason: null, readableOnTrackingPage: true });
    const inbound = (await view(code)).messages.find((m) => m.direction === 'inbound')!;
    expect(inbound).not.toHaveProperty('deliveryState');
  });

  it('marks an answer on a web chat whose session ran out as readable only on the tracking page', async () => {
    const expired = new Date(Date.now() - t.hotline.config.webchatTokenTtlMs - 3600_000);
    const { code } = await ticketOn('webchat', { contactCreatedAt: expired });
    const reply = await answer(code);
    expect(reply).toMatchObject({ deliveryState: 'tracking_page', deliveryReason: expect.stringMatching(/web chat session had ended/), readableOnTrackingPage: true });
  });

  it('marks an answer on a channel that cannot push as readable only on the tracking page, saying why', async () => {
    // Telegram is off in this hotline: the worker gives up at once (channel_off).
    const { code } = await ticketOn('telegram');
    const reply = await answer(code);
    expect(reply).toMatchObject({ delivery: 'failed', deliveryState: 'tracking_page', deliveryReason: expect.stringMatching(/telegram is off/i) });
  });

  it('marks a reply that failed for good as failed, and one still being retried as pending, each with its error', async () => {
    const { code, ticket, conversation } = await ticketOn('telegram');
    const stored = async (seq: number, delivery: 'failed' | 'pending', status: 'dead' | 'pending', lastError: string) => {
      const message = await db().message.create({
        data: { conversationId: conversation.id, seq, direction: 'outbound', author: 'bot', channel: 'telegram', text: `Tin ${seq}`, ticketId: ticket.id, delivery, deliveryError: delivery === 'failed' ? lastError : null },
      });
      // Not due for another hour: the recovery sweep leaves it alone during the test.
      await db().outboxJob.create({
        data: { kind: 'deliver_outbound', messageId: message.id, idempotencyKey: `out:${message.id}`, status, attempts: 8, lastError, runAfter: new Date(Date.now() + 3600_000) },
      });
      return message.id;
    };
    const failed = await stored(2, 'failed', 'dead', 'Telegram answered 500 eight times');
    const pending = await stored(3, 'pending', 'pending', 'connect ETIMEDOUT');
    const messages = (await view(code)).messages;
    expect(messages.find((m) => m.id === failed)).toMatchObject({ deliveryState: 'failed', deliveryReason: 'Telegram answered 500 eight times', readableOnTrackingPage: false });
    expect(messages.find((m) => m.id === pending)).toMatchObject({ deliveryState: 'pending', deliveryReason: expect.stringContaining('connect ETIMEDOUT') });
  });
});
