// Notifications for staff: a new ticket for my agency, a ticket past its deadline, a ticket
// reopened. Stored per staff member (read or unread) inside the transaction that caused them,
// pushed live to their console after commit, and e-mailed through the outbox to those who asked
// for it (src/notifications/email.ts), so a slow or absent mail server never holds a ticket up.
import { afterCommit } from '../db/after-commit';
import type { Prisma, Ticket } from '../generated/prisma/client';
import type { Locale, Translator } from '../i18n';
import { isLocale } from '../i18n';
import { liveBase, publishLive, type NotificationKind } from '../live/events';
import type { Tx } from '../messages/store';
import type { MadeNotification } from '../db/ticket-sql';

export type { NotificationKind } from '../live/events';

export type NotifiedTicket = Pick<Ticket, 'id' | 'trackingCode' | 'agencyId' | 'assigneeId' | 'summary'>;

/**
 * Who is told. A new ticket: the staff of the agency it went to (the operators for triage); the
 * statement opening a ticket (src/db/ticket-sql.ts) picks the same people itself. Overdue:
 * the operators, and the agency's lead once an agency holds it (the escalation the overdue sweep
 * records). Reopened: the person working on it, or else the agency's staff.
 */
async function recipients(tx: Tx, kind: NotificationKind, ticket: NotifiedTicket): Promise<Array<{ id: string; emailNotifications: boolean }>> {
  const select = { id: true, emailNotifications: true } as const;
  const active: Prisma.StaffUserWhereInput = { active: true };
  if (kind === 'overdue') {
    const agency = ticket.agencyId ? await tx.agency.findUnique({ where: { id: ticket.agencyId }, select: { isTriage: true } }) : null;
    const or: Prisma.StaffUserWhereInput[] = [{ role: 'operator' }];
    if (agency && !agency.isTriage) or.push({ agencyId: ticket.agencyId, isLead: true });
    return tx.staffUser.findMany({ where: { ...active, OR: or }, select });
  }
  if (kind === 'reopened' && ticket.assigneeId) {
    const assignee = await tx.staffUser.findFirst({ where: { ...active, id: ticket.assigneeId, agencyId: ticket.agencyId }, select });
    if (assignee) return [assignee];
  }
  if (!ticket.agencyId) return [];
  return tx.staffUser.findMany({ where: { ...active, agencyId: ticket.agencyId }, select });
}

/**
 * Notifies the staff who should know, in the caller's transaction; `except` is the staff member
 * who caused it (nobody is told of their own action). Returns how many were told.
 */
export async function notifyStaff(tx: Tx, kind: NotificationKind, ticket: NotifiedTicket, opts: { except?: string; at?: Date } = {}): Promise<number> {
  const people = (await recipients(tx, kind, ticket)).filter((p) => p.id !== opts.except);
  const at = opts.at ?? new Date();
  const made: MadeNotification[] = [];
  for (const person of people) {
    const notification = await tx.notification.create({ data: { staffUserId: person.id, kind, ticketId: ticket.id, createdAt: at } });
    const job = person.emailNotifications
      ? await tx.outboxJob.create({ data: { kind: 'email_notification', messageId: notification.id, idempotencyKey: `mail:${notification.id}` } })
      : null;
    made.push({ id: notification.id, staffUserId: person.id, mailJobId: job?.id ?? null });
  }
  announceNotifications(tx, kind, ticket, at, made);
  return people.length;
}

/**
 * After the notifications are stored (here, or by the statement that opens a ticket,
 * src/db/ticket-sql.ts, for `new_ticket`): pushed live to each person's console and their e-mails
 * queued, once the transaction commits.
 */
export function announceNotifications(tx: Tx, kind: NotificationKind, ticket: NotifiedTicket, at: Date, made: MadeNotification[]): void {
  for (const n of made) {
    publishLive(tx, { event: 'notification', ...liveBase(ticket, at), id: n.id, kind, staffUserId: n.staffUserId, summary: ticket.summary });
    if (n.mailJobId) afterCommit(tx, { kind: 'job', job: { name: 'email_notification', id: n.mailJobId } });
  }
}

/** The notification's title in the reader's language. */
export function notificationTitle(
  translator: Translator,
  locale: string,
  notification: { kind: string; ticket: Pick<Ticket, 'trackingCode' | 'summary'> },
): string {
  const lang: Locale = isLocale(locale) ? locale : 'vi';
  return translator.t(lang, `console:notification.${notification.kind}`, { code: notification.ticket.trackingCode, summary: notification.ticket.summary });
}
