// Composes the HTTP server from plugins; it owns no behaviour of its own.
import helmet from '@fastify/helmet';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type Redis from 'ioredis';
import Fastify, { type FastifyBaseLogger, type FastifyError, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import type { Logger } from 'pino';
import { webchatPlugin, type WebchatOptions } from '../bots/webchat/plugin';
import { consoleApi, type ConsoleApiOptions } from './console/api';
import { consoleUi } from './console/ui';
import { isDatabaseUnavailable } from './db/database';
import { faviconRoutes } from './favicon';
import { healthRoutes, type HealthOptions } from './health';
import type { HotlineMetrics } from './metrics';
import { rateLimitStore } from './limits/http';
import { HELMET_OPTIONS } from './security';
import { trackingPage, type TrackingOptions } from './tracking/page';
import { publishedAnswersPage, type PublishedPageOptions } from './press/page';

export interface ServerParts {
  logger: Logger;
  /** Counts requests and serves GET /metrics. */
  metrics?: HotlineMetrics;
  health: HealthOptions;
  /** The routes people, platforms and staff use; a worker node serves none of them. */
  webchat?: WebchatOptions;
  console?: ConsoleApiOptions;
  tracking?: TrackingOptions;
  /** The public question-and-answer pages /hoi-dap and /qa. */
  publishedAnswers?: PublishedPageOptions;
  /** Platform webhooks (POST /webhooks/<channel>), one plugin per channel that is on. */
  webhooks?: FastifyPluginAsync[];
  /** Proxies whose X-Forwarded-For is believed (TRUST_PROXY); empty: the socket's address is the client's. */
  trustProxy: string[];
  /** Where HTTP limit counters live: Redis (shared by all nodes) or, without it, this process. */
  limitStore: { redis?: Redis; prefix: string };
}

const BODY_LIMIT = 256 * 1024;

export async function buildServer(parts: ServerParts): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    // Only listed proxies: trusting everyone lets any client pick its address with X-Forwarded-For.
    trustProxy: parts.trustProxy.length > 0 ? parts.trustProxy : false,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  });
  // Set before any plugin registers: child contexts copy the handler when they are created.
  app.setErrorHandler((err: FastifyError, req, reply) => {
    const status = err.statusCode ?? 500;
    if (isDatabaseUnavailable(err)) {
      req.log.warn({ err }, 'database unavailable; answered 503');
      return reply
        .code(503)
        .header('retry-after', '5')
        .send({ error: 'unavailable', message: 'The hotline cannot reach its database right now; please try again in a few seconds.' });
    }
    if (status >= 500) {
      req.log.error({ err }, 'request failed');
      return reply.code(500).send({ error: 'internal', message: 'Something went wrong; it has been logged. Please try again.' });
    }
    return reply.code(status).send({ error: errorName(err, status), message: err.message });
  });
  await app.register(helmet, HELMET_OPTIONS);
  // Limits are per route (src/limits/http.ts). Should counting fail anyway, the request goes through.
  await app.register(rateLimit, { global: false, skipOnError: true, store: rateLimitStore(parts.limitStore) });
  parts.metrics?.instrument(app);
  await app.register(swagger, {
    openapi: {
      info: { title: 'Hotline API', version: '0.1.0', description: 'Staff console API, web chat sessions and public tracking.' },
      components: {
        securitySchemes: {
          bearer: { type: 'http', scheme: 'bearer' },
          // A browser's console session; state-changing requests also send X-CSRF-Token.
          sessionCookie: { type: 'apiKey', in: 'cookie', name: 'hotline_session' },
        },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(healthRoutes, parts.health);
  await app.register(faviconRoutes);
  if (parts.webchat) await app.register(webchatPlugin, parts.webchat);
  if (parts.console) await app.register(consoleApi, { ...parts.console, prefix: '/api' });
  if (parts.console) await app.register(consoleUi, { prefix: '/console' });
  if (parts.tracking) await app.register(trackingPage, parts.tracking);
  if (parts.publishedAnswers) await app.register(publishedAnswersPage, parts.publishedAnswers);
  for (const webhook of parts.webhooks ?? []) await app.register(webhook);
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.` }),
  );
  return app;
}

/** Stable snake_case error names for clients; fastify's own codes (FST_ERR_…) are internal. */
function errorName(err: FastifyError, status: number): string {
  if (err.validation) return 'bad_request';
  if (err.code && !err.code.startsWith('FST_')) return err.code;
  return { 400: 'bad_request', 404: 'not_found', 413: 'payload_too_large', 415: 'unsupported_media_type' }[status] ?? 'bad_request';
}
