// `npm run webhooks:set`: registers POST {PUBLIC_URL}/webhooks/<channel> with every platform whose
// credentials are configured, with its secret token. Run it once after deploying, and again when
// PUBLIC_URL or a secret changes. It needs no database: registering only talks to the platforms.
import pino from 'pino';
import { createPlatformChannels } from '../bots';
import { ConfigError, loadConfig } from '../src/config';
import type { ChannelInbox } from '../src/channels/types';
import { WEBHOOK_PATHS } from '../src/channels/webhook';
import type { Db } from '../src/db/database';

async function main(): Promise<number> {
  const config = loadConfig();
  if (!process.env.PUBLIC_URL) {
    console.error('PUBLIC_URL is not set: set it to the https address the platforms can reach, e.g. https://1022.example.gov.vn');
    return 2;
  }
  if (!config.publicUrl.startsWith('https://')) {
    console.error(`PUBLIC_URL must be an https address (platforms refuse plain http webhooks); got ${config.publicUrl}`);
    return 2;
  }
  const unavailable = (what: string) =>
    new Proxy({}, { get: () => { throw new Error(`${what} is not available while registering webhooks`); } });
  const channels = createPlatformChannels(config, {
    db: unavailable('the database') as Db,
    inbox: unavailable('the inbox') as ChannelInbox,
    log: pino({ level: config.logLevel === 'info' ? 'warn' : config.logLevel }),
  });
  if (channels.length === 0) {
    console.error('No platform channel is configured (ZALO_OA_*, ZALO_BOT_*, TELEGRAM_*): nothing to register.');
    return 2;
  }
  let failed = 0;
  for (const channel of channels) {
    const url = `${config.publicUrl}${WEBHOOK_PATHS[channel.channel as keyof typeof WEBHOOK_PATHS]}`;
    try {
      const result = channel.setWebhook ? await channel.setWebhook(url) : 'nothing to do';
      console.log(`${channel.channel.padEnd(9)} ${url}\n          ${result}`);
    } catch (err) {
      failed++;
      console.error(`${channel.channel.padEnd(9)} FAILED: ${err instanceof Error ? err.message : String(err)}`);
    }
    await channel.close();
  }
  return failed > 0 ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(err instanceof ConfigError ? err.message : `webhooks:set failed: ${err instanceof Error ? err.message : String(err)}`);
    process.exit(err instanceof ConfigError ? 2 : 1);
  },
);
