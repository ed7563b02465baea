// Administration of the routing rules (src/routing): list, create, edit, disable, reorder (admins;
// operators read them), and "test this text": the classifier the worker uses, then routeTicket —
// the very function that routes real tickets — against the rules as stored now.
import type { FastifyPluginAsync } from 'fastify';
import { INTENTS, TOPICS } from '../../classify/taxonomy';
import type { RoutingRule } from '../../generated/prisma/client';
import { urgentPhrase } from '../../routing/priority';
import { routeTicket, type RoutingInput } from '../../routing/route-ticket';
import { recordAdminChange } from '../admin-audit';
import { typed, type ConsoleApiOptions } from '../options';
import { ConsoleError, requireAdmin } from '../rights';
import { errorSchema, idParams, TICKET_PRIORITIES } from '../schemas';

const ruleSchema = {
  type: 'object',
  properties: {
    id: { type: 'string' },
    name: { type: 'string' },
    intent: { type: ['string', 'null'] },
    topic: { type: ['string', 'null'] },
    area: { type: ['string', 'null'] },
    agencyId: { type: 'string' },
    agency: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' }, active: { type: 'boolean' } } },
    priority: { type: 'string', enum: TICKET_PRIORITIES },
    onlineSupport: { type: 'boolean' },
    position: { type: 'integer', description: 'Rules are tried in this order (smallest first); the first that matches routes' },
    active: { type: 'boolean' },
    tickets: { type: 'integer', description: 'Tickets this rule routed' },
    createdAt: { type: 'string', format: 'date-time' },
  },
} as const;

const ruleFields = {
  name: { type: 'string', minLength: 2, maxLength: 200 },
  intent: { type: ['string', 'null'], enum: [...INTENTS, null], description: 'null: any intent' },
  topic: { type: ['string', 'null'], enum: [...TOPICS, null], description: 'null: any topic' },
  area: { type: ['string', 'null'], minLength: 2, maxLength: 100, description: 'A ward or commune ("Bến Thành"); null: anywhere' },
  agencyId: { type: 'string', format: 'uuid' },
  priority: { type: 'string', enum: TICKET_PRIORITIES, description: 'Urgent words make a ticket urgent whatever the rule says' },
  onlineSupport: { type: 'boolean' },
  position: { type: 'integer', minimum: 0, maximum: 1_000_000 },
  active: { type: 'boolean', description: 'false: disabled (kept, skipped by routing)' },
} as const;

const newRuleBody = { type: 'object', required: ['name', 'agencyId'], additionalProperties: false, properties: ruleFields } as const;
const editRuleBody = { type: 'object', additionalProperties: false, properties: ruleFields } as const;

const testResponse = {
  type: 'object',
  properties: {
    classification: {
      type: ['object', 'null'],
      description: 'null: the hotline runs without a classifier, so every ticket goes to triage',
      properties: {
        intent: { type: 'string' },
        topic: { type: 'string' },
        confidence: { type: 'number' },
        intentConfidence: { type: 'number' },
        topicConfidence: { type: 'number' },
        source: { type: 'string', enum: ['builtin', 'llm'] },
        entities: {
          type: 'object',
          properties: {
            trackingCodes: { type: 'array', items: { type: 'string' } },
            phones: { type: 'array', items: { type: 'string' } },
            addresses: { type: 'array', items: { type: 'string' } },
            wards: { type: 'array', items: { type: 'string' } },
            language: { type: 'string' },
          },
        },
      },
    },
    threshold: { type: 'number', description: 'Below this confidence a ticket goes to triage (CLASSIFY_CONFIDENCE_THRESHOLD)' },
    urgentPhrase: { type: ['string', 'null'], description: 'The words that make it urgent' },
    routing: {
      type: 'object',
      properties: {
        agency: { type: 'object', properties: { id: { type: 'string' }, slug: { type: 'string' }, name: { type: 'string' } } },
        rule: { type: ['object', 'null'], properties: { id: { type: 'string' }, name: { type: 'string' }, position: { type: 'integer' } } },
        status: { type: 'string', enum: ['triage', 'assigned'] },
        priority: { type: 'string', enum: TICKET_PRIORITIES },
        onlineSupport: { type: 'boolean' },
        reason: { type: 'string', description: 'What the ticket’s routing reason would say' },
      },
    },
  },
} as const;

export const routingAdminRoutes: FastifyPluginAsync<ConsoleApiOptions> = async (plain, opts) => {
  const { db } = opts;
  const app = typed(plain);
  // A rule changed (committed before the reply goes): this node's next ticket reads the rules again.
  app.addHook('onSend', async (req) => {
    if (req.method !== 'GET') opts.routingTable?.forget();
  });
  const readsRules = async (req: { staff?: { role: string } }) => {
    if (req.staff!.role !== 'admin' && req.staff!.role !== 'operator') throw new ConsoleError(403, 'forbidden', 'Administrators and operators only.');
  };

  const withAgency = async (where: { id?: string } = {}) => {
    const rules = await db.routingRule.findMany({
      where,
      include: { agency: { select: { id: true, slug: true, name: true, active: true } }, _count: { select: { tickets: true } } },
      orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
    });
    return rules.map(({ _count, ...r }) => ({ ...r, tickets: _count.tickets }));
  };
  const checkAgency = async (agencyId: string | undefined) => {
    if (agencyId === undefined) return;
    const agency = await db.agency.findUnique({ where: { id: agencyId } });
    if (!agency || !agency.active) throw new ConsoleError(400, 'unknown_agency', 'No active agency with that id.');
  };
  const trimmedArea = (area: string | null | undefined) => (area === undefined ? undefined : area === null ? null : area.trim());

  app.get(
    '/admin/routing/rules',
    {
      preHandler: readsRules,
      schema: {
        tags: ['admin'],
        summary: 'The routing rules in the order they are tried, disabled ones too (admins and operators)',
        response: { 200: { type: 'array', items: ruleSchema } as const, 403: errorSchema },
      },
    },
    async () => withAgency(),
  );

  app.post(
    '/admin/routing/rules',
    {
      schema: {
        tags: ['admin'],
        summary: 'Add a routing rule (admins); without position it is tried last',
        body: newRuleBody,
        response: { 201: ruleSchema, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req, reply) => {
      requireAdmin(req.staff!);
      await checkAgency(req.body.agencyId);
      const rule = await db.$transaction(async (tx) => {
        const last = await tx.routingRule.aggregate({ _max: { position: true } });
        const created = await tx.routingRule.create({
          data: {
            ...req.body,
            name: req.body.name.trim(),
            area: trimmedArea(req.body.area) ?? null,
            position: req.body.position ?? (last._max.position ?? 0) + 10,
          },
        });
        await recordAdminChange(tx, req.staff!, { entity: 'routing_rule', entityId: created.id, agencyId: created.agencyId, action: 'created', after: created });
        return created;
      });
      return reply.code(201).send((await withAgency({ id: rule.id }))[0]!);
    },
  );

  app.patch(
    '/admin/routing/rules/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Edit, disable (active: false) or enable a routing rule (admins); tickets it routed keep their reason',
        params: idParams,
        body: editRuleBody,
        response: { 200: ruleSchema, 400: errorSchema, 403: errorSchema, 404: errorSchema },
      },
    },
    async (req) => {
      requireAdmin(req.staff!);
      await checkAgency(req.body.agencyId);
      await db.$transaction(async (tx) => {
        const before = await tx.routingRule.findUnique({ where: { id: req.params.id } });
        if (!before) throw new ConsoleError(404, 'rule_not_found', 'No routing rule with that id.');
        const area = trimmedArea(req.body.area);
        const after = await tx.routingRule.update({
          where: { id: before.id },
          data: { ...req.body, ...(req.body.name !== undefined ? { name: req.body.name.trim() } : {}), ...(area !== undefined ? { area } : {}) },
        });
        const action = req.body.active === false && before.active ? 'disabled' : req.body.active === true && !before.active ? 'enabled' : 'updated';
        await recordAdminChange(tx, req.staff!, { entity: 'routing_rule', entityId: before.id, agencyId: after.agencyId, action, before, after });
      });
      return (await withAgency({ id: req.params.id }))[0]!;
    },
  );

  app.post(
    '/admin/routing/rules/reorder',
    {
      schema: {
        tags: ['admin'],
        summary: 'Put the routing rules in this order (admins): every rule’s id, first tried first',
        body: {
          type: 'object',
          required: ['ids'],
          additionalProperties: false,
          properties: { ids: { type: 'array', minItems: 1, maxItems: 10_000, uniqueItems: true, items: { type: 'string', format: 'uuid' } } },
        } as const,
        response: { 200: { type: 'array', items: ruleSchema } as const, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      requireAdmin(req.staff!);
      const { ids } = req.body;
      await db.$transaction(async (tx) => {
        const rules: RoutingRule[] = await tx.routingRule.findMany();
        const known = new Set(rules.map((r) => r.id));
        // Every rule, so no rule keeps a stale position between two moved ones.
        if (ids.length !== rules.length || ids.some((id) => !known.has(id))) {
          throw new ConsoleError(400, 'incomplete_order', `Send the ids of all ${rules.length} routing rules, each once, in the new order.`);
        }
        const before = rules.map((r) => ({ id: r.id, position: r.position }));
        for (const [i, id] of ids.entries()) await tx.routingRule.update({ where: { id }, data: { position: (i + 1) * 10 } });
        await recordAdminChange(tx, req.staff!, {
          entity: 'routing_rule',
          entityId: 'order',
          action: 'reordered',
          before,
          after: ids.map((id, i) => ({ id, position: (i + 1) * 10 })),
        });
      });
      return withAgency();
    },
  );

  app.post(
    '/admin/routing/test',
    {
      preHandler: readsRules,
      schema: {
        tags: ['admin'],
        summary:
          'What the hotline would make of a message: its classification and where the routing rules as stored now would send it (admins and operators); nothing is stored',
        body: {
          type: 'object',
          required: ['text'],
          additionalProperties: false,
          properties: { text: { type: 'string', minLength: 1, maxLength: opts.maxMessageChars } },
        } as const,
        response: { 200: testResponse, 400: errorSchema, 403: errorSchema },
      },
    },
    async (req) => {
      const text = req.body.text.trim();
      if (!text) throw new ConsoleError(400, 'empty_text', 'The text is empty.');
      const classification = opts.classifier ? await opts.classifier.classify(text) : null;
      // The input the conversation gives routing for a message (src/conversation/engine.ts openTicket).
      const input: RoutingInput = {
        classification: classification && {
          intent: classification.intent,
          topic: classification.topic,
          confidence: classification.confidence,
          area: classification.entities.wards[0],
        },
        urgentPhrase: urgentPhrase(text),
        threshold: opts.confidenceThreshold,
      };
      const decision = await routeTicket(db, input);
      return {
        classification,
        threshold: input.threshold,
        urgentPhrase: input.urgentPhrase,
        routing: {
          agency: decision.agency,
          rule: decision.rule,
          status: decision.status,
          priority: decision.priority,
          onlineSupport: decision.onlineSupport,
          reason: decision.reason,
        },
      };
    },
  );
};
