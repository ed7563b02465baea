// POST /webhooks/telegram: the secret first (nothing is read before it), then the body, then
// storing. Telegram sends an update again when the answer is not 2xx
// (https://core.telegram.org/bots/api#setwebhook), so we answer 5xx only when the update was not
// stored; once it is stored, 200, whatever happened after (a redelivery would be deduplicated anyway).
import type { FastifyPluginAsync } from 'fastify';
import { keepRawBody, notStored, parseJsonKeepingBigIds, sameSecret, WEBHOOK_PATHS } from '../../src/channels/webhook';
import { parseUpdate, type TelegramUpdate } from './wire';

export const WEBHOOK_PATH = WEBHOOK_PATHS.telegram;
export const SECRET_HEADER = 'x-telegram-bot-api-secret-token';

export interface TelegramWebhookOptions {
  secret: string;
  /** Stores the update (resolves once committed) or throws when it could not be stored. */
  handle(update: TelegramUpdate): Promise<void>;
}

export function telegramWebhook(opts: TelegramWebhookOptions): FastifyPluginAsync {
  return async (app) => {
    keepRawBody(app);
    app.post(WEBHOOK_PATH, { schema: { hide: true } }, async (req, reply) => {
      const given = req.headers[SECRET_HEADER];
      if (!sameSecret(typeof given === 'string' ? given : undefined, opts.secret)) {
        return reply.code(401).send({
          error: 'invalid_secret',
          message: 'Missing or wrong X-Telegram-Bot-Api-Secret-Token: this request did not come from our Telegram webhook.',
        });
      }
      const json = parseJsonKeepingBigIds(req.body);
      const update = json.ok ? parseUpdate(json.value) : json;
      if (!update.ok) return reply.code(400).send({ error: 'bad_request', message: update.reason });
      try {
        await opts.handle(update.value);
      } catch (err) {
        req.log.error({ err, updateId: update.value.update_id }, 'Telegram update not stored; Telegram will deliver it again');
        return notStored(reply);
      }
      return reply.code(200).send({ ok: true });
    });
  };
}
