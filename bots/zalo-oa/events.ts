// The Zalo OA webhook events the hotline understands, and what each one means to it. Shapes from
// Zalo's OA webhook documentation as seen in production integrations:
//   user_send_*  {app_id, event_name, timestamp, sender:{id}, recipient:{id},
//                 message:{msg_id, text?, attachments?:[{type, payload:{url?, thumbnail?, name?,
//                 size?, description?, coordinates?:{latitude, longitude}}}]}}
//   follow/unfollow {app_id, oa_id, event_name, timestamp, follower:{id}, source?}
//   user_received_message {…, message:{msg_id, delivery_time?}}  (one id)
//   user_seen_message     {…, message:{msg_ids:[…]}}            (several ids)
//   user_send_business_card: the card's name in message.text, phone and QR code in the
//                 attachment payload's description (a JSON string {phone, qrCodeUrl}).
// Ids are strings, even when a sender id arrives as a JSON number (the caller parses with
// parseJsonKeepingBigIds, so numbers of 16+ digits are quoted and exact).
import { z } from 'zod';
import type { Attachment, InboundMessage } from '../../src/channels/types';

const id = z.union([z.string().min(1), z.number().int().nonnegative()]).transform(String);
const party = z.object({ id });
const coordinate = z.union([z.number(), z.string().min(1)]).transform(Number).refine(Number.isFinite, 'not a number');

const attachmentSchema = z.object({
  type: z.string().min(1),
  payload: z
    .object({
      url: z.string().optional(),
      thumbnail: z.string().optional(),
      name: z.string().optional(),
      title: z.string().optional(),
      description: z.string().optional(),
      coordinates: z.object({ latitude: coordinate, longitude: coordinate }).optional(),
    })
    .loose()
    .optional(),
});
type RawAttachment = z.infer<typeof attachmentSchema>;

const userMessage = z.object({
  sender: party,
  recipient: party.optional(),
  message: z.object({
    msg_id: id,
    text: z.string().optional(),
    attachments: z.array(attachmentSchema).max(50).optional(),
  }),
});

const subscriptionEvent = z.object({
  // Zalo names the person `follower`; older payloads and some tools use `sender`.
  follower: party.optional(),
  sender: party.optional(),
  user_id_by_app: z.string().optional(),
});

const receiptEvent = z.object({
  message: z.object({ msg_id: id.optional(), msg_ids: z.array(id).max(1000).optional() }),
});

/** The signed fields every event carries. */
export const envelopeSchema = z.object({
  app_id: id,
  event_name: z.string().min(1).max(100),
  timestamp: z.union([z.string().regex(/^\d{1,16}$/), z.number().int().nonnegative()]).transform(String),
});

/** The user_send_* events Zalo documents, with the attachment type each one carries. */
export const USER_MESSAGE_EVENTS: Record<string, Attachment['type'] | null> = {
  user_send_text: null,
  user_send_image: 'image',
  user_send_gif: 'image',
  user_send_file: 'file',
  user_send_sticker: 'sticker',
  user_send_audio: 'audio',
  user_send_video: 'video',
  user_send_link: 'link',
  user_send_location: 'location',
  user_send_business_card: 'contact',
};

export type ZaloEvent =
  | { kind: 'message'; inbound: InboundMessage }
  | { kind: 'subscription'; userId: string; followed: boolean; at: Date }
  | { kind: 'receipt'; receipt: 'delivered' | 'seen'; msgIds: string[]; at: Date }
  /** The OA's own messages (ours, or sent from the OA admin page), echoed back: nothing to do. */
  | { kind: 'echo'; eventName: string }
  | { kind: 'unknown'; eventName: string };

export type ParsedEvent = { ok: true; event: ZaloEvent } | { ok: false; reason: string };

/** Turns a verified webhook body into what it means for the hotline. */
export function parseEvent(body: Record<string, unknown>): ParsedEvent {
  const envelope = envelopeSchema.safeParse(body);
  if (!envelope.success) return fail(envelope.error);
  const { event_name: name, timestamp } = envelope.data;
  const at = toDate(timestamp);

  if (name in USER_MESSAGE_EVENTS) {
    const parsed = userMessage.safeParse(body);
    if (!parsed.success) return fail(parsed.error, name);
    const { sender, message } = parsed.data;
    const fallbackType = USER_MESSAGE_EVENTS[name] ?? null;
    const attachments = (message.attachments ?? []).flatMap((a) => toAttachment(a, fallbackType, message.text));
    if (name === 'user_send_location' && !attachments.some((a) => a.type === 'location')) {
      return { ok: false, reason: `${name}: message.attachments has no location with coordinates {latitude, longitude}` };
    }
    return {
      ok: true,
      event: {
        kind: 'message',
        inbound: {
          channel: 'zalo_oa',
          channelUserId: sender.id,
          externalId: message.msg_id,
          // A business card's text is the card's name, not something the person wrote.
          text: name === 'user_send_business_card' ? '' : (message.text ?? ''),
          attachments,
          sentAt: at,
        },
      },
    };
  }

  if (name === 'follow' || name === 'unfollow') {
    const parsed = subscriptionEvent.safeParse(body);
    if (!parsed.success) return fail(parsed.error, name);
    const person = parsed.data.follower ?? parsed.data.sender;
    if (!person) return { ok: false, reason: `${name}: follower.id is required` };
    return { ok: true, event: { kind: 'subscription', userId: person.id, followed: name === 'follow', at } };
  }

  if (name === 'user_received_message' || name === 'user_seen_message') {
    const parsed = receiptEvent.safeParse(body);
    if (!parsed.success) return fail(parsed.error, name);
    const ids = [...(parsed.data.message.msg_ids ?? []), ...(parsed.data.message.msg_id ? [parsed.data.message.msg_id] : [])];
    if (ids.length === 0) return { ok: false, reason: `${name}: message.msg_id or message.msg_ids is required` };
    return {
      ok: true,
      event: { kind: 'receipt', receipt: name === 'user_seen_message' ? 'seen' : 'delivered', msgIds: [...new Set(ids)], at },
    };
  }

  if (name.startsWith('oa_send_')) return { ok: true, event: { kind: 'echo', eventName: name } };
  return { ok: true, event: { kind: 'unknown', eventName: name } };
}

function toAttachment(raw: RawAttachment, fallbackType: Attachment['type'] | null, text: string | undefined): Attachment[] {
  const p = raw.payload ?? {};
  const url = httpUrl(p.url) ?? httpUrl(p.thumbnail);
  switch (raw.type) {
    case 'image':
    case 'gif':
      return url ? [{ type: 'image', url }] : [];
    case 'file':
      return url ? [{ type: 'file', url, ...(p.name ? { name: p.name } : {}) }] : [];
    case 'audio':
    case 'voice':
      return url ? [{ type: 'audio', url }] : [];
    case 'video':
      return url ? [{ type: 'video', url }] : [];
    case 'sticker':
      return [{ type: 'sticker', ...(url ? { url } : {}) }];
    case 'location':
      return p.coordinates ? [{ type: 'location', latitude: p.coordinates.latitude, longitude: p.coordinates.longitude }] : [];
    default:
      if (fallbackType === 'contact') return [businessCard(p, text)];
      if (raw.type === 'link' || fallbackType === 'link') {
        return url ? [{ type: 'link', url, ...(p.title || p.description ? { name: p.title ?? p.description } : {}) }] : [];
      }
      return url && fallbackType ? [{ type: fallbackType, url }] : [];
  }
}

/** A shared contact card: Zalo puts {phone, qrCodeUrl} as a JSON string in the description. */
function businessCard(p: NonNullable<RawAttachment['payload']>, name: string | undefined): Attachment {
  let card: { phone?: unknown; qrCodeUrl?: unknown } = {};
  try {
    const parsed: unknown = p.description ? JSON.parse(p.description) : {};
    if (parsed && typeof parsed === 'object') card = parsed as typeof card;
  } catch {
    // A description that is not JSON carries no phone number; the card is still kept.
  }
  const url = httpUrl(typeof card.qrCodeUrl === 'string' ? card.qrCodeUrl : undefined) ?? httpUrl(p.url) ?? httpUrl(p.thumbnail);
  return {
    type: 'contact',
    ...(name ? { name } : {}),
    ...(typeof card.phone === 'string' && card.phone ? { phone: card.phone } : {}),
    ...(url ? { url } : {}),
  };
}

function httpUrl(value: string | undefined): string | undefined {
  return value && /^https?:\/\//i.test(value) ? value : undefined;
}

function toDate(timestamp: string): Date {
  const ms = Number(timestamp);
  return Number.isFinite(ms) && ms > 0 ? new Date(ms) : new Date();
}

function fail(error: z.ZodError, eventName?: string): { ok: false; reason: string } {
  const issue = error.issues[0];
  const where = issue?.path.length ? issue.path.join('.') : 'body';
  return { ok: false, reason: `${eventName ? `${eventName}: ` : ''}${where}: ${issue?.message ?? 'invalid'}` };
}
