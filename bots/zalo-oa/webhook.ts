// POST /webhooks/zalo-oa: authenticate (mac over the raw bytes), then store and answer at once.
// Zalo wants a 200 within about two seconds and redelivers otherwise, so nothing slow happens
// here: the message is committed with its work record and the worker does the rest. A non-2xx
// answer (storing failed) makes Zalo deliver it again; the msg_id keeps a redelivery stored once.
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import type { Logger } from 'pino';
import { choiceReader } from '../../src/channels/choices';
import type { ChannelInbox } from '../../src/channels/types';
import type { Db } from '../../src/db/database';
import { drawnAsButtons } from './adapter';
import { keepRawBody, notStored, parseJsonKeepingBigIds, WEBHOOK_PATHS } from '../../src/channels/webhook';
import { envelopeSchema, parseEvent } from './events';
import { SIGNATURE_HEADER, macFromHeader, signatureMatches } from './signature';

export const WEBHOOK_PATH = WEBHOOK_PATHS.zalo_oa;

export interface ZaloOaWebhookOptions {
  appId: string;
  secretKey: string;
  inbox: ChannelInbox;
  /** To read a numbered reply as the choice it picks (choices listed in the text, see adapter.ts). */
  db: Db;
  log: Logger;
  /**
   * The signed timestamp must be within this much of now (ZALO_OA_EVENT_MAX_AGE_SECONDS, _AHEAD_):
   * the mac never expires, so without a window a captured event could be replayed years later.
   */
  maxAgeMs: number;
  maxAheadMs: number;
  now?: () => number;
}

export function zaloOaWebhook(opts: ZaloOaWebhookOptions): FastifyPluginAsync {
  return async (app) => {
    keepRawBody(app);
    app.post(WEBHOOK_PATH, { schema: { hide: true } }, async (req, reply) => {
      const raw = req.body;
      const given = macFromHeader(req.headers[SIGNATURE_HEADER]);
      if (!given) return refuse(reply, opts.log, 'missing or malformed X-ZEvent-Signature (expected mac=<sha256 hex>)');
      if (!Buffer.isBuffer(raw) || raw.length === 0) return bad(reply, 'empty body: expected a JSON object');

      // The mac covers app_id and timestamp from inside the body: read just those, verify, and only
      // then look at anything else.
      const json = parseJsonKeepingBigIds(raw);
      if (!json.ok) return bad(reply, json.reason);
      const envelope = envelopeSchema.safeParse(json.value);
      if (!envelope.success) return refuse(reply, opts.log, 'body has no app_id, event_name and timestamp to verify the signature with');
      const { app_id: appId, timestamp } = envelope.data;
      if (!signatureMatches(given, appId, raw, timestamp, opts.secretKey)) return refuse(reply, opts.log, 'signature does not match');
      if (appId !== opts.appId) return refuse(reply, opts.log, `event is for app ${appId}, not this hotline's app`);
      const age = (opts.now ?? Date.now)() - Number(timestamp);
      if (age > opts.maxAgeMs || -age > opts.maxAheadMs) {
        const when = new Date(Number(timestamp)).toISOString();
        opts.log.warn({ event: envelope.data.event_name, timestamp: when }, 'zalo oa webhook: stale event refused');
        return reply.code(400).send({
          error: 'stale_event',
          message: `Event timestamp ${when} is ${age > 0 ? 'older' : 'further ahead'} than this hotline accepts (${Math.round((age > 0 ? opts.maxAgeMs : opts.maxAheadMs) / 1000)} s); it is not stored.`,
        });
      }

      const parsed = parseEvent(json.value as Record<string, unknown>);
      if (!parsed.ok) {
        opts.log.warn({ reason: parsed.reason, event: envelope.data.event_name }, 'zalo oa webhook: malformed event');
        return bad(reply, parsed.reason);
      }
      const event = parsed.event;
      try {
        switch (event.kind) {
          case 'message': {
            const { inbound } = event;
            // A tap on a button already carries the value; a number picks from a numbered list
            // (read as the message is stored, with the other messages of its batch).
            const readChoice = envelope.data.event_name === 'user_send_text' ? choiceReader(inbound.text, (b) => !drawnAsButtons(b)) : undefined;
            const stored = await opts.inbox.receive(inbound, { readChoice });
            return reply.code(200).send({ ok: true, duplicate: stored.duplicate });
          }
          case 'subscription':
            await opts.inbox.subscription('zalo_oa', event.userId, event.followed, event.at);
            return reply.code(200).send({ ok: true });
          case 'receipt': {
            const updated = await opts.inbox.receipt('zalo_oa', event.msgIds, event.receipt, event.at);
            return reply.code(200).send({ ok: true, updated });
          }
          case 'echo':
            return reply.code(200).send({ ok: true, ignored: 'echo of the OA’s own message' });
          case 'unknown':
            opts.log.info({ event: event.eventName }, 'zalo oa webhook: event kind the hotline does not handle; acknowledged');
            return reply.code(200).send({ ok: true, ignored: event.eventName });
        }
      } catch (err) {
        // Not stored: a 5xx makes Zalo deliver it again.
        opts.log.error({ err, event: envelope.data.event_name }, 'zalo oa webhook: could not store the event; Zalo will redeliver');
        return notStored(reply);
      }
    });
  };
}

function refuse(reply: FastifyReply, log: Logger, reason: string): FastifyReply {
  log.warn({ reason }, 'zalo oa webhook refused');
  return reply.code(401).send({ error: 'invalid_signature', message: `Zalo OA webhook refused: ${reason}.` });
}

function bad(reply: FastifyReply, reason: string): FastifyReply {
  return reply.code(400).send({ error: 'malformed_event', message: reason });
}
