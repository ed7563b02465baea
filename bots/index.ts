// The platform channels whose credentials are configured. Each bots/<channel> is the only code
// that knows its platform's wire format; the hotline sees ChannelModule (src/channels/types.ts).
import type { Logger } from 'pino';
import type { ChannelInbox, ChannelModule } from '../src/channels/types';
import type { Config } from '../src/config';
import type { Db } from '../src/db/database';
import { createZaloOaChannel } from './zalo-oa';
import { createZaloBotChannel } from './zalo-bot';
import { createTelegramChannel } from './telegram';

export interface ChannelDeps {
  db: Db;
  inbox: ChannelInbox;
  log: Logger;
}

export function createPlatformChannels(config: Config, deps: ChannelDeps): ChannelModule[] {
  const modules: ChannelModule[] = [];
  if (config.channels.zaloOa) modules.push(createZaloOaChannel(config.channels.zaloOa, deps));
  if (config.channels.zaloBot) modules.push(createZaloBotChannel(config.channels.zaloBot, deps));
  if (config.channels.telegram) modules.push(createTelegramChannel(config.channels.telegram, deps));
  return modules;
}
