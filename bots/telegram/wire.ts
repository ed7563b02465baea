// The parts of the Telegram Bot API's Update that the hotline reads, validated at the boundary.
// Shapes: https://core.telegram.org/bots/api#update (Message, CallbackQuery, ChatMemberUpdated).
// Every id becomes a string here: chat ids may have more than 32 significant bits (at most 52, per
// https://core.telegram.org/api/bots/ids), the body is parsed with parseJsonKeepingBigIds, and past
// this file nothing treats an id as a number. Unknown fields are dropped; unknown update kinds are
// kept (the Update object is loose) so they can be logged and acknowledged.
import { z } from 'zod';
import type { Parsed } from '../../src/channels/webhook';

/** A Telegram id: a JSON number, or a string when the raw body had it quoted to keep it exact. */
const id = z.union([z.number().int(), z.string().regex(/^-?\d+$/, 'must be an integer')]).transform((v) => String(v));

export const userSchema = z.object({
  id,
  is_bot: z.boolean().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
  username: z.string().optional(),
  language_code: z.string().optional(),
});

export const chatSchema = z.object({
  id,
  type: z.string(),
  title: z.string().optional(),
  username: z.string().optional(),
  first_name: z.string().optional(),
  last_name: z.string().optional(),
});

const entitySchema = z.object({
  type: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
  user: userSchema.optional(),
});

const fileSchema = z.object({
  file_id: z.string().min(1),
  file_name: z.string().optional(),
  mime_type: z.string().optional(),
  file_size: z.number().optional(),
});

const photoSizeSchema = fileSchema.extend({ width: z.number(), height: z.number() });

const inlineKeyboardSchema = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

export const messageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  edit_date: z.number().int().optional(),
  chat: chatSchema,
  from: userSchema.optional(),
  text: z.string().optional(),
  entities: z.array(entitySchema).optional(),
  caption: z.string().optional(),
  caption_entities: z.array(entitySchema).optional(),
  photo: z.array(photoSizeSchema).optional(),
  document: fileSchema.optional(),
  voice: fileSchema.optional(),
  audio: fileSchema.extend({ title: z.string().optional(), performer: z.string().optional() }).optional(),
  video: fileSchema.optional(),
  video_note: fileSchema.optional(),
  animation: fileSchema.optional(),
  sticker: fileSchema.extend({ emoji: z.string().optional() }).optional(),
  location: z.object({ latitude: z.number(), longitude: z.number() }).optional(),
  venue: z.object({ title: z.string().optional(), address: z.string().optional() }).optional(),
  contact: z
    .object({ phone_number: z.string(), first_name: z.string().optional(), last_name: z.string().optional(), user_id: id.optional() })
    .optional(),
  reply_to_message: z.object({ message_id: z.number().int(), from: userSchema.optional() }).optional(),
  reply_markup: inlineKeyboardSchema.optional(),
});

/** The message a button was attached to; Telegram sends date 0 when it is no longer accessible. */
const callbackMessageSchema = z.object({
  message_id: z.number().int(),
  date: z.number().int(),
  chat: chatSchema,
  reply_markup: inlineKeyboardSchema.optional(),
});

export const callbackQuerySchema = z.object({
  id: z.string().min(1),
  from: userSchema,
  message: callbackMessageSchema.optional(),
  data: z.string().optional(),
});

const chatMemberSchema = z.object({ status: z.string(), user: userSchema });

export const chatMemberUpdatedSchema = z.object({
  chat: chatSchema,
  from: userSchema,
  date: z.number().int(),
  old_chat_member: chatMemberSchema,
  new_chat_member: chatMemberSchema,
});

export const updateSchema = z
  .object({
    update_id: z.number().int().min(0),
    message: messageSchema.optional(),
    edited_message: messageSchema.optional(),
    callback_query: callbackQuerySchema.optional(),
    my_chat_member: chatMemberUpdatedSchema.optional(),
  })
  .loose();

export type TelegramUser = z.infer<typeof userSchema>;
export type TelegramChat = z.infer<typeof chatSchema>;
export type TelegramMessage = z.infer<typeof messageSchema>;
export type TelegramEntity = z.infer<typeof entitySchema>;
export type TelegramCallbackQuery = z.infer<typeof callbackQuerySchema>;
export type TelegramUpdate = z.infer<typeof updateSchema>;

/** The kinds this channel understands; any other key of an Update is an unknown kind. */
export const HANDLED_KINDS = ['message', 'edited_message', 'callback_query', 'my_chat_member'] as const;

/** Validates an Update; the reason names the first few fields that are wrong. */
export function parseUpdate(value: unknown): Parsed<TelegramUpdate> {
  const parsed = updateSchema.safeParse(value);
  if (parsed.success) return { ok: true, value: parsed.data };
  const reason = parsed.error.issues
    .slice(0, 3)
    .map((i) => `${i.path.length > 0 ? i.path.join('.') : 'body'}: ${i.message}`)
    .join('; ');
  return { ok: false, reason: `not a Telegram Update (${reason})` };
}

/** The update's kind: the first field besides update_id (an Update carries exactly one). */
export function updateKind(update: TelegramUpdate): string {
  return Object.keys(update).find((k) => k !== 'update_id') ?? 'empty';
}
