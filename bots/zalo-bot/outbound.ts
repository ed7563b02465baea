// Delivering a stored message on the Zalo Bot platform: text with sendMessage (at most 2,000
// characters, so a longer answer goes out in parts), each image with sendPhoto. Every part the
// platform accepted is recorded in the delivery ledger before the next one, so a retried job
// resumes where the last attempt stopped and never sends a part twice.
import { PermanentDeliveryError, RetryLaterError, type ChannelAdapter, type DeliveryLedger, type OutboundMessage } from '../../src/channels/types';
import { sendParts } from '../../src/channels/ledger';
import { RateLimiter } from '../../src/channels/rate-limit';
import { splitText } from '../../src/channels/split-text';
import { renderChoices } from './buttons';
import { ZaloBotApiError, type ZaloBotClient } from './client';

/** sendMessage's documented limit: "từ 1 đến 2000 ký tự". */
export const ZALO_BOT_TEXT_LIMIT = 2000;

/** When a 429 says nothing about how long to wait. */
const DEFAULT_RETRY_AFTER_MS = 2000;

/**
 * The platform publishes no rate limits. These keep well under Telegram's (30/s overall, 1/s per
 * chat), which Zalo's bot API imitates: 20 messages a second overall, and parts of one answer to
 * the same chat at least 250 ms apart so they arrive in order without a noticeable wait. A 429
 * that still happens pauses everyone for its retry_after and the job is retried after it.
 */
export const ZALO_BOT_PACING = { perSecond: 20, perKeyIntervalMs: 250 } as const;

type Part = { kind: 'text'; text: string } | { kind: 'photo'; url: string };

/** The parts of a message in a fixed order (the ledger's indices): text parts, then one per image. */
export function planParts(message: OutboundMessage): Part[] {
  const text = (message.text + renderChoices(message.buttons)).trim();
  const parts: Part[] = text ? splitText(text, ZALO_BOT_TEXT_LIMIT).map((t) => ({ kind: 'text' as const, text: t })) : [];
  for (const url of message.images ?? []) parts.push({ kind: 'photo', url });
  return parts;
}

export class ZaloBotAdapter implements ChannelAdapter {
  readonly channel = 'zalo_bot' as const;

  constructor(
    private readonly client: ZaloBotClient,
    private readonly limiter = new RateLimiter(ZALO_BOT_PACING),
  ) {}

  async send(message: OutboundMessage, ledger: DeliveryLedger): Promise<void> {
    const chatId = message.channelUserId;
    await sendParts(ledger, planParts(message), async (part) => {
      await this.limiter.acquire(chatId);
      let sent;
      try {
        sent = part.kind === 'text' ? await this.client.sendMessage(chatId, part.text) : await this.client.sendPhoto(chatId, part.url);
      } catch (err) {
        throw this.deliveryError(err, chatId);
      }
      return sent?.message_id != null ? String(sent.message_id) : null;
    });
  }

  /** What the work queue should do about a refusal: wait, give up, or retry with backoff. */
  private deliveryError(err: unknown, chatId: string): Error {
    if (!(err instanceof ZaloBotApiError)) return err instanceof Error ? err : new Error(String(err)); // network: retry
    const code = err.errorCode;
    if (code === 429 || err.status === 429) {
      const waitMs = err.retryAfterSec !== undefined ? err.retryAfterSec * 1000 : DEFAULT_RETRY_AFTER_MS;
      this.limiter.pause(waitMs);
      return new RetryLaterError(err.message, waitMs);
    }
    // The person blocked the bot, or the chat is gone: retrying cannot help.
    if (code === 403 || code === 404 || /block|chặn|chat not found|user not found|không tồn tại|not exist/i.test(err.description)) {
      return new PermanentDeliveryError(`${err.message} (chat ${chatId})`, 'blocked');
    }
    // Our request itself is refused (bad photo URL, empty text…): the same request would be refused again.
    if (code === 400) return new PermanentDeliveryError(err.message, 'rejected');
    // 401 (token revoked or mistyped), 408, 5xx…: retried with backoff, dead-lettered and visible if it persists.
    return err;
  }
}
