// Storing messages: inbound ones are committed (with the work record that points at them) before
// anyone acknowledges them; outbound ones are committed with their delivery job.
import type { Db } from '../db/database';
import { Prisma } from '../generated/prisma/client';
import type { Channel, Conversation, Message, MessageAuthor } from '../generated/prisma/client';
import type { Button, InboundMessage } from '../channels/types';
import type { JobRef } from '../queue/types';
import { publishMessagesAdded } from '../live/events';
import { storableJson, storableText } from './storable';

export type Tx = Prisma.TransactionClient;

export interface StoredInbound {
  message: Message;
  job?: JobRef;
  duplicate: boolean;
}

/** Finds or creates the person's contact and conversation on a channel. */
export async function openConversation(
  tx: Tx,
  channel: Channel,
  channelUserId: string,
  details: { displayName?: string; locale?: string } = {},
): Promise<Conversation> {
  const displayName = details.displayName === undefined ? undefined : storableText(details.displayName);
  const contact = await tx.contact.upsert({
    where: { channel_channelUserId: { channel, channelUserId } },
    create: { channel, channelUserId, displayName, locale: details.locale ?? 'vi' },
    update: displayName ? { displayName } : {},
  });
  const existing = await tx.conversation.findFirst({ where: { contactId: contact.id }, orderBy: { createdAt: 'desc' } });
  return existing ?? tx.conversation.create({ data: { contactId: contact.id, channel } });
}

/** The next sequence number of a conversation; the row lock orders concurrent writers. */
async function nextSeq(tx: Tx, conversationId: string): Promise<number> {
  const c = await tx.conversation.update({ where: { id: conversationId }, data: { lastSeq: { increment: 1 } } });
  return c.lastSeq;
}

/** What the channel boundary decided about a message before storing it (src/channels/inbox.ts). */
export interface InboundMarks {
  /** The whole text, when `inbound.text` was cut to MAX_MESSAGE_CHARS. */
  fullText?: string;
  /** Over the sender's flood limit: stored, but no work record, so no reply and no ticket of its own. */
  rateLimited?: boolean;
}

export async function storeInbound(
  db: Db,
  received: InboundMessage,
  conversationId?: string,
  marks: InboundMarks = {},
): Promise<StoredInbound> {
  const inbound = storableJson(received);
  const existing = await findDuplicate(db, inbound);
  if (existing) return { message: existing, duplicate: true };
  try {
    return await db.$transaction(async (tx) => {
      const conversation = conversationId
        ? await tx.conversation.findUniqueOrThrow({ where: { id: conversationId } })
        : await openConversation(tx, inbound.channel, inbound.channelUserId, {
            displayName: inbound.displayName,
            locale: inbound.localeHint,
          });
      const message = await tx.message.create({
        data: {
          conversationId: conversation.id,
          seq: await nextSeq(tx, conversation.id),
          direction: 'inbound',
          author: 'person',
          channel: inbound.channel,
          externalId: inbound.externalId,
          text: inbound.text,
          fullText: marks.fullText === undefined ? undefined : storableText(marks.fullText),
          attachments: inbound.attachments as unknown as Prisma.InputJsonValue,
          rateLimited: marks.rateLimited ?? false,
          createdAt: inbound.sentAt,
        },
      });
      if (marks.rateLimited) return { message, duplicate: false };
      const job = await tx.outboxJob.create({
        data: { kind: 'process_inbound', messageId: message.id, idempotencyKey: `in:${message.id}` },
      });
      return { message, job: { name: 'process_inbound' as const, id: job.id }, duplicate: false };
    });
  } catch (err) {
    // Two deliveries of the same message raced; the other one committed first.
    if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
      const winner = await findDuplicate(db, inbound);
      if (winner) return { message: winner, duplicate: true };
    }
    throw err;
  }
}

function findDuplicate(db: Db, inbound: InboundMessage): Promise<Message | null> {
  return db.message.findUnique({ where: { channel_externalId: { channel: inbound.channel, externalId: inbound.externalId } } });
}

export interface OutboundDraft {
  author: Exclude<MessageAuthor, 'person'>;
  text: string;
  buttons?: Button[];
  /** Public URLs of images sent with the text. */
  images?: string[];
  ticketId?: string;
  staffUserId?: string;
}

/** Stores a bot or agent message and the job that will deliver it, in the caller's transaction. */
export async function storeOutbound(
  tx: Tx,
  conversation: Pick<Conversation, 'id' | 'channel'>,
  draft: OutboundDraft,
): Promise<{ message: Message; job: JobRef }> {
  const message = await tx.message.create({
    data: {
      conversationId: conversation.id,
      seq: await nextSeq(tx, conversation.id),
      direction: 'outbound',
      author: draft.author,
      channel: conversation.channel,
      text: draft.text,
      buttons: draft.buttons ? (draft.buttons as unknown as Prisma.InputJsonValue) : undefined,
      attachments: (draft.images ?? []).map((url) => ({ type: 'image', url })),
      ticketId: draft.ticketId,
      staffUserId: draft.staffUserId,
      delivery: 'pending',
    },
  });
  const job = await tx.outboxJob.create({
    data: { kind: 'deliver_outbound', messageId: message.id, idempotencyKey: `out:${message.id}` },
  });
  if (draft.ticketId) await publishMessagesAdded(tx, draft.ticketId, [message], message.createdAt);
  return { message, job: { name: 'deliver_outbound', id: job.id } };
}
