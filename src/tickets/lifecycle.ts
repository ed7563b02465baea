// The one owner of ticket statuses: what each status means (open, waiting for the person, final),
// who may move a ticket from which status to which, and the single function that does it — the
// row, its timestamps and its audit event in the caller's transaction — and says what the person
// must be told about it. No other module writes `ticket.status` (opening a ticket sets the first one).
import type { Agency, Prisma, Ticket, TicketEvent } from '../generated/prisma/client';
import { TicketStatus } from '../generated/prisma/enums';
import { agencyName, isLocale, type Locale, type Translator } from '../i18n';
import { liveBase, publishLive } from '../live/events';
import { notifyStaff } from '../notifications/notify';
import { storeOutbound, type Tx } from '../messages/store';
import type { JobRef } from '../queue/types';
import { TicketActionError } from './errors';

export type StatusGroup = 'open' | 'waiting_for_person' | 'final';

/** Every status in exactly one group (a new enum value fails to compile until it is placed). */
const GROUP: Record<TicketStatus, StatusGroup> = {
  // Someone at the hotline or an agency has to act.
  new: 'open',
  triage: 'open',
  assigned: 'open',
  transferred: 'open',
  in_progress: 'open',
  reopened: 'open',
  // Answered: the person says whether it solved the problem (or writes a new request).
  answered: 'waiting_for_person',
  // No more work and no more messages; staff may still reopen a closed ticket.
  closed: 'final',
  rejected: 'final',
  duplicate: 'final',
};

/** The statuses of one group (the console's inbox filters by group: open work, waiting for the person, finished). */
export const inGroup = (group: StatusGroup) => Object.values(TicketStatus).filter((s) => GROUP[s] === group);

export const ALL_STATUSES: readonly TicketStatus[] = Object.values(TicketStatus);
export const OPEN_STATUSES: readonly TicketStatus[] = inGroup('open');
export const WAITING_FOR_PERSON_STATUSES: readonly TicketStatus[] = inGroup('waiting_for_person');
export const FINAL_STATUSES: readonly TicketStatus[] = inGroup('final');
/** Answered or final: a new message from the person opens a new ticket instead of adding to it. */
export const NOT_OPEN_STATUSES: readonly TicketStatus[] = [...WAITING_FOR_PERSON_STATUSES, ...FINAL_STATUSES];
/** Open and no agency has taken it on yet: the accept deadline runs (the answer deadline runs while open). */
export const NOT_TAKEN_STATUSES: readonly TicketStatus[] = ['new', 'triage', 'assigned', 'transferred'];

export const statusGroup = (status: TicketStatus): StatusGroup => GROUP[status];
export const isOpen = (status: TicketStatus) => GROUP[status] === 'open';
export const isFinal = (status: TicketStatus) => GROUP[status] === 'final';

/**
 * Who moves a ticket: staff through the console, the person in the conversation ("solved",
 * "not solved"), the system when a ticket is opened and routed. The overdue sweep moves no status:
 * it marks deadlines and escalates, the ticket stays where it is.
 */
export type Mover = 'staff' | 'person' | 'system';

const AWAY_FROM_AGENCY: TicketStatus[] = ['triage', 'transferred']; // back to the operators, or on to another agency
const ENDS: TicketStatus[] = ['answered', 'closed', 'rejected', 'duplicate'];

/** The one transition table: from → the statuses each mover may set. Anything not listed is refused. */
export const TRANSITIONS: Readonly<Record<Mover, Readonly<Partial<Record<TicketStatus, readonly TicketStatus[]>>>>> = {
  staff: {
    triage: ['assigned', ...ENDS],
    assigned: [...AWAY_FROM_AGENCY, 'in_progress', ...ENDS],
    // Transferred: waits for the new agency to take it (in_progress) or answer it.
    transferred: [...AWAY_FROM_AGENCY, 'in_progress', ...ENDS],
    in_progress: [...AWAY_FROM_AGENCY, ...ENDS],
    reopened: [...AWAY_FROM_AGENCY, 'in_progress', ...ENDS],
    // Waiting for the person: a follow-up answer, reopened for more work, closed, or merged.
    // To move an answered ticket to another agency, reopen it first.
    answered: ['answered', 'reopened', 'closed', 'duplicate'],
    closed: ['reopened'],
  },
  person: {
    // Not solved (to its agency, or to the operators the second time), or solved.
    answered: ['reopened', 'triage', 'closed'],
  },
  system: {
    new: ['triage', 'assigned'],
  },
};

export function mayMove(by: Mover, from: TicketStatus, to: TicketStatus): boolean {
  return TRANSITIONS[by][from]?.includes(to) ?? false;
}

/** A message the person gets about a change: a key of the `notify` namespace and what fills it. */
export interface Notice {
  key: 'assigned' | 'transferred' | 'returned_to_triage' | 'in_progress' | 'rejected' | 'closed' | 'reopened' | 'duplicate';
  code: string;
  /** The agency now holding the ticket (named in the person's language when told). */
  agency: Pick<Agency, 'name' | 'nameEn'> | null;
  reason?: string;
  /** For `duplicate`: the code of the ticket it was merged into. */
  into?: string;
}

export interface TransitionOptions {
  by: Mover;
  /** The audit event's kind (`assigned`, `transferred`, `status_changed`, `replied`, `marked_duplicate`…). */
  kind: string;
  /** The staff user acting (staff moves). */
  actorId?: string;
  /** Why (in the audit event): required to reject, and then told to the person. */
  reason?: string;
  /** More for the audit event. */
  data?: Record<string, unknown>;
  /** Columns that change with the status: the agency on a transfer, the ticket merged into… */
  set?: Omit<Prisma.TicketUncheckedUpdateManyInput, 'status'>;
  now?: Date;
}

export type MovedTicket = Ticket & { agency: Agency | null; duplicateOf: Pick<Ticket, 'id' | 'trackingCode'> | null };

export interface Transition {
  ticket: MovedTicket;
  from: TicketStatus;
  event: TicketEvent;
  /** What the person must be told (null when the change speaks for itself: an answer, their own tap). */
  notice: Notice | null;
}

/** The timestamps that go with a status: answered while waiting for the person, closed while final. */
function timestamps(to: TicketStatus, now: Date): Pick<Prisma.TicketUncheckedUpdateManyInput, 'answeredAt' | 'closedAt'> {
  switch (GROUP[to]) {
    case 'open':
      return { answeredAt: null, closedAt: null };
    case 'waiting_for_person':
      return { answeredAt: now, closedAt: null };
    case 'final':
      return { closedAt: now };
  }
}

function noticeFor(by: Mover, ticket: MovedTicket, reason: string | undefined): Notice | null {
  // The person's own moves are answered by the conversation; an answer is its own message.
  if (by !== 'staff') return null;
  const base = { code: ticket.trackingCode, agency: ticket.agency };
  switch (ticket.status) {
    case 'assigned':
    case 'transferred':
    case 'in_progress':
    case 'closed':
    case 'reopened':
      return { key: ticket.status, ...base };
    case 'triage':
      return { key: 'returned_to_triage', ...base };
    case 'rejected':
      return { key: 'rejected', ...base, reason };
    case 'duplicate':
      return { key: 'duplicate', ...base, into: ticket.duplicateOf?.trackingCode };
    default:
      return null;
  }
}

/**
 * Moves a ticket to `to` if the table lets `by` do it: updates the row (status, timestamps, `set`),
 * writes the audit event, and returns what the person must be told. Refused moves are a 409
 * (`invalid_transition`); a ticket another action moved meanwhile is a 409 (`ticket_changed`).
 */
export async function transition(
  tx: Tx,
  /** With its agency when the caller has it: the consoles of the agency a transfer leaves hear of it too. */
  ticket: Pick<Ticket, 'id' | 'status' | 'trackingCode'> & { agencyId?: string | null },
  to: TicketStatus,
  opts: TransitionOptions,
): Promise<Transition> {
  const from = ticket.status;
  if (!mayMove(opts.by, from, to)) {
    throw new TicketActionError(409, 'invalid_transition', `Ticket ${ticket.trackingCode} is ${from}; it cannot become ${to}.`);
  }
  if (to === 'rejected' && !opts.reason?.trim()) {
    throw new TicketActionError(400, 'reason_required', 'Rejecting a ticket needs a stated reason.');
  }
  const now = opts.now ?? new Date();
  // Only if it is still in the status the caller saw: two staff acting at once cannot both move it.
  const { count } = await tx.ticket.updateMany({
    where: { id: ticket.id, status: from },
    data: { ...opts.set, ...timestamps(to, now), status: to },
  });
  if (count === 0) {
    const current = await tx.ticket.findUnique({ where: { id: ticket.id }, select: { status: true } });
    throw new TicketActionError(409, 'ticket_changed', `Ticket ${ticket.trackingCode} changed meanwhile (it is ${current?.status ?? 'gone'}); reload it.`);
  }
  const moved = await tx.ticket.findUniqueOrThrow({
    where: { id: ticket.id },
    include: { agency: true, duplicateOf: { select: { id: true, trackingCode: true } } },
  });
  const event = await tx.ticketEvent.create({
    data: {
      ticketId: ticket.id,
      kind: opts.kind,
      actorId: opts.actorId,
      fromStatus: from,
      toStatus: to,
      data: { ...opts.data, ...(opts.reason !== undefined ? { reason: opts.reason } : {}) } as Prisma.InputJsonValue,
    },
  });
  const fromAgencyId = ticket.agencyId !== undefined && ticket.agencyId !== moved.agencyId ? ticket.agencyId : undefined;
  publishLive(tx, { event: 'ticket_changed', ...liveBase(moved, now), status: to, change: opts.kind, ...(fromAgencyId !== undefined ? { fromAgencyId } : {}) });
  // Work that was done comes back: staff reopening it, or the person saying it did not solve the
  // problem (the second time it goes to the operators' triage).
  if (to === 'reopened' || (opts.by === 'person' && to === 'triage')) await notifyStaff(tx, 'reopened', moved, { except: opts.actorId, at: now });
  return { ticket: moved, from, event, notice: noticeFor(opts.by, moved, opts.reason) };
}

/** The notice's text in the person's language (each names the tracking code). */
export function noticeText(translator: Translator, locale: Locale, notice: Notice): string {
  return translator.t(locale, `notify:${notice.key}`, {
    code: notice.code,
    agency: notice.agency ? agencyName(notice.agency, locale) : '',
    reason: notice.reason ?? '',
    into: notice.into ?? '',
  });
}

/**
 * Stores the bot's message about a change on the person's channel, in their contact's language,
 * in the caller's transaction; returns the delivery jobs to enqueue after commit (none without a notice).
 */
export async function tellPerson(tx: Tx, translator: Translator, moved: Pick<Transition, 'ticket' | 'notice'>): Promise<JobRef[]> {
  if (!moved.notice) return [];
  const conversation = await tx.conversation.findUniqueOrThrow({ where: { id: moved.ticket.conversationId }, include: { contact: true } });
  const locale: Locale = isLocale(conversation.contact.locale) ? conversation.contact.locale : 'vi';
  const { job } = await storeOutbound(tx, conversation, { author: 'bot', text: noticeText(translator, locale, moved.notice), ticketId: moved.ticket.id });
  return [job];
}
