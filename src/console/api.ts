// The staff console's JSON API (/api/...). Every route declares its schemas, so validation and
// the OpenAPI document at /docs come from one place.
import type { FastifyPluginAsync } from 'fastify';
import type { TokenSigner } from '../auth/tokens';
import { AttachmentUnavailableError, type Attachment, type Channel, type ChannelModule } from '../channels/types';
import { stripDiacritics } from '../classify/normalize';
import type { Limit } from '../config';
import type { Db } from '../db/database';
import type { Prisma } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import type { Translator } from '../i18n';
import { routeLimit } from '../limits/http';
import type { JobQueue } from '../queue/types';
import {
  addInternalNote,
  assignTicket,
  changeTicketStatus,
  mergeDuplicate,
  replyToTicket,
  seesAllTickets,
  TicketActionError,
  ticketForActor,
} from '../tickets/actions';
import { ALL_STATUSES } from '../tickets/lifecycle';
import { isOverdue, OVERDUE_WHERE } from '../tickets/overdue';
import { normalizeTrackingCode } from '../tickets/tracking-code';
import { enqueueAfterCommit } from '../work/outbox';
import { containsNul } from '../messages/storable';
import { passwordChecker, staffGuard } from './auth';
import { pressRoutes } from '../press/routes';

export interface ConsoleApiOptions {
  db: Db;
  signer: TokenSigner;
  queue: JobQueue;
  translator: Translator;
  tokenTtlMs: number;
  maxMessageChars: number;
  /** Login attempts, counted per e-mail (the strict one: password guessing) and per client address. */
  limits: { loginPerAccount: Limit; loginPerIp: Limit };
  /** The platform channel that is on for this id, if any: it opens attachments it stored as private references. */
  channelModule(channel: Channel): Pick<ChannelModule, 'channel' | 'openAttachment'> | undefined;
}

/** Where a console fetches attachment `index` of a message (with its bearer token). */
export const attachmentHref = (messageId: string, index: number) => `/api/messages/${messageId}/attachments/${index}`;

/**
 * Types a browser may show inline from our origin. Anything else (HTML, SVG, scripts a person
 * uploaded as a "document") is served as a download, so it can never run as our page.
 */
const INLINE_TYPES = /^(image\/(jpeg|png|webp|gif|heic)|audio\/[\w.+-]+|video\/[\w.+-]+|application\/pdf)$/;

/** A URL anyone may open (Zalo's CDN, images staff attached to an answer): the console is sent there. */
function publicUrl(url: string): string | null {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.toString() : null;
  } catch {
    return null;
  }
}

/** RFC 6266 Content-Disposition with an ASCII fallback and the UTF-8 name (Vietnamese file names). */
function disposition(kind: 'inline' | 'attachment', name: string | undefined): string {
  if (!name) return kind;
  const ascii = stripDiacritics(name).replace(/[^\x20-\x7e]|["\\]/g, '_');
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(name)}`;
}
const TICKET_STATUSES = [...ALL_STATUSES];
const OVERDUE_DOC =
  'The overdue sweep marked a missed deadline (accept or answer) and the ticket is still open (not answered, closed, rejected or duplicate)';
const dateTime = { type: 'string', format: 'date-time' } as const;
/** One row of the ticket list. */
const ticketRowSchema = {
  type: 'object',
  properties: {
    trackingCode: { type: 'string' },
    status: { type: 'string', enum: TICKET_STATUSES },
    priority: { type: 'string' },
    intent: { type: ['string', 'null'] },
    topic: { type: ['string', 'null'] },
    channel: { type: 'string' },
    summary: { type: 'string' },
    agency: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' } } },
    routingReason: { type: 'string' },
    acceptDueAt: dateTime,
    dueAt: dateTime,
    overdue: { type: 'boolean', description: OVERDUE_DOC },
    createdAt: dateTime,
  },
} as const;
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
  // PostgreSQL cannot store U+0000; say so instead of failing with a 500 when the text is saved.
  app.addHook('preValidation', async (req, reply) => {
    if (containsNul(req.body)) {
      return reply.code(400).send({
        error: 'bad_text',
        message: 'The request contains a NUL character (U+0000), which cannot be stored; remove it and send again.',
      });
    }
  });

  app.post<{ Body: { email: string; password: string } }>(
    '/auth/login',
    {
      // Before the password hash is checked: a flood must not cost argon2 time (it slowed every other page).
      preHandler: [
        routeLimit(app, {
          name: 'login-ip',
          limit: opts.limits.loginPerIp,
          message: (wait) => `Too many login attempts from your address; try again in ${wait}.`,
        }),
        routeLimit(app, {
          name: 'login-account',
          limit: opts.limits.loginPerAccount,
          key: (req) => {
            const email = (req.body as { email?: unknown } | undefined)?.email;
            return typeof email === 'string' ? email.trim().toLowerCase() : null;
          },
          message: (wait) => `Too many login attempts for this account; try again in ${wait}, or ask an administrator.`,
        }),
      ],
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
          429: errorSchema,
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

    // The press center's routes (src/press/routes.ts), behind the same login.
    await authed.register(pressRoutes, { db, queue: opts.queue, translator: opts.translator });

    authed.get('/agencies', { schema: { tags: ['agencies'], summary: 'Active agencies (for assigning and transferring)' } }, async () =>
      db.agency.findMany({
        where: { active: true },
        orderBy: { name: 'asc' },
        select: { id: true, slug: true, name: true, nameEn: true, isTriage: true },
      }),
    );

    authed.get<{ Querystring: { status?: TicketStatus; agencyId?: string; overdue?: boolean; limit: number } }>(
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
              overdue: { type: 'boolean', description: `true: only overdue tickets; false: only the others. Overdue: ${OVERDUE_DOC}` },
              limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
            },
          },
          response: { 200: { type: 'array', items: ticketRowSchema } },
        },
      },
      async (req) => {
        const staff = req.staff!;
        if (!seesAllTickets(staff) && !staff.agencyId) return []; // agency staff without an agency see nothing
        const where: Prisma.TicketWhereInput = {};
        if (req.query.status) where.status = req.query.status;
        if (!seesAllTickets(staff)) where.agencyId = staff.agencyId;
        else if (req.query.agencyId) where.agencyId = req.query.agencyId;
        if (req.query.overdue !== undefined) where.AND = [req.query.overdue ? OVERDUE_WHERE : { NOT: OVERDUE_WHERE }];
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
          overdue: isOverdue(t),
          createdAt: t.createdAt,
        }));
      },
    );

    authed.get<{ Params: { code: string } }>(
      '/tickets/:code',
      {
        schema: {
          tags: ['tickets'],
          summary: 'One ticket with its conversation and history (the view is audited)',
          params: codeParams,
          response: {
            200: {
              type: 'object',
              additionalProperties: true,
              properties: {
                ticket: {
                  type: 'object',
                  additionalProperties: true,
                  properties: {
                    overdue: { type: 'boolean', description: OVERDUE_DOC },
                    duplicateOfCode: { type: ['string', 'null'], description: 'A duplicate ticket: the code of the ticket it was merged into' },
                  },
                },
              },
            },
          },
        },
      },
      async (req) => {
        const staff = req.staff!;
        const ticket = await ticketForActor(db, staff, canonicalCode(req.params.code));
        const [contact, messages, events, duplicateOf] = await Promise.all([
          db.contact.findUniqueOrThrow({ where: { id: ticket.contactId } }),
          db.message.findMany({ where: { conversationId: ticket.conversationId }, orderBy: { seq: 'asc' } }),
          db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } }),
          ticket.duplicateOfId ? db.ticket.findUnique({ where: { id: ticket.duplicateOfId }, select: { trackingCode: true } }) : null,
        ]);
        // Every view of personal data is recorded.
        await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'viewed', actorId: staff.id } });
        return {
          ticket: { ...ticket, overdue: isOverdue(ticket), duplicateOfCode: duplicateOf?.trackingCode ?? null },
          contact: {
            channel: contact.channel,
            displayName: contact.displayName,
            phone: contact.phoneConsent ? contact.phone : null,
            locale: contact.locale,
          },
          messages: messages.map((m) => ({
            id: m.id,
            seq: m.seq,
            direction: m.direction,
            author: m.author,
            text: m.text,
            // The whole text when the person sent more than MAX_MESSAGE_CHARS (text is its beginning).
            ...(m.fullText !== null ? { fullText: m.fullText } : {}),
            // Sent during a flood: stored, but the bot did not answer it and it opened no ticket.
            ...(m.rateLimited ? { rateLimited: true } : {}),
            // Each file gets the address that serves it to staff (a Telegram attachment's own url is a
            // private reference no browser can open).
            attachments: ((m.attachments ?? []) as unknown as Attachment[]).map((a, i) => (a.url ? { ...a, href: attachmentHref(m.id, i) } : a)),
            ticketId: m.ticketId,
            delivery: m.delivery,
            deliveryError: m.deliveryError,
            createdAt: m.createdAt,
          })),
          events,
        };
      },
    );

    authed.get<{ Params: { messageId: string; index: number } }>(
      '/messages/:messageId/attachments/:index',
      {
        schema: {
          tags: ['tickets'],
          summary:
            "One attachment of a message in a ticket you may see: the file's bytes (Telegram), or a 302 to its public URL (Zalo, images staff attached); the opening is audited",
          params: {
            type: 'object',
            required: ['messageId', 'index'],
            properties: { messageId: { type: 'string', format: 'uuid' }, index: { type: 'integer', minimum: 0, maximum: 99 } },
          },
          response: {
            200: { description: 'The file', content: { '*/*': { schema: { type: 'string', format: 'binary' } } } },
            302: { description: 'The public URL of the file, in Location', type: 'null' },
            404: errorSchema,
            422: errorSchema,
            502: errorSchema,
            503: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const staff = req.staff!;
        const notFound = () =>
          reply.code(404).send({ error: 'attachment_not_found', message: 'No such attachment in a ticket in your inbox.' });
        const message = await db.message.findUnique({
          where: { id: req.params.messageId },
          select: { id: true, channel: true, attachments: true, conversationId: true, ticketId: true },
        });
        if (!message) return notFound();
        // The same rule as GET /tickets/:code, which shows every message of the ticket's conversation:
        // staff see a message when they may see a ticket of its conversation. 404, not 403, so ids cannot be probed.
        if (!seesAllTickets(staff) && !staff.agencyId) return notFound();
        const tickets = await db.ticket.findMany({
          where: { conversationId: message.conversationId, ...(seesAllTickets(staff) ? {} : { agencyId: staff.agencyId }) },
          select: { id: true },
        });
        if (tickets.length === 0) return notFound();
        const attachment = ((message.attachments ?? []) as unknown as Attachment[])[req.params.index];
        if (!attachment) return notFound();
        if (!attachment.url) {
          return reply.code(404).send({ error: 'no_file', message: `Attachment ${req.params.index} is a ${attachment.type}, not a file.` });
        }

        // Opening a person's photo or document is a view of personal data, audited like the ticket view.
        const ticketId = tickets.find((t) => t.id === message.ticketId)?.id ?? tickets[0]!.id;
        await db.ticketEvent.create({
          data: { ticketId, kind: 'attachment_opened', actorId: staff.id, data: { messageId: message.id, index: req.params.index } },
        });

        // A public URL needs no proxying: the browser fetches it from the platform's CDN itself.
        const url = publicUrl(attachment.url);
        if (url) return reply.redirect(url, 302);

        // Anything else is a private reference that only the channel which stored it can open.
        const owner = opts.channelModule(message.channel);
        if (!owner?.openAttachment) {
          return reply.code(503).send({
            error: 'channel_off',
            message: `This file is kept by the ${message.channel} channel, which is not on in this hotline, so it cannot be fetched now.`,
          });
        }
        let content;
        try {
          content = await owner.openAttachment(attachment.url);
        } catch (err) {
          if (!(err instanceof AttachmentUnavailableError)) throw err;
          const status = { gone: 404, too_large: 422, platform_failed: 502 }[err.reason];
          const error = { gone: 'file_gone', too_large: 'file_too_large', platform_failed: 'platform_failed' }[err.reason];
          req.log.info({ messageId: message.id, index: req.params.index, reason: err.reason }, 'attachment could not be opened');
          return reply.code(status).send({ error, message: err.message });
        }
        if (!content) return notFound();
        const inline = INLINE_TYPES.test(content.contentType);
        // A document's own name ("don-kien-nghi.pdf") beats the platform's (file_9.pdf); "voice" or an emoji does not.
        const name = attachment.type === 'file' && attachment.name ? attachment.name : content.fileName;
        reply
          .header('content-type', inline ? content.contentType : 'application/octet-stream')
          .header('content-disposition', disposition(inline ? 'inline' : 'attachment', name))
          .header('x-content-type-options', 'nosniff')
          // Even an inline file is a person's upload: no scripts, no requests, no form submissions.
          .header('content-security-policy', "default-src 'none'; img-src 'self'; media-src 'self'; sandbox")
          .header('cache-control', 'private, no-store');
        if (content.size !== undefined) reply.header('content-length', content.size);
        return reply.send(content.body);
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
          summary:
            'Assign a triaged ticket to an agency (assigned), or transfer a misrouted one (transferred, until the new agency takes it or answers); the person is told where it went',
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
        const { ticket, jobs } = await assignTicket(db, opts.translator, req.staff!, canonicalCode(req.params.code), req.body.agencyId, req.body.reason);
        await enqueueAfterCommit(opts.queue, jobs, req.log);
        return { trackingCode: ticket.trackingCode, status: ticket.status, agencyId: ticket.agencyId };
      },
    );

    authed.post<{ Params: { code: string }; Body: { status: TicketStatus; reason?: string } }>(
      '/tickets/:code/status',
      {
        schema: {
          tags: ['tickets'],
          summary:
            'Move a ticket along its lifecycle (in_progress, closed, reopened, rejected with a reason); the person is told on their channel, a rejection with its reason',
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
        const { ticket, jobs } = await changeTicketStatus(db, opts.translator, req.staff!, canonicalCode(req.params.code), req.body.status, req.body.reason);
        await enqueueAfterCommit(opts.queue, jobs, req.log);
        return { trackingCode: ticket.trackingCode, status: ticket.status };
      },
    );

    authed.post<{ Params: { code: string }; Body: { into: string; reason?: string } }>(
      '/tickets/:code/merge',
      {
        schema: {
          tags: ['tickets'],
          summary:
            'Merge a duplicate into the ticket it repeats: this one becomes duplicate (its messages stay), the person is given the other code, the other ticket records the merge',
          params: codeParams,
          body: {
            type: 'object',
            required: ['into'],
            additionalProperties: false,
            properties: {
              into: { type: 'string', minLength: 5, maxLength: 20, description: 'Tracking code of the ticket it duplicates' },
              reason: { type: 'string', minLength: 3, maxLength: 1000, description: 'For staff only (the audit log)' },
            },
          },
          response: {
            200: { type: 'object', properties: { trackingCode: { type: 'string' }, status: { type: 'string' }, duplicateOf: { type: 'string' } } },
            400: errorSchema,
            404: errorSchema,
            409: errorSchema,
          },
        },
      },
      async (req) => {
        const intoCode = normalizeTrackingCode(req.body.into);
        if (!intoCode) throw new TicketActionError(404, 'target_not_found', `"${req.body.into}" is not a tracking code (e.g. HCM-26-7K3QD).`);
        const code = canonicalCode(req.params.code);
        const { ticket, into, jobs } = await mergeDuplicate(db, opts.translator, req.staff!, code, intoCode, req.body.reason);
        await enqueueAfterCommit(opts.queue, jobs, req.log);
        return { trackingCode: ticket.trackingCode, status: ticket.status, duplicateOf: into.trackingCode };
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
