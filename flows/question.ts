// Question (hỏi đáp): the knowledge base answers at once when it knows; the person says whether it
// answered them, and "no" files the question as a ticket for the agency, with the answer they saw.
import { draftFrom, NO, openNew, pendingFrom, reply, YES, type PendingRequest } from './common';
import type { FlowContext, KnowledgeAnswer, Reply, StepResult } from './types';

const answerText = (ctx: FlowContext, entry: KnowledgeAnswer, key: string) =>
  ctx.t(key, { title: entry.title, answer: entry.answer, source: entry.sourceName, url: entry.sourceUrl });

function answerReply(ctx: FlowContext, shown: KnowledgeAnswer, others: KnowledgeAnswer[], key: string): Reply {
  return {
    text: `${answerText(ctx, shown, key)}\n\n${ctx.t('question.did_it_answer')}`,
    key,
    buttons: [
      { label: ctx.t('question.yes'), value: 'kb:yes' },
      { label: ctx.t('question.no'), value: 'kb:no' },
      // The next best answers, one tap away (their titles are short).
      ...others.map((entry) => ({ label: entry.title.slice(0, 60), value: `kb:show:${entry.slug}` })),
    ],
  };
}

/** Shows the best answer (and the next ones as buttons), keeping the request until the person says. */
export function offerAnswers(ctx: FlowContext, answers: KnowledgeAnswer[], pending: PendingRequest, key = 'question.answer'): StepResult {
  const [best, ...others] = answers;
  const { form: _form, ...rest } = ctx.state;
  return {
    replies: [answerReply(ctx, best!, others.slice(0, 2), key)],
    next: 'question_answered',
    state: { ...rest, pending, shown: [best!.slug] },
  };
}

/** A question: answered from the knowledge base if it knows, else filed. */
export async function askQuestion(ctx: FlowContext): Promise<StepResult> {
  const answers = ctx.searchKnowledge(ctx.text, { topic: ctx.understanding?.topic, limit: 3 });
  if (answers.length === 0) return openNew(ctx);
  return offerAnswers(ctx, answers, pendingFrom(ctx));
}

const HELPFUL = /^(?:kb:yes|cảm ơn|cam on|thanks?|thank you|đã rõ|da ro|rõ rồi|ro roi|hiểu rồi|hieu roi|got it)[\s!.,]*(?:ạ|a|nhé|nhe|nhiều|nhieu)?[\s!.]*$/iu;
const NOT_HELPFUL = /^(?:kb:no|chưa|chua|chưa đúng|chua dung|không đúng|khong dung|chưa rõ|chua ro|not really|no it did not|didn'?t help)[\s!.,]*(?:ạ|a)?[\s!.]*$/iu;

/** The person's word on the answer shown; anything else is a new message. */
export async function questionAnswered(ctx: FlowContext, otherwise: (ctx: FlowContext) => Promise<StepResult>): Promise<StepResult> {
  const pending = ctx.state.pending as PendingRequest | undefined;
  const { pending: _p, shown: _s, ...rest } = ctx.state;
  if (!pending) return otherwise({ ...ctx, state: rest });
  const text = ctx.text.trim();
  const show = /^kb:show:([\w-]+)$/.exec(text);
  if (show) {
    const entry = ctx.knowledgeEntry(show[1]!);
    if (entry) {
      const shown = [...((ctx.state.shown as string[] | undefined) ?? []), entry.slug];
      return { replies: [answerReply(ctx, entry, [], 'question.answer')], next: 'question_answered', state: { ...ctx.state, shown } };
    }
  }
  if (HELPFUL.test(text) || YES.test(text)) {
    return { replies: [reply(ctx, 'question.glad')], next: typeof rest.ticketId === 'string' ? 'ticket_open' : 'start', state: rest };
  }
  if (NOT_HELPFUL.test(text) || NO.test(text)) {
    // The question goes to the agency with what the bot already showed, so nobody answers it twice.
    const shown = ((ctx.state.shown as string[] | undefined) ?? []).join(', ');
    const draft = draftFrom({ ...pending, messageIds: [...pending.messageIds] });
    return openNew({ ...ctx, state: rest }, { ...draft, summary: shown ? `${draft.summary} — ${ctx.t('question.shown_label')}: ${shown}` : draft.summary }, [
      reply(ctx, 'question.filing'),
    ]);
  }
  return otherwise({ ...ctx, state: rest });
}
