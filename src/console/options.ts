// What the console's route files are given (src/console/api.ts passes it to each).
import type { JsonSchemaToTsProvider } from '@fastify/type-provider-json-schema-to-ts';
import type { FastifyInstance } from 'fastify';
import type { Channel, ChannelModule } from '../channels/types';
import type { Classifier } from '../classify/types';
import type { Db } from '../db/database';
import type { Translator } from '../i18n';
import type { JobQueue } from '../queue/types';
import type { RoutingTableCache } from '../routing/route-ticket';
import type { LiveWorkingCalendar } from '../tickets/calendar';
import type { LoginThrottle } from './login-throttle';
import type { ConsoleSessions } from './sessions';
import type { ConsoleLiveOptions } from './routes/live';

export interface ConsoleApiOptions {
  db: Db;
  /** Console sign-ins (bearer token and session cookie). */
  sessions: ConsoleSessions;
  queue: JobQueue;
  translator: Translator;
  maxMessageChars: number;
  /** Wrong passwords, counted per e-mail (the strict one: password guessing) and per client address. */
  loginThrottle: LoginThrottle;
  /** Cookies only over https (PUBLIC_URL is https). */
  secureCookies: boolean;
  /** The hotline's public address (links to the public pages). */
  publicUrl: string;
  /** The platform channel that is on for this id, if any: it opens attachments it stored as private references. */
  channelModule(channel: Channel): Pick<ChannelModule, 'channel' | 'openAttachment'> | undefined;
  /** The classifier the worker uses (null: none, every ticket goes to triage): POST /admin/routing/test asks it. */
  classifier: Classifier | null;
  /** CLASSIFY_CONFIDENCE_THRESHOLD: below it routing sends a ticket to triage. */
  confidenceThreshold: number;
  /** Local time zone of the working calendar and of the reports' days (TIMEZONE_OFFSET_MINUTES). */
  timezoneOffsetMinutes: number;
  /** The working calendar deadlines are computed with; refreshed after an administrator changes it. */
  calendar: LiveWorkingCalendar;
  /** The routing rules the worker holds (this process's): forgotten after an administrator changes rules or agencies. */
  routingTable?: RoutingTableCache;
  /** Rebuilds the bot's in-memory knowledge index after an entry changed. */
  refreshKnowledge(): Promise<void>;
  /** Live updates, notifications and delivery states (src/console/routes/live.ts). */
  live: ConsoleLiveOptions;
}


/**
 * The console's routes read their request and reply types from their JSON schemas
 * (json-schema-to-ts); dates may be replied as Date objects, which fastify serialises as date-time.
 */
export type ConsoleTypeProvider = JsonSchemaToTsProvider<{
  SerializerSchemaOptions: { deserialize: [{ pattern: { type: 'string'; format: 'date-time' }; output: Date | string }] };
}>;

export const typed = (app: FastifyInstance) => app.withTypeProvider<ConsoleTypeProvider>();
