// Administration of staff accounts. Admins manage every account; an agency lead manages the agency
// staff of their own agency (not leads, not other roles). A new account, and a reset one, gets a
// one-time password shown once, which must be changed at the first sign-in; deactivating an
// account or resetting its password ends its sessions at once.
import { randomInt } from 'node:crypto';
import type { FastifyPluginAsync } from 'fastify';
import { Prisma, type StaffUser } from '../../generated/prisma/client';
import type { StaffRole } from '../../generated/prisma/enums';
import type { Tx } from '../../messages/store';
import { recordAdminChange } from '../admin-audit';
import { hashPassword } from '../auth';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, isAdmin, isLeadOf, requireAdministers, type Staff } from '../rights';
import { errorSchema, idParams } from '../schemas';

const ROLES: StaffRole[] = ['admin', 'operator', 'agency_staff', 'press_officer'];
/** No look-alikes (0/O, 1/l/I): it is read off a screen and typed once. */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyzABCDEFGHJKMNPQRSTUVWXYZ23456789';

export function oneTimePassword(length = 16): string {
  return Array.from({ length }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join('');
}

const staffSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string', enum: ROLES },
    agencyId: { type: ['string', 'null'] },
    isLead: { type: 'boolean' },
    active: { type: 'boolean' },
    mustChangePassword: { type: 'boolean' },
    lastLoginAt: { type: ['string', 'null'], format: 'date-time' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const withPassword = {
  type: 'object',
  properties: {
    user: staffSchema,
    oneTimePassword: { type: 'string', description: 'Shown once: give it to the person, who must choose their own at the first sign-in' },
  },
} as const;

const editable = {
  displayName: { type: 'string', minLength: 2, maxLength: 200 },
  role: { type: 'string', enum: ROLES },
  agencyId: { type: ['string', 'null'], format: 'uuid' },
  isLead: { type: 'boolean', description: 'Agency staff only: the agency’s lead (escalations, its accounts and entries)' },
} as const;

const newStaffBody = {
  type: 'object',
  required: ['email', 'displayName', 'role'],
  additionalProperties: false,
  properties: { email: { type: 'string', format: 'email', maxLength: 254 }, ...editable },
} as const;

const editStaffBody = {
  type: 'object',
  additionalProperties: false,
  properties: { ...editable, active: { type: 'boolean', description: 'false: deactivated; its sessions end at once' } },
} as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: { agencyId: { type: 'string', format: 'uuid' }, active: { type: 'boolean' } },
} as const;

const view = (u: StaffUser) => ({
  id: u.id,
  email: u.email,
  displayName: u.displayName,
  role: u.role,
  agencyId: u.agencyId,
  isLead: u.isLead,
  active: u.active,
  mustChangePassword: u.mustChangePassword,
  lastLoginAt: u.lastLoginAt,
  createdAt: u.createdAt,
});

interface AccountShape {
  role: StaffRole;
  agencyId: string | null;
  isLead: boolean;
}

/** Roles and agencies that go together: agency staff and press officers belong to an agency; admins to none; leads are agency staff. */
async function checkShape(tx: Tx, shape: AccountShape): Promise<void> {
  if ((shape.role === 'agency_staff' || shape.role === 'press_officer') && !shape.agencyId) {
    throw new ConsoleError(400, 'agency_required', `A ${shape.role} account belongs to an agency: give agencyId.`);
  }
  if (shape.role === 'admin' && shape.agencyId) throw new ConsoleError(400, 'no_agency_for_admin', 'An administrator belongs to no agency.');
  if (shape.isLead && shape.role !== 'agency_staff') throw new ConsoleError(400, 'lead_is_agency_staff', 'Only agency staff can be an agency’s lead.');
  if (shape.agencyId) {
    const agency = await tx.agency.findUnique({ where: { id: shape.agencyId } });
    if (!agency || !agency.active) throw new ConsoleError(400, 'unknown_agency', 'No active agency with that id.');
  }
}

/** What a lead may do: agency staff of their own agency, kept there, never made a lead. */
function checkLeadMayShape(actor: Staff, shape: AccountShape, existing?: StaffUser): void {
  if (isAdmin(actor)) return;
  if (existing && (existing.role !== 'agency_staff' || !isLeadOf(actor, existing.agencyId))) {
    throw new ConsoleError(403, 'forbidden', 'Agency leads manage the agency staff of their own agency only.');
  }
  // Another lead is an administrator's to manage (a lead may still edit their own account).
  if (existing && existing.isLead && existing.id !== actor.id) {
    throw new ConsoleError(403, 'forbidden', 'Only administrators manage an agency’s other leads.');
  }
  if (shape.role !== 'agency_staff' || !isLeadOf(actor, shape.agencyId)) {
    throw new ConsoleError(403, 'forbidden', 'Agency leads create and keep agency staff of their own agency only.');
  }
  if (shape.isLead !== (existing?.isLead ?? false)) throw new ConsoleError(403, 'forbidden', 'Only administrators name or remove an agency’s lead.');
}

export const staffAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, { db }) => {
  const app = typed(plain);
  app.addHook('preHandler', async (req) => requireAdministers(req.staff!));

  const load = async (tx: Tx, id: string) => {
    const user = await tx.staffUser.findUnique({ where: { id } });
    if (!user) throw new ConsoleError(404, 'staff_not_found', 'No staff account with that id.');
    return user;
  };

  app.get(
    '/admin/staff',
    {
      schema: {
        tags: ['admin'],
        summary: 'Staff accounts (admins: all; an agency lead: their agency’s)',
        querystring: listQuery,
        response: { 200: { type: 'array', items: staffSchema } as const, 403: errorSchema },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const agencyId = isAdmin(staff) ? req.query.agencyId : staff.agencyId!;
      const users = await db.staffUser.findMany({
        where: { ...(agencyId ? { agencyId } : {}), ...(req.query.active !== undefined ? { active: req.query.active } : {}) },
        orderBy: [{ active: 'desc' }, { email: 'asc' }],
      });
      return users.map(view);
    },
  );

  app.post(
    '/admin/staff',
    {
      schema: {
        tags: ['admin'],
        summary: 'Create a staff account with a one-time password that must be changed at the first sign-in (admins; a lead: agency staff of their agency)',
        body: newStaffBody,
        response: { 201: withPassword, 400: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const actor = req.staff!;
      const shape = { role: req.body.role, agencyId: req.body.agencyId ?? (isAdmin(actor) ? null : actor.agencyId), isLead: req.body.isLead ?? false };
      checkLeadMayShape(actor, shape);
      const email = req.body.email.trim().toLowerCase();
      const password = oneTimePassword();
      const passwordHash = await hashPassword(password);
      try {
        const user = await db.$transaction(async (tx) => {
          await checkShape(tx, shape);
          const created = await tx.staffUser.create({
            data: { email, displayName: req.body.displayName.trim(), ...shape, passwordHash, mustChangePassword: true },
          });
          await recordAdminChange(tx, actor, { entity: 'staff_user', entityId: created.id, agencyId: created.agencyId, action: 'created', after: view(created) });
          return created;
        });
        return reply.code(201).send({ user: view(user), oneTimePassword: password });
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
          throw new ConsoleError(409, 'email_taken', `There is an account for ${email} already.`);
        }
        throw err;
      }
    },
  );

  app.patch(
    '/admin/staff/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change a staff account’s name, role, agency or lead flag, or deactivate it (its sessions end at once); admins, or a lead for their agency’s staff',
        params: idParams,
        body: editStaffBody,
        response: { 200: staffSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => {
      const actor = req.staff!;
      const { id } = req.params;
      const body = req.body;
      const user = await db.$transaction(async (tx) => {
        const before = await load(tx, id);
        const shape: AccountShape = {
          role: body.role ?? before.role,
          agencyId: body.agencyId !== undefined ? body.agencyId : before.agencyId,
          isLead: body.isLead ?? (body.role && body.role !== 'agency_staff' ? false : before.isLead),
        };
        checkLeadMayShape(actor, shape, before);
        if (id === actor.id && (body.active === false || (body.role !== undefined && body.role !== before.role))) {
          // Nobody locks themself out (the last admin could not undo it).
          throw new ConsoleError(409, 'own_account', 'You cannot deactivate your own account or change your own role.');
        }
        await checkShape(tx, shape);
        const after = await tx.staffUser.update({
          where: { id },
          data: { ...shape, ...(body.displayName !== undefined ? { displayName: body.displayName.trim() } : {}), ...(body.active !== undefined ? { active: body.active } : {}) },
        });
        // A deactivated account, or one moved to another role or agency, signs in again with what it now may see.
        const rightsChanged = shape.role !== before.role || shape.agencyId !== before.agencyId || shape.isLead !== before.isLead;
        if ((body.active === false && before.active) || rightsChanged) {
          await tx.staffSession.updateMany({ where: { staffUserId: id, endedAt: null }, data: { endedAt: new Date() } });
        }
        // The agency moved from no longer holds its tickets' work: they return to nobody.
        if (shape.agencyId !== before.agencyId || (body.active === false && before.active)) {
          await tx.ticket.updateMany({ where: { assigneeId: id, status: { notIn: ['closed', 'rejected', 'duplicate'] } }, data: { assigneeId: null } });
        }
        const action = body.active === false && before.active ? 'deactivated' : body.active === true && !before.active ? 'reactivated' : 'updated';
        await recordAdminChange(tx, actor, { entity: 'staff_user', entityId: id, agencyId: after.agencyId ?? before.agencyId, action, before: view(before), after: view(after) });
        return after;
      });
      return view(user);
    },
  );

  app.post(
    '/admin/staff/:id/reset-password',
    {
      schema: {
        tags: ['admin'],
        summary: 'Give a staff account a new one-time password (to be changed at the next sign-in); its sessions end (admins, or a lead for their agency’s staff)',
        params: idParams,
        response: { 200: withPassword, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const actor = req.staff!;
      const password = oneTimePassword();
      const passwordHash = await hashPassword(password);
      const user = await db.$transaction(async (tx) => {
        const before = await load(tx, req.params.id);
        checkLeadMayShape(actor, before, before);
        const after = await tx.staffUser.update({ where: { id: before.id }, data: { passwordHash, mustChangePassword: true, passwordChangedAt: new Date() } });
        await tx.staffSession.updateMany({ where: { staffUserId: before.id, endedAt: null }, data: { endedAt: new Date() } });
        await recordAdminChange(tx, actor, { entity: 'staff_user', entityId: before.id, agencyId: before.agencyId, action: 'password_reset' });
        return after;
      });
      return { user: view(user), oneTimePassword: password };
    },
  );
};
