// Delivering a stored reply on Telegram through grammY's Api: text in parts of at most 4,096
// characters, then the images, choices as an inline keyboard. Each part the Bot API accepted is in
// the ledger before the next one goes out, so a retried job never sends a part twice. Retries belong
// to the hotline's queue (no auto-retry plugin): this module only says how a failure should be retried.
import { createHash } from 'node:crypto';
import { GrammyError, HttpError, type Api } from 'grammy';
import type { InlineKeyboardMarkup } from 'grammy/types';
import type { Logger } from 'pino';
import type { RateLimiter } from '../../src/channels/rate-limit';
import { sendParts } from '../../src/channels/ledger';
import { splitText } from '../../src/channels/split-text';
import {
  PermanentDeliveryError,
  RetryLaterError,
  type Button,
  type ChannelAdapter,
  type DeliveryLedger,
  type OutboundMessage,
} from '../../src/channels/types';
import { HASHED_BUTTON_PREFIX } from './inbound';

/** https://core.telegram.org/bots/api#sendmessage: "1-4096 characters after entities parsing". */
export const TEXT_LIMIT = 4096;
/** https://core.telegram.org/bots/api#inlinekeyboardbutton: callback_data is 1-64 bytes. */
export const CALLBACK_DATA_LIMIT = 64;

type Part = { kind: 'text'; text: string; keyboard?: InlineKeyboardMarkup } | { kind: 'photo'; url: string; keyboard?: InlineKeyboardMarkup };

/**
 * The value a button carries back when tapped. A value over 64 bytes (or one that looks like a hash)
 * is replaced by `#h:` + a hash of it; a tap on it is resolved from the stored message's buttons
 * (Message.buttons, found through the delivery part's Telegram message id), so no mapping table is needed.
 */
export function callbackData(value: string): string {
  if (Buffer.byteLength(value, 'utf8') <= CALLBACK_DATA_LIMIT && !value.startsWith(HASHED_BUTTON_PREFIX) && value !== '') return value;
  return hashedButton(value);
}

export function hashedButton(value: string): string {
  return HASHED_BUTTON_PREFIX + createHash('sha256').update(value, 'utf8').digest('base64url').slice(0, 32);
}

function keyboard(buttons: Button[] | undefined): InlineKeyboardMarkup | undefined {
  if (!buttons || buttons.length === 0) return undefined;
  // One button a row: labels are sentences in Vietnamese, too long to sit side by side on a phone.
  return { inline_keyboard: buttons.map((b) => [{ text: b.label, callback_data: callbackData(b.value) }]) };
}

/** The parts of a message in a fixed order (the ledger's indexes): text parts, then images; choices on the last one. */
export function planParts(message: OutboundMessage): Part[] {
  const parts: Part[] = [];
  if (message.text.trim() !== '') for (const text of splitText(message.text, TEXT_LIMIT)) parts.push({ kind: 'text', text });
  for (const url of message.images ?? []) parts.push({ kind: 'photo', url });
  const markup = keyboard(message.buttons);
  const last = parts[parts.length - 1];
  if (markup && last) last.keyboard = markup;
  return parts;
}

export class TelegramAdapter implements ChannelAdapter {
  readonly channel = 'telegram' as const;

  constructor(
    private readonly api: Api,
    private readonly limiter: RateLimiter,
    private readonly log: Logger,
  ) {}

  async send(message: OutboundMessage, ledger: DeliveryLedger): Promise<void> {
    // The Bot API takes a chat id as an integer or a string; the string keeps it exact.
    const chatId = message.channelUserId;
    await sendParts(ledger, planParts(message), async (part, index) => {
      await this.limiter.acquire(chatId);
      let sentId: number;
      try {
        const extra = part.keyboard ? { reply_markup: part.keyboard } : {};
        const sent =
          part.kind === 'text'
            ? await this.api.sendMessage(chatId, part.text, { ...extra, link_preview_options: { is_disabled: true } })
            : await this.api.sendPhoto(chatId, part.url, extra);
        sentId = sent.message_id;
      } catch (err) {
        throw this.deliveryError(err, chatId, message.messageId, index);
      }
      // Telegram message ids are per chat, as in the inbound external ids.
      return `${chatId}:${sentId}`;
    });
  }

  /** What the queue should do about a failed Bot API call. */
  private deliveryError(err: unknown, chatId: string, messageId: string, part: number): Error {
    if (err instanceof GrammyError) {
      const what = `Telegram ${err.method} refused part ${part} of message ${messageId}: ${err.error_code} ${err.description}`;
      if (err.error_code === 429) {
        // Flood control: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this
        const waitMs = Math.max(1, err.parameters.retry_after ?? 1) * 1000;
        // The answer does not say whether the chat or the whole bot is over its limit. Chats are
        // paced already, so a 429 that still comes is most likely the bot's overall limit (a
        // fan-out): every send waits, not only this chat's.
        this.limiter.pause(waitMs);
        this.log.warn({ chatId, messageId, retryAfterMs: waitMs }, 'Telegram asked us to slow down');
        return new RetryLaterError(what, waitMs);
      }
      // The person blocked the bot, or the bot was removed from the group: nothing retrying can fix.
      if (err.error_code === 403) return new PermanentDeliveryError(what, 'blocked');
      if (err.error_code === 400) {
        const reason = /chat not found|user not found|peer_id_invalid/i.test(err.description) ? 'chat_not_found' : 'refused';
        return new PermanentDeliveryError(what, reason);
      }
      // 5xx, 401/404 (a token being fixed), anything else: retry with backoff.
      return new Error(what);
    }
    if (err instanceof HttpError) return new Error(`Telegram could not be reached for message ${messageId}: ${err.message}`);
    return err instanceof Error ? err : new Error(String(err));
  }
}
