// Seeds the demo agencies, routing rules and staff accounts. Idempotent: existing rows are kept as
// an administrator left them; routing rules are only seeded into an empty rule table.
import { hash } from '@node-rs/argon2';
import type { Db } from '../db/database';
import type { StaffRole } from '../generated/prisma/enums';
import { DEMO_AGENCIES, DEMO_PASSWORD, DEMO_ROUTING_RULES } from './demo-data';

export interface SeededAccount {
  email: string;
  role: StaffRole;
  agency?: string;
}

export async function seedAgenciesAndRules(db: Db): Promise<void> {
  await db.agency.createMany({
    data: DEMO_AGENCIES.map((a) => ({ slug: a.slug, name: a.name, nameEn: a.nameEn, isTriage: a.isTriage ?? false })),
    skipDuplicates: true,
  });
  if ((await db.routingRule.count()) > 0) return;
  const bySlug = new Map((await db.agency.findMany({ select: { id: true, slug: true } })).map((a) => [a.slug, a.id]));
  await db.routingRule.createMany({
    data: DEMO_ROUTING_RULES.map((r) => ({
      name: r.name,
      intent: r.intent ?? null,
      topic: r.topic ?? null,
      area: r.area ?? null,
      agencyId: bySlug.get(r.agency)!,
      priority: r.priority ?? 'normal',
      onlineSupport: r.onlineSupport ?? false,
      position: r.position,
    })),
  });
}

export function demoAccounts(): SeededAccount[] {
  return [
    { email: 'admin@hotline.local', role: 'admin' },
    { email: 'operator@hotline.local', role: 'operator', agency: 'tiep-nhan' },
    ...DEMO_AGENCIES.filter((a) => !a.isTriage).map((a) => ({
      email: `${a.slug}@hotline.local`,
      role: (a.slug === 'trung-tam-bao-chi' ? 'press_officer' : 'agency_staff') as StaffRole,
      agency: a.slug,
    })),
  ];
}

/**
 * Creates the demo staff accounts that do not exist yet; returns all demo accounts. With
 * `mustChangePassword` (a server database) they must choose a new password at first login: the
 * demo password is published.
 */
export async function seedDemoStaff(db: Db, opts: { mustChangePassword?: boolean } = {}): Promise<SeededAccount[]> {
  const accounts = demoAccounts();
  const existing = new Set(
    (await db.staffUser.findMany({ where: { email: { in: accounts.map((a) => a.email) } }, select: { email: true } })).map(
      (u) => u.email,
    ),
  );
  const missing = accounts.filter((a) => !existing.has(a.email));
  if (missing.length > 0) {
    const agencies = new Map((await db.agency.findMany({ select: { id: true, slug: true, name: true } })).map((a) => [a.slug, a]));
    await db.staffUser.createMany({
      data: await Promise.all(missing.map(async (a) => ({
        email: a.email,
        role: a.role,
        passwordHash: await hash(DEMO_PASSWORD),
        mustChangePassword: opts.mustChangePassword ?? false,
        agencyId: a.agency ? agencies.get(a.agency)?.id ?? null : null,
        displayName: a.agency ? `Cán bộ ${agencies.get(a.agency)?.name ?? a.agency}` : 'Quản trị viên',
      }))),
      skipDuplicates: true,
    });
  }
  return accounts;
}
