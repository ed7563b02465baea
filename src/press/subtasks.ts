// A reporter's request often needs several agencies: the press officer asks each for its part
// (a sub-task under the ticket, in that agency's own inbox), each answers its part, and the
// officer sends the person one consolidated answer with the ticket's ordinary reply. Asking puts
// the ticket in progress.
import type { Db } from '../db/database';
import type { StaffUser, TicketSubtask } from '../generated/prisma/client';
import type { Tx } from '../messages/store';
import { ticketForActor } from '../tickets/actions';
import { isFinal, tellPerson, transition } from '../tickets/lifecycle';
import type { Translator } from '../i18n';
import type { JobRef } from '../queue/types';
import { PressError } from './errors';

type Staff = Pick<StaffUser, 'id' | 'role' | 'agencyId' | 'displayName'>;

const coordinates = (staff: Pick<StaffUser, 'role'>) => staff.role === 'press_officer' || staff.role === 'admin';

/** Asks each agency for its part; refused for final tickets, unknown agencies or an empty question. */
export async function requestInput(
  db: Db,
  staff: Staff,
  code: string,
  input: { agencyIds: string[]; question: string; dueAt?: Date | null },
  translator: Translator,
): Promise<{ subtasks: TicketSubtask[]; jobs: JobRef[] }> {
  if (!coordinates(staff)) throw new PressError(403, 'press_officers_only', 'Only press officers and admins ask agencies for input.');
  const ticket = await ticketForActor(db, staff, code);
  if (isFinal(ticket.status)) throw new PressError(409, 'ticket_closed', `Ticket ${code} is ${ticket.status}.`);
  const question = input.question.trim();
  if (!question) throw new PressError(400, 'empty_question', 'Say what each agency is asked.');
  const ids = [...new Set(input.agencyIds)];
  const agencies = await db.agency.findMany({ where: { id: { in: ids }, active: true, isTriage: false } });
  if (ids.length === 0 || agencies.length !== ids.length) throw new PressError(400, 'unknown_agency', 'Every agency asked must be an active agency.');
  return db.$transaction(async (tx: Tx) => {
    const created = await Promise.all(
      agencies.map((agency) =>
        tx.ticketSubtask.create({ data: { ticketId: ticket.id, agencyId: agency.id, question, requestedById: staff.id, dueAt: input.dueAt ?? ticket.dueAt } }),
      ),
    );
    await tx.ticketEvent.create({
      data: { ticketId: ticket.id, kind: 'input_requested', actorId: staff.id, data: { agencyIds: ids, question } },
    });
    // The reporter is told the request is being worked on.
    const jobs =
      ticket.status === 'assigned' || ticket.status === 'transferred' || ticket.status === 'reopened'
        ? await tellPerson(tx, translator, await transition(tx, ticket, 'in_progress', { by: 'staff', kind: 'status_changed', actorId: staff.id }))
        : [];
    return { subtasks: created, jobs };
  });
}

/** The sub-tasks an agency's staff must answer (their agency's, unanswered first). */
export function inputInbox(db: Db, staff: Pick<StaffUser, 'agencyId' | 'role'>) {
  const where = coordinates(staff) || staff.role === 'operator' ? {} : { agencyId: staff.agencyId ?? '00000000-0000-0000-0000-000000000000' };
  return db.ticketSubtask.findMany({
    where,
    orderBy: [{ answeredAt: { sort: 'asc', nulls: 'first' } }, { dueAt: 'asc' }],
    include: { ticket: { select: { trackingCode: true, summary: true, status: true } }, agency: { select: { slug: true, name: true } } },
    take: 200,
  });
}

/** An agency answers its part; only its own staff (or an admin), once. */
export async function answerInput(db: Db, staff: Staff, subtaskId: string, text: string): Promise<TicketSubtask> {
  const subtask = await db.ticketSubtask.findUnique({ where: { id: subtaskId } });
  if (!subtask || (staff.role !== 'admin' && staff.agencyId !== subtask.agencyId)) {
    throw new PressError(404, 'subtask_not_found', 'No such request for input in your inbox.');
  }
  if (subtask.answeredAt) throw new PressError(409, 'already_answered', 'This part was answered already.');
  const answer = text.trim();
  if (!answer) throw new PressError(400, 'empty_answer', 'The answer is empty.');
  return db.$transaction(async (tx: Tx) => {
    const answered = await tx.ticketSubtask.update({ where: { id: subtaskId }, data: { answer, answeredById: staff.id, answeredAt: new Date() } });
    await tx.ticketEvent.create({ data: { ticketId: subtask.ticketId, kind: 'input_answered', actorId: staff.id, data: { subtaskId, agencyId: subtask.agencyId } } });
    return answered;
  });
}

/** Every part asked under a ticket, with the agencies' answers (for the officer's consolidated answer). */
export function subtasksOf(db: Db, ticketId: string) {
  return db.ticketSubtask.findMany({ where: { ticketId }, orderBy: { createdAt: 'asc' }, include: { agency: { select: { slug: true, name: true } } } });
}
