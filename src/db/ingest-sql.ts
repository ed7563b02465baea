// The SQL of storing inbound messages in batches (src/messages/batch-store.ts): every statement
// takes the whole batch as arrays (unnest), so a batch of any size costs the same few round trips.
// Raw SQL because through Prisma's model API one message cost ~10 statements; all of it is here.
//
// Parameters go in as text[] and are cast in SQL: PGlite serialises a parameter by the type the
// server reports for it and does not know the enum array types ("Channel"[]), pg sends text anyway.
import type { Prisma } from '../generated/prisma/client';
import type { Channel } from '../generated/prisma/client';

/** What runs the statements: the batch's Prisma transaction. */
export type SqlTx = Pick<Prisma.TransactionClient, '$queryRawUnsafe'>;

export interface SenderRow {
  channel: Channel;
  channelUserId: string;
  /** Kept on the contact when given and not empty (as openConversation does). */
  displayName?: string;
  /** Only for a new contact. */
  locale: string;
}

/** `${channel} ${channelUserId}`: the key contacts and the sender cache use. */
export const senderKey = (channel: Channel, channelUserId: string): string => `${channel}\u0000${channelUserId}`;

/**
 * Creates the contacts that do not exist yet and updates the display name of those that do, in one
 * statement; returns each sender's contact id. Rows are taken in key order, so two batches that
 * share senders lock their contacts in the same order. Senders must be distinct.
 */
export async function upsertContacts(tx: SqlTx, senders: SenderRow[]): Promise<Map<string, string>> {
  if (senders.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<Array<{ id: string; channel: Channel; channel_user_id: string }>>(
    `WITH input AS (
       SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[]) AS i(channel, channel_user_id, display_name, locale)
     )
     INSERT INTO contact (id, channel, channel_user_id, display_name, locale)
     SELECT gen_random_uuid(), channel::"Channel", channel_user_id, display_name, locale FROM input
     ORDER BY channel, channel_user_id
     ON CONFLICT (channel, channel_user_id)
       DO UPDATE SET display_name = COALESCE(NULLIF(EXCLUDED.display_name, ''), contact.display_name)
     RETURNING id::text, channel::text AS channel, channel_user_id`,
    senders.map((s) => s.channel),
    senders.map((s) => s.channelUserId),
    senders.map((s) => s.displayName ?? null),
    senders.map((s) => s.locale),
  );
  return new Map(rows.map((r) => [senderKey(r.channel, r.channel_user_id), r.id]));
}

/**
 * The buttons of the latest message we sent each sender on their channel (in their newest
 * conversation, as latestChoices in src/channels/choices.ts reads them), for reading replies as
 * choices: one statement for a whole batch instead of two per message. A sender without such a
 * message is absent from the map; one whose latest message has no buttons maps to null.
 */
export async function latestButtons(tx: SqlTx, senders: Array<{ channel: Channel; channelUserId: string }>): Promise<Map<string, unknown>> {
  if (senders.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<Array<{ channel: Channel; channel_user_id: string; buttons: unknown }>>(
    `SELECT w.channel, w.channel_user_id, m.buttons
     FROM unnest($1::text[], $2::text[]) AS w(channel, channel_user_id)
     JOIN contact ct ON ct.channel = w.channel::"Channel" AND ct.channel_user_id = w.channel_user_id
     CROSS JOIN LATERAL (SELECT c.id FROM conversation c WHERE c.contact_id = ct.id ORDER BY c.created_at DESC LIMIT 1) cv
     CROSS JOIN LATERAL (
       SELECT m.buttons FROM message m WHERE m.conversation_id = cv.id AND m.direction = 'outbound' ORDER BY m.seq DESC LIMIT 1
     ) m`,
    senders.map((s) => s.channel),
    senders.map((s) => s.channelUserId),
  );
  return new Map(rows.map((r) => [senderKey(r.channel, r.channel_user_id), r.buttons ?? null]));
}

export interface OpenConversation {
  conversationId: string;
  /** Its created_at, as epoch milliseconds: a newer conversation of the contact replaces it. */
  createdAt: number;
}

/**
 * Each contact's conversation: its newest one (as openConversation chooses), or a new one when it
 * has none. One statement for every contact of the batch. The newest is looked up contact by
 * contact (LATERAL): as `contact_id IN (…)`, a planner without statistics scanned every
 * conversation for each batch (30 ms at 15,000 conversations, growing with them).
 */
export async function openConversations(
  tx: SqlTx,
  contacts: Array<{ contactId: string; channel: Channel }>,
): Promise<Map<string, OpenConversation>> {
  if (contacts.length === 0) return new Map();
  const rows = await tx.$queryRawUnsafe<Array<{ contact_id: string; id: string; created_ms: number }>>(
    `WITH want AS (
       SELECT DISTINCT contact_id::uuid AS contact_id, channel::"Channel" AS channel
       FROM unnest($1::text[], $2::text[]) AS w(contact_id, channel)
     ),
     newest AS (
       SELECT w.contact_id, n.id, n.created_at FROM want w
       CROSS JOIN LATERAL (
         SELECT c.id, c.created_at FROM conversation c WHERE c.contact_id = w.contact_id ORDER BY c.created_at DESC LIMIT 1
       ) n
     ),
     opened AS (
       INSERT INTO conversation (id, contact_id, channel)
       SELECT gen_random_uuid(), w.contact_id, w.channel FROM want w
       WHERE NOT EXISTS (SELECT 1 FROM newest n WHERE n.contact_id = w.contact_id)
       ORDER BY w.contact_id
       RETURNING contact_id, id, created_at
     )
     SELECT contact_id::text, id::text, (extract(epoch FROM created_at) * 1000)::float8 AS created_ms FROM newest
     UNION ALL
     SELECT contact_id::text, id::text, (extract(epoch FROM created_at) * 1000)::float8 FROM opened`,
    contacts.map((c) => c.contactId),
    contacts.map((c) => c.channel),
  );
  return new Map(rows.map((r) => [r.contact_id, { conversationId: r.id, createdAt: Number(r.created_ms) }]));
}

export interface MessageRow {
  conversationId: string;
  /**
   * The contact whose newest conversation `conversationId` was found to be (from the sender
   * cache); the row is refused as `stale` if the contact has a newer one now. Absent when the
   * caller named the conversation itself (web chat): then it is used as given.
   */
  contactId?: string;
  channel: Channel;
  externalId: string;
  text: string;
  fullText?: string;
  /** The attachments, as JSON. */
  attachments: string;
  rateLimited: boolean;
  sentAt: Date;
}

export type MessageOutcome =
  | { kind: 'stored'; messageId: string; seq: number; jobId: string | null }
  | { kind: 'duplicate'; messageId: string; seq: number }
  /** The cached conversation is no longer the contact's newest (or is gone): find it again. */
  | { kind: 'stale' }
  /** The conversation named by the caller does not exist. */
  | { kind: 'no_conversation' }
  /** Another transaction stored the same platform message meanwhile: look it up after commit. */
  | { kind: 'raced' };

/**
 * Stores the messages in one statement: skips those stored before (same channel and platform id),
 * takes their sequence numbers from their conversations (one UPDATE for the batch, which also
 * holds each conversation's row lock until commit, so a lower seq is always committed before a
 * higher one is handed out), inserts the messages and the work records of those that open work.
 * `(channel, externalId)` must be distinct within the rows. Outcomes are in the rows' order.
 */
export async function insertMessages(tx: SqlTx, rows: MessageRow[]): Promise<MessageOutcome[]> {
  if (rows.length === 0) return [];
  const result = await tx.$queryRawUnsafe<Array<{ ord: number; outcome: string; message_id: string | null; seq: number | null; job_id: string | null }>>(
    `WITH input AS (
       SELECT ord::int AS ord, conversation_id::uuid AS conversation_id, contact_id::uuid AS contact_id,
              channel::"Channel" AS channel, external_id, text, full_text, attachments::jsonb AS attachments,
              rate_limited::boolean AS rate_limited, created_at::timestamptz AS created_at
       FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])
         AS i(ord, conversation_id, contact_id, channel, external_id, text, full_text, attachments, rate_limited, created_at)
     ),
     earlier AS (
       SELECT i.ord, m.id, m.seq FROM input i JOIN message m ON m.channel = i.channel AND m.external_id = i.external_id
     ),
     target AS (
       SELECT c.id, c.created_at FROM conversation c WHERE c.id IN (SELECT conversation_id FROM input)
     ),
     fresh AS (
       SELECT i.* FROM input i JOIN target t ON t.id = i.conversation_id
       WHERE NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = i.ord)
         AND (i.contact_id IS NULL OR NOT EXISTS (
           SELECT 1 FROM conversation n WHERE n.contact_id = i.contact_id AND n.created_at > t.created_at))
     ),
     counts AS (
       SELECT conversation_id, count(*)::int AS n FROM fresh GROUP BY conversation_id
     ),
     bumped AS (
       UPDATE conversation c SET last_seq = c.last_seq + k.n, updated_at = $11::timestamptz
       FROM counts k WHERE c.id = k.conversation_id
       RETURNING c.id, c.last_seq - k.n AS base
     ),
     numbered AS (
       SELECT f.*, (b.base + row_number() OVER (PARTITION BY f.conversation_id ORDER BY f.ord))::int AS seq
       FROM fresh f JOIN bumped b ON b.id = f.conversation_id
     ),
     stored AS (
       INSERT INTO message (id, conversation_id, seq, direction, author, channel, external_id, text, full_text, attachments, rate_limited, created_at)
       SELECT gen_random_uuid(), conversation_id, seq, 'inbound', 'person', channel, external_id, text, full_text, attachments, rate_limited, created_at
       FROM numbered ORDER BY ord
       ON CONFLICT (channel, external_id) DO NOTHING
       RETURNING id, seq, channel, external_id, rate_limited
     ),
     jobs AS (
       INSERT INTO outbox_job (id, kind, message_id, idempotency_key)
       SELECT gen_random_uuid(), 'process_inbound', s.id, 'in:' || s.id FROM stored s WHERE NOT s.rate_limited
       RETURNING id, message_id
     )
     SELECT n.ord, 'stored' AS outcome, s.id::text AS message_id, s.seq, j.id::text AS job_id
       FROM numbered n JOIN stored s ON s.channel = n.channel AND s.external_id = n.external_id
       LEFT JOIN jobs j ON j.message_id = s.id
     UNION ALL
     SELECT e.ord, 'duplicate', e.id::text, e.seq, NULL FROM earlier e
     UNION ALL
     SELECT i.ord, CASE WHEN t.id IS NULL AND i.contact_id IS NULL THEN 'no_conversation' ELSE 'stale' END, NULL, NULL, NULL
       FROM input i LEFT JOIN target t ON t.id = i.conversation_id
       WHERE NOT EXISTS (SELECT 1 FROM earlier e WHERE e.ord = i.ord) AND NOT EXISTS (SELECT 1 FROM fresh f WHERE f.ord = i.ord)`,
    rows.map((_, i) => String(i)),
    rows.map((r) => r.conversationId),
    rows.map((r) => r.contactId ?? null),
    rows.map((r) => r.channel),
    rows.map((r) => r.externalId),
    rows.map((r) => r.text),
    rows.map((r) => r.fullText ?? null),
    rows.map((r) => r.attachments),
    rows.map((r) => String(r.rateLimited)),
    rows.map((r) => r.sentAt.toISOString()),
    // The application's clock, as Prisma's @updatedAt uses (the abandoned-form sweep compares it with its own).
    new Date(),
  );
  const outcomes: MessageOutcome[] = rows.map(() => ({ kind: 'raced' }));
  for (const r of result) {
    const ord = Number(r.ord);
    if (r.outcome === 'stored') outcomes[ord] = { kind: 'stored', messageId: r.message_id!, seq: Number(r.seq), jobId: r.job_id };
    else if (r.outcome === 'duplicate') outcomes[ord] = { kind: 'duplicate', messageId: r.message_id!, seq: Number(r.seq) };
    else if (r.outcome === 'stale') outcomes[ord] = { kind: 'stale' };
    else outcomes[ord] = { kind: 'no_conversation' };
  }
  return outcomes;
}
