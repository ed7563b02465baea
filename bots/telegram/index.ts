// The Telegram channel: grammY's Bot for the Bot API (apiRoot from TELEGRAM_API_BASE), one path
// for updates whether they come by webhook or by long polling, and the outbound adapter.
//
// An update goes through bot.handleUpdate, whose middleware stores it first (inbox.receive) and only
// then makes outgoing calls (answerCallbackQuery for a button tap). grammY wraps any failure in a
// BotError and rethrows; we remember whether the update was already stored: if it was, the failure
// is logged and the update acknowledged (the message is queued; a redelivery would be a duplicate);
// if not, the failure propagates so the webhook answers 5xx and Telegram delivers it again.
import { Bot, BotError } from 'grammy';
import type { Update, UserFromGetMe } from 'grammy/types';
import type { ChannelDeps } from '..';
import { RateLimiter, type RateLimiterOptions } from '../../src/channels/rate-limit';
import type { Button, ChannelModule } from '../../src/channels/types';
import type { TelegramConfig } from '../../src/config';
import { telegramFiles } from './files';
import { toEvent, type BotIdentity, type ButtonResolver } from './inbound';
import { hashedButton, TelegramAdapter } from './outbound';
import { startPolling, type Poller } from './polling';
import { telegramWebhook, WEBHOOK_PATH } from './webhook';
import { HANDLED_KINDS, updateKind, type TelegramUpdate } from './wire';

export interface TelegramOptions {
  /** Who the bot is; fetched with getMe on first use when not given. */
  botInfo?: UserFromGetMe;
  /** Telegram's published limits by default: about 30 messages a second, one a second per chat. */
  rateLimit?: Pick<RateLimiterOptions, 'perSecond' | 'perKeyIntervalMs'>;
  /** Long-poll timeout in seconds (default 25). */
  pollTimeoutSeconds?: number;
  /** Pause after a polling failure, doubling up to max (default 1 s to 60 s). */
  pollBackoffMs?: { min: number; max: number };
}

export const TELEGRAM_LIMITS = { perSecond: 30, perKeyIntervalMs: 1000 };

/** What happened to the update inside grammY's middleware, read after handleUpdate returns or throws. */
interface Progress {
  stored: boolean;
}

export function createTelegramChannel(cfg: TelegramConfig, deps: ChannelDeps, options: TelegramOptions = {}): ChannelModule {
  const log = deps.log.child({ channel: 'telegram' });
  // No auto-retry plugin: a failed call fails the job, and the hotline's queue retries it.
  const bot = new Bot(cfg.token, { client: { apiRoot: cfg.apiBase, timeoutSeconds: 30 }, botInfo: options.botInfo });
  const limiter = new RateLimiter(
    options.rateLimit ?? { perSecond: cfg.sendsPerSecond ?? TELEGRAM_LIMITS.perSecond, perKeyIntervalMs: cfg.chatIntervalMs ?? TELEGRAM_LIMITS.perKeyIntervalMs },
  );
  const progress = new WeakMap<object, Progress>();
  let me: Promise<BotIdentity> | null = null;

  /** getMe once (grammY's Context needs it, groups need our @name); a failure is tried again next time. */
  const identity = (): Promise<BotIdentity> => {
    if (bot.isInited()) return Promise.resolve({ id: String(bot.botInfo.id), username: bot.botInfo.username });
    me ??= bot.api.getMe().then(
      (info) => {
        if (!bot.isInited()) bot.botInfo = info;
        return { id: String(info.id), username: info.username };
      },
      (err: unknown) => {
        me = null;
        throw err;
      },
    );
    return me;
  };

  const resolveButton: ButtonResolver = async (chatId, messageId, data) => {
    const sources: unknown[] = [];
    if (messageId !== undefined) {
      const part = await deps.db.deliveryPart.findFirst({
        where: { channel: 'telegram', externalId: `${chatId}:${messageId}` },
        select: { message: { select: { buttons: true } } },
      });
      if (part) sources.push(part.message.buttons);
    }
    if (sources.length === 0) {
      const recent = await deps.db.message.findMany({
        where: { channel: 'telegram', direction: 'outbound', conversation: { contact: { channel: 'telegram', channelUserId: chatId } } },
        orderBy: { createdAt: 'desc' },
        take: 20,
        select: { buttons: true },
      });
      sources.push(...recent.map((m) => m.buttons));
    }
    for (const buttons of sources) {
      const match = ((buttons as Button[] | null) ?? []).find((b) => hashedButton(b.value) === data);
      if (match) return match.value;
    }
    return null;
  };

  bot.use(async (ctx) => {
    const update = ctx.update as unknown as TelegramUpdate;
    const state = progress.get(update);
    if (!state) throw new Error('update reached the middleware without going through handle()');
    const event = await toEvent(update, await identity(), resolveButton);
    if (event.kind === 'message') {
      const stored = await deps.inbox.receive(event.inbound);
      state.stored = true;
      if (stored.duplicate) log.debug({ externalId: event.inbound.externalId }, 'Telegram redelivered an update already stored');
    } else if (event.kind === 'subscription') {
      await deps.inbox.subscription('telegram', event.chatId, event.followed, event.at, event.displayName);
      state.stored = true;
    } else {
      state.stored = true;
      const unknownKind = !(HANDLED_KINDS as readonly string[]).includes(updateKind(update));
      log[unknownKind ? 'info' : 'debug']({ updateId: update.update_id, reason: event.reason }, 'Telegram update ignored');
    }
    // Stops the button's loading spinner in the person's app; cosmetic, and only after storing.
    const callbackQueryId = update.callback_query?.id;
    if (callbackQueryId) await ctx.api.answerCallbackQuery(callbackQueryId);
  });

  /** The one path for an update, from the webhook or from polling: resolves once it is stored. */
  const handle = async (update: TelegramUpdate): Promise<void> => {
    await identity();
    const state: Progress = { stored: false };
    progress.set(update, state);
    try {
      await bot.handleUpdate(update as unknown as Update);
    } catch (err) {
      const cause = err instanceof BotError ? err.error : err;
      if (!state.stored) throw cause;
      log.warn({ err: cause, updateId: update.update_id }, 'Telegram update stored, but a call made while handling it failed');
    }
  };

  let poller: Poller | null = null;
  const openAttachment = telegramFiles({ api: bot.api, apiBase: cfg.apiBase, token: cfg.token, log });
  return {
    channel: 'telegram',
    adapter: new TelegramAdapter(bot.api, limiter, log),
    webhook: telegramWebhook({ secret: cfg.webhookSecret, handle }),
    openAttachment,
    async setWebhook(url: string) {
      if (!cfg.webhookSecret) throw new Error('TELEGRAM_WEBHOOK_SECRET must be set to register a Telegram webhook.');
      // Accept the public base address as well as the full webhook address.
      const target = new URL(url);
      if (target.pathname === '/' || target.pathname === '') target.pathname = WEBHOOK_PATH;
      await bot.api.setWebhook(target.toString(), {
        secret_token: cfg.webhookSecret,
        allowed_updates: [...HANDLED_KINDS],
        drop_pending_updates: false,
      });
      return `Telegram webhook set to ${target.toString()} (updates: ${HANDLED_KINDS.join(', ')})`;
    },
    startPolling() {
      if (poller) return;
      poller = startPolling({
        apiBase: cfg.apiBase,
        token: cfg.token,
        handle,
        deleteWebhook: async () => {
          await bot.api.deleteWebhook({ drop_pending_updates: false });
        },
        log,
        timeoutSeconds: options.pollTimeoutSeconds ?? 25,
        backoffMs: options.pollBackoffMs ?? { min: 1000, max: 60_000 },
      });
    },
    async close() {
      await poller?.stop();
      poller = null;
    },
  };
}

