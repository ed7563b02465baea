// What staff do to a ticket, one plain function per action. Each writes its audit event in the
// same transaction, and returns the queue jobs to enqueue after commit.
import type { Db } from '../db/database';
import type { Agency, StaffUser, Ticket } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import type { Locale, Translator } from '../i18n';
import { agencyName, isLocale } from '../i18n';
import { storeOutbound } from '../messages/store';
import type { JobRef } from '../queue/types';

export type Actor = Pick<StaffUser, 'id' | 'role' | 'agencyId' | 'displayName'>;

export class TicketActionError extends Error {
  constructor(
    public readonly statusCode: 400 | 403 | 404 | 409,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'TicketActionError';
  }
}

const FINAL: ReadonlySet<TicketStatus> = new Set(['closed', 'rejected', 'duplicate']);

export function seesAllTickets(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'admin' || actor.role === 'operator';
}

export function canHandle(actor: Actor, ticket: Pick<Ticket, 'agencyId'>): boolean {
  return seesAllTickets(actor) || (actor.agencyId !== null && actor.agencyId === ticket.agencyId);
}

/** Loads a ticket the actor may work on; 404 (not 403) for others' tickets, so codes cannot be probed. */
export async function ticketForActor(db: Db, actor: Actor, code: string): Promise<Ticket & { agency: Agency | null }> {
  const ticket = await db.ticket.findUnique({ where: { trackingCode: code }, include: { agency: true } });
  if (!ticket || !canHandle(actor, ticket)) {
    throw new TicketActionError(404, 'ticket_not_found', `No ticket ${code} in your inbox.`);
  }
  return ticket;
}

export async function replyToTicket(
  db: Db,
  translator: Translator,
  actor: Actor,
  code: string,
  text: string,
  /** Public https URLs of images to send with the answer (a photo of the repaired street light…). */
  images: string[] = [],
): Promise<{ ticket: Ticket; messageId: string; jobs: JobRef[] }> {
  const ticket = await ticketForActor(db, actor, code);
  if (FINAL.has(ticket.status)) {
    throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}; reopen it before replying.`);
  }
  return db.$transaction(async (tx) => {
    const conversation = await tx.conversation.findUniqueOrThrow({
      where: { id: ticket.conversationId },
      include: { contact: true },
    });
    const locale: Locale = isLocale(conversation.contact.locale) ? conversation.contact.locale : 'vi';
    const answer = translator.t(locale, 'agent.reply', { agency: ticket.agency ? agencyName(ticket.agency, locale) : '', code, text });
    // The answer asks at once whether it solved the problem; the conversation handles the taps.
    const body = `${answer}\n\n${translator.t(locale, 'feedback.ask')}`;
    const { message, job } = await storeOutbound(tx, conversation, {
      author: 'agent',
      text: body,
      buttons: [
        { label: translator.t(locale, 'feedback.solved'), value: `feedback:solved:${code}` },
        { label: translator.t(locale, 'feedback.unsolved'), value: `feedback:unsolved:${code}` },
      ],
      images,
      ticketId: ticket.id,
      staffUserId: actor.id,
    });
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: { status: 'answered', answeredAt: new Date() },
    });
    await tx.ticketEvent.create({
      data: {
        ticketId: ticket.id,
        kind: 'replied',
        actorId: actor.id,
        fromStatus: ticket.status,
        toStatus: 'answered',
        data: { messageId: message.id, text, ...(images.length ? { images } : {}) },
      },
    });
    return { ticket: updated, messageId: message.id, jobs: [job] };
  });
}

export async function assignTicket(db: Db, actor: Actor, code: string, agencyId: string, reason: string): Promise<Ticket> {
  const ticket = await ticketForActor(db, actor, code);
  if (FINAL.has(ticket.status)) throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  const agency = await db.agency.findUnique({ where: { id: agencyId } });
  if (!agency || !agency.active) throw new TicketActionError(400, 'unknown_agency', 'No active agency with that id.');
  if (agency.id === ticket.agencyId) throw new TicketActionError(409, 'same_agency', `Ticket ${code} is already with ${agency.name}.`);
  const kind = ticket.status === 'triage' || ticket.status === 'new' ? 'assigned' : 'transferred';
  const toStatus: TicketStatus = agency.isTriage ? 'triage' : 'assigned';
  return db.$transaction(async (tx) => {
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        agencyId: agency.id,
        status: toStatus,
        routingRuleId: null,
        routingReason: `${actor.displayName}: ${reason}`,
      },
    });
    await tx.ticketEvent.create({
      data: {
        ticketId: ticket.id,
        kind,
        actorId: actor.id,
        fromStatus: ticket.status,
        toStatus,
        data: { fromAgencyId: ticket.agencyId, toAgencyId: agency.id, reason },
      },
    });
    return updated;
  });
}

const ALLOWED_STATUS_CHANGES: Partial<Record<TicketStatus, ReadonlySet<TicketStatus>>> = {
  assigned: new Set(['in_progress', 'closed', 'rejected']),
  in_progress: new Set(['closed', 'rejected']),
  answered: new Set(['closed', 'reopened']),
  reopened: new Set(['in_progress', 'closed']),
  triage: new Set(['rejected', 'closed']),
  closed: new Set(['reopened']),
};

export async function changeTicketStatus(
  db: Db,
  actor: Actor,
  code: string,
  status: TicketStatus,
  reason?: string,
): Promise<Ticket> {
  const ticket = await ticketForActor(db, actor, code);
  if (!ALLOWED_STATUS_CHANGES[ticket.status]?.has(status)) {
    throw new TicketActionError(409, 'invalid_transition', `A ${ticket.status} ticket cannot become ${status}.`);
  }
  if (status === 'rejected' && !reason) {
    throw new TicketActionError(400, 'reason_required', 'Rejecting a ticket needs a stated reason.');
  }
  return db.$transaction(async (tx) => {
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: { status, closedAt: status === 'closed' || status === 'rejected' ? new Date() : null },
    });
    await tx.ticketEvent.create({
      data: { ticketId: ticket.id, kind: 'status_changed', actorId: actor.id, fromStatus: ticket.status, toStatus: status, data: { reason: reason ?? null } },
    });
    return updated;
  });
}

export async function addInternalNote(db: Db, actor: Actor, code: string, text: string): Promise<void> {
  const ticket = await ticketForActor(db, actor, code);
  await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'note', actorId: actor.id, data: { text } } });
}
