// GET /api/live: the console's live updates as Server-Sent Events. Each node subscribes to the
// chat bus's live topic (src/live/events.ts: in-process, or Redis pub/sub across nodes) and sends
// each connected console the events it may see — the inbox's rule: agency staff their agency's
// tickets, operators and admins all — and its own notifications, titled in its language.
// The stream is a PassThrough fastify sends like any other body (its hooks, headers and logging
// apply); the format is three lines per event, which needs no library (@fastify/sse is still 0.x).
import { PassThrough } from 'node:stream';
import type { FastifyPluginAsync } from 'fastify';
import type { ChatBus } from '../../chat-bus/types';
import type { Db } from '../../db/database';
import type { Translator } from '../../i18n';
import { LIVE_TOPIC, liveEventVisibleTo, type LiveEvent } from '../../live/events';
import { notificationTitle } from '../../notifications/notify';

export interface LiveRoutesOptions {
  db: Db;
  translator: Translator;
  live: ConsoleLiveOptions;
}

/** What the console's live parts need beyond the rest of the API (GET /api/live, notifications, delivery states). */
export interface ConsoleLiveOptions {
  bus: ChatBus;
  /** How often a comment line is written, so proxies keep an idle stream open (LIVE_HEARTBEAT_SECONDS). */
  heartbeatMs: number;
  /** Whether notifications can go by e-mail (SMTP_URL is set). */
  emailAvailable: boolean;
  /** A web chat session's lifetime: after it the person cannot read a reply in the chat. */
  webchatTokenTtlMs: number;
  /** CONSOLE_SESSION_IDLE_MINUTES: an open stream is not use of the console, so it does not keep a session alive. */
  sessionIdleMs: number;
}

/** How soon a browser's EventSource connects again after the stream drops. */
const RETRY_MS = 3000;
/** Unread by a console that stopped reading (a stalled network): past this the stream ends and it reconnects. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

const sseFrame = (event: string, data: unknown) => `event: ${event}\ndata: ${JSON.stringify(data)}\n\n`;

export const liveRoutes: FastifyPluginAsync<LiveRoutesOptions> = async (app, opts) => {
  const { db, translator } = opts;
  const open = new Set<() => void>();
  // Before the server waits for its connections to end: an open stream would never end by itself.
  app.addHook('preClose', async () => {
    for (const end of [...open]) end();
  });

  app.get(
    '/live',
    {
      schema: {
        tags: ['live'],
        summary:
          'Live updates (Server-Sent Events): ticket_created, ticket_changed, message_added and your notification events, each data a JSON object with ticketCode, agencyId and at; a comment line every LIVE_HEARTBEAT_SECONDS',
        response: {
          200: { description: 'An event stream that stays open', content: { 'text/event-stream': { schema: { type: 'string' } } } },
          401: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
          503: { type: 'object', properties: { error: { type: 'string' }, message: { type: 'string' } } },
        },
      },
    },
    async (req, reply) => {
      const staff = req.staff!;
      const sessionId = req.staffSession!.session.id;
      const stream = new PassThrough();
      let ended = false;
      const send = (chunk: string) => {
        if (ended) return;
        if (stream.writableLength > MAX_BUFFERED_BYTES) return end();
        stream.write(chunk);
      };
      const listener = (raw: Record<string, unknown>) => {
        const event = raw as unknown as LiveEvent;
        if (!liveEventVisibleTo(event, staff)) return;
        const { event: name, ...data } = event;
        if (event.event === 'notification') {
          const { staffUserId: _for, summary, ...rest } = data as Omit<Extract<LiveEvent, { event: 'notification' }>, 'event'>;
          const title = notificationTitle(translator, staff.locale, { kind: event.kind, ticket: { trackingCode: event.ticketCode, summary } });
          send(sseFrame(name, { ...rest, title }));
        } else {
          send(sseFrame(name, data));
        }
      };
      let unsubscribe: () => Promise<void>;
      try {
        // Subscribed before the 200: nothing published after the console sees the stream open is missed.
        unsubscribe = await opts.live.bus.subscribe(LIVE_TOPIC, listener);
      } catch (err) {
        req.log.warn({ err }, 'live updates unavailable: the chat bus cannot subscribe');
        return reply.code(503).send({ error: 'unavailable', message: 'Live updates are unavailable right now; reload the page in a moment.' });
      }
      // A logged-out, expired, idle or disabled session stops hearing at the next heartbeat (read
      // only: the stream itself does not count as using the console); so does one whose role or
      // agency changed, whose console reconnects and is filtered by the new rights.
      const sessionStillValid = async () => {
        const session = await db.staffSession.findUnique({
          where: { id: sessionId },
          include: { staffUser: { select: { active: true, role: true, agencyId: true } } },
        });
        const now = Date.now();
        return (
          !!session &&
          session.endedAt === null &&
          session.expiresAt.getTime() > now &&
          now - session.lastSeenAt.getTime() <= opts.live.sessionIdleMs &&
          session.staffUser.active &&
          session.staffUser.role === staff.role &&
          session.staffUser.agencyId === staff.agencyId
        );
      };
      const heartbeat = setInterval(() => {
        send(`: heartbeat ${new Date().toISOString()}\n\n`);
        void sessionStillValid()
          .then((valid) => {
            if (!valid) end();
          })
          .catch(() => undefined);
      }, opts.live.heartbeatMs);
      heartbeat.unref();
      const end = () => {
        if (ended) return;
        ended = true;
        open.delete(end);
        clearInterval(heartbeat);
        void unsubscribe().catch(() => undefined);
        stream.end();
      };
      open.add(end);
      reply.raw.on('close', end);
      stream.write(`retry: ${RETRY_MS}\n: connected\n\n`);
      return reply
        .header('content-type', 'text/event-stream; charset=utf-8')
        .header('cache-control', 'no-cache, no-transform')
        // The connection is this stream's alone: when it ends (shutdown, logout) the socket closes with it.
        .header('connection', 'close')
        // nginx would otherwise buffer the stream.
        .header('x-accel-buffering', 'no')
        .send(stream);
    },
  );
};
