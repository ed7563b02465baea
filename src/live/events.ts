// The console's live updates: what happened to which ticket, published on the chat bus after the
// transaction that did it commits (src/db/after-commit.ts), so every API node's GET /api/live
// streams hear it, whichever node or worker did the work. Best effort, like the web chat's bell:
// the console reloads what it shows when it (re)connects, and everything is stored anyway.
import { afterCommit } from '../db/after-commit';

export const LIVE_TOPIC = 'console:live';

export type LiveEventName = 'ticket_created' | 'ticket_changed' | 'message_added' | 'notification';
export type NotificationKind = 'new_ticket' | 'overdue' | 'reopened';

interface LiveBase {
  ticketCode: string;
  /** The agency holding the ticket now: whose staff hear of it (operators and admins hear all). */
  agencyId: string | null;
  /** ISO time of the change. */
  at: string;
}

export type LiveEvent =
  | (LiveBase & { event: 'ticket_created'; status: string; priority: string })
  // fromAgencyId: the agency it left on a transfer, whose staff see it go.
  | (LiveBase & { event: 'ticket_changed'; status: string; change: string; fromAgencyId?: string | null })
  | (LiveBase & { event: 'message_added'; messageId: string; direction: 'inbound' | 'outbound'; author: string })
  // The stream adds `title`, in the reader's language (src/notifications/notify.ts notificationTitle).
  | (LiveBase & { event: 'notification'; id: string; kind: NotificationKind; staffUserId: string; summary: string });

/** Publishes `event` once `tx` commits (at once outside a transaction). */
export function publishLive(tx: object, event: LiveEvent): void {
  afterCommit(tx, { kind: 'live', event });
}

/** A ticket row's fields a live event names. */
export interface LiveTicket {
  trackingCode: string;
  agencyId: string | null;
}

export const liveBase = (ticket: LiveTicket, at: Date = new Date()): LiveBase => ({
  ticketCode: ticket.trackingCode,
  agencyId: ticket.agencyId,
  at: at.toISOString(),
});

/** Whom a live event is for: the same rule as the inbox (src/console/api.ts inboxWhere). */
export function liveEventVisibleTo(event: LiveEvent, staff: { id: string; role: string; agencyId: string | null }): boolean {
  if (event.event === 'notification') return event.staffUserId === staff.id;
  if (staff.role === 'admin' || staff.role === 'operator') return true;
  if (staff.agencyId === null) return false;
  return staff.agencyId === event.agencyId || (event.event === 'ticket_changed' && event.fromAgencyId === staff.agencyId);
}

/** Tells the consoles that messages joined a ticket (one query for the ticket's code and agency). */
export async function publishMessagesAdded(
  tx: { ticket: { findUnique(args: { where: { id: string }; select: { trackingCode: true; agencyId: true } }): Promise<LiveTicket | null> } },
  ticketId: string,
  messages: Array<{ id: string; direction: 'inbound' | 'outbound'; author: string }>,
  at: Date = new Date(),
): Promise<void> {
  if (messages.length === 0) return;
  const ticket = await tx.ticket.findUnique({ where: { id: ticketId }, select: { trackingCode: true, agencyId: true } });
  if (ticket) publishMessagesAddedTo(tx, ticket, messages, at);
}

/** The same, for a ticket already read. */
export function publishMessagesAddedTo(
  tx: object,
  ticket: LiveTicket,
  messages: Array<{ id: string; direction: 'inbound' | 'outbound'; author: string }>,
  at: Date = new Date(),
): void {
  for (const m of messages) publishLive(tx, { event: 'message_added', ...liveBase(ticket, at), messageId: m.id, direction: m.direction, author: m.author });
}
