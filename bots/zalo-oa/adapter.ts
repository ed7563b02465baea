// Delivers one stored outbound message as Zalo OA customer-service messages. A message becomes
// parts in a fixed order (the text cut at 2,000 characters, the choices on the last text part,
// then each image), and each part the platform accepted is in the ledger before the next one is
// sent, so a retried job resumes where the last attempt stopped and never sends a part twice.
import type { Logger } from 'pino';
import { renderChoices } from '../../src/channels/choices';
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
import { ZALO_ERRORS, ZaloApiError, ZaloRefreshError, type CsButton, type CsMessage, type ZaloOaApi } from './client';
import type { HeldToken, ZaloTokenStore } from './tokens';

/** Zalo's limit for a customer-service text message. */
export const TEXT_LIMIT = 2000;
/** Buttons one message can carry; more choices are written into the text instead. */
export const MAX_BUTTONS = 5;
const MAX_BUTTON_TITLE = 100;
const MAX_BUTTON_PAYLOAD = 1000;

export interface ZaloOaTuning {
  /** How long to wait after Zalo's rate limit (-32): it gives no retry-after of its own. */
  rateLimitBackoffMs: number;
  /** How long to wait before trying again when the refresh token was refused. */
  refreshFailureRetryMs: number;
  /** Largest image downloaded for re-upload (Zalo refuses big images itself). */
  maxImageBytes: number;
}

export const DEFAULT_TUNING: ZaloOaTuning = {
  rateLimitBackoffMs: 60_000,
  refreshFailureRetryMs: 5 * 60_000,
  maxImageBytes: 5 * 1024 * 1024,
};

type Part = { kind: 'text'; text: string; buttons?: CsButton[] } | { kind: 'image'; url: string };

/**
 * Whether these choices go out as Zalo buttons (oa.query.show, whose tap comes back as a text
 * carrying the value): at most MAX_BUTTONS, each value within Zalo's payload limit. Otherwise they
 * are a numbered list in the text, and the webhook reads a number back as that choice's value.
 */
export function drawnAsButtons(buttons: readonly Button[]): boolean {
  return buttons.length > 0 && buttons.length <= MAX_BUTTONS && buttons.every((b) => b.label.trim() !== '' && b.value.length > 0 && b.value.length <= MAX_BUTTON_PAYLOAD);
}

/** A label over Zalo's title limit is shortened for the button; the tap still sends the whole value. */
function buttonTitle(label: string): string {
  const chars = [...label];
  return chars.length <= MAX_BUTTON_TITLE ? label : `${chars.slice(0, MAX_BUTTON_TITLE - 1).join('').trimEnd()}…`;
}

/** The parts of a message, always the same for the same message (the ledger counts on it). */
export function planParts(message: Pick<OutboundMessage, 'text' | 'buttons' | 'images'>): Part[] {
  const buttons = message.buttons ?? [];
  const asButtons = drawnAsButtons(buttons);
  const text = asButtons ? message.text : message.text + renderChoices(buttons);
  const parts: Part[] = text.trim() ? splitText(text, TEXT_LIMIT).map((t) => ({ kind: 'text' as const, text: t })) : [];
  if (asButtons) {
    const cs = buttons.map((b) => ({ title: buttonTitle(b.label), type: 'oa.query.show' as const, payload: b.value }));
    const last = parts.at(-1);
    if (last?.kind === 'text') last.buttons = cs;
    // A template needs some text above its buttons.
    else parts.push({ kind: 'text', text: buttons.map((b) => b.label).join(' / ').slice(0, TEXT_LIMIT), buttons: cs });
  }
  for (const url of message.images ?? []) parts.push({ kind: 'image', url });
  return parts;
}

export class ZaloOaAdapter implements ChannelAdapter {
  readonly channel = 'zalo_oa' as const;
  /** After a rate-limit answer nothing is sent until then (every job waits, not just the one refused). */
  private pausedUntil = 0;

  constructor(
    private readonly api: ZaloOaApi,
    private readonly tokens: ZaloTokenStore,
    private readonly tuning: ZaloOaTuning,
    private readonly log: Logger,
  ) {}

  async send(message: OutboundMessage, ledger: DeliveryLedger): Promise<void> {
    await sendParts(ledger, planParts(message), async (part) => {
      const wait = this.pausedUntil - Date.now();
      if (wait > 0) throw new RetryLaterError('Zalo OA asked to slow down; waiting before sending more', wait);
      return this.withToken((token) => this.sendPart(part, message.channelUserId, token));
    });
  }

  private async sendPart(part: Part, userId: string, token: string): Promise<string | null> {
    const recipient = { user_id: userId };
    if (part.kind === 'text') {
      const body: CsMessage = part.buttons
        ? { recipient, message: { text: part.text, attachment: { type: 'template', payload: { buttons: part.buttons } } } }
        : { recipient, message: { text: part.text } };
      return this.api.sendCs(token, body);
    }
    const { blob, filename } = await this.api.download(part.url, this.tuning.maxImageBytes);
    const attachmentId = await this.api.uploadImage(token, blob, filename);
    return this.api.sendCs(token, {
      recipient,
      message: {
        attachment: { type: 'template', payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: attachmentId }] } },
      },
    });
  }

  /** Runs `call` with a valid token; a token Zalo rejects (-216) is refreshed and the call tried once more. */
  private async withToken<T>(call: (token: string) => Promise<T>): Promise<T> {
    let held: HeldToken | undefined;
    try {
      held = await this.tokens.current();
      try {
        return await call(held.accessToken);
      } catch (err) {
        if (!(err instanceof ZaloApiError && err.code === ZALO_ERRORS.invalidAccessToken)) throw err;
        this.log.info('zalo oa rejected the access token (-216); refreshing it and trying once more');
        held = await this.tokens.refresh(held);
        return await call(held.accessToken);
      }
    } catch (err) {
      throw this.classify(err);
    }
  }

  /** What the queue should do about a failure: wait, give up, or retry with its backoff. */
  private classify(err: unknown): Error {
    if (err instanceof ZaloApiError) {
      switch (err.code) {
        case ZALO_ERRORS.rateLimited:
          this.pausedUntil = Math.max(this.pausedUntil, Date.now() + this.tuning.rateLimitBackoffMs);
          return new RetryLaterError(err.message, this.tuning.rateLimitBackoffMs);
        case ZALO_ERRORS.noRecentInteraction:
        case ZALO_ERRORS.noInteraction:
          return new PermanentDeliveryError(
            `${err.message} (the person has not written to the OA recently, so Zalo does not allow a reply in chat)`,
            'interaction_window_closed',
          );
        case ZALO_ERRORS.invalidAccessToken:
          return new Error(`${err.message} (still rejected after refreshing the access token)`);
        default:
          return err;
      }
    }
    if (err instanceof ZaloRefreshError) {
      this.log.error(
        { err },
        'ZALO OA ACCESS TOKEN CANNOT BE REFRESHED: re-authorise the app in the Zalo developer console and set ZALO_OA_ACCESS_TOKEN and ZALO_OA_REFRESH_TOKEN; deliveries wait and retry',
      );
      return new RetryLaterError(err.message, this.tuning.refreshFailureRetryMs);
    }
    return err instanceof Error ? err : new Error(String(err));
  }
}
