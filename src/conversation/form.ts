// Runs a form (src/conversation/types.ts): asks for each slot the person has not given yet, in
// order, checks each answer with the slot's parser, shows the summary to confirm when the form has
// one, then runs the form's action. Where the form stands lives in the conversation's state, so it
// survives restarts and resumes when the person comes back.
import type { FlowContext, FlowState, Form, Reply, Slot, SlotValues, StepResult } from './types';

/** Where a form stands: in `state.form` of the conversation. */
export interface FormProgress {
  id: string;
  values: SlotValues;
  /** The slot asked last, or CONFIRM while the summary waits for the person's yes. */
  asking: string;
  /** Every message of the person that belongs to the request, attached to its ticket. */
  messageIds: string[];
  /** Wrong answers in a row to the question asked. */
  tries: number;
  /** When the form last asked something (for closing abandoned forms politely). */
  askedAt: string;
}

export const CONFIRM = 'confirm';
const CONFIRM_YES = /^(?:form:confirm|đúng|dung|đúng rồi|dung roi|ok|oke|okay|có|co|gửi|gui|gửi đi|gui di|đồng ý|dong y|xác nhận|xac nhan|yes|yep|correct|send|confirm)[\s!.]*(?:ạ|a|nhé|nhe|rồi|roi)?[\s!.]*$/iu;
const CHANGE = /^form:change:([a-z_]+)$/;
/** What a tapped button sends back (`consent:yes`, `form:confirm`, `menu:report`); people do not type these. */
const BUTTON_VALUE = /^[a-z_]+:[\w:-]+$/;

/** The message is a tapped button: an answer to its own question, saying nothing more. */
export const isTap = (ctx: Pick<FlowContext, 'text' | 'attachments'>) => BUTTON_VALUE.test(ctx.text.trim()) && ctx.attachments.length === 0;

/** How many words a message has (a sentence or two words of description, or none). */
export const wordCount = (text: string) => (text.match(/\p{L}+/gu) ?? []).length;

export function formProgress(state: FlowState): FormProgress | null {
  const form = state.form as FormProgress | undefined;
  return form && typeof form.id === 'string' ? form : null;
}

/** The state without the form (the form is done or dropped); the rest (an open ticket) stays. */
export function withoutForm(state: FlowState): FlowState {
  const rest = { ...state };
  delete rest.form;
  return rest;
}

const asked = (slot: Slot, values: SlotValues, ctx: FlowContext) => !slot.when || slot.when(values, ctx);

function firstMissing(ctx: FlowContext, form: Form, values: SlotValues): Slot | null {
  return form.slots.find((slot) => values[slot.name] === undefined && asked(slot, values, ctx)) ?? null;
}

function question(ctx: FlowContext, form: Form, progress: FormProgress): Reply {
  if (progress.asking === CONFIRM && form.confirm) {
    const { prompt, vars, change } = form.confirm;
    return {
      text: ctx.t(prompt, vars(ctx, progress.values)),
      key: prompt,
      buttons: [
        { label: ctx.t('form.send'), value: 'form:confirm' },
        ...change.filter((name) => form.slots.some((s) => s.name === name && asked(s, progress.values, ctx)))
          .map((name) => ({ label: ctx.t(`form.change_${name}`), value: `form:change:${name}` })),
        { label: ctx.t('form.cancel'), value: 'form:cancel' },
      ],
    };
  }
  const slot = form.slots.find((s) => s.name === progress.asking)!;
  return {
    text: ctx.t(slot.prompt),
    key: slot.prompt,
    ...(slot.choices ? { buttons: slot.choices.map((c) => ({ label: ctx.t(c.label), value: c.value })) } : {}),
  };
}

/** The question the form is waiting on, to repeat after an interrupt ("where was I?"). */
export function currentQuestion(ctx: FlowContext, form: Form, progress: FormProgress): Reply {
  return question(ctx, form, progress);
}

async function advance(ctx: FlowContext, form: Form, progress: FormProgress, rest: FlowState, step: string): Promise<StepResult> {
  const slot = firstMissing(ctx, form, progress.values);
  const ask = (asking: string): StepResult => {
    const next = { ...progress, asking, tries: 0, askedAt: new Date().toISOString() };
    return { replies: [question(ctx, form, next)], next: step, state: { ...rest, form: next } };
  };
  if (slot) return ask(slot.name);
  if (form.confirm && progress.asking !== CONFIRM) return ask(CONFIRM);
  return form.complete({ ...ctx, state: rest }, progress.values, progress.messageIds);
}

/** Starts a form from the person's message: what it already says fills slots, the rest is asked. */
export async function startForm(ctx: FlowContext, form: Form, step: string, given: SlotValues = {}): Promise<StepResult> {
  const values: SlotValues = { ...given };
  for (const slot of form.slots) {
    // Prefilled whether or not the slot will be asked: a phone number in the first message waits
    // for the person's consent, which decides whether it is kept.
    if (values[slot.name] !== undefined || !slot.prefill) continue;
    const value = slot.prefill(ctx);
    if (value !== undefined) values[slot.name] = value;
  }
  const first = isTap(ctx) ? [] : [ctx.messageId];
  const progress: FormProgress = { id: form.id, values, asking: '', messageIds: first, tries: 0, askedAt: new Date().toISOString() };
  return advance(ctx, form, progress, withoutForm(ctx.state), step);
}

/** The person's answer to the form's question. */
export async function continueForm(ctx: FlowContext, form: Form, progress: FormProgress, step: string): Promise<StepResult> {
  const rest = withoutForm(ctx.state);
  // A tapped button ("report:no_photo") is an answer, not something staff need to read on the ticket.
  const messageIds = isTap(ctx) ? progress.messageIds : [...progress.messageIds, ctx.messageId];
  const current: FormProgress = { ...progress, values: { ...progress.values }, messageIds };
  const wrong = (key: string): StepResult => {
    const again = { ...current, tries: current.tries + 1, askedAt: new Date().toISOString() };
    const ask = question(ctx, form, again);
    return { replies: [{ ...ask, text: `${ctx.t(key)}\n${ask.text}`, key }], next: step, state: { ...rest, form: again } };
  };
  const text = ctx.text.trim();
  if (current.asking === CONFIRM) {
    const change = CHANGE.exec(text);
    if (change && form.confirm?.change.includes(change[1]!)) {
      // Only that answer is asked again; an answer that no longer applies (a phone after consent was
      // withdrawn) is left to the form's action, which reads the slots that apply.
      delete current.values[change[1]!];
      return advance(ctx, form, { ...current, asking: '' }, rest, step);
    }
    if (CONFIRM_YES.test(text)) return form.complete({ ...ctx, state: rest }, current.values, current.messageIds);
    return wrong('form.confirm_invalid');
  }
  const slot = form.slots.find((s) => s.name === current.asking);
  if (!slot) return advance(ctx, form, current, rest, step);
  const answer = slot.parse(ctx, current.values);
  if ('invalid' in answer) return wrong(answer.invalid);
  current.values[slot.name] = answer.value;
  // An answer may say more than was asked ("cây đổ ở đường số 7"): it fills the slots still open.
  for (const later of form.slots) {
    if (current.values[later.name] !== undefined || !later.prefill) continue;
    const value = later.prefill(ctx);
    if (value !== undefined) current.values[later.name] = value;
  }
  return advance(ctx, form, current, rest, step);
}
