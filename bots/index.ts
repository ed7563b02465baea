// The platform channels whose credentials are configured. Each bots/<channel> is the only code
// that knows its platform's wire format; the hotline sees ChannelModule (src/channels/types.ts).
import type { Logger } from 'pino';
import type { ChannelInbox, ChannelModule } from '../src/channels/types';
import type { Config } from '../src/config';
import type { Db } from '../src/db/database';
import { createTelegramChannel } from './telegram';

export interface ChannelDeps {
  db: Db;
  inbox: ChannelInbox;
  log: Logger;
}

export function createPlatformChannels(config: Config, deps: ChannelDeps): ChannelModule[] {
  const modules: ChannelModule[] = [];
  // Each channel adds itself here: if (config.channels.x) modules.push(createXChannel(config.channels.x, deps));
  if (config.channels.telegram) modules.push(createTelegramChannel(config.channels.telegram, deps));
  void config;
  void deps;
  return modules;
}
