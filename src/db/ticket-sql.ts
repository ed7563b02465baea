// The SQL of opening a ticket (src/tickets/open-ticket.ts): the ticket, the message joining it,
// its first two history events, the notifications of the agency's staff and the e-mail jobs of
// those who asked for mail — what Prisma's model API did in six or more statements, one here.
// The ticket comes back shaped as Prisma's model (see src/db/work-sql.ts); a column added to
// ticket must be added to TICKET_COLUMNS too (tests/tickets/open-ticket-sql.test.ts compares).
import type { Channel, Ticket, TicketPriority, TicketStatus } from '../generated/prisma/client';
import type { SqlTx } from './work-sql';

const TICKET_COLUMNS = (t: string) => `${t}.id::text AS "id", ${t}.tracking_code AS "trackingCode", ${t}.contact_id::text AS "contactId",
  ${t}.conversation_id::text AS "conversationId", ${t}.channel::text AS "channel", ${t}.intent AS "intent", ${t}.topic AS "topic",
  ${t}.confidence AS "confidence", ${t}.priority::text AS "priority", ${t}.status::text AS "status", ${t}.agency_id::text AS "agencyId",
  ${t}.assignee_id::text AS "assigneeId", ${t}.routing_rule_id::text AS "routingRuleId", ${t}.routing_reason AS "routingReason",
  ${t}.online_support AS "onlineSupport", ${t}.summary AS "summary", ${t}.place AS "place", ${t}.latitude AS "latitude",
  ${t}.longitude AS "longitude", ${t}.accept_due_at AS "acceptDueAt", ${t}.due_at AS "dueAt", ${t}.answered_at AS "answeredAt",
  ${t}.closed_at AS "closedAt", ${t}.accept_overdue_at AS "acceptOverdueAt", ${t}.answer_overdue_at AS "answerOverdueAt",
  ${t}.expected_at AS "expectedAt", ${t}.duplicate_of_id::text AS "duplicateOfId", ${t}.created_at AS "createdAt",
  ${t}.updated_at AS "updatedAt"`;

export interface NewTicketRow {
  trackingCode: string;
  contactId: string;
  conversationId: string;
  channel: Channel;
  intent: string | null;
  topic: string | null;
  confidence: number | null;
  priority: TicketPriority;
  status: TicketStatus;
  agencyId: string;
  routingRuleId: string | null;
  routingReason: string;
  onlineSupport: boolean;
  summary: string;
  place: string | null;
  latitude: number | null;
  longitude: number | null;
  acceptDueAt: Date;
  dueAt: Date;
  /** The clock the deadlines counted from; the events and notifications carry it too. */
  createdAt: Date;
}

/** A notification the statement made for one of the agency's staff, and its e-mail job if they want mail. */
export interface MadeNotification {
  id: string;
  staffUserId: string;
  mailJobId: string | null;
}

/**
 * Inserts the ticket with everything opening it writes, in one statement: `attachMessageId` joins
 * the ticket (null: none does), the `opened` and `routed` events, and a `new_ticket` notification
 * for each active staff member of its agency. Null when the tracking code is taken (nothing is
 * written then: the caller draws another).
 */
export async function insertTicket(
  tx: SqlTx,
  row: NewTicketRow,
  opts: { attachMessageId: string | null; openedData: object; routedData: object },
): Promise<{ ticket: Ticket; notified: MadeNotification[] } | null> {
  const rows = await tx.$queryRawUnsafe<Array<Ticket & { notified: MadeNotification[]; attached: number }>>(
    `WITH t AS (
       INSERT INTO ticket (id, tracking_code, contact_id, conversation_id, channel, intent, topic, confidence, priority, status,
         agency_id, routing_rule_id, routing_reason, online_support, summary, place, latitude, longitude, accept_due_at, due_at,
         created_at, updated_at)
       VALUES (gen_random_uuid(), $1, $2::uuid, $3::uuid, $4::text::"Channel", $5::text, $6::text, $7::float8,
         $8::text::"TicketPriority", $9::text::"TicketStatus", $10::uuid, $11::text::uuid, $12, $13::boolean, $14, $15::text,
         $16::float8, $17::float8, $18::timestamptz, $19::timestamptz, $20::timestamptz, $20::timestamptz)
       ON CONFLICT (tracking_code) DO NOTHING
       RETURNING *
     ),
     attached AS (
       UPDATE message SET ticket_id = t.id FROM t WHERE message.id = $21::text::uuid RETURNING message.id
     ),
     events AS (
       INSERT INTO ticket_event (id, ticket_id, kind, from_status, to_status, data, created_at)
       SELECT gen_random_uuid(), t.id, 'opened', NULL::"TicketStatus", 'new'::"TicketStatus", $22::text::jsonb, $20::timestamptz FROM t
       UNION ALL
       SELECT gen_random_uuid(), t.id, 'routed', 'new'::"TicketStatus", t.status, $23::text::jsonb, $20::timestamptz FROM t
     ),
     staff AS (
       SELECT s.id, s.email_notifications FROM staff_user s JOIN t ON s.agency_id = t.agency_id WHERE s.active
     ),
     notified AS (
       INSERT INTO notification (id, staff_user_id, kind, ticket_id, created_at)
       SELECT gen_random_uuid(), staff.id, 'new_ticket', t.id, $20::timestamptz FROM staff, t
       RETURNING id, staff_user_id
     ),
     mails AS (
       INSERT INTO outbox_job (id, kind, message_id, idempotency_key)
       SELECT gen_random_uuid(), 'email_notification', n.id, 'mail:' || n.id
       FROM notified n JOIN staff ON staff.id = n.staff_user_id WHERE staff.email_notifications
       RETURNING id, message_id
     )
     SELECT ${TICKET_COLUMNS('t')},
       (SELECT count(*)::int FROM attached) AS "attached",
       COALESCE((SELECT jsonb_agg(jsonb_build_object('id', n.id::text, 'staffUserId', n.staff_user_id::text, 'mailJobId', m.id::text) ORDER BY n.id)
         FROM notified n LEFT JOIN mails m ON m.message_id = n.id), '[]'::jsonb) AS "notified"
     FROM t`,
    row.trackingCode,
    row.contactId,
    row.conversationId,
    row.channel,
    row.intent,
    row.topic,
    row.confidence,
    row.priority,
    row.status,
    row.agencyId,
    row.routingRuleId,
    row.routingReason,
    row.onlineSupport,
    row.summary,
    row.place,
    row.latitude,
    row.longitude,
    row.acceptDueAt,
    row.dueAt,
    row.createdAt,
    opts.attachMessageId,
    JSON.stringify(opts.openedData),
    JSON.stringify(opts.routedData),
  );
  const found = rows[0];
  if (!found) return null;
  const { notified, attached, ...ticket } = found;
  if (opts.attachMessageId !== null && attached !== 1) {
    throw new Error(`Message ${opts.attachMessageId} does not exist; the ticket was not opened.`);
  }
  return { ticket, notified };
}
