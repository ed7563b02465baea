// The inbox and the ticket: list, counts, one ticket with its messages, and what staff do to it
// (src/tickets/actions.ts does the work; these routes validate, call it and enqueue what it returns).
import type { FastifyPluginAsync } from 'fastify';
import type { Attachment } from '../../channels/types';
import type { Prisma } from '../../generated/prisma/client';
import type { TicketStatus } from '../../generated/prisma/enums';
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
} from '../../tickets/actions';
import { OPEN_STATUSES } from '../../tickets/lifecycle';
import { isOverdue, OVERDUE_WHERE } from '../../tickets/overdue';
import { normalizeTrackingCode } from '../../tickets/tracking-code';
import { enqueueAfterCommit } from '../../work/outbox';
import { canonicalCode, inboxWhere, type InboxQuery } from '../inbox';
import type { ConsoleApiOptions } from '../options';
import { CHANNELS, codeParams, errorSchema, OVERDUE_DOC, TICKET_PRIORITIES, TICKET_STATUSES, ticketRowSchema } from '../schemas';
import { attachmentHref } from './attachments';
import { withDeliveryStates } from '../delivery-state';

export const ticketRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (app, opts) => {
  const { db } = opts;
  app.get<{ Querystring: InboxQuery }>(
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
            state: {
              type: 'string',
              enum: ['open', 'waiting_for_person', 'final'],
              description: 'open: work to do (new to in progress, reopened); waiting_for_person: answered, waiting for the person; final: closed, rejected, duplicate',
            },
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

  app.get<{ Querystring: { agencyId?: string } }>(
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
              open: { type: 'integer', description: 'Open tickets (work to do)' },
              notTaken: { type: 'integer', description: 'Open tickets nobody has taken' },
            },
          },
        },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const byStatus = Object.fromEntries(TICKET_STATUSES.map((st) => [st, 0])) as Record<TicketStatus, number>;
      const where = inboxWhere(staff, { agencyId: req.query.agencyId, sort: 'urgency', limit: 1 });
      if (!where) return { total: 0, byStatus, overdue: 0, mine: 0, open: 0, notTaken: 0 };
      const open = { status: { in: [...OPEN_STATUSES] } };
      const [groups, overdue, mine, notTaken] = await Promise.all([
        db.ticket.groupBy({ by: ['status'], where, _count: { _all: true } }),
        db.ticket.count({ where: { AND: [where, OVERDUE_WHERE] } }),
        db.ticket.count({ where: { AND: [where, open, { assigneeId: staff.id }] } }),
        db.ticket.count({ where: { AND: [where, open, { assigneeId: null }] } }),
      ]);
      for (const g of groups) byStatus[g.status] = g._count._all;
      return {
        total: groups.reduce((n, g) => n + g._count._all, 0),
        byStatus,
        overdue,
        mine,
        open: OPEN_STATUSES.reduce((n, st) => n + byStatus[st], 0),
        notTaken,
      };
    },
  );

  app.get<{ Params: { code: string } }>(
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
                  routingRule: {
                    type: ['object', 'null'],
                    description: 'The routing rule that sent it to its agency (null: routed by hand or to triage)',
                    properties: { id: { type: 'string' }, name: { type: 'string' } },
                  },
                },
              },
              staffNames: { type: 'object', additionalProperties: { type: 'string' }, description: 'Display names of the staff in the messages (staffUserId) and the history (actorId)' },
            },
          },
        },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const ticket = await ticketForActor(db, staff, canonicalCode(req.params.code));
      const [contact, messages, events, duplicateOf, routingRule] = await Promise.all([
        db.contact.findUniqueOrThrow({ where: { id: ticket.contactId } }),
        // The person's whole conversation (their other requests too) is for the operators; an
        // agency sees the messages of this ticket only.
        db.message.findMany({
          where: seesAllTickets(staff) ? { conversationId: ticket.conversationId } : { ticketId: ticket.id },
          orderBy: { seq: 'asc' },
        }),
        db.ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { createdAt: 'asc' } }),
        ticket.duplicateOfId ? db.ticket.findUnique({ where: { id: ticket.duplicateOfId }, select: { trackingCode: true } }) : null,
        ticket.routingRuleId ? db.routingRule.findUnique({ where: { id: ticket.routingRuleId }, select: { id: true, name: true } }) : null,
      ]);
      // Who wrote each reply and did each step, by name (one read for all of them).
      const staffIds = [...new Set([...messages.map((m) => m.staffUserId), ...events.map((e) => e.actorId)].filter((x): x is string => x !== null))];
      const staffNames = Object.fromEntries(
        (staffIds.length ? await db.staffUser.findMany({ where: { id: { in: staffIds } }, select: { id: true, displayName: true } }) : []).map((u) => [u.id, u.displayName]),
      );
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
        ticket: { ...ticket, ...place, overdue: isOverdue(ticket), duplicateOfCode: duplicateOf?.trackingCode ?? null, routingRule },
        /** Display names of the staff who wrote replies or did steps in the history, by id. */
        staffNames,
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
          staffUserId: m.staffUserId,
          delivery: m.delivery,
          deliveryError: m.deliveryError,
          createdAt: m.createdAt,
        })),
        events,
      });
    },
  );

  app.post<{ Params: { code: string }; Body: { text: string; images?: string[] } }>(
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

  app.post<{ Params: { code: string }; Body: { agencyId: string; reason: string } }>(
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

  app.post<{ Params: { code: string }; Body: { status: TicketStatus; reason?: string } }>(
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

  app.post<{ Params: { code: string }; Body: { into: string; reason?: string } }>(
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

  app.post<{ Params: { code: string } }>(
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

  app.post<{ Params: { code: string }; Body: { staffUserId: string } }>(
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

  app.post<{ Params: { code: string }; Body: { text: string } }>(
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
};
