// The SQL of sending a stored reply (src/work/handlers.ts deliverOutbound) and of the outbox's
// delivery claims (src/work/outbox.ts): through Prisma's model API a reply cost ~10 statements
// (claim, job, message, conversation, contact, ledger, then a transaction of four); here the claim
// with everything the sender reads is one statement, and finishing is one.
// Rows come back shaped as Prisma's models (columns aliased to their field names; the drivers give
// Dates and parsed JSON). A column added to outbox_job or message must be added to its list here
// too (tests/work/delivery-statements.test.ts compares these rows with Prisma's own).
import type { Channel, Message, OutboxJob, Prisma } from '../generated/prisma/client';

export type SqlDb = Pick<Prisma.TransactionClient, '$queryRawUnsafe' | '$executeRawUnsafe'>;

const JOB_COLUMNS = (j: string) => `${j}.id::text AS "job.id", ${j}.kind::text AS "job.kind", ${j}.status::text AS "job.status",
  ${j}.message_id::text AS "job.messageId", ${j}.idempotency_key AS "job.idempotencyKey", ${j}.attempts AS "job.attempts",
  ${j}.last_error AS "job.lastError", ${j}.run_after AS "job.runAfter", ${j}.created_at AS "job.createdAt",
  ${j}.finished_at AS "job.finishedAt", ${j}.claimed_by::text AS "job.claimedBy", ${j}.claimed_until AS "job.claimedUntil"`;

const MESSAGE_COLUMNS = (m: string) => `${m}.id::text AS "id", ${m}.conversation_id::text AS "conversationId", ${m}.seq AS "seq",
  ${m}.direction::text AS "direction", ${m}.author::text AS "author", ${m}.channel::text AS "channel", ${m}.external_id AS "externalId",
  ${m}.text AS "text", ${m}.full_text AS "fullText", ${m}.attachments AS "attachments", ${m}.buttons AS "buttons",
  ${m}.rate_limited AS "rateLimited", ${m}.ticket_id::text AS "ticketId", ${m}.staff_user_id::text AS "staffUserId",
  ${m}.delivery::text AS "delivery", ${m}.delivery_error AS "deliveryError", ${m}.created_at AS "createdAt"`;

/**
 * The claim rule: a row is claimed only while pending and not held by a live lease (database
 * time, so node clocks do not matter). `locked` reads the row FOR UPDATE, which sees the newest
 * committed version (a plain read would see the statement's snapshot), so a row another worker
 * just finished answers 'finished', not 'busy'; `claimed` takes the lease on what it saw.
 * Parameters: $1 the job, $2 the claim's token, $3 the lease in milliseconds.
 */
const CLAIM = `locked AS (
    SELECT id, status, claimed_until FROM outbox_job WHERE id = $1::uuid FOR UPDATE
  ),
  claimed AS (
    UPDATE outbox_job j SET claimed_by = $2::uuid, claimed_until = now() + $3::float8 * interval '1 millisecond'
    FROM locked l
    WHERE j.id = l.id AND l.status = 'pending' AND (l.claimed_until IS NULL OR l.claimed_until < now())
    RETURNING j.*
  )`;

const OUTCOME = `CASE WHEN c.id IS NOT NULL THEN 'claimed' WHEN l.status <> 'pending' THEN 'finished' ELSE 'busy' END AS "outcome",
  (extract(epoch FROM l.claimed_until - now()) * 1000)::float8 AS "leftMs"`;

/** What a claim found: the row, now claimed by us; done or dead; or held by another sender's lease. */
export type OutboxClaim<T> =
  | ({ kind: 'claimed' } & T)
  | { kind: 'finished' }
  | { kind: 'busy'; /** How long the other sender's lease still runs. */ leftMs: number };

interface ClaimRow {
  outcome: 'claimed' | 'finished' | 'busy';
  leftMs: number | null;
  [column: string]: unknown;
}

/** Claims an outbox row for `token` for `leaseMs`, returning the row. One statement. */
export async function claimOutboxRow(db: SqlDb, id: string, token: string, leaseMs: number): Promise<OutboxClaim<{ job: OutboxJob }>> {
  const rows = await db.$queryRawUnsafe<ClaimRow[]>(
    `WITH ${CLAIM}
     SELECT ${OUTCOME}, ${JOB_COLUMNS('c')}
     FROM locked l LEFT JOIN claimed c ON c.id = l.id`,
    id,
    token,
    leaseMs,
  );
  return outcome(rows[0], (row) => ({ job: jobOf(row) }));
}

/** A reply claimed for sending, with everything its sender reads. */
export interface ClaimedReply {
  job: OutboxJob;
  message: Message;
  /** Whom the platform knows the person as (the conversation's contact). */
  channelUserId: string;
  /** The delivery ledger: the parts of the message earlier attempts got accepted, in order. */
  sentParts: Array<{ part: number; externalId: string | null }>;
}

/**
 * Claims a deliver_outbound row (the rule of claimOutboxRow) and reads its message, the contact's
 * channel user id and the delivery ledger, in one statement. `reply` is null when the row was
 * claimed but its message does not exist (the caller fails the delivery and releases the claim).
 */
export async function claimReply(db: SqlDb, id: string, token: string, leaseMs: number): Promise<OutboxClaim<{ reply: ClaimedReply | null }>> {
  const rows = await db.$queryRawUnsafe<ClaimRow[]>(
    `WITH ${CLAIM}
     SELECT ${OUTCOME}, ${JOB_COLUMNS('c')}, ${MESSAGE_COLUMNS('m')}, p.channel_user_id AS "channelUserId",
       COALESCE((SELECT jsonb_agg(jsonb_build_object('part', d.part, 'externalId', d.external_id) ORDER BY d.part)
                 FROM delivery_part d WHERE d.message_id = m.id), '[]'::jsonb) AS "sentParts"
     FROM locked l
       LEFT JOIN claimed c ON c.id = l.id
       LEFT JOIN message m ON m.id = c.message_id
       LEFT JOIN conversation v ON v.id = m.conversation_id
       LEFT JOIN contact p ON p.id = v.contact_id`,
    id,
    token,
    leaseMs,
  );
  return outcome(rows[0], (row) => {
    const { outcome: _o, leftMs: _l, channelUserId, sentParts, ...rest } = row;
    const message = Object.fromEntries(Object.entries(rest).filter(([key]) => !key.startsWith('job.'))) as unknown as Message;
    if (message.id === null) return { reply: null };
    return { reply: { job: jobOf(row), message, channelUserId: channelUserId as string, sentParts: sentParts as ClaimedReply['sentParts'] } };
  });
}

function outcome<T>(row: ClaimRow | undefined, claimed: (row: ClaimRow) => T): OutboxClaim<T> {
  // No row: the job does not exist (any more); there is nothing to send.
  if (!row || row.outcome === 'finished') return { kind: 'finished' };
  if (row.outcome === 'busy') return { kind: 'busy', leftMs: row.leftMs ?? 0 };
  return { kind: 'claimed', ...claimed(row) };
}

function jobOf(row: ClaimRow): OutboxJob {
  return Object.fromEntries(
    Object.entries(row)
      .filter(([key]) => key.startsWith('job.'))
      .map(([key, value]) => [key.slice(4), value]),
  ) as unknown as OutboxJob;
}

/** Parts the platform accepted that a ledger held for the statement finishing their delivery. */
export interface HeldParts {
  messageId: string;
  channel: Channel;
  parts: Array<{ part: number; externalId: string | null }>;
}

/**
 * After a `job` CTE returning the finished jobs' message_id: each message marked sent (unless a
 * receipt already moved it on to delivered or seen), and the held parts, parameter `$n`, recorded.
 */
const MARK_SENT = (n: number) => `sent AS (
       UPDATE message m SET delivery = 'sent', delivery_error = NULL
       FROM job WHERE m.id = job.message_id AND m.delivery IN ('none', 'pending', 'failed')
       RETURNING m.id
     ),
     parts AS (
       INSERT INTO delivery_part (message_id, part, channel, external_id)
       SELECT p.message_id, p.part, p.channel::"Channel", p.external_id
       FROM jsonb_to_recordset($${n}::text::jsonb) AS p(message_id uuid, part int, channel text, external_id text)
       ON CONFLICT (message_id, part) DO NOTHING
     )`;

const heldJson = (held: HeldParts[]) =>
  JSON.stringify(held.flatMap((h) => h.parts.map((p) => ({ message_id: h.messageId, part: p.part, channel: h.channel, external_id: p.externalId }))));

/** The ticket fields the console's live event about a delivered answer names. */
export interface DeliveredTicket {
  trackingCode: string;
  agencyId: string | null;
  status: string;
}

/**
 * Finishes a delivered reply in one statement (atomic without a transaction): the job done with
 * its claim cleared, the message sent (MARK_SENT) with the parts its ledger held. Returns the
 * ticket `ticketId` names as it is now (null: none asked, or none found).
 */
export async function finishReply(
  db: SqlDb,
  jobId: string,
  attempt: number,
  ticketId: string | null,
  /** Parts the platform accepted that the ledger held for this statement (the last one). */
  held?: HeldParts,
): Promise<{ ticket: DeliveredTicket | null }> {
  const rows = await db.$queryRawUnsafe<Array<{ jobs: number; trackingCode: string | null; agencyId: string | null; status: string | null }>>(
    `WITH job AS (
       UPDATE outbox_job SET status = 'done', attempts = $2::int, finished_at = $3::timestamptz, last_error = NULL,
         claimed_by = NULL, claimed_until = NULL
       WHERE id = $1::uuid
       RETURNING message_id
     ),
     ${MARK_SENT(5)}
     SELECT (SELECT count(*)::int FROM job) AS "jobs", t.tracking_code AS "trackingCode", t.agency_id::text AS "agencyId", t.status::text AS "status"
     FROM (SELECT 1) one LEFT JOIN ticket t ON t.id = $4::text::uuid`,
    jobId,
    attempt,
    // The application's clock, as Prisma's update of finishedAt used.
    new Date(),
    ticketId,
    heldJson(held ? [held] : []),
  );
  const row = rows[0];
  if (!row || row.jobs !== 1) throw new Error(`Delivery ${jobId} does not exist; it cannot be marked done.`);
  const ticket = row.trackingCode === null ? null : { trackingCode: row.trackingCode, agencyId: row.agencyId, status: row.status! };
  return { ticket };
}

/** Records one part of a message the platform accepted; a second worker racing on the same part records it once. */
export async function recordDeliveryPart(db: SqlDb, messageId: string, part: number, channel: Channel, externalId: string | null): Promise<void> {
  await db.$executeRawUnsafe(
    `INSERT INTO delivery_part (message_id, part, channel, external_id) VALUES ($1::uuid, $2::int, $3::text::"Channel", $4::text)
     ON CONFLICT (message_id, part) DO NOTHING`,
    messageId,
    part,
    channel,
    externalId,
  );
}

/** A reply a worker sent itself (src/work/hand-on.ts), with the parts its ledger held to record. */
export interface HandedOnDelivery extends HeldParts {
  jobId: string;
}

/**
 * Finishes replies sent under the claim `token` in one statement: each job done, its message
 * sent (unless a receipt moved it on), the parts held recorded. Returns how many jobs it finished:
 * fewer when a claim ran out and another worker took the reply over (that one finishes it).
 */
export async function finishHandedOn(db: SqlDb, token: string, delivered: HandedOnDelivery[]): Promise<number> {
  if (delivered.length === 0) return 0;
  const rows = await db.$queryRawUnsafe<Array<{ jobs: number }>>(
    `WITH job AS (
       UPDATE outbox_job SET status = 'done', attempts = attempts + 1, finished_at = $3::timestamptz, last_error = NULL,
         claimed_by = NULL, claimed_until = NULL
       WHERE id = ANY($1::text[]::uuid[]) AND claimed_by = $2::uuid AND status = 'pending'
       RETURNING message_id
     ),
     ${MARK_SENT(4)}
     SELECT count(*)::int AS "jobs" FROM job`,
    delivered.map((d) => d.jobId),
    token,
    new Date(),
    heldJson(delivered),
  );
  return rows[0]?.jobs ?? 0;
}

/** Gives up the claim `token` holds on these jobs, recording the failed attempt of each (a delivery job sends them instead). */
export async function releaseHandedOn(db: SqlDb, token: string, failed: Array<{ jobId: string; error: string }>): Promise<void> {
  if (failed.length === 0) return;
  await db.$executeRawUnsafe(
    `UPDATE outbox_job j SET claimed_by = NULL, claimed_until = NULL, attempts = j.attempts + 1, last_error = f.error
     FROM unnest($1::text[]::uuid[], $2::text[]) AS f(id, error)
     WHERE j.id = f.id AND j.claimed_by = $3::uuid`,
    failed.map((f) => f.jobId),
    failed.map((f) => f.error),
    token,
  );
}

/** Extends the lease of every job the claim `token` holds; how many it still holds. */
export async function renewHandedOn(db: SqlDb, token: string, leaseMs: number): Promise<number> {
  return db.$executeRawUnsafe(
    `UPDATE outbox_job SET claimed_until = now() + $2::int * interval '1 millisecond' WHERE claimed_by = $1::uuid AND status = 'pending'`,
    token,
    leaseMs,
  );
}
