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

/**
 * The pending process_inbound job of message `m` meeting `also` (on `k`), looked up by message:
 * for the few messages of one conversation. Its status and kind are compared as text so that the
 * planner cannot use the partial index of waiting jobs here: while a storm fills a new database,
 * before autovacuum has analysed it, that index is estimated at one row and scanned whole, for
 * each message (9 ms a call at 5,000 waiting, against 0.4 ms).
 */
const jobOfMessage = (m: string, also: string) =>
  `SELECT k.id FROM outbox_job k
   WHERE k.message_id = ${m}.id AND k.kind::text = 'process_inbound' AND k.status::text = 'pending' AND (${also})
   LIMIT 1`;

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
         FROM message m CROSS JOIN LATERAL (${jobOfMessage('m', 'k.id = $1::uuid OR k.attempts = 0')}) j
         WHERE m.conversation_id = t.conversation_id AND m.seq <= t.seq
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
  const rows = await tx.$queryRawUnsafe<ClaimedRow[]>(
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
  return row ? shapeClaimed(row) : null;
}

type ClaimedRow = Omit<MessageWithConversation, 'conversation'> & { conversation: Record<string, unknown> };

/** The jsonb conversation and contact of a claim, with their dates as Prisma gives them. */
function shapeClaimed<R extends ClaimedRow>(row: R): Omit<R, 'conversation'> & Pick<MessageWithConversation, 'conversation'> {
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

/**
 * Claims, for the transaction that already holds one conversation, up to `limit` more messages
 * waiting to be understood, from other conversations: the oldest first, each the earliest untried
 * message of its conversation (so order within a conversation holds), skipping every job or
 * conversation another worker holds. Their own queue jobs then find them done. One statement.
 * The message, conversation and contact are each looked up by key for the jobs taken (LATERAL …
 * LIMIT 1): joined plainly, a planner without statistics (autovacuum not yet run, or off) took
 * the waiting jobs for one row and scanned the conversations whole for each, 283 s a call at
 * 12,000 waiting instead of 10 ms. The conversation's lock is taken there, skipping it if held.
 */
export async function claimMoreMessages(
  tx: SqlTx,
  exceptConversationId: string,
  limit: number,
): Promise<Array<MessageWithConversation & { jobId: string }>> {
  if (limit < 1) return [];
  const rows = await tx.$queryRawUnsafe<Array<ClaimedRow & { jobId: string }>>(
    `SELECT j.id::text AS "jobId", ${MESSAGE_COLUMNS('m')},
       jsonb_build_object(${CONVERSATION_FIELDS('c')}, 'contact', jsonb_build_object(${CONTACT_FIELDS('p')})) AS "conversation"
     FROM outbox_job j
       CROSS JOIN LATERAL (SELECT * FROM message m WHERE m.id = j.message_id LIMIT 1) m
       CROSS JOIN LATERAL (SELECT * FROM conversation c WHERE c.id = m.conversation_id LIMIT 1) c
       CROSS JOIN LATERAL (SELECT * FROM contact p WHERE p.id = c.contact_id LIMIT 1) p
     WHERE j.status = 'pending' AND j.kind = 'process_inbound' AND j.attempts = 0 AND j.run_after <= now()
       AND m.conversation_id <> $1::uuid
       AND NOT EXISTS (
         SELECT 1 FROM message e CROSS JOIN LATERAL (${jobOfMessage('e', 'k.attempts = 0')}) k
         WHERE e.conversation_id = m.conversation_id AND e.seq < m.seq)
     ORDER BY j.run_after
     LIMIT $2
     FOR UPDATE OF j, c SKIP LOCKED`,
    exceptConversationId,
    limit,
  );
  return rows.map(shapeClaimed);
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
/**
 * The reply and its delivery job, taking the seq `bumped` returned: parameters $2–$8 are the
 * reply's; `claim` names the parameters of a delivery claim taken with it (token, lease in ms).
 */
const storeReply = (claim?: { token: number; leaseMs: number }) => `stored AS (
       INSERT INTO message (id, conversation_id, seq, direction, author, channel, text, buttons, attachments, ticket_id, staff_user_id, delivery)
       SELECT gen_random_uuid(), b.id, b.last_seq, 'outbound', $2::text::"MessageAuthor", $3::text::"Channel", $4, $5::text::jsonb, $6::text::jsonb,
              $7::text::uuid, $8::text::uuid, 'pending'
       FROM bumped b
       RETURNING *
     ),
     job AS (
       INSERT INTO outbox_job (id, kind, message_id, idempotency_key, claimed_by, claimed_until)
       SELECT gen_random_uuid(), 'deliver_outbound', s.id, 'out:' || s.id,
         ${claim ? `$${claim.token}::text::uuid, CASE WHEN $${claim.token}::text IS NULL THEN NULL ELSE now() + $${claim.leaseMs}::int * interval '1 millisecond' END` : 'NULL, NULL'}
       FROM stored s
       RETURNING id, message_id
     )`;

const replyParams = (row: Omit<OutboundRow, 'conversationId'>) => [
  row.author,
  row.channel,
  row.text,
  row.buttons === undefined || row.buttons === null ? null : JSON.stringify(row.buttons),
  JSON.stringify(row.attachments ?? []),
  row.ticketId ?? null,
  row.staffUserId ?? null,
];

export async function insertOutbound(tx: SqlTx, row: OutboundRow): Promise<{ message: Message; jobId: string }> {
  const rows = await tx.$queryRawUnsafe<Array<Message & { jobId: string }>>(
    `WITH bumped AS (
       UPDATE conversation SET last_seq = last_seq + 1, updated_at = $9::timestamptz WHERE id = $1::uuid RETURNING id, last_seq
     ),
     ${storeReply()}
     SELECT ${MESSAGE_COLUMNS('s')}, job.id::text AS "jobId" FROM stored s JOIN job ON job.message_id = s.id`,
    row.conversationId,
    ...replyParams(row),
    // The application's clock, as Prisma's @updatedAt uses (the overdue and abandoned sweeps compare it with theirs).
    new Date(),
  );
  const stored = rows[0];
  if (!stored) throw new Error(`Conversation ${row.conversationId} does not exist; the reply was not stored.`);
  const { jobId, ...message } = stored;
  return { message, jobId };
}

export interface FinishedInbound {
  conversationId: string;
  /** The inbound message's job, marked done with this attempt. */
  jobId: string;
  attempt: number;
  /** Where the conversation stands now. */
  flow: string;
  step: string;
  state: unknown;
  /** The bot's reply, if it says anything. */
  reply?: Omit<OutboundRow, 'conversationId'>;
  /** Claims the reply's delivery for `token` (src/work/hand-on.ts): this worker sends it itself. */
  claimReply?: { token: string; leaseMs: number };
}

/**
 * Finishes understanding a message in one statement: where the conversation stands, the reply and
 * its delivery job (seq taken from the conversation, as insertOutbound does), and the message's
 * own job marked done, with the code and agency of the reply's ticket (for the consoles' live
 * update). The caller holds the conversation's and the job's row locks (claimMessage).
 */
export async function finishInbound(
  tx: SqlTx,
  f: FinishedInbound,
): Promise<{ message: Message; jobId: string; ticket: { trackingCode: string; agencyId: string | null } | null } | null> {
  const reply = f.reply ?? { author: 'bot' as const, channel: 'webchat' as Channel, text: '', buttons: null, attachments: [] };
  const rows = await tx.$queryRawUnsafe<
    Array<{ done: number } & Partial<Message> & { jobId: string | null; ticket: { trackingCode: string; agencyId: string | null } | null }>
  >(
    `WITH bumped AS (
       UPDATE conversation SET flow = $10, step = $11, state = $12::text::jsonb, updated_at = $9::timestamptz,
         last_seq = last_seq + $13::int
       WHERE id = $1::uuid RETURNING id, last_seq, $13::int AS replies
     ),
     finished AS (
       UPDATE outbox_job SET status = 'done', attempts = $14::int, finished_at = $9::timestamptz, last_error = NULL,
         claimed_by = NULL, claimed_until = NULL
       WHERE id = $15::uuid RETURNING id
     ),
     ${storeReply({ token: 16, leaseMs: 17 }).replace('FROM bumped b', 'FROM bumped b WHERE b.replies = 1')}
     SELECT (SELECT count(*)::int FROM finished) + (SELECT count(*)::int FROM bumped) * 2 AS done,
       ${MESSAGE_COLUMNS('s')}, job.id::text AS "jobId",
       (SELECT jsonb_build_object('trackingCode', k.tracking_code, 'agencyId', k.agency_id) FROM ticket k WHERE k.id = s.ticket_id) AS "ticket"
     FROM (SELECT 1) one LEFT JOIN stored s ON true LEFT JOIN job ON job.message_id = s.id`,
    f.conversationId,
    ...replyParams(reply),
    new Date(),
    f.flow,
    f.step,
    JSON.stringify(f.state ?? {}),
    f.reply ? 1 : 0,
    f.attempt,
    f.jobId,
    f.claimReply?.token ?? null,
    f.claimReply?.leaseMs ?? 0,
  );
  const row = rows[0];
  // 3: the job and the conversation were both there (the caller's locks say they must be).
  if (!row || row.done !== 3) throw new Error(`Job ${f.jobId} or conversation ${f.conversationId} is gone; the message was not finished.`);
  if (!f.reply) return null;
  const { done: _done, jobId, ticket, ...message } = row;
  return { message: message as Message, jobId: jobId!, ticket };
}
