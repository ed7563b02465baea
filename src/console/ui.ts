// The staff console's pages at /console/: the files Vite built into console/dist (scripts/build-console.cjs)
// and, for any other address under /console/ (a page of the console's own router, e.g.
// /console/tickets/HCM-26-7K3QD), its index.html, so a reload or a shared link opens that page.
import { existsSync } from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyPluginAsync, FastifyReply } from 'fastify';
import { inProject } from '../project-root';

export const CONSOLE_DIST = inProject('console', 'dist');

export interface ConsoleUiOptions {
  /** Where the built console is (tests may point elsewhere). */
  root?: string;
}

const plugin: FastifyPluginAsync<ConsoleUiOptions> = async (app, opts) => {
  const root = opts.root ?? CONSOLE_DIST;
  if (!existsSync(path.join(root, 'index.html'))) {
    // Not built (a checkout without `npm install`): say how to get it rather than a bare 404.
    const notBuilt = (_req: unknown, reply: FastifyReply) =>
      reply.code(503).send({ error: 'console_not_built', message: 'The staff console is not built: run `npm run build:console` (npm install and npm start do it).' });
    app.get('/', { schema: { hide: true } }, notBuilt);
    app.get('/*', { schema: { hide: true } }, notBuilt);
    return;
  }

  await app.register(fastifyStatic, {
    root,
    prefix: '/',
    index: false,
    wildcard: true,
    decorateReply: true,
    // Built files carry a content hash in their names: cached for good. index.html is always asked again.
    setHeaders(reply, file) {
      reply.header('cache-control', file.includes(`${path.sep}assets${path.sep}`) ? 'public, max-age=31536000, immutable' : 'no-cache');
    },
  });
  const page = (reply: FastifyReply) => reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').sendFile('index.html');
  app.get('/', { schema: { hide: true } }, (_req, reply) => page(reply));
  // A file that is not there: a page address gets the app, a missing asset a real 404.
  app.setNotFoundHandler((req, reply) => {
    const pathname = req.url.split('?')[0]!;
    if ((req.method === 'GET' || req.method === 'HEAD') && pathname.startsWith('/console/') && !pathname.startsWith('/console/assets/') && !path.extname(pathname)) {
      return page(reply);
    }
    return reply.code(404).send({ error: 'not_found', message: `No route ${req.method} ${pathname}.` });
  });
};

/** Register with prefix /console (src/server.ts): its not-found handler then answers only under /console/. */
export const consoleUi = plugin;
