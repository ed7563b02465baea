// The overdue sweep (it moves no status): tickets past their accept deadline (no agency has taken them) or their answer
// deadline (not answered) are marked once per deadline, escalated (an `overdue` event the agency's
// lead and the operators see; the console lists them with `overdue`), and the person gets an
// apology with a new expected time, stored and delivered like any other message.
//
// Safe with several workers: a ticket is claimed by an UPDATE that sets its mark only where it is
// still unset, so two sweeps never apologise twice for the same deadline.
import type { Db } from '../db/database';
import type { Prisma, Ticket } from '../generated/prisma/client';
import { agencyName, isLocale, type Locale, type Translator } from '../i18n';
import { liveBase, publishLive } from '../live/events';
import { storeOutbound } from '../messages/store';
import { notifyStaff } from '../notifications/notify';
import type { JobRef } from '../queue/types';
import { addWorkingHours, SERVICE_TARGETS, type WorkingCalendar } from './deadlines';
import { formatLocalTime } from './format';
import { isOpen, NOT_TAKEN_STATUSES, OPEN_STATUSES } from './lifecycle';


export type OverdueStage = 'accept' | 'answer';

/** Overdue: the sweep marked a missed deadline and the ticket is still open (not answered or final). */
export function isOverdue(ticket: Pick<Ticket, 'status' | 'acceptOverdueAt' | 'answerOverdueAt'>): boolean {
  return isOpen(ticket.status) && (ticket.acceptOverdueAt !== null || ticket.answerOverdueAt !== null);
}

/** The same rule as a query filter. */
export const OVERDUE_WHERE: Prisma.TicketWhereInput = {
  status: { in: [...OPEN_STATUSES] },
  OR: [{ acceptOverdueAt: { not: null } }, { answerOverdueAt: { not: null } }],
};

export interface OverdueDeps {
  db: Db;
  translator: Translator;
  publicUrl: string;
  timezoneOffsetMinutes: number;
  calendar?: WorkingCalendar;
  /** The sweep's clock (tests pass a fake one). */
  now?: () => Date;
  /** At most this many tickets per stage in one sweep; the next sweep takes the rest. */
  batch?: number;
}

export interface OverdueResult {
  marked: Array<{ ticketId: string; code: string; stage: OverdueStage; expectedAt: Date }>;
  /** Apologies to deliver (enqueue them). */
  jobs: JobRef[];
}

/** The new time given to the person: a fresh accept window, or half the answer target again. */
function expectedAfter(stage: OverdueStage, ticket: Pick<Ticket, 'priority'>, now: Date, deps: OverdueDeps): Date {
  const target = SERVICE_TARGETS[ticket.priority];
  const hours = stage === 'accept' ? target.acceptHours : Math.max(target.acceptHours, target.answerHours / 2);
  return addWorkingHours(now, hours, deps.timezoneOffsetMinutes, deps.calendar);
}

export async function sweepOverdue(deps: OverdueDeps): Promise<OverdueResult> {
  const now = deps.now?.() ?? new Date();
  const batch = deps.batch ?? 200;
  const result: OverdueResult = { marked: [], jobs: [] };
  for (const stage of ['accept', 'answer'] as const) {
    const column = stage === 'accept' ? 'accept_overdue_at' : 'answer_overdue_at';
    const deadline = stage === 'accept' ? 'accept_due_at' : 'due_at';
    // Not yet taken by an agency, the accept deadline runs; while open (not answered), the answer deadline.
    const statuses = stage === 'accept' ? NOT_TAKEN_STATUSES : OPEN_STATUSES;
    await deps.db.$transaction(async (tx) => {
      // Claims the tickets (their mark set, row locks held until commit); SKIP LOCKED leaves rows
      // another sweep or a staff action holds right now to a later sweep.
      const claimed = await tx.$queryRawUnsafe<Array<{ id: string }>>(
        `UPDATE ticket SET ${column} = $1 WHERE id IN (
           SELECT id FROM ticket WHERE ${column} IS NULL AND ${deadline} < $1 AND status::text = ANY($2::text[])
           ORDER BY ${deadline} LIMIT $3 FOR UPDATE SKIP LOCKED)
         RETURNING id`,
        now,
        statuses,
        batch,
      );
      if (claimed.length === 0) return;
      const tickets = await tx.ticket.findMany({
        where: { id: { in: claimed.map((c) => c.id) } },
        include: { agency: true, conversation: { include: { contact: true } } },
      });
      for (const ticket of tickets) {
        const expectedAt = expectedAfter(stage, ticket, now, deps);
        const locale: Locale = isLocale(ticket.conversation.contact.locale) ? ticket.conversation.contact.locale : 'vi';
        const text = deps.translator.t(locale, `escalation:apology_${stage}`, {
          code: ticket.trackingCode,
          agency: ticket.agency ? agencyName(ticket.agency, locale) : '',
          expectedBy: formatLocalTime(expectedAt, locale, deps.timezoneOffsetMinutes),
          url: `${deps.publicUrl}/t/${ticket.trackingCode}`,
        });
        const { message, job } = await storeOutbound(tx, ticket.conversation, { author: 'bot', text, ticketId: ticket.id });
        await tx.ticket.update({ where: { id: ticket.id }, data: { expectedAt } });
        await tx.ticketEvent.create({
          data: {
            ticketId: ticket.id,
            kind: 'overdue',
            data: {
              stage,
              deadline: (stage === 'accept' ? ticket.acceptDueAt : ticket.dueAt).toISOString(),
              expectedAt: expectedAt.toISOString(),
              // Who must act: the operators always, and the agency's lead once an agency holds it.
              escalatedTo: ticket.agency && !ticket.agency.isTriage ? ['operators', 'agency_lead'] : ['operators'],
              apologyMessageId: message.id,
            },
          },
        });
        publishLive(tx, { event: 'ticket_changed', ...liveBase(ticket, now), status: ticket.status, change: 'overdue' });
        await notifyStaff(tx, 'overdue', ticket, { at: now });
        result.jobs.push(job);
        result.marked.push({ ticketId: ticket.id, code: ticket.trackingCode, stage, expectedAt });
      }
    });
  }
  return result;
}
