// The staff console's JSON API (/api/...). Every route declares its schemas, so validation and
// the OpenAPI document at /docs come from one place.
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import { AttachmentUnavailableError, type Attachment, type Channel, type ChannelModule } from '../channels/types';
import { stripDiacritics } from '../classify/normalize';
import type { Db } from '../db/database';
import type { Prisma, StaffUser } from '../generated/prisma/client';
import type { TicketPriority, TicketStatus } from '../generated/prisma/enums';
import type { Translator } from '../i18n';
import { clientAddress } from '../limits/http';
import { RateLimitedError, waitText } from '../limits';
import type { JobQueue } from '../queue/types';
import {
  addInternalNote,
  assignTicket,
  assignToPerson,
  changeTicketStatus,
  mergeDuplicate,
  replyToTicket,
  seesAllTickets,
  seesPersonalData,
  TicketActionError,
  ticketForActor,
} from '../tickets/actions';
import { ALL_STATUSES, OPEN_STATUSES } from '../tickets/lifecycle';
import { isOverdue, OVERDUE_WHERE } from '../tickets/overdue';
import { normalizeTrackingCode } from '../tickets/tracking-code';
import { enqueueAfterCommit } from '../work/outbox';
import { containsNul } from '../messages/storable';
import {
  clearSessionCookies,
  hashPassword,
  PASSWORD_MIN_LENGTH,
  passwordChecker,
  passwordMatches,
  passwordProblem,
  setSessionCookies,
  staffGuard,
} from './auth';
import type { LoginThrottle } from './login-throttle';
import type { ConsoleSessions } from './sessions';
import { pressRoutes } from '../press/routes';
import { cannedAnswerRoutes } from './routes/canned-answers';
import { liveRoutes, type ConsoleLiveOptions } from './routes/live';
import { notificationRoutes } from './routes/notifications';
import { withDeliveryStates } from './delivery-state';

export interface ConsoleApiOptions {
  db: Db;
  /** Console sign-ins (bearer token and session cookie). */
  sessions: ConsoleSessions;
  queue: JobQueue;
  translator: Translator;
  maxMessageChars: number;
  /** Wrong passwords, counted per e-mail (the strict one: password guessing) and per client address. */
  loginThrottle: LoginThrottle;
  /** Cookies only over https (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** The hotline's public address (links to the public pages). */
  publicUrl: string;
  /** The platform channel that is on for this id, if any: it opens attachments it stored as private references. */
  channelModule(channel: Channel): Pick<ChannelModule, 'channel' | 'openAttachment'> | undefined;
  /** Live updates, notifications and delivery states (src/console/routes/live.ts). */
  live: ConsoleLiveOptions;
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
const TICKET_PRIORITIES: TicketPriority[] = ['urgent', 'normal', 'complex'];
const CHANNELS: Channel[] = ['webchat', 'zalo_oa', 'zalo_bot', 'telegram'];
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
    mustChangePassword: { type: 'boolean', description: 'Until a new password is chosen, only /me, /auth/password and /auth/logout answer' },
  },
} as const;
const sessionSchema = {
  type: 'object',
  properties: {
    token: { type: 'string', description: 'Bearer token for scripts (Authorization: Bearer …); browsers use the session cookie' },
    expiresAt: { type: 'string' },
    csrfToken: { type: 'string', description: 'Send it in X-CSRF-Token on every state-changing request made with the session cookie' },
    user: userSchema,
  },
} as const;

function canonicalCode(raw: string): string {
  const code = normalizeTrackingCode(raw);
  if (!code) throw new TicketActionError(404, 'ticket_not_found', `"${raw}" is not a tracking code (e.g. HCM-26-7K3QD).`);
  return code;
}

export interface InboxQuery {
  status?: TicketStatus;
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
function inboxWhere(staff: StaffUser, query: InboxQuery): Prisma.TicketWhereInput | null {
  if (!seesAllTickets(staff) && !staff.agencyId) return null;
  const and: Prisma.TicketWhereInput[] = [];
  if (!seesAllTickets(staff)) and.push({ agencyId: staff.agencyId });
  else if (query.agencyId) and.push({ agencyId: query.agencyId });
  if (query.status) and.push({ status: query.status });
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

  await app.register(cookie);
  const refuse = (scope: 'account' | 'address', retryAfterSeconds: number, reply: { header(k: string, v: number): unknown }) => {
    reply.header('retry-after', retryAfterSeconds);
    const wait = waitText(retryAfterSeconds);
    throw new RateLimitedError(
      scope === 'account'
        ? `Too many login attempts for this account; try again in ${wait}, or ask an administrator.`
        : `Too many login attempts from your address; try again in ${wait}.`,
      retryAfterSeconds,
    );
  };

  app.post<{ Body: { email: string; password: string } }>(
    '/auth/login',
    {
      schema: {
        tags: ['auth'],
        summary:
          'Log in with e-mail and password: returns a bearer token (scripts) and sets the session cookie and the csrf cookie (browsers); wrong passwords are limited per account and per address',
        body: {
          type: 'object',
          required: ['email', 'password'],
          additionalProperties: false,
          properties: { email: { type: 'string', minLength: 3, maxLength: 254 }, password: { type: 'string', minLength: 1, maxLength: 1024 } },
        },
        response: { 200: sessionSchema, 401: errorSchema, 429: errorSchema },
      },
    },
    async (req, reply) => {
      const address = clientAddress(req);
      // Before the password hash is checked: a flood must not cost argon2 time (it slowed every other page).
      const refusal = await opts.loginThrottle.attempt(req.body.email, address);
      if (refusal) {
        req.log.info({ limit: `login-${refusal.scope}` }, 'rate limited');
        return refuse(refusal.scope, refusal.retryAfterSeconds, reply);
      }
      const user = await passwords.check(req.body.email, req.body.password);
      if (!user) return reply.code(401).send({ error: 'invalid_credentials', message: 'Wrong e-mail or password.' });
      await opts.loginThrottle.succeeded(req.body.email, address);
      await db.staffUser.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
      const started = await opts.sessions.start(user);
      setSessionCookies(reply, started, opts.secureCookies);
      return { token: started.token, expiresAt: started.session.expiresAt.toISOString(), csrfToken: started.csrfToken, user };
    },
  );

  app.register(async (authed) => {
    authed.addHook('preHandler', staffGuard(opts.sessions));

    authed.get(
      '/me',
      {
        config: { beforePasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: 'Who is logged in, and the csrf token of this session',
          response: { 200: { ...userSchema, properties: { ...userSchema.properties, csrfToken: { type: 'string' } } } },
        },
      },
      async (req) => ({ ...req.staff!, csrfToken: opts.sessions.csrfFor(req.staffSession!.session) }),
    );

    authed.post(
      '/auth/logout',
      { config: { beforePasswordChange: true }, schema: { tags: ['auth'], summary: 'End this session: its token and cookie stop working', response: { 204: { type: 'null' } } } },
      async (req, reply) => {
        await opts.sessions.end(req.staffSession!.session.id);
        clearSessionCookies(reply, opts.secureCookies);
        return reply.code(204).send();
      },
    );

    authed.post<{ Body: { current: string; next: string } }>(
      '/auth/password',
      {
        config: { beforePasswordChange: true },
        schema: {
          tags: ['auth'],
          summary: `Change your password (at least ${PASSWORD_MIN_LENGTH} characters, not your e-mail); your other sessions end`,
          body: {
            type: 'object',
            required: ['current', 'next'],
            additionalProperties: false,
            properties: { current: { type: 'string', minLength: 1, maxLength: 1024 }, next: { type: 'string', minLength: 1, maxLength: 1024 } },
          },
          response: { 200: { type: 'object', properties: { ok: { type: 'boolean' } } }, 400: errorSchema, 429: errorSchema },
        },
      },
      async (req, reply) => {
        const staff = req.staff!;
        const address = clientAddress(req);
        // A wrong current password counts like a wrong login: a stolen session must not guess it.
        const refusal = await opts.loginThrottle.attempt(staff.email, address);
        if (refusal) return refuse(refusal.scope, refusal.retryAfterSeconds, reply);
        if (!(await passwordMatches(staff, req.body.current))) {
          return reply.code(400).send({ error: 'wrong_current_password', message: 'The current password is wrong.' });
        }
        await opts.loginThrottle.succeeded(staff.email, address);
        const problem = passwordProblem(staff, req.body.current, req.body.next);
        if (problem) return reply.code(400).send(problem);
        await db.staffUser.update({
          where: { id: staff.id },
          data: { passwordHash: await hashPassword(req.body.next), mustChangePassword: false, passwordChangedAt: new Date() },
        });
        await opts.sessions.endOthers(staff.id, req.staffSession!.session.id);
        return { ok: true };
      },
    );

    // The press center's routes (src/press/routes.ts), behind the same login.
    await authed.register(pressRoutes, { db, queue: opts.queue, translator: opts.translator, publicUrl: opts.publicUrl });
    // Live updates, notifications and canned answers (src/console/routes/).
    const consoleLive = { db, translator: opts.translator, publicUrl: opts.publicUrl, live: opts.live };
    await authed.register(liveRoutes, consoleLive);
    await authed.register(notificationRoutes, consoleLive);
    await authed.register(cannedAnswerRoutes, consoleLive);

    authed.get('/agencies', { schema: { tags: ['agencies'], summary: 'Active agencies (for assigning and transferring)' } }, async () =>
      db.agency.findMany({
        where: { active: true },
        orderBy: { name: 'asc' },
        select: { id: true, slug: true, name: true, nameEn: true, isTriage: true },
      }),
    );

    authed.get<{ Querystring: InboxQuery }>(
      '/tickets',
      {
        schema: {
          tags: ['tickets'],
          summary:
            'Tickets in your inbox (agency staff: your agency only), urgent first then by deadline; filters combine; paging by cursor (nextCursor) or page',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: {
              status: { type: 'string', enum: TICKET_STATUSES },
              agencyId: { type: 'string', format: 'uuid', description: 'Operators and admins: one agency’s tickets' },
              priority: { type: 'string', enum: TICKET_PRIORITIES },
              topic: { type: 'string', minLength: 1, maxLength: 64 },
              channel: { type: 'string', enum: CHANNELS },
              onlineSupport: { type: 'boolean', description: 'true: requests for help with an online public service' },
              assignee: {
                type: 'string',
                pattern: '^(me|none|[0-9a-fA-F-]{36})$',
                description: 'me: taken by you; none: nobody has taken it; or a staff user id',
              },
              q: {
                type: 'string',
                minLength: 1,
                maxLength: 100,
                description: 'A tracking code, words of the summary, or (for staff who may see it) digits of the contact phone',
              },
              overdue: { type: 'boolean', description: `true: only overdue tickets; false: only the others. Overdue: ${OVERDUE_DOC}` },
              sort: { type: 'string', enum: ['urgency', 'newest'], default: 'urgency', description: 'urgency: urgent, normal, complex, each by deadline (dueAt); newest: by creation, newest first' },
              cursor: { type: 'string', minLength: 5, maxLength: 20, description: 'nextCursor of the previous page' },
              page: { type: 'integer', minimum: 1, maximum: 10_000, description: 'Instead of cursor: page number (from 1)' },
              limit: { type: 'integer', minimum: 1, maximum: 100, default: 50 },
            },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                items: { type: 'array', items: ticketRowSchema },
                total: { type: 'integer', description: 'Tickets matching the filters, on every page' },
                nextCursor: { type: ['string', 'null'], description: 'Pass as cursor for the next page; null on the last one' },
              },
            },
            400: errorSchema,
          },
        },
      },
      async (req, reply) => {
        const staff = req.staff!;
        const query = req.query;
        if (query.cursor !== undefined && query.page !== undefined) {
          return reply.code(400).send({ error: 'bad_paging', message: 'Page by cursor or by page, not both.' });
        }
        const where = inboxWhere(staff, query);
        if (!where) return { items: [], total: 0, nextCursor: null };
        if (query.cursor !== undefined) {
          const at = await db.ticket.findFirst({ where: { AND: [where, { trackingCode: query.cursor }] }, select: { id: true } });
          if (!at) return reply.code(400).send({ error: 'bad_cursor', message: 'That cursor is not in this list; start again without it.' });
        }
        const orderBy: Prisma.TicketOrderByWithRelationInput[] =
          query.sort === 'newest' ? [{ createdAt: 'desc' }, { id: 'desc' }] : [{ priority: 'asc' }, { dueAt: 'asc' }, { id: 'asc' }];
        const [tickets, total] = await Promise.all([
          db.ticket.findMany({
            where,
            orderBy,
            take: query.limit + 1,
            ...(query.cursor !== undefined ? { cursor: { trackingCode: query.cursor }, skip: 1 } : { skip: ((query.page ?? 1) - 1) * query.limit }),
            include: { agency: { select: { id: true, name: true } }, assignee: { select: { id: true, displayName: true } } },
          }),
          db.ticket.count({ where }),
        ]);
        const page = tickets.slice(0, query.limit);
        return {
          items: page.map((t) => ({
            trackingCode: t.trackingCode,
            status: t.status,
            priority: t.priority,
            intent: t.intent,
            topic: t.topic,
            channel: t.channel,
            onlineSupport: t.onlineSupport,
            summary: t.summary,
            agency: t.agency,
            assignee: t.assignee,
            routingReason: t.routingReason,
            acceptDueAt: t.acceptDueAt,
            dueAt: t.dueAt,
            overdue: isOverdue(t),
            createdAt: t.createdAt,
          })),
          total,
          nextCursor: tickets.length > query.limit ? page[page.length - 1]!.trackingCode : null,
        };
      },
    );

    authed.get<{ Querystring: { agencyId?: string } }>(
      '/tickets/counts',
      {
        schema: {
          tags: ['tickets'],
          summary: 'How many tickets of your inbox are in each status, overdue, and taken by you (open ones)',
          querystring: {
            type: 'object',
            additionalProperties: false,
            properties: { agencyId: { type: 'string', format: 'uuid', description: 'Operators and admins: one agency’s tickets' } },
          },
          response: {
            200: {
              type: 'object',
              properties: {
                total: { type: 'integer' },
                byStatus: { type: 'object', properties: Object.fromEntries(TICKET_STATUSES.map((st) => [st, { type: 'integer' }])) },
                overdue: { type: 'integer', description: OVERDUE_DOC },
                mine: { type: 'integer', description: 'Open tickets you have taken' },
              },
            },
          },
        },
      },
      async (req) => {
        const staff = req.staff!;
        const byStatus = Object.fromEntries(TICKET_STATUSES.map((st) => [st, 0])) as Record<TicketStatus, number>;
        const where = inboxWhere(staff, { agencyId: req.query.agencyId, sort: 'urgency', limit: 1 });
        if (!where) return { total: 0, byStatus, overdue: 0, mine: 0 };
        const [groups, overdue, mine] = await Promise.all([
          db.ticket.groupBy({ by: ['status'], where, _count: { _all: true } }),
          db.ticket.count({ where: { AND: [where, OVERDUE_WHERE] } }),
          db.ticket.count({ where: { AND: [where, { assigneeId: staff.id, status: { in: [...OPEN_STATUSES] } }] } }),
        ]);
        for (const g of groups) byStatus[g.status] = g._count._all;
        return { total: groups.reduce((n, g) => n + g._count._all, 0), byStatus, overdue, mine };
      },
    );

    authed.get<{ Params: { code: string } }>(
      '/tickets/:code',
      {
        schema: {
          tags: ['tickets'],
          summary:
            'One ticket with its messages (operators and admins: the whole conversation) and history; the phone and exact place only for operators, admins and the handling agency’s staff (each view is audited)',
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
          // The person's whole conversation (their other requests too) is for the operators; an
          // agency sees the messages of this ticket only.
          db.message.findMany({
            where: seesAllTickets(staff) ? { conversationId: ticket.conversationId } : { ticketId: ticket.id },
            orderBy: { seq: 'asc' },
          }),
          db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } }),
          ticket.duplicateOfId ? db.ticket.findUnique({ where: { id: ticket.duplicateOfId }, select: { trackingCode: true } }) : null,
        ]);
        const personal = seesPersonalData(staff, ticket);
        const phone = personal && contact.phoneConsent ? contact.phone : null;
        const place = personal ? { place: ticket.place, latitude: ticket.latitude, longitude: ticket.longitude } : { place: null, latitude: null, longitude: null };
        // A shared location or contact card in a message is the same personal data.
        const attachmentsOf = (m: (typeof messages)[number]) => (m.attachments ?? []) as unknown as Attachment[];
        const personalAttachment = (a: Attachment) => a.type === 'location' || a.type === 'contact';
        const sharedPersonal = personal && messages.some((m) => attachmentsOf(m).some(personalAttachment));
        // Every view is recorded, and every view of the person's phone or exact place on its own.
        await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'viewed', actorId: staff.id } });
        if (phone !== null || place.place !== null || place.latitude !== null || place.longitude !== null || sharedPersonal) {
          await db.ticketEvent.create({ data: { ticketId: ticket.id, kind: 'personal_data_viewed', actorId: staff.id, data: { actorId: staff.id } } });
        }
        return withDeliveryStates(db, messages, opts.live, {
          ticket: { ...ticket, ...place, overdue: isOverdue(ticket), duplicateOfCode: duplicateOf?.trackingCode ?? null },
          /** The phone and exact place are left out for this viewer (a press officer, another role). */
          personalDataHidden: !personal,
          contact: {
            channel: contact.channel,
            displayName: contact.displayName,
            phone,
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
            attachments: attachmentsOf(m).map((a, i) =>
              !personal && personalAttachment(a) ? { type: a.type, hidden: true } : a.url ? { ...a, href: attachmentHref(m.id, i) } : a,
            ),
            ticketId: m.ticketId,
            delivery: m.delivery,
            deliveryError: m.deliveryError,
            createdAt: m.createdAt,
          })),
          events,
        });
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
        // The same rule as GET /tickets/:code: operators and admins see the whole conversation of a
        // ticket, an agency the messages of its own tickets. 404, not 403, so ids cannot be probed.
        if (!seesAllTickets(staff) && (!staff.agencyId || !message.ticketId)) return notFound();
        const tickets = await db.ticket.findMany({
          where: seesAllTickets(staff) ? { conversationId: message.conversationId } : { id: message.ticketId!, agencyId: staff.agencyId },
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

    const assigneeReply = (ticket: { trackingCode: string; assigneeId: string | null }) => ({ trackingCode: ticket.trackingCode, assigneeId: ticket.assigneeId });
    const assigneeResponse = {
      200: { type: 'object', properties: { trackingCode: { type: 'string' }, assigneeId: { type: ['string', 'null'] } } },
      400: errorSchema,
      404: errorSchema,
      409: errorSchema,
    };

    authed.post<{ Params: { code: string } }>(
      '/tickets/:code/take',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Take a ticket of your agency: you become the person working on it (assignee=me)',
          params: codeParams,
          response: assigneeResponse,
        },
      },
      async (req) => assigneeReply(await assignToPerson(db, req.staff!, canonicalCode(req.params.code), req.staff!.id)),
    );

    authed.post<{ Params: { code: string }; Body: { staffUserId: string } }>(
      '/tickets/:code/assign-user',
      {
        schema: {
          tags: ['tickets'],
          summary: 'Give a ticket to one person of the agency holding it',
          params: codeParams,
          body: {
            type: 'object',
            required: ['staffUserId'],
            additionalProperties: false,
            properties: { staffUserId: { type: 'string', format: 'uuid' } },
          },
          response: assigneeResponse,
        },
      },
      async (req) => assigneeReply(await assignToPerson(db, req.staff!, canonicalCode(req.params.code), req.body.staffUserId)),
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
