// Administration of the knowledge base (src/knowledge): list, create, edit, deactivate. Admins
// manage every entry, an agency lead their agency's. After each change the bot's in-memory index
// is rebuilt on this node at once (other nodes reload it on their minute timer).
import type { FastifyPluginAsync } from 'fastify';
import { TOPICS } from '../../classify/taxonomy';
import { Prisma, type KnowledgeEntry } from '../../generated/prisma/client';
import { KNOWLEDGE_KINDS } from '../../knowledge/search';
import { recordAdminChange } from '../admin-audit';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, isAdmin, requireAdminOrLeadOf, requireAdministers } from '../rights';
import { errorSchema, idParams } from '../schemas';

const text = (max: number) => ({ type: 'string', minLength: 1, maxLength: max }) as const;

const entrySchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    slug: { type: 'string' },
    topic: { type: 'string' },
    agencyId: { type: ['string', 'null'] },
    kind: { type: 'string', description: 'answer or online_fix' },
    titleVi: { type: 'string' },
    titleEn: { type: 'string' },
    answerVi: { type: 'string' },
    answerEn: { type: 'string' },
    keywords: { type: 'array', items: { type: 'string' } },
    sourceName: { type: 'string' },
    sourceUrl: { type: 'string' },
    active: { type: 'boolean' },
    createdAt: { type: 'string', format: 'date-time' },
    updatedAt: { type: 'string', format: 'date-time' },
  },
} as const;

const fields = {
  topic: { type: 'string', enum: TOPICS },
  agencyId: { type: ['string', 'null'], format: 'uuid', description: 'The agency the answer speaks for (its lead may edit it)' },
  kind: { type: 'string', enum: KNOWLEDGE_KINDS, description: 'answer: a procedure; online_fix: a known fix for an online-service problem' },
  titleVi: text(300),
  titleEn: text(300),
  answerVi: text(4000),
  answerEn: text(4000),
  keywords: { type: 'array', maxItems: 50, items: text(100), description: 'Words people use for it (any language, with or without diacritics)' },
  sourceName: text(300),
  sourceUrl: { type: 'string', format: 'uri', pattern: '^https?://', maxLength: 2000 },
  active: { type: 'boolean', description: 'false: deactivated (the bot stops offering it)' },
} as const;

const newEntryBody = {
  type: 'object',
  required: ['slug', 'topic', 'titleVi', 'titleEn', 'answerVi', 'answerEn', 'sourceName', 'sourceUrl'],
  additionalProperties: false,
  properties: { slug: { type: 'string', pattern: '^[a-z0-9]+(-[a-z0-9]+)*$', minLength: 2, maxLength: 100 }, ...fields },
} as const;
const editEntryBody = { type: 'object', additionalProperties: false, properties: fields } as const;

const listQuery = {
  type: 'object',
  additionalProperties: false,
  properties: {
    topic: { type: 'string', enum: TOPICS },
    agencyId: { type: 'string', format: 'uuid' },
    active: { type: 'boolean' },
    q: { type: 'string', minLength: 1, maxLength: 100, description: 'Words of the title or slug' },
  },
} as const;

export const knowledgeAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, opts) => {
  const { db } = opts;
  const app = typed(plain);
  app.addHook('preHandler', async (req) => requireAdministers(req.staff!));

  const load = async (id: string): Promise<KnowledgeEntry> => {
    const entry = await db.knowledgeEntry.findUnique({ where: { id } });
    if (!entry) throw new ConsoleError(404, 'entry_not_found', 'No knowledge-base entry with that id.');
    return entry;
  };
  const checkAgency = async (agencyId: string | null | undefined) => {
    if (!agencyId) return;
    if (!(await db.agency.findUnique({ where: { id: agencyId } }))) throw new ConsoleError(400, 'unknown_agency', 'No agency with that id.');
  };

  app.get(
    '/admin/knowledge',
    {
      schema: {
        tags: ['admin'],
        summary: 'Knowledge-base entries, deactivated ones too (admins: all; an agency lead: their agency’s)',
        querystring: listQuery,
        response: { 200: { type: 'array', items: entrySchema } as const, 403: errorSchema },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const { topic, active, q } = req.query;
      const agencyId = isAdmin(staff) ? req.query.agencyId : staff.agencyId!;
      return db.knowledgeEntry.findMany({
        where: {
          ...(agencyId ? { agencyId } : {}),
          ...(topic ? { topic } : {}),
          ...(active !== undefined ? { active } : {}),
          ...(q ? { OR: [{ titleVi: { contains: q, mode: 'insensitive' } }, { titleEn: { contains: q, mode: 'insensitive' } }, { slug: { contains: q } }] } : {}),
        },
        orderBy: [{ topic: 'asc' }, { slug: 'asc' }],
      });
    },
  );

  app.post(
    '/admin/knowledge',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a knowledge-base entry; the bot answers with it at once (admins; a lead: for their agency)',
        body: newEntryBody,
        response: { 201: entrySchema, 400: errorSchema, 403: errorSchema, 409: errorSchema },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const agencyId = req.body.agencyId !== undefined ? req.body.agencyId : isAdmin(staff) ? null : staff.agencyId;
      requireAdminOrLeadOf(staff, agencyId);
      await checkAgency(agencyId);
      try {
        const entry = await db.$transaction(async (tx) => {
          const created = await tx.knowledgeEntry.create({ data: { ...req.body, agencyId } });
          await recordAdminChange(tx, staff, { entity: 'knowledge_entry', entityId: created.id, agencyId, action: 'created', after: created });
          return created;
        });
        await opts.refreshKnowledge();
        return reply.code(201).send(entry);
      } catch (err) {
        if (err instanceof Prisma.PrismaClientKnownRequestError && err.code === 'P2002') {
          throw new ConsoleError(409, 'slug_taken', `An entry with the slug "${req.body.slug}" exists already.`);
        }
        throw err;
      }
    },
  );

  app.patch(
    '/admin/knowledge/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Edit or deactivate (active: false) a knowledge-base entry; the bot uses the change at once (admins; a lead: their agency’s)',
        params: idParams,
        body: editEntryBody,
        response: { 200: entrySchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      const staff = req.staff!;
      const before = await load(req.params.id);
      requireAdminOrLeadOf(staff, before.agencyId);
      // A lead cannot hand an entry to another agency (nor take it from the city).
      if (req.body.agencyId !== undefined) {
        requireAdminOrLeadOf(staff, req.body.agencyId);
        await checkAgency(req.body.agencyId);
      }
      const entry = await db.$transaction(async (tx) => {
        const after = await tx.knowledgeEntry.update({ where: { id: before.id }, data: req.body });
        const action = req.body.active === false && before.active ? 'deactivated' : req.body.active === true && !before.active ? 'reactivated' : 'updated';
        await recordAdminChange(tx, staff, { entity: 'knowledge_entry', entityId: before.id, agencyId: after.agencyId ?? before.agencyId, action, before, after });
        return after;
      });
      await opts.refreshKnowledge();
      return entry;
    },
  );
};
