// The web chat wire protocol (the README's Routes table is its public contract): frames a browser may send.
import { z } from 'zod';
import { LOCALES } from '../../src/i18n';

/** Attachments one message may carry. */
export const MAX_ATTACHMENTS = 3;

/** A place the person shared with the widget's location button (navigator.geolocation), in WGS84 degrees. */
const locationAttachment = z.object({
  type: z.literal('location'),
  latitude: z.number().min(-90).max(90),
  longitude: z.number().min(-180).max(180),
});

/** A file uploaded first with POST /webchat/uploads (by this session), attached by its id. */
const uploadAttachment = <T extends 'image' | 'file'>(type: T) => z.object({ type: z.literal(type), uploadId: z.uuid() });

export const clientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    clientMsgId: z.string().min(1).max(100),
    // Empty is allowed only with an attachment (a shared location needs no words).
    text: z.string(),
    attachments: z.array(z.discriminatedUnion('type', [locationAttachment, uploadAttachment('image'), uploadAttachment('file')])).max(MAX_ATTACHMENTS).optional(),
  }),
  z.object({ type: z.literal('ping') }),
  // The person switched the widget's language mid-chat: the bot answers in it from the next reply on.
  z.object({ type: z.literal('locale'), locale: z.enum(LOCALES) }),
]);

export type ClientFrame = z.infer<typeof clientFrame>;

export type ErrorCode =
  | 'bad_frame'
  | 'empty_message'
  | 'message_too_long'
  | 'token_expired'
  | 'rate_limited'
  | 'unknown_upload'
  | 'unavailable';

export interface ErrorFrame {
  type: 'error';
  code: ErrorCode;
  message: string;
  clientMsgId?: string;
}

/** The answer to a `locale` frame, once the contact's language is stored. */
export interface LocaleSetFrame {
  type: 'locale_set';
  locale: (typeof LOCALES)[number];
}

/** Parses one text frame; returns a ready error frame when it is not a valid client frame. */
export function parseClientFrame(raw: string): { ok: true; frame: ClientFrame } | { ok: false; error: ErrorFrame } {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return { ok: false, error: { type: 'error', code: 'bad_frame', message: 'Frame is not valid JSON.' } };
  }
  const parsed = clientFrame.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    // A message's own id goes back with the error, so the widget marks that message as not sent.
    const clientMsgId = (json as { clientMsgId?: unknown } | null)?.clientMsgId;
    return {
      ok: false,
      error: {
        type: 'error',
        code: 'bad_frame',
        message: `Invalid frame: ${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'unknown shape'}. Expected {type:"message", clientMsgId, text, attachments?: [{type:"location", latitude, longitude} or {type:"image"|"file", uploadId}] (at most ${MAX_ATTACHMENTS})}, {type:"locale", locale:"vi"|"en"} or {type:"ping"}.`,
        ...(typeof clientMsgId === 'string' && clientMsgId.length > 0 && clientMsgId.length <= 100 ? { clientMsgId } : {}),
      },
    };
  }
  return { ok: true, frame: parsed.data };
}
