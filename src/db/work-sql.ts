// The SQL of processing a message (src/work/handlers.ts) and of storing a reply
// (src/messages/store.ts storeOutbound): what Prisma's model API did in several statements each,
// one statement here. Rows come back already shaped as Prisma's models (columns aliased to their
// field names; the drivers give Dates and parsed JSON), so the code around them is unchanged.
// A column added to message, conversation or contact must be added to its list here too
// (tests/work/processing-statements.test.ts compares these rows with Prisma's own).
import type { Contact, Conversation, Message, Prisma } from '../generated/prisma/client';
import type { Channel, MessageAuthor } from '../generated/prisma/client';

export type SqlTx = Pick<Prisma.TransactionClient, '$queryRawUnsafe'>;

const MESSAGE_COLUMNS = (m: string) => `${m}.id::text AS "id", ${m}.conversation_id::text AS "conversationId", ${m}.seq AS "seq",
  ${m}.direction::text AS "direction", ${m}.author::text AS "author", ${m}.channel::text AS "channel", ${m}.external_id AS "externalId",
  ${m}.text AS "text", ${m}.full_text AS "fullText", ${m}.attachments AS "attachments", ${m}.buttons AS "buttons",
  ${m}.rate_limited AS "rateLimited", ${m}.ticket_id::text AS "ticketId", ${m}.staff_user_id::text AS "staffUserId",
  ${m}.delivery::text AS "delivery", ${m}.delivery_error AS "deliveryError", ${m}.created_at AS "createdAt"`;

const CONVERSATION_FIELDS = (c: string) => `'id', ${c}.id, 'contactId', ${c}.contact_id, 'channel', ${c}.channel, 'flow', ${c}.flow,
  'step', ${c}.step, 'state', ${c}.state, 'lastSeq', ${c}.last_seq, 'createdAt', ${c}.created_at, 'updatedAt', ${c}.updated_at`;

const CONTACT_FIELDS = (p: string) => `'id', ${p}.id, 'channel', ${p}.channel, 'channelUserId', ${p}.channel_user_id,
  'displayName', ${p}.display_name, 'phone', ${p}.phone, 'phoneConsent', ${p}.phone_consent, 'phoneConsentAt', ${p}.phone_consent_at,
  'locale', ${p}.locale, 'unfollowedAt', ${p}.unfollowed_at, 'createdAt', ${p}.created_at`;

export interface ProcessTarget {
  conversationId: string;
  status: string;
  /** The pending process_inbound jobs of the conversation up to this one, in seq order. */
  waiting: Array<{ job_id: string; message_id: string; text: string }>;
}

/**
 * The job's conversation and the messages of that conversation waiting to be understood, up to
 * and including the job's own: this one's, and earlier ones nobody has tried yet. One statement.
 */
export async function processTarget(db: SqlTx, jobId: string, limit: number): Promise<ProcessTarget | null> {
  const rows = await db.$queryRawUnsafe<Array<{ conversation_id: string; status: string; waiting: ProcessTarget['waiting'] }>>(
    `SELECT t.conversation_id::text, t.status::text,
       COALESCE((SELECT jsonb_agg(w ORDER BY w.seq) FROM (
         SELECT j.id::text AS job_id, m.id::text AS message_id, m.text, m.seq
         FROM outbox_job j JOIN message m ON m.id = j.message_id
         WHERE m.conversation_id = t.conversation_id AND m.seq <= t.seq
           AND j.kind = 'process_inbound' AND j.status = 'pending' AND (j.id = $1::uuid OR j.attempts = 0)
         ORDER BY m.seq LIMIT $2) w), '[]'::jsonb) AS waiting
     FROM (SELECT m.conversation_id, m.seq, j.status FROM outbox_job j JOIN message m ON m.id = j.message_id WHERE j.id = $1::uuid) t`,
    jobId,
    limit,
  );
  const row = rows[0];
  if (!row) return null;
  return { conversationId: row.conversation_id, status: row.status, waiting: row.waiting };
}

export type MessageWithConversation = Message & { conversation: Conversation & { contact: Contact } };

/**
 * Claims a pending job for this transaction and reads its message with the conversation and the
 * contact, in one statement. Locks the job and the conversation (one message of a conversation at
 * a time, on every node); every worker takes the two locks with this same statement, in the same
 * order. Null when the job is not pending any more (another worker finished it).
 */
export async function claimMessage(tx: SqlTx, jobId: string): Promise<MessageWithConversation | null> {
  const rows = await tx.$queryRawUnsafe<Array<Omit<MessageWithConversation, 'conversation'> & { conversation: Record<string, unknown> }>>(
    `SELECT ${MESSAGE_COLUMNS('m')},
       jsonb_build_object(${CONVERSATION_FIELDS('c')}, 'contact', jsonb_build_object(${CONTACT_FIELDS('p')})) AS "conversation"
     FROM outbox_job j
       JOIN message m ON m.id = j.message_id
       JOIN conversation c ON c.id = m.conversation_id
       JOIN contact p ON p.id = c.contact_id
     WHERE j.id = $1::uuid AND j.status = 'pending'
     FOR UPDATE OF c, j`,
    jobId,
  );
  const row = rows[0];
  if (!row) return null;
  const c = row.conversation as Record<string, unknown> & { contact: Record<string, unknown> };
  return {
    ...row,
    conversation: {
      ...(c as unknown as Conversation),
      createdAt: new Date(c.createdAt as string),
      updatedAt: new Date(c.updatedAt as string),
      contact: {
        ...(c.contact as unknown as Contact),
        phoneConsentAt: dateOrNull(c.contact.phoneConsentAt),
        unfollowedAt: dateOrNull(c.contact.unfollowedAt),
        createdAt: new Date(c.contact.createdAt as string),
      },
    },
  };
}

const dateOrNull = (v: unknown): Date | null => (v === null || v === undefined ? null : new Date(v as string));

export interface OutboundRow {
  conversationId: string;
  channel: Channel;
  author: Exclude<MessageAuthor, 'person'>;
  text: string;
  buttons: unknown;
  attachments: unknown;
  ticketId?: string;
  staffUserId?: string;
}

/**
 * Stores a reply and its delivery job in one statement; its seq is taken from the conversation
 * (whose row lock, held to commit, orders it after every earlier message of the conversation).
 */
export async function insertOutbound(tx: SqlTx, row: OutboundRow): Promise<{ message: Message; jobId: string }> {
  const rows = await tx.$queryRawUnsafe<Array<Message & { jobId: string }>>(
    `WITH bumped AS (
       UPDATE conversation SET last_seq = last_seq + 1, updated_at = $9::timestamptz WHERE id = $1::uuid RETURNING id, last_seq
     ),
     stored AS (
       INSERT INTO message (id, conversation_id, seq, direction, author, channel, text, buttons, attachments, ticket_id, staff_user_id, delivery)
       SELECT gen_random_uuid(), b.id, b.last_seq, 'outbound', $2::text::"MessageAuthor", $3::text::"Channel", $4, $5::text::jsonb, $6::text::jsonb,
              $7::text::uuid, $8::text::uuid, 'pending'
       FROM bumped b
       RETURNING *
     ),
     job AS (
       INSERT INTO outbox_job (id, kind, message_id, idempotency_key)
       SELECT gen_random_uuid(), 'deliver_outbound', s.id, 'out:' || s.id FROM stored s
       RETURNING id, message_id
     )
     SELECT ${MESSAGE_COLUMNS('s')}, job.id::text AS "jobId" FROM stored s JOIN job ON job.message_id = s.id`,
    row.conversationId,
    row.author,
    row.channel,
    row.text,
    row.buttons === undefined || row.buttons === null ? null : JSON.stringify(row.buttons),
    JSON.stringify(row.attachments ?? []),
    row.ticketId ?? null,
    row.staffUserId ?? null,
    // The application's clock, as Prisma's @updatedAt uses (the overdue and abandoned sweeps compare it with theirs).
    new Date(),
  );
  const stored = rows[0];
  if (!stored) throw new Error(`Conversation ${row.conversationId} does not exist; the reply was not stored.`);
  const { jobId, ...message } = stored;
  return { message, jobId };
}
