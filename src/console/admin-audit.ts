// The administration's history: one admin_audit row per change, written in the same transaction
// as the change, with the row before and after (never a password or its hash).
import type { Prisma } from '../generated/prisma/client';
import type { Tx } from '../messages/store';
import type { Staff } from './rights';

export type AdminEntity = 'agency' | 'staff_user' | 'routing_rule' | 'knowledge_entry' | 'calendar_day' | 'working_hours';

export interface AdminChange {
  entity: AdminEntity;
  entityId: string;
  /** created, updated, deactivated, reactivated, deleted, reordered, password_reset… */
  action: string;
  /** The agency the change concerns (so its lead reads it), if any. */
  agencyId?: string | null;
  before?: unknown;
  after?: unknown;
}

const SECRET_FIELDS = new Set(['passwordHash']);

/** A row as JSON without secrets (dates as ISO strings). */
function plain(value: unknown): Prisma.InputJsonValue | undefined {
  if (value === undefined) return undefined;
  return JSON.parse(JSON.stringify(value, (key, v: unknown) => (SECRET_FIELDS.has(key) ? undefined : v))) as Prisma.InputJsonValue;
}

export async function recordAdminChange(tx: Tx, actor: Pick<Staff, 'id'>, change: AdminChange): Promise<void> {
  await tx.adminAudit.create({
    data: {
      actorId: actor.id,
      agencyId: change.agencyId ?? null,
      entity: change.entity,
      entityId: change.entityId,
      action: change.action,
      data: { ...(change.before !== undefined ? { before: plain(change.before) } : {}), ...(change.after !== undefined ? { after: plain(change.after) } : {}) },
    },
  });
}
