// The Zalo Bot platform channel (Zalo Bot Creator; API at bot-api.zaloplatforms.com, Telegram-like):
// webhook and long polling in, sendMessage/sendPhoto out.
import type { ChannelModule } from '../../src/channels/types';
import type { ZaloBotConfig } from '../../src/config';
import type { ChannelDeps } from '../index';
import { ZaloBotClient } from './client';
import { ZaloBotIngest } from './ingest';
import { ZALO_BOT_PACING, ZaloBotAdapter } from './outbound';
import { RateLimiter } from '../../src/channels/rate-limit';
import { ZaloBotPoller } from './polling';
import { ZALO_BOT_WEBHOOK_PATH, zaloBotWebhook } from './webhook';

export { ZALO_BOT_WEBHOOK_PATH };

export function createZaloBotChannel(cfg: ZaloBotConfig, deps: ChannelDeps): ChannelModule {
  const log = deps.log.child({ channel: 'zalo_bot' });
  const client = new ZaloBotClient({ apiBase: cfg.apiBase, token: cfg.token });
  const ingest = new ZaloBotIngest({ db: deps.db, inbox: deps.inbox, log });
  let poller: ZaloBotPoller | null = null;

  return {
    channel: 'zalo_bot',
    adapter: new ZaloBotAdapter(client, new RateLimiter({ ...ZALO_BOT_PACING, perSecond: cfg.sendsPerSecond ?? ZALO_BOT_PACING.perSecond })),
    webhook: zaloBotWebhook({ webhookSecret: cfg.webhookSecret, ingest }),

    async setWebhook(url) {
      // setWebhook documents secret_token as 8 to 256 characters; say so before the platform does.
      if (cfg.webhookSecret.length < 8 || cfg.webhookSecret.length > 256) {
        throw new Error('ZALO_BOT_WEBHOOK_SECRET must be 8 to 256 characters long to register the Zalo Bot webhook.');
      }
      const address = new URL(url);
      // A bare PUBLIC_URL cannot be a webhook address: complete it with our route.
      if (address.pathname === '/' || address.pathname === '') address.pathname = ZALO_BOT_WEBHOOK_PATH;
      const result = await client.setWebhook(address.toString(), cfg.webhookSecret);
      return `Zalo Bot: webhook set to ${result?.url ?? address.toString()}`;
    },

    startPolling() {
      poller ??= new ZaloBotPoller(client, ingest, log);
      poller.start();
    },

    async close() {
      await poller?.stop();
    },
  };
}
