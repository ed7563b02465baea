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

/** The reporter's profile is asked once: a known profile fills these, so they are not asked. */
const unknownReporter = (values: SlotValues) => !values.profile;

const name: Slot = {
  name: 'name',
  prompt: 'press.ask_name',
  when: unknownReporter,
  parse: (ctx): SlotAnswer => (wordCount(ctx.text) >= 2 && !isTap(ctx) ? { value: ctx.text.trim().slice(0, 120) } : { invalid: 'press.name_invalid' }),
};

const newsroom: Slot = {
  name: 'newsroom',
  prompt: 'press.ask_newsroom',
  when: unknownReporter,
  // "Phóng viên báo Tuổi Trẻ …": the newsroom named in the first message.
  prefill: (ctx) => /\b(?:báo|bao|tạp chí|tap chi|đài|dai|truyền hình|truyen hinh)\s+((?:\p{Lu}[\p{L}\d]*\s*){1,4})/u.exec(ctx.text)?.[0]?.trim(),
  parse: (ctx): SlotAnswer => (wordCount(ctx.text) >= 1 && !isTap(ctx) ? { value: ctx.text.trim().slice(0, 200) } : { invalid: 'press.newsroom_invalid' }),
};

const NO_CARD = /^(?:press:no_card|chưa có|chua co|không có|khong co|không|khong|ko|bỏ qua|bo qua|skip|none|no)[\s!.]*$/iu;

const card: Slot = {
  name: 'card',
  prompt: 'press.ask_card',
  choices: [{ label: 'press.no_card', value: 'press:no_card' }],
  when: unknownReporter,
  parse(ctx): SlotAnswer {
    const photo = ctx.attachments.some((a) => a.type === 'image');
    const number = /[A-Z0-9][A-Z0-9./-]{3,30}/i.exec(ctx.text.trim())?.[0];
    if (NO_CARD.test(ctx.text.trim())) return { value: { number: '' } };
    if (photo || (number && /\d/.test(number))) return { value: { number: number ?? '', photoMessageId: photo ? ctx.messageId : null } };
    return { invalid: 'press.card_invalid' };
  },
};

const reporterNewsroom = (values: SlotValues) =>
  (values.profile as { newsroom: string } | undefined)?.newsroom ?? String(values.newsroom ?? '');

/** The name, newsroom and card the reporter gave, kept on their contact for the next request. */
function saveProfile(ctx: FlowContext, values: SlotValues): Promise<void> {
  const given = values.card as { number: string; photoMessageId?: string | null };
  return ctx.publicRecord.savePressProfile({
    name: String(values.name),
    newsroom: String(values.newsroom),
    pressCardNumber: given.number,
    cardPhotoMessageId: given.photoMessageId ?? null,
  });
}

const deadlineText = (ctx: FlowContext, values: SlotValues) =>
  typeof values.deadline === 'string' ? ctx.formatTime(new Date(values.deadline)) : ctx.t('press.no_deadline');

async function fileRequest(ctx: FlowContext, values: SlotValues, messageIds: string[]): Promise<StepResult> {
  if (!values.profile) await saveProfile(ctx, values);
  const first = values.understanding as { topic: string; confidence: number } | null | undefined;
  const summary = [
    ctx.t('press.summary_label', { newsroom: reporterNewsroom(values) }),
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
  slots: [questions, deadline, interview, name, newsroom, card],
  confirm: {
    prompt: 'press.confirm',
    vars: (ctx, values) => ({
      questions: values.questions,
      deadline: deadlineText(ctx, values),
      interview: ctx.t(values.interview ? 'press.interview_yes' : 'press.interview_no'),
      newsroom: reporterNewsroom(values),
    }),
    change: ['questions', 'deadline', 'newsroom'],
  },
  complete: fileRequest,
};

/** "cập nhật thông tin nhà báo": the profile asked again and saved (a change undoes its verification). */
export const pressProfileForm: Form = {
  id: 'press_profile',
  slots: [name, newsroom, card],
  async complete(ctx, values) {
    await saveProfile(ctx, values);
    return { replies: [{ text: ctx.t('press.profile_saved'), key: 'press.profile_saved' }], next: typeof ctx.state.ticketId === 'string' ? 'ticket_open' : 'start', state: ctx.state };
  },
};

/** A reporter asks to update their details. */
export const ASKS_PROFILE_UPDATE = /^(?:press:profile|cập nhật thông tin nhà báo|cap nhat thong tin nha bao|sửa thông tin nhà báo|sua thong tin nha bao|update (?:my )?press profile)[\s!.]*$/iu;
