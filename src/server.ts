// Composes the HTTP server from plugins; it owns no behaviour of its own.
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { webchatPlugin, type WebchatOptions } from '../bots/webchat/plugin';
import { consoleApi, type ConsoleApiOptions } from './console/api';
import { healthRoutes, type HealthOptions } from './health';
import { trackingPage, type TrackingOptions } from './tracking/page';

export interface ServerParts {
  logger: Logger;
  health: HealthOptions;
  webchat: WebchatOptions;
  console: ConsoleApiOptions;
  tracking: TrackingOptions;
}

const BODY_LIMIT = 256 * 1024;

export async function buildServer(parts: ServerParts): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: parts.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    trustProxy: true,
    ajv: { customOptions: { removeAdditional: false, coerceTypes: true } },
  });
  await app.register(swagger, {
    openapi: {
      info: { title: 'Hotline API', version: '0.1.0', description: 'Staff console API, web chat sessions and public tracking.' },
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  await app.register(healthRoutes, parts.health);
  await app.register(webchatPlugin, parts.webchat);
  await app.register(consoleApi, { ...parts.console, prefix: '/api' });
  await app.register(trackingPage, parts.tracking);
  app.setNotFoundHandler((req, reply) =>
    reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${req.url.split('?')[0]}.` }),
  );
  return app;
}
