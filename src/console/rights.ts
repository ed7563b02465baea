// Who may administer what. Admins everything; an agency lead (agency staff with is_lead) the staff
// accounts and knowledge-base entries of their own agency; everyone else nothing of the
// administration. Reports: operators, admins and press officers the whole city, agency staff
// their own agency. Each route asks here, so the rights table (docs/console-api.md) is this file.
import type { StaffUser } from '../generated/prisma/client';

export type Staff = Pick<StaffUser, 'id' | 'role' | 'agencyId' | 'isLead'>;

/** Thrown by the console's routes: the error handler answers {error: code, message} with statusCode. */
export class ConsoleError extends Error {
  constructor(
    public readonly statusCode: 400 | 403 | 404 | 409,
    public readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'ConsoleError';
  }
}

export const isAdmin = (staff: Pick<Staff, 'role'>) => staff.role === 'admin';

/** Leads of an agency: its agency staff marked is_lead. */
export const isLeadOf = (staff: Staff, agencyId: string | null | undefined): boolean =>
  staff.role === 'agency_staff' && staff.isLead && staff.agencyId !== null && staff.agencyId === agencyId;

/** Opens the administration screens at all: admins and agency leads. */
export const administers = (staff: Staff) => isAdmin(staff) || (staff.role === 'agency_staff' && staff.isLead && staff.agencyId !== null);

export function requireAdmin(staff: Staff): void {
  if (!isAdmin(staff)) throw new ConsoleError(403, 'forbidden', 'Administrators only.');
}

export function requireAdministers(staff: Staff): void {
  if (!administers(staff)) throw new ConsoleError(403, 'forbidden', 'Administrators and agency leads only.');
}

/** Admin, or the lead of `agencyId`. */
export function requireAdminOrLeadOf(staff: Staff, agencyId: string | null | undefined): void {
  if (!isAdmin(staff) && !isLeadOf(staff, agencyId)) {
    throw new ConsoleError(403, 'forbidden', 'Administrators, or the lead of this agency, only.');
  }
}

/**
 * The agency whose figures a staff member may read in the reports: null = every agency (admins,
 * operators, press officers, who publish the city's figures); their own for agency staff. A
 * requested agency outside that is refused.
 */
export function reportScope(staff: Staff, requested: string | undefined): string | null {
  if (staff.role === 'admin' || staff.role === 'operator' || staff.role === 'press_officer') return requested ?? null;
  if (!staff.agencyId) throw new ConsoleError(403, 'forbidden', 'Your account belongs to no agency, so it has no figures.');
  if (requested && requested !== staff.agencyId) throw new ConsoleError(403, 'forbidden', 'Agency staff read their own agency’s figures only.');
  return staff.agencyId;
}
