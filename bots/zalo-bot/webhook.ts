// POST /webhooks/zalo-bot: the platform calls it with the secret given to setWebhook in the
// X-Bot-Api-Secret-Token header. The secret is checked before the body is even parsed; the answer
// is 200 only once the message is committed, so anything else makes Zalo deliver it again.
import type { FastifyPluginAsync } from 'fastify';
import { keepRawBody, notStored, parseJsonKeepingBigIds, sameSecret, WEBHOOK_PATHS } from '../../src/channels/webhook';
import type { ZaloBotIngest } from './ingest';
import { unwrapUpdates } from './protocol';

export const ZALO_BOT_WEBHOOK_PATH = WEBHOOK_PATHS.zalo_bot;
export const SECRET_HEADER = 'x-bot-api-secret-token';

export function zaloBotWebhook(opts: { webhookSecret: string; ingest: ZaloBotIngest }): FastifyPluginAsync {
  return async (app) => {
    keepRawBody(app);
    app.post(
      ZALO_BOT_WEBHOOK_PATH,
      { schema: { tags: ['webhooks'], summary: 'Zalo Bot platform updates (secret in X-Bot-Api-Secret-Token)' } },
      async (req, reply) => {
        const given = req.headers[SECRET_HEADER];
        if (!sameSecret(typeof given === 'string' ? given : undefined, opts.webhookSecret)) {
          return reply.code(401).send({ error: 'invalid_secret', message: 'X-Bot-Api-Secret-Token is missing or wrong.' });
        }
        const body = parseJsonKeepingBigIds(req.body);
        if (!body.ok) return reply.code(400).send({ error: 'bad_request', message: body.reason });
        const unwrapped = unwrapUpdates(body.value);
        if (!unwrapped.ok) return reply.code(400).send({ error: 'bad_request', message: unwrapped.reason });
        const parsed = unwrapped.updates.map((u) => opts.ingest.parse(u));
        const bad = parsed.find((p) => p.kind === 'malformed');
        if (bad?.kind === 'malformed') {
          req.log.warn({ reason: bad.reason }, 'malformed Zalo Bot update refused');
          return reply.code(400).send({ error: 'bad_request', message: bad.reason });
        }
        try {
          for (const p of parsed) await opts.ingest.store(p);
        } catch (err) {
          req.log.error({ err }, 'could not store a Zalo Bot message; the platform will deliver it again');
          return notStored(reply);
        }
        return { ok: true };
      },
    );
  };
}
