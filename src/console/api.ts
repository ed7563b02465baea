// The staff console's JSON API (/api/...). Every route declares its schemas, so validation and
// the OpenAPI document at /docs come from one place.
import type { FastifyPluginAsync } from 'fastify';
import type { TokenSigner } from '../auth/tokens';
import type { Db } from '../db/database';
import type { Prisma } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import type { Translator } from '../i18n';
import type { JobQueue } from '../queue/types';
import {
  addInternalNote,
  assignTicket,
  changeTicketStatus,
  replyToTicket,
  seesAllTickets,
  TicketActionError,
  ticketForActor,
} from '../tickets/actions';
import { normalizeTrackingCode } from '../tickets/tracking-code';
import { enqueueAfterCommit } from '../work/outbox';
import { passwordChecker, staffGuard } from './auth';

export interface ConsoleApiOptions {
  db: Db;
  signer: TokenSigner;
  queue: JobQueue;
  translator: Translator;
  tokenTtlMs: number;
  maxMessageChars: number;
}

const TICKET_STATUSES = ['new', 'triage', 'assigned', 'in_progress', 'answered', 'closed', 'transferred', 'reopened', 'duplicate', 'rejected'];
const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const codeParams = {
  type: 'object',
  required: ['code'],
  properties: { code: { type: 'string', minLength: 5, maxLength: 20 } },
} as const;
const userSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    email: { type: 'string' },
    displayName: { type: 'string' },
    role: { type: 'string' },
    agencyId: { type: ['string', 'null'] },
  },
} as const;

function canonicalCode(raw: string): string {
  const code = normalizeTrackingCode(raw);
  if (!code) throw new TicketActionError(404, 'ticket_not_found', `"${raw}" is not a tracking code (e.g. HCM-26-7K3QD).`);
  return code;
}

export const consoleApi: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
  const { db } = opts;
  const passwords = passwordChecker(db);

  app.post<{ Body: { email: string; password: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary: 'Log in with e-mail and password; returns a bearer token',
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: {
          200: { type: 'object', properties: { token: { type: 'string' }, expiresAt: { type: 'string' }, user: userSchema } },
          401: errorSchema,
        },
      },
    },
    async (req, reply) => {
      const user = await passwords.check(req.body.email, req.body.password);
      if (!user) return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong e-mail or password.' });
      await db.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      const { token, expiresAt } = opts.signer.sign('staff', user.id, opts.tokenTtlMs);
      return { token, expiresAt: expiresAt.toISOString(), user };
    },
  );

  app.register(async (authed) => {
    authed.addHook('preHandler', staffGuard(db, opts.signer));

    authed.get('/me', { schema: { tags: ['auth'], response: { 200: userSchema } } }, async (req) => req.staff!);

    authed.get('/agencies', { schema: { tags: ['agencies'], summary: 'Active agencies (for assigning and transferring)' } }, async () =>
      db.agency.findMany({
        where: { active: true },
        orderBy: { name: 'asc' },
        select: { id: true, slug: true, name: true, nameEn: true, isTriage: true },
      }),
    );

    authed.get<{ Querystring: { status?: TicketStatus; agencyId?: string; limit: number } }>(
      '/tickets',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Tickets in your inbox (agency staff: your agency only), newest first',
          querystring: {
            type: 'object',
            properties: {
              status: { type: 'string', enum: TICKET_STATUSES },
              agencyId: { type: 'string', format: 'uuid' },
              limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            },
          },
        },
      },
      async (req) => {
        const staff = req.staff!;
        if (!seesAllTickets(staff) && !staff.agencyId) return []; // agency staff without an agency see nothing
        const where: Prisma.TicketWhereInput = {};
        if (req.query.status) where.status = req.query.status;
        if (!seesAllTickets(staff)) where.agencyId = staff.agencyId;
        else if (req.query.agencyId) where.agencyId = req.query.agencyId;
        const tickets = await db.ticket.findMany({
          where,
          orderBy: { createdAt: 'desc' },
          take: req.query.limit,
          include: { agency: { select: { id: true, name: true } } },
        });
        return tickets.map((t) => ({
          trackingCode: t.trackingCode,
          status: t.status,
          priority: t.priority,
          intent: t.intent,
          topic: t.topic,
          channel: t.channel,
          summary: t.summary,
          agency: t.agency,
          routingReason: t.routingReason,
          acceptDueAt: t.acceptDueAt,
          dueAt: t.dueAt,
          createdAt: t.createdAt,
        }));
      },
    );

    authed.get<{ Params: { code: string } }>(
      '/tickets/:code',
      { schema: { tags: ['tickets'], summary: 'One ticket with its conversation and history (the view is audited)', params: codeParams } },
      async (req) => {
        const staff = req.staff!;
        const ticket = await ticketForActor(db, staff, canonicalCode(req.params.code));
        const [contact, messages, events] = await Promise.all([
          db.contact.findUniqueOrThrow({ where: { id: ticket.contactId } }),
          db.message.findMany({ where: { conversationId: ticket.conversationId }, orderBy: { seq: 'asc' } }),
          db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } }),
        ]);
        // Every view of personal data is recorded.
        await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'viewed', actorId: staff.id } });
        return {
          ticket,
          contact: {
            channel: contact.channel,
            displayName: contact.displayName,
            phone: contact.phoneConsent ? contact.phone : null,
            locale: contact.locale,
          },
          messages: messages.map((m) => ({
            seq: m.seq,
            direction: m.direction,
            author: m.author,
            text: m.text,
            attachments: m.attachments,
            ticketId: m.ticketId,
            delivery: m.delivery,
            deliveryError: m.deliveryError,
            createdAt: m.createdAt,
          })),
          events,
        };
      },
    );

    authed.post<{ Params: { code: string }; Body: { text: string; images?: string[] } }>(
      '/tickets/:code/replies',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Answer the person; delivered on the channel they used',
          params: codeParams,
          body: {
            type: 'object',
            required: ['text'],
            additionalProperties: false,
            properties: {
              text: { type: 'string', minLength: 1, maxLength: opts.maxMessageChars },
              // Platforms fetch images themselves (or we upload them): only public https addresses.
              images: {
                type: 'array',
                maxItems: 4,
                items: { type: 'string', format: 'uri', pattern: '^https://', maxLength: 2000 },
                description: 'Public https URLs of images to send with the answer',
              },
            },
          },
        },
      },
      async (req, reply) => {
        const text = req.body.text.trim();
        if (!text) return reply.code(400).send({ error: 'empty_reply', message: 'The reply is empty.' });
        const result = await replyToTicket(db, opts.translator, req.staff!, canonicalCode(req.params.code), text, req.body.images);
        await enqueueAfterCommit(opts.queue, result.jobs, req.log);
        return reply.code(201).send({ messageId: result.messageId, status: result.ticket.status });
      },
    );

    authed.post<{ Params: { code: string }; Body: { agencyId: string; reason: string } }>(
      '/tickets/:code/assign',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Assign a triaged ticket to an agency, or transfer a misrouted one (with a reason)',
          params: codeParams,
          body: {
            type: 'object',
            required: ['agencyId', 'reason'],
            additionalProperties: false,
            properties: { agencyId: { type: 'string', format: 'uuid' }, reason: { type: 'string', minLength: 3, maxLength: 1000 } },
          },
        },
      },
      async (req) => {
        const t = await assignTicket(db, req.staff!, canonicalCode(req.params.code), req.body.agencyId, req.body.reason);
        return { trackingCode: t.trackingCode, status: t.status, agencyId: t.agencyId };
      },
    );

    authed.post<{ Params: { code: string }; Body: { status: TicketStatus; reason?: string } }>(
      '/tickets/:code/status',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Move a ticket along its lifecycle (in_progress, closed, reopened, rejected with a reason)',
          params: codeParams,
          body: {
            type: 'object',
            required: ['status'],
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: ['in_progress', 'closed', 'reopened', 'rejected'] },
              reason: { type: 'string', minLength: 3, maxLength: 1000 },
            },
          },
        },
      },
      async (req) => {
        const t = await changeTicketStatus(db, req.staff!, canonicalCode(req.params.code), req.body.status, req.body.reason);
        return { trackingCode: t.trackingCode, status: t.status };
      },
    );

    authed.post<{ Params: { code: string }; Body: { text: string } }>(
      '/tickets/:code/notes',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Internal note, visible to staff only',
          params: codeParams,
          body: {
            type: 'object',
            required: ['text'],
            additionalProperties: false,
            properties: { text: { type: 'string', minLength: 1, maxLength: 4000 } },
          },
        },
      },
      async (req, reply) => {
        await addInternalNote(db, req.staff!, canonicalCode(req.params.code), req.body.text);
        return reply.code(201).send({ ok: true });
      },
    );

    authed.get<{ Querystring: { status: 'pending' | 'dead' } }>(
      '/work',
      {
        schema: {
          tags: ['operations'],
          summary: 'Stored work by status (dead letters: jobs that failed for good); operators and admins',
          querystring: {
            type: 'object',
            properties: { status: { type: 'string', enum: ['pending', 'dead'], default: 'dead' } },
          },
        },
      },
      async (req, reply) => {
        if (!seesAllTickets(req.staff!)) return reply.code(403).send({ error: 'forbidden', message: 'Operators and admins only.' });
        return db.outboxJob.findMany({ where: { status: req.query.status }, orderBy: { createdAt: 'desc' }, take: 200 });
      },
    );
  });
};
