// A form nobody finishes must not hold the conversation for ever: after FLOW_ABANDON_MINUTES of
// silence the bot says, once, that it has paused the unfinished request, and the conversation goes
// back to rest (the open request, or the start). Everything the person wrote stays stored. Before
// that time a person who comes back simply resumes where they were (the state is in the database).
// An answer the bot offered (a knowledge-base answer, "add to which request?") is let go silently:
// the person already has what they asked for, and a reminder would be noise.
import type { Db } from '../db/database';
import { isLocale, type Locale, type Translator } from '../i18n';
import { storeOutbound } from '../messages/store';
import type { JobRef } from '../queue/types';
import type { FlowState } from './types';

/** Steps that wait for the person's answer. */
const WAITING_STEPS = ['form', 'question_answered', 'followup'];

export interface AbandonedDeps {
  db: Db;
  translator: Translator;
  abandonAfterMs: number;
  now?: () => Date;
  /** At most this many conversations in one sweep; the next sweep takes the rest. */
  batch?: number;
}

export interface AbandonedResult {
  /** Conversations put back to rest. */
  closed: string[];
  jobs: JobRef[];
}

export async function closeAbandonedConversations(deps: AbandonedDeps): Promise<AbandonedResult> {
  const cutoff = new Date((deps.now?.() ?? new Date()).getTime() - deps.abandonAfterMs);
  return deps.db.$transaction(async (tx) => {
    // SKIP LOCKED: a conversation whose message is being processed right now is not touched.
    const claimed = await tx.$queryRawUnsafe<Array<{ id: string }>>(
      `SELECT id FROM conversation WHERE step = ANY($1::text[]) AND updated_at < $2
       ORDER BY updated_at LIMIT $3 FOR UPDATE SKIP LOCKED`,
      WAITING_STEPS,
      cutoff,
      deps.batch ?? 200,
    );
    const result: AbandonedResult = { closed: [], jobs: [] };
    if (claimed.length === 0) return result;
    const conversations = await tx.conversation.findMany({ where: { id: { in: claimed.map((c) => c.id) } }, include: { contact: true } });
    for (const conversation of conversations) {
      const state = (conversation.state ?? {}) as FlowState;
      const ticketId = typeof state.ticketId === 'string' ? state.ticketId : undefined;
      if (conversation.step === 'form') {
        const locale: Locale = isLocale(conversation.contact.locale) ? conversation.contact.locale : 'vi';
        const { job } = await storeOutbound(tx, conversation, { author: 'bot', text: deps.translator.t(locale, 'form.abandoned') });
        result.jobs.push(job);
      }
      await tx.conversation.update({
        where: { id: conversation.id },
        data: { step: ticketId ? 'ticket_open' : 'start', state: ticketId ? { ticketId } : {} },
      });
      result.closed.push(conversation.id);
    }
    return result;
  });
}
