// The Zalo Bot API has no keyboards or quick replies (sendMessage takes only chat_id and text), so
// choices always go out as a numbered list (src/channels/choices.ts), and a number or a label typed
// out comes back as the choice's value (the web chat sends the value too).
import { renderChoices, resolveChoice as resolveAny } from '../../src/channels/choices';
import type { Db } from '../../src/db/database';

export { renderChoices };

/** The value of the choice this reply picks from the latest message we sent to `chatId`, or null. */
export function resolveChoice(db: Db, chatId: string, text: string): Promise<string | null> {
  return resolveAny(db, 'zalo_bot', chatId, text);
}
