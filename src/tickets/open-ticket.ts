// Opening a ticket: tracking code, routing decision, deadlines and the first audit events,
// all inside the transaction that processes the person's message.
import type { Message, Ticket } from '../generated/prisma/client';
import { liveBase, publishLive } from '../live/events';
import type { Tx } from '../messages/store';
import { announceNotifications } from '../notifications/notify';
import { insertTicket, type NewTicketRow } from '../db/ticket-sql';
import { routeTicket, type RoutingDecision, type RoutingInput, type RoutingTableCache } from '../routing/route-ticket';
import { ticketDeadlines, type WorkingCalendar } from './deadlines';
import { newTrackingCode } from './tracking-code';

export interface TicketSettings {
  trackingPrefix: string;
  timezoneOffsetMinutes: number;
  /** Classifications below this confidence go to the operators' triage inbox. */
  confidenceThreshold: number;
  /** Office hours and holidays the deadlines count in (standard office hours without it). */
  calendar?: WorkingCalendar;
  /** The routing rules as lately read (without it, read for each ticket). */
  routingTable?: RoutingTableCache;
}

const SUMMARY_CHARS = 280;

/** The service deadlines, brought forward to the person's own deadline when it comes first. */
function withinDeadline(deadlines: { acceptDueAt: Date; dueAt: Date }, dueBy: Date | undefined) {
  if (!dueBy) return deadlines;
  const sooner = (a: Date) => (dueBy.getTime() < a.getTime() ? dueBy : a);
  return { acceptDueAt: sooner(deadlines.acceptDueAt), dueAt: sooner(deadlines.dueAt) };
}

export function summarize(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length <= SUMMARY_CHARS ? flat : `${flat.slice(0, SUMMARY_CHARS - 1)}…`;
}

export async function openTicket(
  tx: Tx,
  message: Message & { conversation: { id: string; contactId: string } },
  input: RoutingInput,
  settings: TicketSettings,
  /** What the conversation learnt beyond the message: the place, and that it is online-service help. */
  details: {
    place?: { text?: string; latitude?: number; longitude?: number } | null;
    onlineSupport?: boolean;
    /** False when the message only completes the request (a tapped "send"): it stays off the ticket. */
    attachMessage?: boolean;
    /** The person's own deadline (a reporter's): the ticket is due by then if that is sooner. */
    dueBy?: Date;
  } = {},
): Promise<{ ticket: Ticket; routing: RoutingDecision }> {
  const routing = await routeTicket(tx, input, settings.routingTable);
  const classification = input.classification;
  const now = new Date();
  const row: Omit<NewTicketRow, 'trackingCode'> = {
    contactId: message.conversation.contactId,
    conversationId: message.conversation.id,
    channel: message.channel,
    intent: classification?.intent ?? null,
    topic: classification?.topic ?? null,
    confidence: classification?.confidence ?? null,
    priority: routing.priority,
    status: routing.status,
    agencyId: routing.agency.id,
    routingRuleId: routing.rule?.id ?? null,
    routingReason: routing.reason,
    onlineSupport: routing.onlineSupport || details.onlineSupport === true,
    summary: summarize(message.text),
    place: details.place?.text ?? null,
    latitude: details.place?.latitude ?? null,
    longitude: details.place?.longitude ?? null,
    ...withinDeadline(ticketDeadlines(routing.priority, now, settings.timezoneOffsetMinutes, settings.calendar), details.dueBy),
    // The clock the deadlines counted from: a priority change counts them again from createdAt
    // (src/tickets/actions.ts), and the database's own now() is when the transaction began.
    createdAt: now,
  };
  const events = {
    attachMessageId: details.attachMessage === false ? null : message.id,
    openedData: { messageId: message.id },
    routedData: { agencyId: routing.agency.id, ruleId: routing.rule?.id ?? null, reason: routing.reason },
  };
  // A code already taken writes nothing: another is drawn (five random letters: a clash is rare).
  for (let i = 0; i < 10; i++) {
    const opened = await insertTicket(tx, { ...row, trackingCode: newTrackingCode(settings.trackingPrefix, now) }, events);
    if (!opened) continue;
    const { ticket } = opened;
    // The consoles hear of it once this commits; the agency's staff (the operators for triage) were notified.
    publishLive(tx, { event: 'ticket_created', ...liveBase(ticket, now), status: ticket.status, priority: ticket.priority });
    announceNotifications(tx, 'new_ticket', ticket, now, opened.notified);
    return { ticket, routing };
  }
  throw new Error('Could not find an unused tracking code after 10 tries; the code space is nearly full.');
}
