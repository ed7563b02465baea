// The Zalo Bot platform's update format (bot.zaloplatforms.com/docs: getUpdates, Webhook) and its
// translation into the hotline's InboundMessage. Only this folder knows these shapes.
//
// Wire facts, from the platform's documentation and production integrations:
// - An update is `{ event_name, message }`. Real webhook traffic is flat; the documentation's
//   getUpdates sample (and some webhook examples) wrap it as `{ ok: true, result: { … } }`. Both are
//   accepted. getUpdates returns ONE update per call in `result` (not a Telegram-style array), and
//   `error_code: 408` when the long poll ended without one.
// - `message`: `message_id` (string, e.g. "16f6366b3f02645a3d15"), `from { id, display_name, is_bot }`
//   (older samples: `first_name` or `name`), `chat { id, chat_type: PRIVATE|GROUP }`, `date` in
//   MILLISECONDS (1750316131602), `text`; images carry `photo_url` (older clients read `photo`) and an
//   optional `caption`; stickers carry `sticker` (id) and `url` (its picture).
// - Events: message.text.received, message.image.received, message.sticker.received,
//   message.unsupported.received (files, voice, contact cards…: no content is passed on, and for
//   protected accounts not even `message`). Others exist (message.link.received,
//   message.reaction.received, group events) and are logged, not stored.
import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../src/channels/types';

export const ZALO_BOT_EVENTS = {
  text: 'message.text.received',
  image: 'message.image.received',
  sticker: 'message.sticker.received',
  unsupported: 'message.unsupported.received',
} as const;

/** Ids arrive as strings, but a number (exact: big ones are quoted by parseJsonKeepingBigIds) is taken too. */
const id = z.union([z.string().trim().min(1), z.number().int().nonnegative()]).transform(String);
const optionalText = z.string().optional().catch(undefined);

const messageSchema = z.object({
  message_id: id,
  from: z.object({
    id,
    display_name: optionalText,
    first_name: optionalText,
    name: optionalText,
    is_bot: z.boolean().optional().catch(undefined),
  }),
  chat: z.object({ id, chat_type: optionalText }),
  date: z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]).optional().catch(undefined),
  text: z.string().optional(),
  caption: optionalText,
  photo_url: optionalText,
  photo: optionalText,
  sticker: optionalText,
  url: optionalText,
});

export type ZaloBotMessage = z.infer<typeof messageSchema>;

export type ParsedUpdate =
  | { kind: 'message'; event: string; inbound: InboundMessage }
  /** Understood, deliberately not stored (unknown event kind, a bot's own message…): answer 200 and log. */
  | { kind: 'ignored'; event: string; reason: string }
  | { kind: 'malformed'; reason: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The updates in a webhook body or a getUpdates answer: the flat update itself, or the `result` of
 * a `{ ok, result }` envelope (one update, or a list should the API ever answer Telegram-style).
 */
export function unwrapUpdates(body: unknown): { ok: true; updates: unknown[] } | { ok: false; reason: string } {
  if (!isRecord(body)) return { ok: false, reason: 'body is not a JSON object' };
  if ('result' in body || 'ok' in body) {
    if (body.ok === false) return { ok: false, reason: `an error envelope, not an update (error_code ${String(body.error_code)})` };
    if (Array.isArray(body.result)) return { ok: true, updates: body.result };
    if (!isRecord(body.result)) return { ok: false, reason: '"result" must be an update object' };
    return { ok: true, updates: [body.result] };
  }
  return { ok: true, updates: [body] };
}

/** Turns one update into what the hotline stores, or says why it is not stored. */
export function parseUpdate(update: unknown): ParsedUpdate {
  if (!isRecord(update)) return { kind: 'malformed', reason: 'an update must be a JSON object' };
  const event = update.event_name;
  if (typeof event !== 'string' || event.trim() === '') return { kind: 'malformed', reason: '"event_name" is missing' };
  const known = Object.values(ZALO_BOT_EVENTS) as string[];
  if (!known.includes(event)) return { kind: 'ignored', event, reason: 'event kind the hotline does not handle' };
  if (update.message === undefined && event === ZALO_BOT_EVENTS.unsupported) {
    // Protected accounts: Zalo says something arrived but not from whom; there is no one to answer.
    return { kind: 'ignored', event, reason: 'unsupported message without sender details' };
  }
  const parsed = messageSchema.safeParse(update.message);
  if (!parsed.success) return { kind: 'malformed', reason: describeIssue(parsed.error) };
  const m = parsed.data;
  if (m.from.is_bot === true) return { kind: 'ignored', event, reason: "another bot's message (answering it could loop)" };

  let text: string;
  const attachments: Attachment[] = [];
  switch (event) {
    case ZALO_BOT_EVENTS.text:
      if (m.text === undefined) return { kind: 'malformed', reason: 'message.text is missing in a text event' };
      text = m.text;
      break;
    case ZALO_BOT_EVENTS.image: {
      const url = m.photo_url ?? m.photo;
      attachments.push(url ? { type: 'image', url } : { type: 'image' });
      text = m.caption ?? m.text ?? '';
      break;
    }
    case ZALO_BOT_EVENTS.sticker:
      attachments.push({ type: 'sticker', ...(m.url ? { url: m.url } : {}), ...(m.sticker ? { name: m.sticker } : {}) });
      text = '';
      break;
    default:
      // Files, voice notes, contact cards…: Zalo does not pass them on. The message is stored so staff
      // see that the person sent something the hotline could not read.
      attachments.push({ type: 'file', name: 'unsupported: Zalo Bot does not pass this kind of message on' });
      text = m.text ?? m.caption ?? '';
  }

  const chatId = m.chat.id;
  const displayName = (m.from.display_name ?? m.from.name ?? m.from.first_name)?.trim() || undefined;
  return {
    kind: 'message',
    event,
    inbound: {
      channel: 'zalo_bot',
      // Replies go to the chat (chat.id equals from.id in a private chat).
      channelUserId: chatId,
      // Message ids are not documented as unique across chats: scope them by chat.
      externalId: `${chatId}:${m.message_id}`,
      text,
      attachments,
      ...(displayName ? { displayName } : {}),
      sentAt: sentAt(m.date),
    },
  };
}

/** `date` is in milliseconds; a value that can only be seconds (before 2001 as ms) is converted. */
function sentAt(date: number | undefined): Date {
  if (date === undefined || !Number.isFinite(date) || date <= 0) return new Date();
  return new Date(date < 1e12 ? date * 1000 : date);
}

function describeIssue(error: z.ZodError): string {
  const issue = error.issues[0];
  if (!issue) return 'message is malformed';
  const path = ['message', ...issue.path.map(String)].join('.');
  if (issue.code === 'invalid_type' && issue.input === undefined) return `${path} is missing`;
  return `${path}: ${issue.message}`;
}
