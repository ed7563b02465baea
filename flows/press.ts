// A reporter's information request: the questions, the deadline in their own words ("trước 16h thứ
// Sáu"), whether an interview is wanted, the newsroom; a summary to confirm; then a ticket for the
// Press Center, due by the reporter's deadline when that comes before the service deadline. Never
// marked urgent and never told to call 114: a deadline is not a danger.
import { isTap, wordCount } from '../src/conversation/form';
import { NO, openNew, YES } from './common';
import type { FlowContext, Form, Slot, SlotAnswer, SlotValues, StepResult } from './types';

const questions: Slot = {
  name: 'questions',
  prompt: 'press.ask_questions',
  // The press center's other services, one tap away from the reporter's first question.
  choices: [
    { label: 'public.events_button', value: 'public:events' },
    { label: 'public.subscribe_button', value: 'public:subscribe' },
  ],
  prefill: (ctx) => (wordCount(ctx.text) >= 4 && !isTap(ctx) ? ctx.text.trim() : undefined),
  parse: (ctx): SlotAnswer => (wordCount(ctx.text) >= 2 ? { value: ctx.text.trim().slice(0, 2000) } : { invalid: 'press.questions_invalid' }),
};

const NO_DEADLINE = /^(?:press:no_deadline|không gấp|khong gap|không có hạn|khong co han|no deadline|not urgent|no rush)[\s!.]*$/iu;

const deadline: Slot = {
  name: 'deadline',
  prompt: 'press.ask_deadline',
  choices: [{ label: 'press.no_deadline', value: 'press:no_deadline' }],
  prefill: (ctx) => (isTap(ctx) ? undefined : ctx.parseDeadline(ctx.text)?.toISOString()),
  parse(ctx): SlotAnswer {
    if (NO_DEADLINE.test(ctx.text.trim())) return { value: null };
    const when = ctx.parseDeadline(ctx.text);
    return when ? { value: when.toISOString() } : { invalid: 'press.deadline_invalid' };
  },
};

const interview: Slot = {
  name: 'interview',
  prompt: 'press.ask_interview',
  choices: [
    { label: 'press.interview_yes', value: 'press:interview_yes' },
    { label: 'press.interview_no', value: 'press:interview_no' },
  ],
  parse(ctx): SlotAnswer {
    const text = ctx.text.trim();
    if (text === 'press:interview_yes' || YES.test(text)) return { value: true };
    if (text === 'press:interview_no' || NO.test(text)) return { value: false };
    return { invalid: 'press.interview_invalid' };
  },
};

const newsroom: Slot = {
  name: 'newsroom',
  prompt: 'press.ask_newsroom',
  // "Phóng viên báo Tuổi Trẻ …": the newsroom named in the first message.
  prefill: (ctx) => /\b(?:báo|bao|tạp chí|tap chi|đài|dai|truyền hình|truyen hinh)\s+((?:\p{Lu}[\p{L}\d]*\s*){1,4})/u.exec(ctx.text)?.[0]?.trim(),
  parse: (ctx): SlotAnswer => (wordCount(ctx.text) >= 1 ? { value: ctx.text.trim().slice(0, 200) } : { invalid: 'press.newsroom_invalid' }),
};

const deadlineText = (ctx: FlowContext, values: SlotValues) =>
  typeof values.deadline === 'string' ? ctx.formatTime(new Date(values.deadline)) : ctx.t('press.no_deadline');

async function fileRequest(ctx: FlowContext, values: SlotValues, messageIds: string[]): Promise<StepResult> {
  const first = values.understanding as { topic: string; confidence: number } | null | undefined;
  const summary = [
    ctx.t('press.summary_label', { newsroom: values.newsroom }),
    String(values.questions),
    `${ctx.t('press.deadline_label')}: ${deadlineText(ctx, values)}`,
    values.interview ? ctx.t('press.interview_wanted') : '',
  ].filter(Boolean).join(' — ');
  return openNew(ctx, {
    summary,
    messageIds,
    understanding: { intent: 'press', topic: first?.topic ?? 'general', confidence: first?.confidence ?? 1 },
    ...(typeof values.deadline === 'string' ? { dueBy: new Date(values.deadline) } : {}),
  });
}

export const pressRequestForm: Form = {
  id: 'press_request',
  slots: [questions, deadline, interview, newsroom],
  confirm: {
    prompt: 'press.confirm',
    vars: (ctx, values) => ({
      questions: values.questions,
      deadline: deadlineText(ctx, values),
      interview: ctx.t(values.interview ? 'press.interview_yes' : 'press.interview_no'),
      newsroom: values.newsroom,
    }),
    change: ['questions', 'deadline', 'newsroom'],
  },
  complete: fileRequest,
};
