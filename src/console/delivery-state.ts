// Whether each reply in a ticket view reached the person: delivered, pending (and why it is still
// retrying), failed (and why), or readable only on the public tracking page — a channel that
// cannot push to the person any more (Zalo's interaction window closed, the bot blocked, the
// channel switched off) or a web chat whose person can no longer come back to it (their session
// token has run out, so the widget can never replay it).
import type { Db } from '../db/database';
import type { Message } from '../generated/prisma/client';

export type DeliveryState = 'delivered' | 'pending' | 'failed' | 'tracking_page';

export interface DeliveryView {
  deliveryState: DeliveryState;
  /** Why it failed, is still pending, or can only be read on the tracking page; null when delivered. */
  deliveryReason: string | null;
  /** Answers of an agency are shown on the ticket's public tracking page whatever the chat did. */
  readableOnTrackingPage: boolean;
}

/** Permanent refusals after which the person can only read the answer on the tracking page. */
const CANNOT_PUSH = new Set(['interaction_window_closed', 'blocked', 'chat_not_found', 'channel_off']);
const SENT = new Set(['sent', 'delivered', 'seen']);

type ViewMessage = Pick<Message, 'id' | 'direction' | 'author' | 'channel' | 'delivery' | 'deliveryError' | 'createdAt' | 'ticketId' | 'conversationId'>;

/** The delivery view of every outbound message among `messages` (inbound ones get none). */
export async function deliveryStates(db: Db, messages: ViewMessage[], opts: { webchatTokenTtlMs: number }): Promise<Map<string, DeliveryView>> {
  const outbound = messages.filter((m) => m.direction === 'outbound');
  const views = new Map<string, DeliveryView>();
  if (outbound.length === 0) return views;
  const ids = outbound.map((m) => m.id);
  const conversationIds = [...new Set(outbound.filter((m) => m.channel === 'webchat').map((m) => m.conversationId))];
  const [jobs, refusals, webchats] = await Promise.all([
    db.outboxJob.findMany({ where: { kind: 'deliver_outbound', messageId: { in: ids } }, select: { messageId: true, lastError: true, attempts: true } }),
    // Why an agency's answer could not be sent (the worker's answer_not_delivered event names it).
    db.ticketEvent.findMany({
      where: { kind: 'answer_not_delivered', ticketId: { in: [...new Set(outbound.flatMap((m) => (m.ticketId ? [m.ticketId] : [])))] } },
      select: { data: true },
    }),
    conversationIds.length
      ? db.conversation.findMany({ where: { id: { in: conversationIds } }, select: { id: true, contact: { select: { createdAt: true } } } })
      : [],
  ]);
  const job = new Map(jobs.map((j) => [j.messageId, j]));
  const refusal = new Map(
    refusals.flatMap((e) => {
      const data = e.data as { messageId?: string; reason?: string };
      return data.messageId && data.reason ? [[data.messageId, data.reason] as const] : [];
    }),
  );
  // A web chat token lives WEBCHAT_TOKEN_TTL_HOURS from the session's start and is never renewed.
  const webchatGoneAt = new Map(webchats.map((c) => [c.id, c.contact.createdAt.getTime() + opts.webchatTokenTtlMs]));
  for (const m of outbound) {
    const readableOnTrackingPage = m.author === 'agent' && m.ticketId !== null;
    const view = (deliveryState: DeliveryState, deliveryReason: string | null) => views.set(m.id, { deliveryState, deliveryReason, readableOnTrackingPage });
    if (m.delivery === 'failed') {
      const reason = refusal.get(m.id);
      const why = m.deliveryError ?? job.get(m.id)?.lastError ?? reason ?? null;
      view(reason && CANNOT_PUSH.has(reason) ? 'tracking_page' : 'failed', why);
    } else if (SENT.has(m.delivery)) {
      const goneAt = webchatGoneAt.get(m.conversationId);
      if (m.channel === 'webchat' && goneAt !== undefined && m.createdAt.getTime() > goneAt) {
        view('tracking_page', 'The web chat session had ended when this was sent: the person can no longer open it in the chat.');
      } else view('delivered', null);
    } else {
      const last = job.get(m.id);
      view('pending', last?.lastError ? `Attempt ${last.attempts} failed (${last.lastError}); it is being retried.` : null);
    }
  }
  return views;
}

/** The ticket view with each message's delivery view added (src/console/api.ts GET /tickets/:code). */
export async function withDeliveryStates<T extends { messages: Array<{ id: string }> }>(
  db: Db,
  messages: ViewMessage[],
  opts: { webchatTokenTtlMs: number },
  view: T,
): Promise<T> {
  const states = await deliveryStates(db, messages, opts);
  return { ...view, messages: view.messages.map((m) => ({ ...m, ...(states.get(m.id) ?? {}) })) };
}
