// The staff console's JSON API (/api/...): one routes file per resource under ./routes, each
// declaring its schemas (validation and the OpenAPI document at /docs come from one place). This
// file only puts them together: what every route shares (the NUL check, cookies) and the console
// guard in front of everything but the login.
import cookie from '@fastify/cookie';
import type { FastifyPluginAsync } from 'fastify';
import { containsNul } from '../messages/storable';
import { pressRoutes } from '../press/routes';
import { staffGuard } from './auth';
import { colleaguesRoutes } from './routes/colleagues';
import { priorityRoutes } from './routes/priority';
import type { ConsoleApiOptions } from './options';
import { agencyAdminRoutes } from './routes/admin-agencies';
import { auditAdminRoutes } from './routes/admin-audit';
import { calendarAdminRoutes } from './routes/admin-calendar';
import { knowledgeAdminRoutes } from './routes/admin-knowledge';
import { routingAdminRoutes } from './routes/admin-routing';
import { staffAdminRoutes } from './routes/admin-staff';
import { agencyRoutes } from './routes/agencies';
import { attachmentRoutes } from './routes/attachments';
import { authRoutes, loginRoutes } from './routes/auth';
import { reportRoutes } from './routes/reports';
import { ticketRoutes } from './routes/tickets';
import { workRoutes } from './routes/work';
import { cannedAnswerRoutes } from './routes/canned-answers';
import { liveRoutes } from './routes/live';
import { notificationRoutes } from './routes/notifications';

export type { ConsoleApiOptions } from './options';
export { attachmentHref } from './routes/attachments';

export const consoleApi: FastifyPluginAsync<ConsoleApiOptions> = async (app, { prefix: _prefix, ...opts }: ConsoleApiOptions & { prefix?: string }) => {
  // (The prefix is this plugin's, /api: passed on, the route files would sit under /api/api.)
  // PostgreSQL cannot store U+0000; say so instead of failing with a 500 when the text is saved.
  app.addHook('preValidation', async (req, reply) => {
    if (containsNul(req.body)) {
      return reply.code(400).send({
        error: 'bad_text',
        message: 'The request contains a NUL character (U+0000), which cannot be stored; remove it and send again.',
      });
    }
  });
  await app.register(cookie);
  await app.register(loginRoutes, opts);

  // Everything else needs a signed-in staff member; each routes file checks the rights of its own.
  await app.register(async (authed) => {
    authed.addHook('preHandler', staffGuard(opts.sessions));
    await authed.register(authRoutes, opts);
    // The press center's routes (src/press/routes.ts), behind the same login.
    await authed.register(pressRoutes, { db: opts.db, queue: opts.queue, translator: opts.translator, publicUrl: opts.publicUrl });
    await authed.register(colleaguesRoutes, { db: opts.db });
    await authed.register(agencyRoutes, opts);
    await authed.register(ticketRoutes, opts);
    await authed.register(priorityRoutes, opts);
    await authed.register(attachmentRoutes, opts);
    await authed.register(workRoutes, opts);
    // Administration (/admin/...): admins, and agency leads for their own agency where it fits.
    await authed.register(agencyAdminRoutes, opts);
    await authed.register(staffAdminRoutes, opts);
    await authed.register(routingAdminRoutes, opts);
    await authed.register(knowledgeAdminRoutes, opts);
    await authed.register(calendarAdminRoutes, opts);
    await authed.register(auditAdminRoutes, opts);
    await authed.register(reportRoutes, opts);
    // Live updates, notifications and canned answers.
    await authed.register(liveRoutes, opts);
    await authed.register(notificationRoutes, opts);
    await authed.register(cannedAnswerRoutes, opts);
  });
};
