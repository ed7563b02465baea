// People who write several messages back to back, many at once, on several workers (and, on
// PostgreSQL + Redis, on two app instances): each conversation gets one ticket, every message is
// handled in the order it was written, and every reply is shown once, in order, live and after
// reconnecting.
import type { Classifier, ClassificationResult } from '../../src/classify/types';
import { usingPostgres } from '../helpers/databases';
import { ChatClient, eventually, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

const CONVERSATIONS = 24;
const MESSAGES_EACH = 4;
const OPENED = /^Đã tiếp nhận|HCM-\d{2}-/;

/**
 * Understanding takes a varying time (a model over the network does), and here the first, longer
 * message of each conversation takes longest, so later messages are understood before it: the
 * order must still hold. Unsure, so every ticket goes to triage and every further message is a
 * follow-up.
 */
const slowClassifier: Classifier = {
  async classify(text: string): Promise<ClassificationResult> {
    const ms = text.startsWith('Ống nước') ? 80 : Math.random() * 30;
    await new Promise((resolve) => setTimeout(resolve, ms));
    return {
      intent: 'feedback',
      topic: 'water_supply',
      confidence: 0.2,
      intentConfidence: 0.2,
      topicConfidence: 0.2,
      entities: { trackingCodes: [], phones: [], addresses: [], wards: [], language: 'vi' },
      source: 'builtin',
    };
  },
};

interface Person {
  sessionId: string;
  token: string;
  chat: ChatClient;
  node: TestHotline;
}

describe('messages of one conversation, written back to back on many workers', () => {
  const nodes: TestHotline[] = [];
  beforeAll(async () => {
    const first = await startTestHotline({ env: { QUEUE_CONCURRENCY: '16' }, classifier: slowClassifier });
    nodes.push(first);
    // Two app instances share PostgreSQL and Redis (PGlite is one process by design).
    if (usingPostgres() && process.env.REDIS_URL) {
      nodes.push(
        await startTestHotline({
          classifier: slowClassifier,
          env: { QUEUE_CONCURRENCY: '16', QUEUE_PREFIX: first.env.QUEUE_PREFIX!, DATABASE_URL: first.env.DATABASE_URL! },
          database: { env: { DATABASE_URL: first.env.DATABASE_URL! }, drop: async () => undefined },
        }),
      );
    }
  });
  afterAll(async () => {
    for (const node of nodes.slice(1)) await node.stop();
    await nodes[0]?.stop();
  });

  it('opens one ticket per conversation, answers each message in order, and shows every reply once, in order', async () => {
    const people: Person[] = await Promise.all(
      Array.from({ length: CONVERSATIONS }, async (_, i) => {
        const node = nodes[i % nodes.length]!;
        const { sessionId, token } = await newSession(node);
        return { sessionId, token, node, chat: await ChatClient.connect(node, token) };
      }),
    );
    // Everyone writes all their messages at once, without waiting for acks.
    for (const p of people) {
      for (let m = 0; m < MESSAGES_EACH; m++) {
        p.chat.send({ type: 'message', clientMsgId: `m${m}`, text: m === 0 ? 'Ống nước trước nhà tôi bị vỡ' : `Bổ sung thông tin số ${m}` });
      }
    }
    const prisma = nodes[0]!.hotline.db.prisma;
    const sessionIds = people.map((p) => p.sessionId);
    // Every message understood: one bot reply per message.
    await eventually(async () => {
      const replies = await prisma.message.count({
        where: { direction: 'outbound', conversation: { contact: { channelUserId: { in: sessionIds } } } },
      });
      return replies === CONVERSATIONS * MESSAGES_EACH;
    }, 60_000);

    for (const p of people) {
      const conversation = await prisma.conversation.findFirstOrThrow({
        where: { contact: { channel: 'webchat', channelUserId: p.sessionId } },
        include: { tickets: true, messages: { orderBy: { seq: 'asc' } } },
      });
      expect(conversation.tickets).toHaveLength(1);
      const ticket = conversation.tickets[0]!;
      const inbound = conversation.messages.filter((m) => m.direction === 'inbound');
      const outbound = conversation.messages.filter((m) => m.direction === 'outbound');
      expect(inbound.map((m) => m.externalId)).toEqual([0, 1, 2, 3].map((m) => `${p.sessionId}:m${m}`));
      expect(inbound.every((m) => m.ticketId === ticket.id)).toBe(true);
      // The first message opened the ticket; the others were added after it, in order.
      const events = await prisma.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      const byMessage = events.filter((e) => e.kind === 'opened' || e.kind === 'message_added');
      expect(byMessage.map((e) => [e.kind, (e.data as { messageId: string }).messageId])).toEqual(
        inbound.map((m, i) => [i === 0 ? 'opened' : 'message_added', m.id]),
      );
      // Handled in order: the first reply opens the ticket, the others add to it.
      expect(outbound[0]!.text).toMatch(OPENED);
      expect(outbound[0]!.text).toContain(ticket.trackingCode);
      expect(outbound.slice(1).every((m) => m.text.startsWith('Đã bổ sung'))).toBe(true);

      // Live: every reply, once, in seq order.
      const expected = outbound.map((m) => m.seq);
      await eventually(async () => messageSeqs(p.chat).length >= expected.length, 30_000);
      expect(messageSeqs(p.chat)).toEqual(expected);
    }

    // After reconnecting from the middle, the rest comes again, in order.
    const p = people[0]!;
    const seqs = messageSeqs(p.chat);
    await p.chat.close();
    const again = await ChatClient.connect(p.node, p.token, seqs[1]);
    await eventually(async () => messageSeqs(again).length >= seqs.length - 2, 15_000);
    expect(messageSeqs(again)).toEqual(seqs.slice(2));
    await again.close();
    await Promise.all(people.slice(1).map((x) => x.chat.close()));
  }, 180_000);
});

function messageSeqs(chat: ChatClient): number[] {
  return chat.frames.filter((f) => f.type === 'message').map((f) => f.seq as number);
}
