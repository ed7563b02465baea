// The one shape every channel adapter produces (inbound) and consumes (outbound), so nothing past
// bots/<channel> knows a platform's wire format.
import type { Channel } from '../generated/prisma/enums';
import type { Locale } from '../i18n';

export type { Channel };

export interface Attachment {
  type: 'image' | 'file' | 'audio' | 'video' | 'sticker' | 'link' | 'location' | 'contact';
  url?: string;
  name?: string;
  latitude?: number;
  longitude?: number;
  phone?: string;
}

export interface InboundMessage {
  channel: Channel;
  /** The person's id on the platform, always a string (Zalo ids exceed 2^53). */
  channelUserId: string;
  /** The platform's message id; (channel, externalId) is unique, so a redelivery is stored once. */
  externalId: string;
  text: string;
  attachments: Attachment[];
  displayName?: string;
  localeHint?: Locale;
  sentAt: Date;
}

export interface Button {
  label: string;
  value: string;
}

export interface OutboundMessage {
  messageId: string;
  conversationId: string;
  channel: Channel;
  channelUserId: string;
  seq: number;
  author: 'bot' | 'agent';
  text: string;
  buttons?: Button[];
  /** Images to send with the text (public https URLs), e.g. a photo attached to a staff answer. */
  images?: string[];
}

/**
 * What a delivery already achieved. A message may go out in several parts (long text split, an
 * image); each part the platform accepted is recorded before the next one is sent, so a retried
 * job skips it and never sends twice what the platform already accepted.
 */
export interface DeliveryLedger {
  /** Platform ids of the parts accepted by earlier attempts, by part index (0-based). */
  readonly sentParts: ReadonlyMap<number, string | null>;
  /**
   * Records that part `index` was accepted, with the platform's message id when it gives one.
   * The message's `last` part is held and written with the statement that finishes the delivery
   * (nothing is sent after it, so nothing could be sent twice for want of it): one statement less.
   */
  recordPart(index: number, externalId: string | null, opts?: { last?: boolean }): Promise<void>;
}

export interface ChannelAdapter {
  readonly channel: Channel;
  /**
   * Delivers one stored outbound message, skipping the parts in `ledger.sentParts` and recording
   * each part it sends. Throws to retry (RetryLaterError to wait as long as the platform asks);
   * throws PermanentDeliveryError to give up at once.
   */
  send(message: OutboundMessage, ledger: DeliveryLedger): Promise<void>;
}

/** The platform refused for a reason retrying cannot fix (blocked bot, closed interaction window). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
  constructor(
    message: string,
    /** Stable reason for the ticket's history and the tracking page, e.g. 'interaction_window_closed'. */
    public readonly reason = 'refused',
  ) {
    super(message);
  }
}

/** The platform asked to wait (rate limit): retry, but not before `retryAfterMs`. */
export class RetryLaterError extends Error {
  override name = 'RetryLaterError';
  constructor(
    message: string,
    public readonly retryAfterMs: number,
  ) {
    super(message);
  }
}

/** An attachment's bytes, fetched by its channel for a staff member (GET /api/messages/:id/attachments/:index). */
export interface AttachmentContent {
  /** Streamed from the platform as it arrives, so a large file is never held in memory. */
  body: import('node:stream').Readable;
  /** As the platform gave it or as guessed from the file name; application/octet-stream when unknown. */
  contentType: string;
  /** In bytes, when the platform said. */
  size?: number;
  /** The platform's name for the file (e.g. `file_3.jpg`), for Content-Disposition. */
  fileName?: string;
}

/**
 * A channel could not open an attachment. `reason` picks the HTTP answer: `gone` (the platform no
 * longer has it) 404, `too_large` (over what the platform lets a bot download) 422,
 * `platform_failed` (an error or no answer from the platform) 502.
 */
export class AttachmentUnavailableError extends Error {
  override name = 'AttachmentUnavailableError';
  constructor(
    message: string,
    public readonly reason: 'gone' | 'too_large' | 'platform_failed',
  ) {
    super(message);
  }
}

/** Receipts some platforms send for our own messages (Zalo OA: received, seen). */
export type Receipt = 'delivered' | 'seen';

/**
 * What a channel hands to the hotline, already verified and parsed. `receive` resolves once the
 * message is committed (and queued), so the webhook may acknowledge; it rejects if it could not be
 * stored, and the webhook must then answer non-2xx so the platform delivers it again.
 */
export interface ReceiveOptions {
  /**
   * Reads the text as a choice among the buttons of the latest message we sent the sender (see
   * choiceReader in src/channels/choices.ts): the value is stored instead of the text.
   */
  readChoice?: (buttons: unknown) => string | null;
}

export interface ChannelInbox {
  receive(inbound: InboundMessage, options?: ReceiveOptions): Promise<{ duplicate: boolean; messageId: string }>;
  /** Marks our outbound messages with these platform ids as delivered or seen. */
  receipt(channel: Channel, externalIds: string[], receipt: Receipt, at: Date): Promise<number>;
  /** The person followed (subscribed to) or unfollowed the channel. */
  subscription(channel: Channel, channelUserId: string, followed: boolean, at: Date, displayName?: string): Promise<void>;
}

/** One platform channel as the hotline sees it: built in bots/<channel>/index.ts from its config. */
export interface ChannelModule {
  readonly channel: Channel;
  readonly adapter: ChannelAdapter;
  /** Registers `POST /webhooks/<channel>` (verification over the raw body, parsing, storing). */
  readonly webhook?: import('fastify').FastifyPluginAsync;
  /** Registers our webhook address with the platform (`npm run webhooks:set`); returns what it did. */
  setWebhook?(url: string): Promise<string>;
  /** Development without a public address: fetch updates by long polling until `close()`. */
  startPolling?(): void;
  /**
   * Opens an attachment this channel stored as a private reference instead of a public URL (a
   * Telegram file id: its download address carries the bot token, so only the channel may build
   * it). Resolves null when `ref` is not one of this channel's references. Throws
   * AttachmentUnavailableError, whose message is safe to show staff (no secrets in it).
   */
  openAttachment?(ref: string): Promise<AttachmentContent | null>;
  close(): Promise<void>;
}
