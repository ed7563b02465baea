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
}

export interface ChannelAdapter {
  readonly channel: Channel;
  /** Delivers one stored outbound message. Throws to retry; throws PermanentDeliveryError to give up at once. */
  send(message: OutboundMessage): Promise<void>;
}

/** The platform refused for a reason retrying cannot fix (blocked bot, closed interaction window). */
export class PermanentDeliveryError extends Error {
  override name = 'PermanentDeliveryError';
}
