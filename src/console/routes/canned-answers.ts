// /api/canned-answers: texts staff pick for a reply. Administrators manage every answer (global or
// an agency's); an agency's lead manages their agency's own. With ?ticket=<code>, the answers the
// ticket's handler may use, in the person's language, with the variables filled for that ticket.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { CANNED_VARIABLES, fillTemplate, templateProblem } from '../../canned/templates';
import type { Db } from '../../db/database';
import type { CannedAnswer, Prisma, StaffUser } from '../../generated/prisma/client';
import { agencyName, isLocale, LOCALES, type Locale, type Translator } from '../../i18n';
import { ticketForActor } from '../../tickets/actions';
import { normalizeTrackingCode } from '../../tickets/tracking-code';

export interface CannedAnswerRoutesOptions {
  db: Db;
  translator: Translator;
  publicUrl: string;
}

const errorSchema = { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } } as const;
const VARIABLES_DOC = `Variables: ${CANNED_VARIABLES.map((v) => `{{${v}}}`).join(', ')} (the person's name, the tracking code, the agency, your name, the tracking page's address); any other is refused with 400 unknown_variable`;
const answerSchema = {
  type: 'object',
  required: ['id', 'title', 'body', 'locale'],
  properties: {
    id: { type: 'string' },
    title: { type: 'string' },
    body: { type: 'string' },
    locale: { type: 'string', enum: [...LOCALES] },
    agencyId: { type: ['string', 'null'], description: 'null: usable by every agency' },
    active: { type: 'boolean' },
    editable: { type: 'boolean', description: 'Whether you may change or delete it' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;
const filledSchema = { type: 'object', required: ['id', 'title', 'text'], properties: { id: { type: 'string' }, title: { type: 'string' }, text: { type: 'string' } } } as const;
const fields = {
  title: { type: 'string', minLength: 1, maxLength: 200 },
  body: { type: 'string', minLength: 1, maxLength: 4000, description: VARIABLES_DOC },
  locale: { type: 'string', enum: [...LOCALES] },
  agencyId: { type: ['string', 'null'], format: 'uuid', description: 'Administrators: an agency, or null for every agency; a lead: their own agency (the default)' },
  active: { type: 'boolean' },
} as const;
const idParams = { type: 'object', required: ['id'], properties: { id: { type: 'string', format: 'uuid' } } } as const;

interface AnswerBody {
  title: string;
  body: string;
  locale: Locale;
  agencyId?: string | null;
  active?: boolean;
}

/** Who may write this answer: administrators any, an agency's lead their agency's own. */
const mayManage = (staff: StaffUser, agencyId: string | null) =>
  staff.role === 'admin' || (staff.isLead && staff.agencyId !== null && agencyId === staff.agencyId);

const forbidden = (reply: FastifyReply) =>
  reply.code(403).send({ error: 'forbidden', message: 'Only administrators, and an agency’s lead for their agency’s own answers, manage canned answers.' });

export const cannedAnswerRoutes: FastifyPluginAsync<CannedAnswerRoutesOptions> = async (app, opts) => {
  const { db } = opts;
  const view = (staff: StaffUser, a: CannedAnswer) => ({
    id: a.id,
    title: a.title,
    body: a.body,
    locale: a.locale,
    agencyId: a.agencyId,
    active: a.active,
    editable: mayManage(staff, a.agencyId),
    updatedAt: a.updatedAt,
  });
  /** Refuses a text with a variable that does not exist (400). */
  const badText = (reply: FastifyReply, body: Partial<AnswerBody>) => {
    for (const field of ['title', 'body'] as const) {
      const text = body[field];
      const problem = text === undefined ? null : templateProblem(field, text);
      if (problem) return reply.code(400).send(problem);
      if (text !== undefined && !text.trim()) return reply.code(400).send({ error: 'empty_text', message: `The ${field} is empty.` });
    }
    return null;
  };
  const knownAgency = async (agencyId: string | null) => agencyId === null || (await db.agency.count({ where: { id: agencyId } })) > 0;

  app.get<{ Querystring: { ticket?: string; locale?: Locale } }>(
    '/canned-answers',
    {
      schema: {
        tags: ['canned answers'],
        summary:
          'Without ticket: the canned answers you may use or manage (administrators: all). With ticket=<code>: the active answers usable by your agency in the person’s language, as [{id, title, text}] with the variables filled for that ticket',
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ticket: { type: 'string', minLength: 5, maxLength: 20, description: 'A tracking code of a ticket in your inbox' },
            locale: { type: 'string', enum: [...LOCALES], description: 'Without ticket: one language only' },
          },
        },
        response: { 200: { type: 'array', items: { anyOf: [filledSchema, answerSchema] } }, 404: errorSchema },
      },
    },
    async (req) => {
      const staff = req.staff!;
      if (req.query.ticket === undefined) {
        const where: Prisma.CannedAnswerWhereInput = {
          ...(staff.role === 'admin' ? {} : { OR: [{ agencyId: null }, ...(staff.agencyId ? [{ agencyId: staff.agencyId }] : [])] }),
          ...(req.query.locale ? { locale: req.query.locale } : {}),
        };
        const rows = await db.cannedAnswer.findMany({ where, orderBy: [{ locale: 'asc' }, { title: 'asc' }] });
        return rows.map((a) => view(staff, a));
      }
      const code = normalizeTrackingCode(req.query.ticket) ?? req.query.ticket;
      const ticket = await ticketForActor(db, staff, code);
      const contact = await db.contact.findUniqueOrThrow({ where: { id: ticket.contactId }, select: { displayName: true, locale: true } });
      const locale: Locale = isLocale(contact.locale) ? contact.locale : 'vi';
      // Answers of the agency you work for (an administrator, who belongs to none: the ticket's agency's).
      const agencyId = staff.agencyId ?? ticket.agencyId;
      const rows = await db.cannedAnswer.findMany({
        where: { active: true, locale, OR: [{ agencyId: null }, ...(agencyId ? [{ agencyId }] : [])] },
        orderBy: { title: 'asc' },
      });
      const values = {
        name: contact.displayName?.trim() || opts.translator.t(locale, 'console:canned.no_name'),
        code: ticket.trackingCode,
        agency: ticket.agency ? agencyName(ticket.agency, locale) : '',
        staff: staff.displayName,
        tracking_url: `${opts.publicUrl}/t/${ticket.trackingCode}`,
      };
      return rows.map((a) => ({ id: a.id, title: fillTemplate(a.title, values), text: fillTemplate(a.body, values) }));
    },
  );

  app.post<{ Body: AnswerBody }>(
    '/canned-answers',
    {
      schema: {
        tags: ['canned answers'],
        summary: `Add a canned answer (administrators; an agency’s lead for their agency). ${VARIABLES_DOC}`,
        body: { type: 'object', required: ['title', 'body', 'locale'], additionalProperties: false, properties: fields },
        response: { 201: answerSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const agencyId = req.body.agencyId === undefined ? (staff.role === 'admin' ? null : staff.agencyId) : req.body.agencyId;
      if (!mayManage(staff, agencyId)) return forbidden(reply);
      if (badText(reply, req.body)) return reply;
      if (!(await knownAgency(agencyId))) return reply.code(400).send({ error: 'unknown_agency', message: 'No agency with that id.' });
      const created = await db.cannedAnswer.create({
        data: { title: req.body.title.trim(), body: req.body.body.trim(), locale: req.body.locale, agencyId, active: req.body.active ?? true, createdById: staff.id },
      });
      return reply.code(201).send(view(staff, created));
    },
  );

  app.patch<{ Params: { id: string }; Body: Partial<AnswerBody> }>(
    '/canned-answers/:id',
    {
      schema: {
        tags: ['canned answers'],
        summary: `Change a canned answer you manage (its text, language, agency, or active). ${VARIABLES_DOC}`,
        params: idParams,
        body: { type: 'object', additionalProperties: false, minProperties: 1, properties: fields },
        response: { 200: answerSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const existing = await db.cannedAnswer.findUnique({ where: { id: req.params.id } });
      if (!existing) return reply.code(404).send({ error: 'not_found', message: 'No such canned answer.' });
      const agencyId = req.body.agencyId === undefined ? existing.agencyId : req.body.agencyId;
      if (!mayManage(staff, existing.agencyId) || !mayManage(staff, agencyId)) return forbidden(reply);
      if (badText(reply, req.body)) return reply;
      if (!(await knownAgency(agencyId))) return reply.code(400).send({ error: 'unknown_agency', message: 'No agency with that id.' });
      const updated = await db.cannedAnswer.update({
        where: { id: existing.id },
        data: {
          ...(req.body.title !== undefined ? { title: req.body.title.trim() } : {}),
          ...(req.body.body !== undefined ? { body: req.body.body.trim() } : {}),
          ...(req.body.locale !== undefined ? { locale: req.body.locale } : {}),
          ...(req.body.active !== undefined ? { active: req.body.active } : {}),
          agencyId,
        },
      });
      return view(staff, updated);
    },
  );

  app.delete<{ Params: { id: string } }>(
    '/canned-answers/:id',
    {
      schema: {
        tags: ['canned answers'],
        summary: 'Delete a canned answer you manage (to keep it but hide it, set active to false instead)',
        params: idParams,
        response: { 204: { type: 'null' }, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req, reply) => {
      const existing = await db.cannedAnswer.findUnique({ where: { id: req.params.id } });
      if (!existing) return reply.code(404).send({ error: 'not_found', message: 'No such canned answer.' });
      if (!mayManage(req.staff!, existing.agencyId)) return forbidden(reply);
      await db.cannedAnswer.delete({ where: { id: existing.id } });
      return reply.code(204).send();
    },
  );
};
