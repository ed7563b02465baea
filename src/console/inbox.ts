// Which tickets a staff member's inbox holds with a set of filters: one definition for the list,
// its counts and anything else that shows "my inbox" (live updates, reports).
import type { Channel } from '../channels/types';
import type { Prisma, StaffUser } from '../generated/prisma/client';
import type { TicketPriority, TicketStatus } from '../generated/prisma/enums';
import { seesAllTickets, TicketActionError } from '../tickets/actions';
import { inGroup, type StatusGroup } from '../tickets/lifecycle';
import { OVERDUE_WHERE } from '../tickets/overdue';
import { normalizeTrackingCode } from '../tickets/tracking-code';

/** The tracking code a path names, in its canonical form; 404 when it cannot be one. */
export function canonicalCode(raw: string): string {
  const code = normalizeTrackingCode(raw);
  if (!code) throw new TicketActionError(404, 'ticket_not_found', `"${raw}" is not a tracking code (e.g. HCM-26-7K3QD).`);
  return code;
}

export interface InboxQuery {
  status?: TicketStatus;
  /** A group of statuses (open work, waiting for the person, finished); a status, when given too, narrows it. */
  state?: StatusGroup;
  agencyId?: string;
  priority?: TicketPriority;
  topic?: string;
  channel?: Channel;
  onlineSupport?: boolean;
  assignee?: string;
  q?: string;
  overdue?: boolean;
  sort: 'urgency' | 'newest';
  cursor?: string;
  page?: number;
  limit: number;
}

/** The tickets a staff member's inbox shows with these filters; null: none at all (agency staff without an agency). */
export function inboxWhere(staff: StaffUser, query: InboxQuery): Prisma.TicketWhereInput | null {
  if (!seesAllTickets(staff) && !staff.agencyId) return null;
  const and: Prisma.TicketWhereInput[] = [];
  if (!seesAllTickets(staff)) and.push({ agencyId: staff.agencyId });
  else if (query.agencyId) and.push({ agencyId: query.agencyId });
  if (query.status) and.push({ status: query.status });
  if (query.state) and.push({ status: { in: inGroup(query.state) } });
  if (query.priority) and.push({ priority: query.priority });
  if (query.topic) and.push({ topic: query.topic });
  if (query.channel) and.push({ channel: query.channel });
  if (query.onlineSupport !== undefined) and.push({ onlineSupport: query.onlineSupport });
  if (query.assignee) and.push({ assigneeId: query.assignee === 'me' ? staff.id : query.assignee === 'none' ? null : query.assignee.toLowerCase() });
  if (query.overdue !== undefined) and.push(query.overdue ? OVERDUE_WHERE : { NOT: OVERDUE_WHERE });
  const q = query.q?.trim();
  if (q) {
    const any: Prisma.TicketWhereInput[] = [{ summary: { contains: q, mode: 'insensitive' } }];
    const code = normalizeTrackingCode(q);
    if (code) any.push({ trackingCode: code });
    const digits = q.replace(/[\s.+()-]/g, '');
    // The phone only for those who may see it (inboxWhere already keeps agency staff to their agency's tickets).
    if (/^\d{4,15}$/.test(digits) && (seesAllTickets(staff) || staff.role === 'agency_staff')) {
      any.push({ contact: { phoneConsent: true, phone: { contains: digits } } });
    }
    and.push({ OR: any });
  }
  return { AND: and };
}
