// Storing messages: inbound ones are committed (with the work record that points at them) before
// anyone acknowledges them; outbound ones are committed with their delivery job.
import type { Db } from '../db/database';
import { Prisma } from '../generated/prisma/client';
import type { Channel, Conversation, Message, MessageAuthor } from '../generated/prisma/client';
import type { Button, InboundMessage } from '../channels/types';
import { insertOutbound } from '../db/work-sql';
import type { JobRef } from '../queue/types';
import { publishMessagesAdded } from '../live/events';
import { inboundBatcher, type InboundMarks, type StoredInbound } from './batch-store';
import { storableJson, storableText } from './storable';

export type Tx = Prisma.TransactionClient;

export type { InboundMarks, StoredInbound } from './batch-store';

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

/**
 * Stores an inbound message with its work record (unless rate limited) and resolves once that is
 * committed: with the messages arriving at the same moment, in one batch (src/messages/batch-store.ts).
 * A message the platform delivered before is stored once; the delivery again is answered as a duplicate.
 */
export function storeInbound(
  db: Db,
  received: InboundMessage,
  conversationId?: string,
  marks: InboundMarks = {},
): Promise<StoredInbound> {
  return inboundBatcher(db).store(storableJson(received), conversationId, marks);
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

/** Stores a bot or agent message and the job that will deliver it, in the caller's transaction (one statement). */
export async function storeOutbound(
  tx: Tx,
  conversation: Pick<Conversation, 'id' | 'channel'>,
  draft: OutboundDraft,
): Promise<{ message: Message; job: JobRef }> {
  const { message, jobId } = await insertOutbound(tx, {
    conversationId: conversation.id,
    channel: conversation.channel,
    author: draft.author,
    text: draft.text,
    buttons: draft.buttons,
    attachments: (draft.images ?? []).map((url) => ({ type: 'image', url })),
    ticketId: draft.ticketId,
    staffUserId: draft.staffUserId,
  });
  if (draft.ticketId) await publishMessagesAdded(tx, draft.ticketId, [message], message.createdAt);
  return { message, job: { name: 'deliver_outbound', id: jobId } };
}
