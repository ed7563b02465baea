// The Zalo Bot API has no keyboards or quick replies (sendMessage takes only chat_id and text), so
// choices go out as a numbered list, and a reply with a number or a label is read back as the
// choice's value, as if the button had been pressed (the web chat sends the value too). The choices
// on offer are the ones of the bot's latest message in the conversation, as stored: no extra state,
// and it works the same on every node.
import type { Button } from '../../src/channels/types';
import type { Db } from '../../src/db/database';

export function renderChoices(buttons: Button[] | undefined): string {
  if (!buttons?.length) return '';
  return `\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n')}`;
}

/** Longer replies are sentences, not choices: they skip the look-up. */
const MAX_CHOICE_CHARS = 60;

const normalise = (s: string) => s.normalize('NFC').trim().replace(/[.)]$/, '').toLocaleLowerCase('vi');

/** The value of the choice this reply picks from the latest message we sent to `chatId`, or null. */
export async function resolveChoice(db: Db, chatId: string, text: string): Promise<string | null> {
  const reply = normalise(text);
  if (!reply || reply.length > MAX_CHOICE_CHARS) return null;
  const contact = await db.contact.findUnique({
    where: { channel_channelUserId: { channel: 'zalo_bot', channelUserId: chatId } },
    select: { conversations: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true } } },
  });
  const conversationId = contact?.conversations[0]?.id;
  if (!conversationId) return null;
  const last = await db.message.findFirst({
    where: { conversationId, direction: 'outbound' },
    orderBy: { seq: 'desc' },
    select: { buttons: true },
  });
  const buttons = Array.isArray(last?.buttons) ? (last.buttons as unknown as Button[]) : [];
  if (buttons.length === 0) return null;
  if (/^\d{1,2}$/.test(reply)) return buttons[Number(reply) - 1]?.value ?? null;
  return buttons.find((b) => normalise(b.label) === reply)?.value ?? null;
}
