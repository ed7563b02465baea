// From a validated Telegram Update to what the hotline stores: an InboundMessage, a follow or
// unfollow, or a reason to ignore it. Pure apart from `resolveButton` (a hashed button value is
// looked up in the database), so every kind is easy to test.
import type { Attachment, InboundMessage } from '../../src/channels/types';
import { readNamespace, type Locale } from '../../src/i18n';
import { findTrackingCode } from '../../src/tickets/tracking-code';
import {
  HANDLED_KINDS,
  updateKind,
  type TelegramCallbackQuery,
  type TelegramChat,
  type TelegramEntity,
  type TelegramMessage,
  type TelegramUpdate,
  type TelegramUser,
} from './wire';

/** Who the bot is (getMe), for recognising mentions and replies in groups. */
export interface BotIdentity {
  id: string;
  username: string;
}

export type TelegramEvent =
  | { kind: 'message'; inbound: InboundMessage; callbackQueryId?: string }
  | { kind: 'subscription'; chatId: string; followed: boolean; at: Date; displayName?: string }
  | { kind: 'ignored'; reason: string; callbackQueryId?: string };

/** Finds the full value of a button whose callback_data had to be shortened (see outbound.ts). */
export type ButtonResolver = (chatId: string, messageId: number | undefined, data: string) => Promise<string | null>;

/** A Telegram file is fetched with the bot token, so we keep its id, never a URL carrying the token. */
export const FILE_REF_PREFIX = 'telegram-file:';
export const fileRef = (fileId: string) => `${FILE_REF_PREFIX}${fileId}`;

export async function toEvent(update: TelegramUpdate, me: BotIdentity, resolveButton: ButtonResolver): Promise<TelegramEvent> {
  if (update.message) return fromMessage(update.message, me, false);
  if (update.edited_message) return fromMessage(update.edited_message, me, true);
  if (update.callback_query) return fromCallback(update.callback_query, resolveButton);
  if (update.my_chat_member) {
    const m = update.my_chat_member;
    // kicked/left: the person blocked the bot (or removed it from the group); member: unblocked.
    const followed = ['member', 'administrator', 'creator', 'restricted'].includes(m.new_chat_member.status);
    return { kind: 'subscription', chatId: m.chat.id, followed, at: new Date(m.date * 1000), displayName: chatName(m.chat, m.from) };
  }
  const kind = updateKind(update);
  return { kind: 'ignored', reason: `update kind "${kind}" is not handled (handled: ${HANDLED_KINDS.join(', ')})` };
}

function fromMessage(msg: TelegramMessage, me: BotIdentity, edited: boolean): TelegramEvent {
  const group = msg.chat.type === 'group' || msg.chat.type === 'supergroup';
  if (msg.chat.type === 'channel') return { kind: 'ignored', reason: 'channel posts are not conversations' };
  if (msg.from?.is_bot && msg.from.id === me.id) return { kind: 'ignored', reason: 'our own message' };
  if (group && !addressesBot(msg, me)) return { kind: 'ignored', reason: 'group message not addressed to the bot' };
  const content = contentOf(msg, me);
  if (!content) return { kind: 'ignored', reason: 'message without content the hotline reads (service message)' };
  const localeHint = localeOf(msg.from);
  const text = edited ? editedMarker(localeHint ?? 'vi', content.text) : content.text;
  const inbound: InboundMessage = {
    channel: 'telegram',
    // In a group the answer goes to the group, so the group is the "person" the hotline talks to.
    channelUserId: msg.chat.id,
    // Message ids are per chat; an edit is a new message (each edit_date once), so staff see every version.
    externalId: edited ? `edit:${msg.chat.id}:${msg.message_id}:${msg.edit_date ?? msg.date}` : `${msg.chat.id}:${msg.message_id}`,
    text,
    attachments: content.attachments,
    displayName: chatName(msg.chat, msg.from),
    localeHint,
    sentAt: new Date((edited ? (msg.edit_date ?? msg.date) : msg.date) * 1000),
  };
  return { kind: 'message', inbound };
}

async function fromCallback(cb: TelegramCallbackQuery, resolveButton: ButtonResolver): Promise<TelegramEvent> {
  if (cb.data === undefined) return { kind: 'ignored', reason: 'callback query without data (game)', callbackQueryId: cb.id };
  const chatId = cb.message?.chat.id ?? cb.from.id;
  const text = await buttonValue(cb, chatId, resolveButton);
  const inbound: InboundMessage = {
    channel: 'telegram',
    channelUserId: chatId,
    externalId: `cb:${cb.id}`,
    text,
    attachments: [],
    displayName: cb.message ? chatName(cb.message.chat, cb.from) : personName(cb.from),
    localeHint: localeOf(cb.from),
    sentAt: new Date(),
  };
  return { kind: 'message', inbound, callbackQueryId: cb.id };
}

async function buttonValue(cb: TelegramCallbackQuery, chatId: string, resolveButton: ButtonResolver): Promise<string> {
  const data = cb.data ?? '';
  if (!isHashedButton(data)) return data;
  const full = await resolveButton(chatId, cb.message?.message_id, data);
  if (full !== null) return full;
  // The message that carried the button is gone from our records: the label the person saw is the next best.
  const label = cb.message?.reply_markup?.inline_keyboard.flat().find((b) => b.callback_data === data)?.text;
  return label ?? data;
}

/** Marks buttons whose value was too long for callback_data (64 bytes) and was replaced by a hash. */
export const HASHED_BUTTON_PREFIX = '#h:';
export const isHashedButton = (data: string) => data.startsWith(HASHED_BUTTON_PREFIX);

/** A group message is for the bot when it is a command (for us), mentions us, or replies to us. */
function addressesBot(msg: TelegramMessage, me: BotIdentity): boolean {
  if (msg.reply_to_message?.from?.id === me.id) return true;
  const text = msg.text ?? msg.caption ?? '';
  const handle = `@${me.username}`.toLowerCase();
  for (const e of entitiesOf(msg)) {
    const part = text.slice(e.offset, e.offset + e.length);
    if (e.type === 'bot_command' && e.offset === 0) {
      const at = part.indexOf('@');
      if (at < 0 || part.slice(at).toLowerCase() === handle) return true;
    }
    if (e.type === 'mention' && part.toLowerCase() === handle) return true;
    if (e.type === 'text_mention' && e.user?.id === me.id) return true;
  }
  return false;
}

function entitiesOf(msg: TelegramMessage): TelegramEntity[] {
  return msg.entities ?? msg.caption_entities ?? [];
}

/** The text the hotline reads, without the bot's @name, and with /start turned into what it means. */
function readableText(msg: TelegramMessage, me: BotIdentity): string {
  const raw = msg.text ?? msg.caption ?? '';
  const handle = new RegExp(`@${me.username.replace(/[^A-Za-z0-9_]/g, '')}\\b`, 'gi');
  const text = raw.replace(handle, '').replace(/[ \t]{2,}/g, ' ').trim();
  // /start opens the bot; a deep link t.me/<bot>?start=<payload> may carry a tracking code
  // (https://core.telegram.org/bots/features#deep-linking): then it is a status question.
  const start = /^\/start(?:\s+(\S+))?\s*$/i.exec(text);
  if (start) {
    const code = start[1] ? findTrackingCode(start[1]) : null;
    return code ?? '/start';
  }
  return text;
}

function contentOf(msg: TelegramMessage, me: BotIdentity): { text: string; attachments: Attachment[] } | null {
  const attachments: Attachment[] = [];
  if (msg.photo && msg.photo.length > 0) {
    // Telegram sends every size of a photo; the largest is the one staff want to see.
    const largest = msg.photo.reduce((a, b) => (b.width * b.height > a.width * a.height ? b : a));
    attachments.push({ type: 'image', url: fileRef(largest.file_id) });
  }
  if (msg.document) attachments.push({ type: 'file', url: fileRef(msg.document.file_id), name: msg.document.file_name });
  if (msg.animation && !msg.document) attachments.push({ type: 'video', url: fileRef(msg.animation.file_id), name: msg.animation.file_name });
  if (msg.voice) attachments.push({ type: 'audio', url: fileRef(msg.voice.file_id), name: 'voice' });
  if (msg.audio) attachments.push({ type: 'audio', url: fileRef(msg.audio.file_id), name: msg.audio.file_name ?? msg.audio.title });
  if (msg.video) attachments.push({ type: 'video', url: fileRef(msg.video.file_id), name: msg.video.file_name });
  if (msg.video_note) attachments.push({ type: 'video', url: fileRef(msg.video_note.file_id) });
  if (msg.sticker) attachments.push({ type: 'sticker', url: fileRef(msg.sticker.file_id), name: msg.sticker.emoji });
  if (msg.location) {
    attachments.push({ type: 'location', latitude: msg.location.latitude, longitude: msg.location.longitude, name: msg.venue?.title });
  }
  if (msg.contact) {
    const name = [msg.contact.first_name, msg.contact.last_name].filter(Boolean).join(' ') || undefined;
    attachments.push({ type: 'contact', phone: msg.contact.phone_number, name });
  }
  const text = readableText(msg, me);
  if (text === '' && attachments.length === 0) return null;
  return { text, attachments };
}

function localeOf(user: TelegramUser | undefined): Locale | undefined {
  if (!user?.language_code) return undefined;
  return user.language_code.toLowerCase().startsWith('en') ? 'en' : 'vi';
}

function personName(user: TelegramUser): string | undefined {
  const name = [user.first_name, user.last_name].filter(Boolean).join(' ').trim();
  return name || (user.username ? `@${user.username}` : undefined);
}

/** A private chat is the person; a group is known by its title. */
function chatName(chat: TelegramChat, from: TelegramUser | undefined): string | undefined {
  if (chat.type === 'group' || chat.type === 'supergroup') return chat.title;
  return from ? personName(from) : [chat.first_name, chat.last_name].filter(Boolean).join(' ') || undefined;
}

const editedTemplates = new Map<Locale, string>();

/** Staff (and the flow) see that this is a corrected version of an earlier message. */
function editedMarker(locale: Locale, text: string): string {
  let template = editedTemplates.get(locale);
  if (template === undefined) {
    template = String(readNamespace(locale, 'telegram').edited ?? '{{text}}');
    editedTemplates.set(locale, template);
  }
  return template.replace('{{text}}', () => text);
}
