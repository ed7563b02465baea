// What the console's route files are given (src/console/api.ts passes it to each).
import type { Channel, ChannelModule } from '../channels/types';
import type { Db } from '../db/database';
import type { Translator } from '../i18n';
import type { JobQueue } from '../queue/types';
import type { LoginThrottle } from './login-throttle';
import type { ConsoleSessions } from './sessions';

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
}

