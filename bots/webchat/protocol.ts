// The web chat wire protocol (the README's Routes table is its public contract): frames a browser may send.
import { z } from 'zod';
import { LOCALES } from '../../src/i18n';

export const clientFrame = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('message'),
    clientMsgId: z.string().min(1).max(100),
    text: z.string(),
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
    return {
      ok: false,
      error: {
        type: 'error',
        code: 'bad_frame',
        message: `Invalid frame: ${issue ? `${issue.path.join('.') || 'frame'}: ${issue.message}` : 'unknown shape'}. Expected {type:"message", clientMsgId, text}, {type:"locale", locale:"vi"|"en"} or {type:"ping"}.`,
      },
    };
  }
  return { ok: true, frame: parsed.data };
}
