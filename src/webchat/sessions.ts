// The domain side of web chat sessions: a session is a contact on the webchat channel with one
// conversation; replays read what the hotline sent after a given sequence number.
import { randomUUID } from 'node:crypto';
import type { Db } from '../db/database';
import type { Button } from '../channels/types';
import type { Locale } from '../i18n';
import { openConversation } from '../messages/store';

export interface WebchatSession {
  sessionId: string;
  conversationId: string;
}

export interface OutboundFrame {
  type: 'message';
  seq: number;
  from: 'bot' | 'agent';
  text: string;
  buttons?: Button[];
  /** Images sent with the text (an addition to the contract's frame; older widgets ignore it). */
  images?: string[];
}

export const webchatTopic = (conversationId: string) => `webchat:${conversationId}`;

export async function createWebchatSession(db: Db, locale: Locale): Promise<WebchatSession> {
  const sessionId = randomUUID();
  const conversation = await db.$transaction((tx) => openConversation(tx, 'webchat', sessionId, { locale }));
  return { sessionId, conversationId: conversation.id };
}

export async function findWebchatSession(db: Db, sessionId: string): Promise<WebchatSession | null> {
  const conversation = await db.conversation.findFirst({
    where: { channel: 'webchat', contact: { channel: 'webchat', channelUserId: sessionId } },
    orderBy: { createdAt: 'desc' },
    select: { id: true },
  });
  return conversation ? { sessionId, conversationId: conversation.id } : null;
}

/**
 * The person chose a language in the widget: it is the contact's language from now on (the bot's
 * next replies use it). An explicit choice, so it also wins over any later hint.
 */
export async function setWebchatLocale(db: Db, sessionId: string, locale: Locale): Promise<void> {
  await db.contact.updateMany({ where: { channel: 'webchat', channelUserId: sessionId, locale: { not: locale } }, data: { locale } });
}

export async function outboundSince(db: Db, conversationId: string, afterSeq: number, limit = 500): Promise<OutboundFrame[]> {
  const rows = await db.message.findMany({
    where: { conversationId, direction: 'outbound', seq: { gt: afterSeq } },
    orderBy: { seq: 'asc' },
    take: limit,
  });
  return rows.map(toFrame);
}

export function toFrame(m: { seq: number; author: string; text: string; buttons: unknown; attachments?: unknown }): OutboundFrame {
  const frame: OutboundFrame = { type: 'message', seq: m.seq, from: m.author === 'agent' ? 'agent' : 'bot', text: m.text };
  if (Array.isArray(m.buttons) && m.buttons.length > 0) frame.buttons = m.buttons as Button[];
  const images = Array.isArray(m.attachments)
    ? (m.attachments as Array<{ type?: unknown; url?: unknown }>).filter((a) => a.type === 'image' && typeof a.url === 'string').map((a) => a.url as string)
    : [];
  if (images.length > 0) frame.images = images;
  return frame;
}
