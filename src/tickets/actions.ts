// What staff do to a ticket, one plain function per action. Each moves the ticket through the
// lifecycle (src/tickets/lifecycle.ts: the table, the row, the audit event), tells the person, and
// returns the queue jobs to enqueue after commit.
import type { Db } from '../db/database';
import type { Agency, StaffUser, Ticket } from '../generated/prisma/client';
import type { TicketPriority, TicketStatus } from '../generated/prisma/enums';
import type { Locale, Translator } from '../i18n';
import { agencyName, isLocale } from '../i18n';
import { liveBase, publishLive } from '../live/events';
import { storeOutbound } from '../messages/store';
import type { JobRef } from '../queue/types';
import { TicketActionError } from './errors';
import { ticketDeadlines, type WorkingCalendar } from './deadlines';
import { isFinal, tellPerson, transition } from './lifecycle';

export { TicketActionError } from './errors';

export type Actor = Pick<StaffUser, 'id' | 'role' | 'agencyId' | 'displayName'>;

export interface ActionResult {
  ticket: Ticket;
  /** Deliveries of what the person was told (enqueue after commit). */
  jobs: JobRef[];
}

export function seesAllTickets(actor: Pick<Actor, 'role'>): boolean {
  return actor.role === 'admin' || actor.role === 'operator';
}

export function canHandle(actor: Actor, ticket: Pick<Ticket, 'agencyId'>): boolean {
  return seesAllTickets(actor) || (actor.agencyId !== null && actor.agencyId === ticket.agencyId);
}

/**
 * Who sees a person's contact phone and the exact place of a ticket: the operators and admins, and
 * the staff of the agency handling it (a press officer sees the ticket, not the person's details).
 */
export function seesPersonalData(actor: Pick<Actor, 'role' | 'agencyId'>, ticket: Pick<Ticket, 'agencyId'>): boolean {
  return seesAllTickets(actor) || (actor.role === 'agency_staff' && actor.agencyId !== null && actor.agencyId === ticket.agencyId);
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
  if (isFinal(ticket.status)) {
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
    const moved = await transition(tx, ticket, 'answered', {
      by: 'staff',
      kind: 'replied',
      actorId: actor.id,
      data: { messageId: message.id, text, ...(images.length ? { images } : {}) },
    });
    return { ticket: moved.ticket, messageId: message.id, jobs: [job, ...(await tellPerson(tx, translator, moved))] };
  });
}

/**
 * Sends a ticket to an agency. From the operators' triage it is `assigned`; from another agency it
 * is `transferred` until the new agency takes it or answers; to the triage agency it is `triage` again.
 */
export async function assignTicket(
  db: Db,
  translator: Translator,
  actor: Actor,
  code: string,
  agencyId: string,
  reason: string,
): Promise<ActionResult> {
  const ticket = await ticketForActor(db, actor, code);
  if (isFinal(ticket.status)) throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  const agency = await db.agency.findUnique({ where: { id: agencyId } });
  if (!agency || !agency.active) throw new TicketActionError(400, 'unknown_agency', 'No active agency with that id.');
  if (agency.id === ticket.agencyId) throw new TicketActionError(409, 'same_agency', `Ticket ${code} is already with ${agency.name}.`);
  const fromTriage = ticket.status === 'triage';
  const to: TicketStatus = agency.isTriage ? 'triage' : fromTriage ? 'assigned' : 'transferred';
  return db.$transaction(async (tx) => {
    const moved = await transition(tx, ticket, to, {
      by: 'staff',
      kind: fromTriage ? 'assigned' : 'transferred',
      actorId: actor.id,
      data: { fromAgencyId: ticket.agencyId, toAgencyId: agency.id },
      reason,
      // The person working on it belonged to the agency it leaves.
      set: { agencyId: agency.id, assigneeId: null, routingRuleId: null, routingReason: `${actor.displayName}: ${reason}` },
    });
    // The staff's reason is for the next agency; the person is told where the ticket went.
    return { ticket: moved.ticket, jobs: await tellPerson(tx, translator, moved) };
  });
}

/** In progress, closed, reopened, rejected (with a reason the person is told). */
export async function changeTicketStatus(
  db: Db,
  translator: Translator,
  actor: Actor,
  code: string,
  status: TicketStatus,
  reason?: string,
): Promise<ActionResult> {
  const ticket = await ticketForActor(db, actor, code);
  return db.$transaction(async (tx) => {
    const moved = await transition(tx, ticket, status, { by: 'staff', kind: 'status_changed', actorId: actor.id, reason });
    return { ticket: moved.ticket, jobs: await tellPerson(tx, translator, moved) };
  });
}

/**
 * Merges a ticket into the one it duplicates: it becomes `duplicate` (its messages stay with it),
 * the person is given the other code, and the other ticket records the merge.
 */
export async function mergeDuplicate(
  db: Db,
  translator: Translator,
  actor: Actor,
  code: string,
  intoCode: string,
  reason?: string,
): Promise<ActionResult & { into: Ticket }> {
  if (code === intoCode) throw new TicketActionError(400, 'same_ticket', `Ticket ${code} cannot be merged into itself.`);
  const ticket = await ticketForActor(db, actor, code);
  const into = await ticketForActor(db, actor, intoCode).catch((err: unknown) => {
    if (err instanceof TicketActionError && err.statusCode === 404) {
      throw new TicketActionError(404, 'target_not_found', `No ticket ${intoCode} in your inbox to merge into.`);
    }
    throw err;
  });
  if (isFinal(ticket.status)) throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  if (isFinal(into.status)) {
    const hint = into.duplicateOfId ? '; merge into the ticket it duplicates instead' : '';
    throw new TicketActionError(409, 'target_closed', `Ticket ${intoCode} is ${into.status}${hint}.`);
  }
  return db.$transaction(async (tx) => {
    const moved = await transition(tx, ticket, 'duplicate', {
      by: 'staff',
      kind: 'marked_duplicate',
      actorId: actor.id,
      reason,
      data: { intoId: into.id, intoCode },
      set: { duplicateOfId: into.id },
    });
    await tx.ticketEvent.create({
      data: { ticketId: into.id, kind: 'merged', actorId: actor.id, data: { fromId: ticket.id, fromCode: code, ...(reason ? { reason } : {}) } },
    });
    // The reason is between staff; the person is told which code to follow.
    return { ticket: moved.ticket, into, jobs: await tellPerson(tx, translator, moved) };
  });
}

export async function addInternalNote(db: Db, actor: Actor, code: string, text: string): Promise<void> {
  const ticket = await ticketForActor(db, actor, code);
  await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'note', actorId: actor.id, data: { text } } });
}

/**
 * Gives a ticket to one person of the agency holding it (`take`: the actor themself). The status
 * does not move; an `assignee_changed` event records who and by whom.
 */
export async function assignToPerson(db: Db, actor: Actor, code: string, staffUserId: string): Promise<Ticket> {
  const ticket = await ticketForActor(db, actor, code);
  if (isFinal(ticket.status)) throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  const person = await db.staffUser.findUnique({ where: { id: staffUserId } });
  if (!person || !person.active || person.agencyId === null || person.agencyId !== ticket.agencyId) {
    const self = staffUserId === actor.id;
    throw new TicketActionError(
      400,
      'not_agency_staff',
      self ? `Only staff of the agency holding ${code} can take it.` : `That person is not active staff of the agency holding ${code}.`,
    );
  }
  if (ticket.assigneeId === person.id) return ticket;
  return db.$transaction(async (tx) => {
    const updated = await tx.ticket.update({ where: { id: ticket.id }, data: { assigneeId: person.id } });
    await tx.ticketEvent.create({
      data: { ticketId: ticket.id, kind: 'assignee_changed', actorId: actor.id, data: { fromAssigneeId: ticket.assigneeId, toAssigneeId: person.id } },
    });
    publishLive(tx, { event: 'ticket_changed', ...liveBase(updated), status: updated.status, change: 'assignee_changed' });
    return updated;
  });
}

/**
 * Changes a ticket's priority (an operator finds an ordinary report urgent, or a request complex).
 * The deadlines follow the new priority's service targets, counted from when the ticket came in,
 * as if it had had that priority from the start; an overdue mark whose deadline moves into the
 * future is lifted (the sweep marks it again if the new deadline passes). Recorded as
 * `priority_changed` with the reason.
 */
export async function changePriority(
  db: Db,
  actor: Actor,
  code: string,
  priority: TicketPriority,
  reason: string | undefined,
  deadlines: { timezoneOffsetMinutes: number; calendar: WorkingCalendar },
  now = new Date(),
): Promise<Ticket> {
  const ticket = await ticketForActor(db, actor, code);
  if (isFinal(ticket.status)) throw new TicketActionError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  if (ticket.priority === priority) return ticket;
  const due = ticketDeadlines(priority, ticket.createdAt, deadlines.timezoneOffsetMinutes, deadlines.calendar);
  return db.$transaction(async (tx) => {
    const updated = await tx.ticket.update({
      where: { id: ticket.id },
      data: {
        priority,
        ...due,
        ...(due.acceptDueAt > now ? { acceptOverdueAt: null } : {}),
        ...(due.dueAt > now ? { answerOverdueAt: null } : {}),
      },
    });
    await tx.ticketEvent.create({
      data: {
        ticketId: ticket.id,
        kind: 'priority_changed',
        actorId: actor.id,
        data: { from: ticket.priority, to: priority, ...(reason ? { reason } : {}) },
      },
    });
    return updated;
  });
}
