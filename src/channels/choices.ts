// Choices (a flow's Reply.buttons) on platforms, or in layouts, without buttons: they go out as a
// numbered list, and a reply with a number or a label typed out is read back as the choice's value,
// as if the button had been pressed. The choices on offer are the ones of the bot's latest message
// in the conversation, as stored: no extra state, and it works the same on every node.
import type { Button, Channel } from './types';
import type { Db } from '../db/database';

/** The numbered list appended to a message's text ("1. …" a line), or '' without choices. */
export function renderChoices(buttons: readonly Button[] | undefined): string {
  if (!buttons?.length) return '';
  return `\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n')}`;
}

/** Longer replies are sentences, not choices: they skip the look-up. */
const MAX_CHOICE_CHARS = 60;

const normalise = (s: string) => s.normalize('NFC').trim().replace(/[.)]$/, '').toLocaleLowerCase('vi');

/**
 * The value `text` picks from `buttons`: a number ("2", "2.", "2)") when `numbers` (the list was
 * shown numbered), or a label typed out in any case; null when it picks none.
 */
export function pickChoice(buttons: readonly Button[], text: string, opts: { numbers: boolean }): string | null {
  const reply = normalise(text);
  if (!reply || reply.length > MAX_CHOICE_CHARS || buttons.length === 0) return null;
  if (/^\d{1,2}$/.test(reply)) {
    if (opts.numbers) return buttons[Number(reply) - 1]?.value ?? null;
  }
  return buttons.find((b) => normalise(b.label) === reply)?.value ?? null;
}

/** The choices of the latest message we sent this person on this channel (none when it had none). */
export async function latestChoices(db: Db, channel: Channel, channelUserId: string): Promise<Button[]> {
  const contact = await db.contact.findUnique({
    where: { channel_channelUserId: { channel, channelUserId } },
    select: { conversations: { orderBy: { createdAt: 'desc' }, take: 1, select: { id: true } } },
  });
  const conversationId = contact?.conversations[0]?.id;
  if (!conversationId) return [];
  const last = await db.message.findFirst({
    where: { conversationId, direction: 'outbound' },
    orderBy: { seq: 'desc' },
    select: { buttons: true },
  });
  return Array.isArray(last?.buttons) ? (last.buttons as unknown as Button[]) : [];
}

/**
 * How the inbox reads `text` as a choice when it stores it (InboundMarks.readChoice: the buttons
 * of every message of a batch are looked up together), or undefined when the text cannot pick
 * one, so no look-up is made. Reads as resolveChoice does.
 */
export function choiceReader(text: string, numbers: (buttons: Button[]) => boolean = () => true): ((buttons: unknown) => string | null) | undefined {
  if (!text.trim() || text.length > MAX_CHOICE_CHARS * 2) return undefined;
  return (stored) => {
    const buttons = Array.isArray(stored) ? (stored as Button[]) : [];
    if (buttons.length === 0) return null;
    return pickChoice(buttons, text, { numbers: numbers(buttons) });
  };
}

/**
 * The value of the choice this reply picks from the latest message we sent, or null. `numbers`
 * decides, from the choices on offer, whether they were shown as a numbered list.
 */
export async function resolveChoice(
  db: Db,
  channel: Channel,
  channelUserId: string,
  text: string,
  numbers: (buttons: Button[]) => boolean = () => true,
): Promise<string | null> {
  if (!text.trim() || text.length > MAX_CHOICE_CHARS * 2) return null;
  const buttons = await latestChoices(db, channel, channelUserId);
  if (buttons.length === 0) return null;
  return pickChoice(buttons, text, { numbers: numbers(buttons) });
}
