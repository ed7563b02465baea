// The hotline as one object: storage, queue, workers, chat bus and HTTP server, started and
// stopped together. `npm start` and the tests both go through here.
import type { FastifyInstance } from 'fastify';
import Redis from 'ioredis';
import type { DestinationStream, Logger } from 'pino';
import { createPlatformChannels } from '../bots';
import { WebchatAdapter } from '../bots/webchat/outbound';
import { openUpload } from './webchat/uploads';
import { DEFAULT_FLOWS } from '../flows';
import type { Flow } from './conversation/types';
import { loadSessionSecret, TokenSigner } from './auth/tokens';
import { createInbox } from './channels/inbox';
import { createIngestGate, type IngestGate } from './channels/ingest-gate';
import { channelOffWebhooks } from './channels/webhook';
import type { ChannelAdapter, Channel, ChannelModule } from './channels/types';
import { createClassifier } from './classify/select';
import type { Classifier } from './classify/types';
import { createChatBus } from './chat-bus';
import type { ChatBus } from './chat-bus/types';
import type { Config } from './config';
import { onCommit } from './db/after-commit';
import { openDatabase, type Database } from './db/database';
import { seedCannedAnswers } from './canned/seed';
import { LIVE_TOPIC } from './live/events';
import { createMailer } from './notifications/email';
import { createTranslator } from './i18n';
import { keyedLimiter, type LimitStore } from './limits';
import { createLogger } from './logging';
import { storeInbound } from './messages/store';
import { createMetrics } from './metrics';
import { createQueue } from './queue';
import { loadWorkingCalendar } from './tickets/calendar';
import { RoutingTableCache } from './routing/route-ticket';
import { HandOn } from './work/hand-on';
import { sweepOverdue, type OverdueResult } from './tickets/overdue';
import { closeAbandonedConversations, type AbandonedResult } from './conversation/abandoned';
import { sendEventReminders, type ReminderResult } from './press/events';
import { publishAnnouncement, unfinishedAnnouncements } from './press/announcements';
import { seedPressDemo } from './press/seed';
import { indexPublishedAnswers } from './press/published';
import type { JobQueue, JobRef } from './queue/types';
import { seedKnowledgeBase } from './knowledge/seed';
import { loadKnowledgeIndex } from './knowledge/search';
import { knowledgeBase } from './conversation/knowledge';
import { loginThrottle, type LoginThrottle } from './console/login-throttle';
import { ConsoleSessions } from './console/sessions';
import { seedAgenciesAndRules, seedDemoStaff, type SeededAccount } from './seed/seed';
import { buildServer } from './server';
import { workHandlers, type WorkDeps } from './work/handlers';
import { enqueueAfterCommit, releaseAllClaims, requeuePending } from './work/outbox';

/** How often the queue's reachability is checked, to recover stored work as soon as it is back. */
const QUEUE_WATCH_INTERVAL_MS = 2_000;

export interface HotlineOptions {
  config: Config;
  logger?: Logger;
  /** Conversation flows by id; defaults to flows/. */
  flows?: Record<string, Flow>;
  /**
   * What this process does: `all` (default, `npm start`) everything; `api` the HTTP routes people,
   * platforms and staff use, no workers; `worker` the queue's work, with only /healthz, /readyz and
   * /metrics over HTTP. Any number of api and worker nodes share one PostgreSQL and one Redis.
   */
  role?: HotlineRole;
  /** false: store work but never do it, whatever the role (the ingest benchmark measures storing alone). */
  runWorkers?: boolean;
  /** How often stored unfinished work is put back on the queue (default 30 s). */
  sweepIntervalMs?: number;
  /** Base of the retry backoff (default 2 s). */
  retryBackoffMs?: number;
  /** Understands messages; null turns classification off (every ticket goes to triage). */
  classifier?: Classifier | null;
  /** Where the hotline's own logger writes (default stdout); ignored when `logger` is given. */
  logDestination?: DestinationStream;
}

export type HotlineRole = 'all' | 'api' | 'worker';

export interface Hotline {
  config: Config;
  role: HotlineRole;
  log: Logger;
  db: Database;
  queue: JobQueue;
  bus: ChatBus;
  server: FastifyInstance;
  /** The platform channels that are on (credentials configured). */
  channels: ChannelModule[];
  demoAccounts: SeededAccount[];
  /** Bounds the messages being stored at once (LIMIT_INGEST_IN_FLIGHT). */
  ingestGate: IngestGate;
  /** Wrong console passwords per account and per address (LIMIT_LOGIN_*). */
  loginThrottle: LoginThrottle;
  /** Puts stored unfinished work back on the queue; returns how many rows. */
  sweep(): Promise<number>;
  /** Marks and escalates tickets past their deadlines now, apologising to the person (the worker does it every OVERDUE_SWEEP_SECONDS). */
  sweepOverdue(now?: Date): Promise<OverdueResult>;
  /** Closes forms left unanswered for FLOW_ABANDON_MINUTES, telling the person (the worker does it with the overdue sweep). */
  closeAbandoned(now?: Date): Promise<AbandonedResult>;
  /** Reads the knowledge base again now (the worker does it with the overdue sweep). */
  refreshKnowledge(): Promise<void>;
  /** Reminds press conference registrations the day before, once each (the worker does it with the overdue sweep). */
  sendEventReminders(now?: Date): Promise<ReminderResult>;
  /** Carries on announcements whose fan-out was interrupted (a worker does it at start); returns messages stored. */
  resumeAnnouncements(): Promise<number>;
  listen(): Promise<string>;
  close(): Promise<void>;
}

export async function createHotline(opts: HotlineOptions): Promise<Hotline> {
  const { config } = opts;
  const role = opts.role ?? 'all';
  if (role !== 'all' && (!config.databaseUrl || !config.redisUrl)) {
    throw new Error(
      `The ${role} role shares its work with other nodes through PostgreSQL and Redis: set DATABASE_URL and REDIS_URL, or run everything in one process with npm start.`,
    );
  }
  const serves = role !== 'worker';
  const works = role !== 'api' && opts.runWorkers !== false;
  const log = opts.logger ?? createLogger(config, opts.logDestination);
  const db = await openDatabase({ databaseUrl: config.databaseUrl, dataDir: config.dataDir, log: log.child({ component: 'database' }) });
  log.info({ mode: db.mode, migrations: db.migration }, 'database ready');
  const cleanups: Array<() => Promise<void>> = [() => db.close()];
  try {
    let demoAccounts: SeededAccount[] = [];
    // Seeded by the nodes that serve people; workers starting beside them need not race them.
    if (config.seedDemo && serves) {
      await seedAgenciesAndRules(db.prisma);
      demoAccounts = await seedDemoStaff(db.prisma, { mustChangePassword: config.demoPasswordChange });
      await seedPressDemo(db.prisma, { publicUrl: config.publicUrl });
      await seedCannedAnswers(db.prisma);
    }
    // The knowledge base is the hotline's own content, not demo data: seeded whatever SEED_DEMO says
    // (after the agencies, which its entries link to), keeping the rows administrators edited.
    if (serves) await seedKnowledgeBase(db.prisma);
    // Answers published before the database searched them get their search text.
    if (serves) await indexPublishedAnswers(db.prisma);
    const signer = new TokenSigner(await loadSessionSecret(db.prisma, config.sessionSecret));
    const translator = await createTranslator();
    const queueLog = log.child({ component: 'queue' });
    const queue = createQueue({
      redisUrl: config.redisUrl,
      prefix: config.queue.prefix,
      logger: queueLog,
      stallTimeoutMs: config.queue.stallTimeoutMs,
    });
    cleanups.unshift(() => queue.close());
    const bus = createChatBus({ redisUrl: config.redisUrl, prefix: config.queue.prefix, logger: log.child({ component: 'chat-bus' }) });
    cleanups.unshift(() => bus.close());
    // What transactions recorded for after their commit (src/db/after-commit.ts): live updates for
    // the consoles of every node, and work to put on the queue (the recovery sweep is the fallback).
    const stopRelay = onCommit(db.prisma, (effects) => {
      for (const effect of effects) {
        if (effect.kind === 'live') {
          void bus.publish(LIVE_TOPIC, effect.event as Record<string, unknown>).catch((err: Error) => log.debug({ err }, 'live update not published'));
        } else {
          void enqueueAfterCommit(queue, [effect.job as JobRef], log);
        }
      }
    });
    cleanups.unshift(async () => stopRelay());
    const mailer = config.smtp ? createMailer(config.smtp.url, config.smtp.from) : null;
    if (mailer) cleanups.unshift(async () => mailer.close());

    const metrics = createMetrics(db.prisma, { token: config.metricsToken });
    const limitStore = createLimitStore(config, log.child({ component: 'limits' }));
    if (limitStore.redis) {
      const redis = limitStore.redis;
      cleanups.unshift(async () => void redis.disconnect());
      // Counting starts shared: until the connection is ready, each node would count on its own.
      await redis.ping().catch(() => undefined);
    }

    const loginLimits = loginThrottle(limitStore, { perAccount: config.limits.loginPerAccount, perAddress: config.limits.loginPerIp });
    const ingestGate = createIngestGate(config.limits.ingestInFlight);
    const inbox = createInbox(db.prisma, queue, log.child({ component: 'inbox' }), {
      gate: ingestGate,
      maxMessageChars: config.maxMessageChars,
      perSender: keyedLimiter(limitStore, 'channel-sender', config.limits.channelMessagesPerSender),
    });
    const platformChannels = createPlatformChannels(config, { db: db.prisma, inbox, log: log.child({ component: 'channel' }) });
    cleanups.unshift(async () => {
      await Promise.all(platformChannels.map((c) => c.close()));
    });
    const channels = new Map<Channel, ChannelAdapter>([
      ['webchat', new WebchatAdapter(bus)],
      ...platformChannels.map((c) => [c.channel, c.adapter] as const),
    ]);
    const knowledgeIndex = await loadKnowledgeIndex(db.prisma);
    const calendar = await loadWorkingCalendar(db.prisma);
    const work: WorkDeps = {
      db: db.prisma,
      queue,
      channels,
      log: log.child({ component: 'worker' }),
      maxAttempts: config.queue.maxAttempts,
      flows: opts.flows ?? DEFAULT_FLOWS,
      translator,
      tickets: {
        trackingPrefix: config.trackingPrefix,
        timezoneOffsetMinutes: config.timezoneOffsetMinutes,
        confidenceThreshold: config.confidenceThreshold,
        calendar,
        routingTable: new RoutingTableCache(),
      },
      classifier: opts.classifier === undefined ? await createClassifier(config, log.child({ component: 'classifier' })) : opts.classifier,
      publicUrl: config.publicUrl,
      knowledge: knowledgeBase(knowledgeIndex),
      deliveryLeaseMs: config.queue.stallTimeoutMs,
      processBatch: config.queue.processBatch,
      handOn: new HandOn(),
      metrics,
      mailer,
    };
    if (works) {
      // Runs after the queue has stopped its workers (cleanups run last-added first): replies in
      // this worker's hands are sent, or released to their delivery jobs, before the database closes.
      cleanups.splice(cleanups.length - 1, 0, () => work.handOn!.settle());
      queue.startWorker(workHandlers(work), {
        concurrency: config.queue.concurrency,
        retry: { maxAttempts: config.queue.maxAttempts, backoffMs: opts.retryBackoffMs ?? 2000 },
      });
    }

    // One for the console API and the routes beside it (a session opens both).
    const consoleSessions = new ConsoleSessions(db.prisma, signer, config.consoleSession);
    const server = await buildServer({
      logger: log,
      metrics,
      health: {
        db,
        queue,
        channels: {
          webchat: true,
          zalo_oa: channels.has('zalo_oa'),
          zalo_bot: channels.has('zalo_bot'),
          telegram: channels.has('telegram'),
        },
      },
      trustProxy: config.trustProxy,
      limitStore,
      webhooks: serves
        ? [
            ...platformChannels.flatMap((c) => (c.webhook ? [c.webhook] : [])),
            channelOffWebhooks((['zalo_oa', 'zalo_bot', 'telegram'] as const).filter((c) => !channels.has(c))),
          ]
        : [],
      webchat: serves ? {
        db: db.prisma,
        bus,
        signer,
        tokenTtlMs: config.webchatTokenTtlMs,
        maxMessageChars: config.maxMessageChars,
        limits: {
          sessionsPerIp: config.limits.sessionsPerIp,
          socketsPerToken: config.limits.socketsPerToken,
          messages: keyedLimiter(limitStore, 'webchat-messages', config.limits.webchatMessagesPerToken),
        },
        async receive(inbound, conversationId) {
          const stored = await ingestGate.run(() => storeInbound(db.prisma, inbound, conversationId));
          // Acknowledged once committed, without waiting for the queue: while Redis is down an
          // enqueue waits seconds and fails, and the sweep picks the stored work up anyway.
          if (stored.job) void enqueueAfterCommit(queue, [stored.job], log);
          return { seq: stored.message.seq, duplicate: stored.duplicate };
        },
      } : undefined,
      console: serves ? {
        db: db.prisma,
        sessions: consoleSessions,
        queue,
        translator,
        maxMessageChars: config.maxMessageChars,
        loginThrottle: loginLimits,
        secureCookies: config.publicUrl.startsWith('https://'),
        publicUrl: config.publicUrl,
        // Attachments a channel stored as private references (Telegram file ids) are opened by that
        // channel; files sent from the web chat widget are kept in the database (src/webchat/uploads.ts).
        channelModule: (channel) =>
          channel === 'webchat'
            ? { channel: 'webchat', openAttachment: (ref: string) => openUpload(db.prisma, ref) }
            : platformChannels.find((c) => c.channel === channel),
        live: {
          bus,
          heartbeatMs: config.liveHeartbeatMs,
          emailAvailable: mailer !== null,
          webchatTokenTtlMs: config.webchatTokenTtlMs,
          sessionIdleMs: config.consoleSession.idleMs,
        },
        classifier: work.classifier,
        confidenceThreshold: config.confidenceThreshold,
        timezoneOffsetMinutes: config.timezoneOffsetMinutes,
        calendar,
        routingTable: work.tickets.routingTable,
        refreshKnowledge: () => knowledgeIndex.refresh(),
      } : undefined,
      tracking: serves ? { db: db.prisma, translator, timezoneOffsetMinutes: config.timezoneOffsetMinutes, limit: config.limits.trackingPerIp } : undefined,
      publishedAnswers: serves ? { db: db.prisma, translator, timezoneOffsetMinutes: config.timezoneOffsetMinutes, publicUrl: config.publicUrl } : undefined,
    });
    cleanups.unshift(() => server.close());

    // Embedded, the folder lock lets one process at a time in: a delivery claim found now was left
    // by a process that died, so it is released at once instead of waiting for its lease.
    if (db.mode === 'pglite') await releaseAllClaims(db.prisma);
    const sweep = () => requeuePending(db.prisma, queue, log);
    const recovered = await sweep();
    if (recovered > 0) log.info({ recovered }, 'unfinished work from before the restart put back on the queue');
    const sweepNow = () => void sweep().catch((err: Error) => log.warn({ err }, 'recovery sweep failed; will try again'));
    const timer = setInterval(sweepNow, opts.sweepIntervalMs ?? 30_000);
    timer.unref();
    cleanups.unshift(async () => clearInterval(timer));
    // Work stored while the queue was unreachable waits for the sweep; when the queue comes back,
    // sweep at once rather than at the next interval.
    let queueWasOk = true;
    const queueWatch = setInterval(() => {
      void queue.status().then((status) => {
        if (status.ok && !queueWasOk) {
          log.info('queue reachable again; putting stored work back on it');
          sweepNow();
        }
        queueWasOk = status.ok;
      });
    }, QUEUE_WATCH_INTERVAL_MS);
    queueWatch.unref();
    cleanups.unshift(async () => clearInterval(queueWatch));
    const overdue = async (now?: Date) => {
      const result = await sweepOverdue({
        db: db.prisma,
        translator,
        publicUrl: config.publicUrl,
        timezoneOffsetMinutes: config.timezoneOffsetMinutes,
        calendar: work.tickets.calendar,
        now: now ? () => now : undefined,
      });
      if (result.marked.length > 0) log.info({ overdue: result.marked.length }, 'tickets past their deadlines escalated; people told');
      await enqueueAfterCommit(queue, result.jobs, log);
      return result;
    };
    const abandoned = async (now?: Date) => {
      const result = await closeAbandonedConversations({ db: db.prisma, translator, abandonAfterMs: config.flowAbandonMs, now: now ? () => now : undefined });
      if (result.closed.length > 0) log.info({ conversations: result.closed.length }, 'unfinished forms closed after the person went quiet');
      await enqueueAfterCommit(queue, result.jobs, log);
      return result;
    };
    const reminders = async (now?: Date) => {
      const result = await sendEventReminders({ db: db.prisma, translator, timezoneOffsetMinutes: config.timezoneOffsetMinutes, now: now ? () => now : undefined });
      if (result.reminded.length > 0) log.info({ reminded: result.reminded.length }, 'press conference registrations reminded');
      await enqueueAfterCommit(queue, result.jobs, log);
      return result;
    };
    const resumeAnnouncements = async () => {
      let stored = 0;
      for (const id of await unfinishedAnnouncements(db.prisma)) {
        const result = await publishAnnouncement(db.prisma, id, { translator, enqueue: (jobs) => enqueueAfterCommit(queue, jobs, log) });
        stored += result.stored;
      }
      if (stored > 0) log.info({ stored }, 'interrupted announcements carried on');
      return stored;
    };
    if (works) {
      // An announcement's fan-out cut short by a restart carries on from its last committed batch.
      void resumeAnnouncements().catch((err: Error) => log.warn({ err }, 'resuming announcements failed; publishing again resumes them'));
      const overdueTimer = setInterval(() => {
        void overdue().catch((err: Error) => log.warn({ err }, 'overdue sweep failed; will try again'));
        void abandoned().catch((err: Error) => log.warn({ err }, 'closing unfinished forms failed; will try again'));
        // Entries administrators edited and answers published since: one query a minute, on every node.
        void knowledgeIndex.refresh().catch((err: Error) => log.warn({ err }, 'reloading the knowledge base failed; will try again'));
        // Days off an administrator changed on another node.
        void calendar.refresh().catch((err: Error) => log.warn({ err }, 'reloading the working calendar failed; will try again'));
        void reminders().catch((err: Error) => log.warn({ err }, 'press conference reminders failed; will try again'));
      }, config.overdueSweepMs);
      overdueTimer.unref();
      cleanups.unshift(async () => clearInterval(overdueTimer));
    }
    if (config.polling && serves) {
      for (const c of platformChannels) {
        if (c.startPolling) {
          c.startPolling();
          log.info({ channel: c.channel }, 'fetching updates by long polling (development mode)');
        }
      }
    }

    let closing: Promise<void> | null = null;
    return {
      config,
      role,
      log,
      db,
      queue,
      bus,
      server,
      channels: platformChannels,
      demoAccounts,
      ingestGate,
      loginThrottle: loginLimits,
      sweep,
      sweepOverdue: overdue,
      closeAbandoned: abandoned,
      refreshKnowledge: () => knowledgeIndex.refresh(),
      sendEventReminders: reminders,
      resumeAnnouncements,
      listen: () => server.listen({ port: config.port, host: config.host }),
      close: () => (closing ??= runAll(cleanups, log)),
    };
  } catch (err) {
    await runAll(cleanups, log);
    throw err;
  }
}

/** Limit counters in Redis when the hotline has one (shared by every node), in memory otherwise. */
function createLimitStore(config: Config, log: Logger): LimitStore {
  const prefix = config.queue.prefix;
  if (!config.redisUrl) return { prefix };
  // Bounded commands: while Redis is away, a limit check fails fast and the request goes through.
  // Auto-pipelined: the counts of the messages read in one turn of the event loop (src/channels/inbox.ts
  // takes them together) go to Redis in one write, not one each.
  const redis = new Redis(config.redisUrl, { commandTimeout: 2000, maxRetriesPerRequest: 1, disconnectTimeout: 200, enableAutoPipelining: true });
  redis.on('error', (err) => log.warn({ err }, 'limits Redis connection error; meanwhile HTTP limits let requests through and message limits count per node'));
  return { redis, prefix };
}

async function runAll(cleanups: Array<() => Promise<void>>, log: Logger): Promise<void> {
  for (const cleanup of cleanups) {
    await cleanup().catch((err: Error) => log.warn({ err }, 'error while shutting down'));
  }
}
