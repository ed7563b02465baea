// Zalo Official Account channel: the webhook (POST /webhooks/zalo-oa), delivery through the
// customer-service message API v3, and the rotating OA access token. The only code that knows
// Zalo OA's wire format.
import type { ChannelModule } from '../../src/channels/types';
import type { ZaloOaConfig } from '../../src/config';
import type { ChannelDeps } from '../index';
import { DEFAULT_TUNING, ZaloOaAdapter, type ZaloOaTuning } from './adapter';
import { ZaloOaApi } from './client';
import { ZaloTokenStore } from './tokens';
import { WEBHOOK_PATH, zaloOaWebhook } from './webhook';

/** The events the hotline uses; the operator ticks them in the Zalo developer console. */
export const WEBHOOK_EVENTS = [
  'user_send_text',
  'user_send_image',
  'user_send_gif',
  'user_send_file',
  'user_send_sticker',
  'user_send_audio',
  'user_send_video',
  'user_send_link',
  'user_send_location',
  'user_send_business_card',
  'follow',
  'unfollow',
  'user_received_message',
  'user_seen_message',
] as const;

export interface ZaloOaChannelModule extends ChannelModule {
  readonly channel: 'zalo_oa';
  readonly adapter: ZaloOaAdapter;
  readonly tokens: ZaloTokenStore;
  /** Waits and limits; mutable so tests (and operators embedding the module) can shorten them. */
  readonly tuning: ZaloOaTuning;
}

export function createZaloOaChannel(cfg: ZaloOaConfig, deps: ChannelDeps, tuning: Partial<ZaloOaTuning> = {}): ZaloOaChannelModule {
  const log = deps.log.child({ channel: 'zalo_oa' });
  const closing = new AbortController();
  const api = new ZaloOaApi({
    appId: cfg.appId,
    appSecret: cfg.appSecret,
    apiBase: cfg.apiBase,
    oauthBase: cfg.oauthBase,
    signal: closing.signal,
  });
  const tokens = new ZaloTokenStore({
    db: deps.db,
    api,
    log,
    env: { accessToken: cfg.accessToken, refreshToken: cfg.refreshToken },
  });
  const settings: ZaloOaTuning = { ...DEFAULT_TUNING, ...tuning };
  const adapter = new ZaloOaAdapter(api, tokens, settings, log);
  return {
    channel: 'zalo_oa',
    adapter,
    tokens,
    tuning: settings,
    webhook: zaloOaWebhook({
      appId: cfg.appId,
      secretKey: cfg.secretKey,
      inbox: deps.inbox,
      db: deps.db,
      log,
      maxAgeMs: cfg.eventMaxAgeMs,
      maxAheadMs: cfg.eventMaxAheadMs,
    }),
    // Zalo OA has no API to register a webhook: the address is set on the app's Webhook page in
    // the Zalo developer console, so this tells the operator what to paste and tick.
    async setWebhook(url: string) {
      const address = url.endsWith(WEBHOOK_PATH) ? url : `${url.replace(/\/+$/, '')}${WEBHOOK_PATH}`;
      return [
        'Zalo OA has no API to register a webhook; set it by hand:',
        `  1. In the Zalo developer console (app ${cfg.appId}) → Webhook, paste: ${address}`,
        `  2. Enable the events: ${WEBHOOK_EVENTS.join(', ')}.`,
        '  3. Check that the OA secret key shown there is ZALO_OA_SECRET_KEY (it signs X-ZEvent-Signature).',
      ].join('\n');
    },
    async close() {
      closing.abort();
    },
  };
}
