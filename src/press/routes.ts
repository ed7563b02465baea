// The press center's staff API (/api/press/..., and POST /api/tickets/:code/publish), registered
// inside the console API's authenticated scope. Press officers and admins run the press center;
// a drafting agency's staff read the comments on its drafts, a ticket's agency publishes its answers.
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { Db } from '../db/database';
import type { Prisma } from '../generated/prisma/client';
import type { Translator } from '../i18n';
import type { JobQueue } from '../queue/types';
import { enqueueAfterCommit } from '../work/outbox';
import {
  announcementCounts,
  publishAnnouncement,
  stopAnnouncement,
  SUBSCRIPTION_TOPICS,
} from './announcements';
import { csvDisposition, toCsv } from './csv';
import { seesDraftComments } from './drafts';
import { PressError } from './errors';
import { verifyPressProfile } from './profiles';
import { askPublishConsent, publishConsentOf, publishConsentState, publishTicketAnswer, searchPublishedAnswers, withdrawPublishedAnswer } from './published';
import { answerInput, inputInbox, requestInput, subtasksOf } from './subtasks';
import { ticketForActor } from '../tickets/actions';

export interface PressRoutesOptions {
  db: Db;
  queue: JobQueue;
  translator: Translator;
  publicUrl: string;
}

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;
const csvResponse = { 200: { description: 'CSV (UTF-8 with BOM)', content: { 'text/csv': { schema: { type: 'string' } } } } };

const runsPress = (role: string) => role === 'admin' || role === 'press_officer';

/** preHandler: press officers and admins only. */
async function pressOnly(req: FastifyRequest, reply: FastifyReply) {
  if (!runsPress(req.staff!.role)) return reply.code(403).send({ error: 'forbidden', message: 'Press officers and admins only.' });
}

const eventBody = {
  type: 'object',
  additionalProperties: false,
  properties: {
    titleVi: text(300),
    titleEn: text(300),
    startsAt: dateTime,
    place: text(500),
    topic: { type: ['string', 'null'], maxLength: 100 },
    agencies: { type: 'array', maxItems: 20, items: { type: 'string', maxLength: 100 }, description: 'Slugs of the agencies taking part' },
    registrationDeadline: dateTime,
    capacity: { type: ['integer', 'null'], minimum: 1, maximum: 100000, description: 'null: no limit' },
    onlineLink: { type: ['string', 'null'], format: 'uri', pattern: '^https://', maxLength: 2000 },
  },
} as const;

interface EventBody {
  titleVi?: string;
  titleEn?: string;
  startsAt?: string;
  place?: string;
  topic?: string | null;
  agencies?: string[];
  registrationDeadline?: string;
  capacity?: number | null;
  onlineLink?: string | null;
}

export const pressRoutes: FastifyPluginAsync<PressRoutesOptions> = async (app, opts) => {
  const { db } = opts;
  const enqueue = (req: FastifyRequest) => (jobs: Parameters<typeof enqueueAfterCommit>[1]) => enqueueAfterCommit(opts.queue, jobs, req.log);

  // ---- profiles ----

  app.get<{ Querystring: { verified?: boolean } }>(
    '/press/profiles',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: "Journalists' profiles given in the conversation (press officers, admins), newest first",
        querystring: { type: 'object', properties: { verified: { type: 'boolean' } } },
      },
    },
    async (req) => {
      const where: Prisma.PressProfileWhereInput =
        req.query.verified === undefined ? {} : { verifiedAt: req.query.verified ? { not: null } : null };
      const profiles = await db.pressProfile.findMany({ where, orderBy: { createdAt: 'desc' }, take: 500, include: { contact: true } });
      return profiles.map(({ contact, ...p }) => ({ ...p, channel: contact.channel, locale: contact.locale }));
    },
  );

  app.post<{ Params: { id: string } }>(
    '/press/profiles/:id/verify',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'Mark a profile verified (the press card was checked)', params: idParams, response: { 404: errorSchema } } },
    async (req) => verifyPressProfile(db, req.params.id, req.staff!.id),
  );

  // ---- press conferences ----

  async function checkEvent(body: EventBody, current?: { startsAt: Date; registrationDeadline: Date }) {
    const startsAt = body.startsAt ? new Date(body.startsAt) : current?.startsAt;
    const deadline = body.registrationDeadline ? new Date(body.registrationDeadline) : current?.registrationDeadline;
    if (startsAt && deadline && deadline > startsAt) {
      throw new PressError(400, 'deadline_after_start', 'The registration deadline must be before the conference starts.');
    }
    if (body.agencies?.length) {
      const known = await db.agency.findMany({ where: { slug: { in: body.agencies } }, select: { slug: true } });
      const missing = body.agencies.filter((s) => !known.some((k) => k.slug === s));
      if (missing.length) throw new PressError(400, 'unknown_agency', `No agency ${missing.join(', ')}.`);
    }
  }

  app.get<{ Querystring: { upcoming?: boolean } }>(
    '/press/events',
    {
      schema: {
        tags: ['press'],
        summary: 'Press conferences with their number of registrations (upcoming=true: not started, not cancelled)',
        querystring: { type: 'object', properties: { upcoming: { type: 'boolean' } } },
      },
    },
    async (req) => {
      const where: Prisma.PressEventWhereInput = req.query.upcoming ? { cancelledAt: null, startsAt: { gt: new Date() } } : {};
      const events = await db.pressEvent.findMany({
        where,
        orderBy: { startsAt: req.query.upcoming ? 'asc' : 'desc' },
        take: 200,
        include: { _count: { select: { registrations: { where: { cancelledAt: null } } } } },
      });
      return events.map(({ _count, ...e }) => ({ ...e, registered: _count.registrations }));
    },
  );

  app.post<{ Body: Required<Pick<EventBody, 'titleVi' | 'titleEn' | 'startsAt' | 'place' | 'registrationDeadline'>> & EventBody }>(
    '/press/events',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'Create a press conference',
        body: { ...eventBody, required: ['titleVi', 'titleEn', 'startsAt', 'place', 'registrationDeadline'] },
        response: { 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) => {
      await checkEvent(req.body);
      const b = req.body;
      const event = await db.pressEvent.create({
        data: {
          titleVi: b.titleVi,
          titleEn: b.titleEn,
          startsAt: new Date(b.startsAt),
          place: b.place,
          topic: b.topic ?? null,
          agencies: b.agencies ?? [],
          registrationDeadline: new Date(b.registrationDeadline),
          capacity: b.capacity ?? null,
          onlineLink: b.onlineLink ?? null,
        },
      });
      return reply.code(201).send(event);
    },
  );

  async function eventOr404(id: string) {
    const event = await db.pressEvent.findUnique({ where: { id } });
    if (!event) throw new PressError(404, 'event_not_found', 'No such press conference.');
    return event;
  }

  app.get<{ Params: { id: string } }>(
    '/press/events/:id',
    { schema: { tags: ['press'], summary: 'One press conference', params: idParams, response: { 404: errorSchema } } },
    async (req) => eventOr404(req.params.id),
  );

  app.patch<{ Params: { id: string }; Body: EventBody }>(
    '/press/events/:id',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'Change a press conference', params: idParams, body: eventBody, response: { 400: errorSchema, 404: errorSchema } } },
    async (req) => {
      const current = await eventOr404(req.params.id);
      await checkEvent(req.body, current);
      const b = req.body;
      return db.pressEvent.update({
        where: { id: current.id },
        data: {
          ...b,
          ...(b.startsAt ? { startsAt: new Date(b.startsAt) } : {}),
          ...(b.registrationDeadline ? { registrationDeadline: new Date(b.registrationDeadline) } : {}),
        },
      });
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/press/events/:id',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'Cancel a press conference (kept, with its registrations, as cancelled: nobody is reminded; registering is closed)',
        params: idParams,
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const event = await eventOr404(req.params.id);
      return event.cancelledAt ? event : db.pressEvent.update({ where: { id: event.id }, data: { cancelledAt: new Date() } });
    },
  );

  async function registrations(eventId: string) {
    return db.pressRegistration.findMany({
      where: { eventId },
      orderBy: { registeredAt: 'asc' },
      include: { profile: true, contact: { select: { channel: true, locale: true } } },
    });
  }

  app.get<{ Params: { id: string } }>(
    '/press/events/:id/registrations',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'Who registered (cancelled ones included, with cancelledAt)', params: idParams, response: { 404: errorSchema } } },
    async (req) => {
      await eventOr404(req.params.id);
      return (await registrations(req.params.id)).map((r) => ({
        id: r.id,
        contactId: r.contactId,
        channel: r.contact.channel,
        registeredAt: r.registeredAt,
        cancelledAt: r.cancelledAt,
        remindedAt: r.remindedAt,
        profile: r.profile,
      }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/press/events/:id/registrations.csv',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'The registrations as CSV for Excel (active ones)', params: idParams, response: csvResponse } },
    async (req, reply) => {
      await eventOr404(req.params.id);
      const rows = (await registrations(req.params.id))
        .filter((r) => r.cancelledAt === null)
        .map((r) => [
          r.profile?.name ?? '',
          r.profile?.newsroom ?? '',
          r.profile?.pressCardNumber ?? '',
          r.profile?.phone ?? '',
          r.profile?.email ?? '',
          r.profile?.verifiedAt ? 'x' : '',
          r.contact.channel,
          r.registeredAt,
        ]);
      const header = ['Họ tên', 'Cơ quan báo chí', 'Số thẻ nhà báo', 'Điện thoại', 'Email', 'Đã xác minh', 'Kênh', 'Đăng ký lúc'];
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', csvDisposition(`dang-ky-${req.params.id}.csv`))
        .header('cache-control', 'private, no-store')
        .send(toCsv(header, rows));
    },
  );

  // ---- announcements ----

  const announcementBody = {
    type: 'object',
    required: ['topic', 'titleVi', 'titleEn', 'bodyVi', 'bodyEn'],
    additionalProperties: false,
    properties: {
      topic: { type: 'string', enum: [...SUBSCRIPTION_TOPICS] },
      titleVi: text(300),
      titleEn: text(300),
      bodyVi: text(3000),
      bodyEn: text(3000),
    },
  } as const;

  app.get(
    '/press/subscriptions',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'How many people are subscribed to each topic now, by channel (who an announcement would reach)',
        response: {
          200: {
            type: 'array',
            items: {
              type: 'object',
              properties: { topic: { type: 'string' }, total: { type: 'integer' }, byChannel: { type: 'object', additionalProperties: { type: 'integer' } } },
            },
          },
        },
      },
    },
    async () => {
      const rows = await db.$queryRaw<Array<{ topic: string; channel: string; n: number }>>`
        SELECT s.topic, c.channel::text AS channel, count(*)::int AS n FROM subscription s JOIN contact c ON c.id = s.contact_id
        WHERE s.unsubscribed_at IS NULL AND c.unfollowed_at IS NULL GROUP BY 1, 2`;
      return SUBSCRIPTION_TOPICS.map((topic) => {
        const mine = rows.filter((r) => r.topic === topic);
        return { topic, total: mine.reduce((sum, r) => sum + r.n, 0), byChannel: Object.fromEntries(mine.map((r) => [r.channel, r.n])) };
      });
    },
  );

  app.get(
    '/press/announcements',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'Announcements, newest first' } },
    async () => db.announcement.findMany({ orderBy: { createdAt: 'desc' }, take: 200 }),
  );

  app.post<{ Body: { topic: string; titleVi: string; titleEn: string; bodyVi: string; bodyEn: string } }>(
    '/press/announcements',
    { preHandler: pressOnly, schema: { tags: ['press'], summary: 'Write an announcement (sent when published)', body: announcementBody } },
    async (req, reply) => reply.code(201).send(await db.announcement.create({ data: { ...req.body, createdById: req.staff!.id } })),
  );

  app.get<{ Params: { id: string } }>(
    '/press/announcements/:id',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'One announcement with its delivery counts (stored, sent, pending, failed, withheld after a stop), from the messages',
        params: idParams,
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const announcement = await db.announcement.findUnique({ where: { id: req.params.id } });
      if (!announcement) throw new PressError(404, 'announcement_not_found', 'No such announcement.');
      return { ...announcement, counts: await announcementCounts(db, announcement.id) };
    },
  );

  app.post<{ Params: { id: string } }>(
    '/press/announcements/:id/publish',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary:
          'Publish: one message to every active subscriber of its topic, in batches. Answers after the first batch (202) while the rest goes on; calling it again resumes, never sending twice',
        params: idParams,
        response: { 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const deps = { translator: opts.translator, enqueue: enqueue(req), publishedById: req.staff!.id };
      const first = await publishAnnouncement(db, req.params.id, { ...deps, maxBatches: 1 });
      if (!first.finished) {
        void publishAnnouncement(db, req.params.id, deps).catch((err: Error) =>
          req.log.warn({ err, announcementId: req.params.id }, 'announcement fan-out interrupted; publishing again (or a restart) resumes it'),
        );
      }
      return reply.code(first.finished ? 200 : 202).send({ ...first.announcement, finished: first.finished });
    },
  );

  app.post<{ Params: { id: string } }>(
    '/press/announcements/:id/stop',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'Stop an announcement: nothing more is stored, and messages stored but not yet sent are withheld',
        params: idParams,
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const { announcement, withheld } = await stopAnnouncement(db, req.params.id);
      return { ...announcement, withheld, counts: await announcementCounts(db, announcement.id) };
    },
  );

  // ---- draft consultation ----

  app.get(
    '/press/drafts',
    { schema: { tags: ['press'], summary: 'Draft documents open (or once open) for public comment, with their number of comments' } },
    async () => {
      const drafts = await db.draftDocument.findMany({ orderBy: { closesAt: 'desc' }, take: 200, include: { agency: true, _count: { select: { comments: true } } } });
      return drafts.map(({ _count, agency, ...d }) => ({ ...d, agency: { id: agency.id, slug: agency.slug, name: agency.name }, comments: _count.comments }));
    },
  );

  app.post<{ Body: { titleVi: string; titleEn: string; agencyId: string; summary: string; fullTextUrl: string; opensAt: string; closesAt: string } }>(
    '/press/drafts',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'Open a draft document for public comment',
        body: {
          type: 'object',
          required: ['titleVi', 'titleEn', 'agencyId', 'summary', 'fullTextUrl', 'opensAt', 'closesAt'],
          additionalProperties: false,
          properties: {
            titleVi: text(500),
            titleEn: text(500),
            agencyId: { type: 'string', format: 'uuid', description: 'The drafting agency: its staff read the comments' },
            summary: text(4000),
            fullTextUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
            opensAt: dateTime,
            closesAt: dateTime,
          },
        },
        response: { 400: errorSchema },
      },
    },
    async (req, reply) => {
      const b = req.body;
      if (new Date(b.closesAt) <= new Date(b.opensAt)) throw new PressError(400, 'closes_before_opens', 'closesAt must be after opensAt.');
      if (!(await db.agency.findUnique({ where: { id: b.agencyId } }))) throw new PressError(400, 'unknown_agency', 'No such agency.');
      return reply.code(201).send(await db.draftDocument.create({ data: { ...b, opensAt: new Date(b.opensAt), closesAt: new Date(b.closesAt) } }));
    },
  );

  app.patch<{ Params: { id: string }; Body: { titleVi?: string; titleEn?: string; summary?: string; fullTextUrl?: string; opensAt?: string; closesAt?: string } }>(
    '/press/drafts/:id',
    {
      preHandler: pressOnly,
      schema: {
        tags: ['press'],
        summary: 'Change a draft: its texts, link or dates (extend the consultation, or close it now with closesAt)',
        params: idParams,
        body: {
          type: 'object',
          additionalProperties: false,
          minProperties: 1,
          properties: {
            titleVi: text(500),
            titleEn: text(500),
            summary: text(4000),
            fullTextUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
            opensAt: dateTime,
            closesAt: dateTime,
          },
        },
        response: { 400: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const draft = await db.draftDocument.findUnique({ where: { id: req.params.id } });
      if (!draft) throw new PressError(404, 'draft_not_found', 'No such draft document.');
      const b = req.body;
      const opensAt = b.opensAt ? new Date(b.opensAt) : draft.opensAt;
      const closesAt = b.closesAt ? new Date(b.closesAt) : draft.closesAt;
      if (closesAt <= opensAt) throw new PressError(400, 'closes_before_opens', 'closesAt must be after opensAt.');
      return db.draftDocument.update({ where: { id: draft.id }, data: { ...b, opensAt, closesAt } });
    },
  );

  async function draftForStaff(req: FastifyRequest<{ Params: { id: string } }>) {
    const draft = await db.draftDocument.findUnique({ where: { id: req.params.id } });
    // 404, not 403, for another agency's draft: the same rule as tickets.
    if (!draft || !seesDraftComments(req.staff!, draft)) throw new PressError(404, 'draft_not_found', 'No such draft among yours.');
    return draft;
  }
  const comments = (draftId: string) => db.draftComment.findMany({ where: { draftId }, orderBy: { createdAt: 'asc' } });

  app.get<{ Params: { id: string } }>(
    '/press/drafts/:id/comments',
    {
      schema: {
        tags: ['press'],
        summary: "Comments on a draft (the drafting agency's staff, press officers, admins); who wrote them is not shown",
        params: idParams,
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const draft = await draftForStaff(req);
      return (await comments(draft.id)).map((c) => ({ id: c.id, trackingCode: c.trackingCode, article: c.article, text: c.text, createdAt: c.createdAt }));
    },
  );

  app.get<{ Params: { id: string } }>(
    '/press/drafts/:id/comments.csv',
    { schema: { tags: ['press'], summary: 'The comments on a draft as CSV for Excel', params: idParams, response: csvResponse } },
    async (req, reply) => {
      const draft = await draftForStaff(req);
      const rows = (await comments(draft.id)).map((c) => [c.trackingCode, c.article ?? '', c.text, c.createdAt]);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', csvDisposition(`gop-y-${draft.id}.csv`))
        .header('cache-control', 'private, no-store')
        .send(toCsv(['Mã góp ý', 'Điều khoản', 'Nội dung góp ý', 'Thời gian'], rows));
    },
  );

  // ---- published answers ----

  app.post<{ Params: { code: string }; Body: { question: string; answer: string; anonymised: boolean; locale?: 'vi' | 'en' } }>(
    '/tickets/:code/publish',
    {
      schema: {
        tags: ['press'],
        summary:
          "Publish a ticket's question and answer on /hoi-dap (vi) or /qa (en): the ticket's agency, press officers, admins; only with the person's consent or anonymised",
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 5, maxLength: 20 } } },
        body: {
          type: 'object',
          required: ['question', 'answer', 'anonymised'],
          additionalProperties: false,
          properties: {
            question: text(4000),
            answer: text(8000),
            anonymised: {
              type: 'boolean',
              description:
                "Published without the person's consent: phones, e-mails, codes, house-number addresses, full names and the person's own name, phone and place are cleared from both texts; staff check the returned text",
            },
            locale: { type: 'string', enum: ['vi', 'en'], description: "Which page; default: the person's language" },
          },
        },
        response: { 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => reply.code(201).send(await publishTicketAnswer(db, req.staff!, req.params.code, req.body, { publicUrl: opts.publicUrl })),
  );

  app.get<{ Querystring: { locale?: 'vi' | 'en'; q?: string; topic?: string; page?: number } }>(
    '/press/published',
    {
      schema: {
        tags: ['press'],
        summary: 'Published answers, newest first, 20 a page, searched like /hoi-dap (q without diacritics, topic)',
        querystring: {
          type: 'object',
          properties: {
            locale: { type: 'string', enum: ['vi', 'en'], default: 'vi' },
            q: { type: 'string', maxLength: 200 },
            topic: { type: 'string', maxLength: 50 },
            page: { type: 'integer', minimum: 1, maximum: 10000 },
          },
        },
      },
    },
    async (req) => {
      const found = await searchPublishedAnswers(db, { locale: req.query.locale ?? 'vi', q: req.query.q, topic: req.query.topic, page: req.query.page });
      return {
        ...found,
        answers: found.answers.map(({ searchText: _s, agency, ...a }) => ({ ...a, agency: agency && { id: agency.id, slug: agency.slug, name: agency.name } })),
      };
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/press/published/:id',
    {
      schema: {
        tags: ['press'],
        summary: 'Withdraw a published answer: off /hoi-dap and /qa and out of the knowledge base (its agency, press officers, admins)',
        params: idParams,
        response: { 404: errorSchema },
      },
    },
    async (req) => {
      const { searchText: _s, ...withdrawn } = await withdrawPublishedAnswer(db, req.staff!, req.params.id);
      return withdrawn;
    },
  );

  const codeParams = { type: 'object', required: ['code'], properties: { code: { type: 'string', minLength: 5, maxLength: 20 } } } as const;
  const consentSchema = {
    type: 'object',
    properties: {
      state: { type: 'string', enum: ['not_asked', 'asked', 'granted', 'refused'] },
      at: { type: ['string', 'null'], format: 'date-time' },
    },
  } as const;

  app.post<{ Params: { code: string } }>(
    '/tickets/:code/publish-consent',
    {
      schema: {
        tags: ['press'],
        summary:
          "Ask the person, on their channel, whether their question may be published (yes/no buttons; a typed yes/no is understood too). Their answer is recorded by the bot; the ticket's agency, press officers, admins",
        params: codeParams,
        response: { 202: consentSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { job, ticket } = await askPublishConsent(db, req.staff!, req.params.code, opts.translator);
      await enqueue(req)([job]);
      return reply.code(202).send(await publishConsentState(db, ticket.id));
    },
  );

  app.get<{ Params: { code: string } }>(
    '/tickets/:code/publish-consent',
    {
      schema: {
        tags: ['press'],
        summary: "Whether the person agreed to the publication of their question: not_asked, asked (no answer yet), granted or refused",
        params: codeParams,
        response: { 200: consentSchema, 404: errorSchema },
      },
    },
    async (req) => publishConsentOf(db, req.staff!, req.params.code),
  );

  // ---- input from several agencies for one request ----

  app.post<{ Params: { code: string }; Body: { agencyIds: string[]; question: string; dueAt?: string } }>(
    '/tickets/:code/subtasks',
    {
      schema: {
        tags: ['press'],
        summary: "Ask agencies for their part of a request (press officers, admins); each answers in its own inbox",
        params: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } },
        body: {
          type: 'object',
          required: ['agencyIds', 'question'],
          additionalProperties: false,
          properties: {
            agencyIds: { type: 'array', minItems: 1, maxItems: 20, items: { type: 'string', format: 'uuid' } },
            question: { type: 'string', minLength: 1, maxLength: 4000 },
            dueAt: { type: 'string', format: 'date-time' },
          },
        },
        response: { 400: errorSchema, 403: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const { subtasks, jobs } = await requestInput(db, req.staff!, req.params.code, { ...req.body, dueAt: req.body.dueAt ? new Date(req.body.dueAt) : null }, opts.translator);
      await enqueue(req)(jobs);
      return reply.code(201).send(subtasks);
    },
  );

  app.get<{ Params: { code: string } }>(
    '/tickets/:code/subtasks',
    { schema: { tags: ['press'], summary: "The parts asked under a request, with the agencies' answers", params: { type: 'object', required: ['code'], properties: { code: { type: 'string' } } } } },
    async (req) => subtasksOf(db, (await ticketForActor(db, req.staff!, req.params.code)).id),
  );

  app.get('/subtasks', { schema: { tags: ['press'], summary: "Requests for input to my agency (press officers and admins see all), unanswered first" } }, async (req) =>
    inputInbox(db, req.staff!),
  );

  app.post<{ Params: { id: string }; Body: { text: string } }>(
    '/subtasks/:id/answer',
    {
      schema: {
        tags: ['press'],
        summary: "Answer my agency's part (the press officer consolidates the answers)",
        params: idParams,
        body: { type: 'object', required: ['text'], additionalProperties: false, properties: { text: { type: 'string', minLength: 1, maxLength: 8000 } } },
        response: { 400: errorSchema, 404: errorSchema, 409: errorSchema },
      },
    },
    async (req) => answerInput(db, req.staff!, req.params.id, req.body.text),
  );
};
