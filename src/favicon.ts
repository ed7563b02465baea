// The site icon: a chat bubble in the demo page's blue. Served as SVG at /favicon.svg (what the
// pages link) and at /favicon.ico, which browsers ask for on their own, so no page load logs a 404.
import type { FastifyPluginAsync } from 'fastify';

export const FAVICON_SVG = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">
<rect width="64" height="64" rx="14" fill="#0b57d0"/>
<path d="M14 18a6 6 0 0 1 6-6h24a6 6 0 0 1 6 6v18a6 6 0 0 1-6 6H30l-10 9v-9a6 6 0 0 1-6-6z" fill="#fff"/>
<circle cx="24" cy="27" r="3" fill="#da251d"/><circle cx="32" cy="27" r="3" fill="#0b57d0"/><circle cx="40" cy="27" r="3" fill="#0b57d0"/>
</svg>
`;

export const faviconRoutes: FastifyPluginAsync = async (app) => {
  for (const url of ['/favicon.ico', '/favicon.svg']) {
    app.get(url, { logLevel: 'warn', schema: { hide: true } }, async (_req, reply) =>
      reply.type('image/svg+xml').header('cache-control', 'public, max-age=86400').send(FAVICON_SVG),
    );
  }
};
