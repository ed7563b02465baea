// JSON schemas the console's routes share: validation, the OpenAPI document at /docs and (through
// the json-schema-to-ts type provider, see typed() in options.ts) the TypeScript types of new routes
// come from them. Every schema here is `as const` so its type can be read from it.
import type { Channel } from '../channels/types';
import type { TicketPriority } from '../generated/prisma/enums';
import { ALL_STATUSES } from '../tickets/lifecycle';

export const TICKET_STATUSES = [...ALL_STATUSES];
export const TICKET_PRIORITIES: TicketPriority[] = ['urgent', 'normal', 'complex'];
export const CHANNELS: Channel[] = ['webchat', 'zalo_oa', 'zalo_bot', 'telegram'];
export const OVERDUE_DOC =
  'The overdue sweep marked a missed deadline (accept or answer) and the ticket is still open (not answered, closed, rejected or duplicate)';
export const dateTime = { type: 'string', format: 'date-time' } as const;

/** One row of the ticket list. */
export const ticketRowSchema = {
  type: 'object',
  properties: {
    trackingCode: { type: 'string' },
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string' },
    intent: { type: ['string', 'null'] },
    topic: { type: ['string', 'null'] },
    channel: { type: 'string' },
    onlineSupport: { type: 'boolean' },
    summary: { type: 'string' },
    agency: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    assignee: { type: ['object', 'null'], properties: { id: { type: 'string' }, displayName: { type: 'string' } } },
    routingReason: { type: 'string' },
    acceptDueAt: dateTime,
    dueAt: dateTime,
    overdue: { type: 'boolean', description: OVERDUE_DOC },
    createdAt: dateTime,
  },
} as const;

export const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;

export const codeParams = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', minLength: 5, maxLength: 20 } },
} as const;

/** `:id` of a row (agency, staff account, rule, entry). */
export const idParams = {
  type: 'object',
  required: ['id'],
  additionalProperties: false,
  properties: { id: { type: 'string', format: 'uuid' } },
} as const;

export const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    agencyId: { type: ['string', 'null'] },
    isLead: { type: 'boolean', description: 'An agency lead: manages the agency’s staff, canned answers and knowledge entries' },
    mustChangePassword: { type: 'boolean', description: 'Until a new password is chosen, only /me, /auth/password and /auth/logout answer' },
  },
} as const;

export const sessionSchema = {
  type: 'object',
  properties: {
    token: { type: 'string', description: 'Bearer token for scripts (Authorization: Bearer …); browsers use the session cookie' },
    expiresAt: { type: 'string' },
    csrfToken: { type: 'string', description: 'Send it in X-CSRF-Token on every state-changing request made with the session cookie' },
    user: userSchema,
  },
} as const;
