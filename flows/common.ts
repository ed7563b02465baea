// What every flow says the same way: a reply by locale key, where the conversation rests after an
// interrupt, the "your request is filed" reply, a request's status lines.
import { formProgress } from '../src/conversation/form';
import type { FlowContext, Place, Reply, StepResult, TicketDraft, TicketView } from './types';

/** Step names of the hotline's conversation (one flow, `intake`, with forms inside). */
export type IntakeStep = 'start' | 'ticket_open' | 'form' | 'question_answered' | 'followup' | 'with_person';

export const reply = (ctx: FlowContext, key: string, vars?: Record<string, unknown>, extra: Partial<Reply> = {}): Reply => ({
  text: ctx.t(key, vars),
  key,
  ...extra,
});

/** Where the conversation goes back to after an interrupt: the form being filled, the open request, or the start. */
export function resting(ctx: FlowContext): IntakeStep {
  if (typeof ctx.state.handoffTicketId === 'string') return 'with_person';
  if (formProgress(ctx.state)) return 'form';
  if (ctx.state.pending) return typeof ctx.state.pendingFor === 'string' ? 'followup' : 'question_answered';
  return typeof ctx.state.ticketId === 'string' ? 'ticket_open' : 'start';
}

export const stay = (ctx: FlowContext, replies: Reply[]): StepResult => ({ replies, next: resting(ctx), state: ctx.state });

/** A message the bot answered before deciding whether it becomes a ticket (a question, a follow-up). */
export interface PendingRequest {
  text: string;
  messageIds: string[];
  understanding: TicketDraft['understanding'];
  area?: string;
  onlineSupport?: boolean;
}

export function pendingFrom(ctx: FlowContext, onlineSupport?: boolean): PendingRequest {
  const u = ctx.understanding;
  return {
    text: ctx.text,
    messageIds: [ctx.messageId],
    understanding: u && { intent: u.intent, topic: u.topic, confidence: u.confidence },
    ...(u?.entities.wards[0] ? { area: u.entities.wards[0] } : {}),
    ...(onlineSupport ? { onlineSupport } : {}),
  };
}

export const draftFrom = (pending: PendingRequest): TicketDraft => ({
  summary: pending.text,
  messageIds: pending.messageIds,
  understanding: pending.understanding,
  area: pending.area,
  onlineSupport: pending.onlineSupport,
});

/** Files the request and says so: its code, who handles it by when, where to follow it. */
export async function openNew(ctx: FlowContext, draft?: TicketDraft, before: Reply[] = [], place?: Place | null): Promise<StepResult> {
  const view = await ctx.openTicket(draft, place);
  const { ticket } = view;
  const next =
    ticket.status === 'triage'
      ? ctx.t('ticket.next_triage', { acceptBy: ctx.formatTime(ticket.acceptDueAt) })
      : ctx.t('ticket.next_assigned', { agency: view.agencyName, dueBy: ctx.formatTime(ticket.dueAt) });
  const opened = ctx.t('ticket.opened', { code: ticket.trackingCode, next, url: ctx.trackingUrl(ticket.trackingCode) });
  // Danger to life: the emergency numbers come first, before anything about the ticket.
  const lines = ticket.priority === 'urgent' ? [ctx.t('ticket.urgent'), opened] : [opened];
  const { pending: _pending, pendingFor: _for, form: _form, ...rest } = ctx.state;
  return {
    replies: [...before, { text: lines.join('\n'), key: ticket.priority === 'urgent' ? 'ticket.urgent' : 'ticket.opened', ticketId: ticket.id }],
    next: 'ticket_open',
    state: { ...rest, ticketId: ticket.id },
  };
}

export function statusLines(ctx: FlowContext, view: TicketView): string[] {
  const code = view.ticket.trackingCode;
  const status = ctx.t(`status.${view.ticket.status}`);
  const agencyPart = view.agencyName ? ctx.t('ticket.status_agency', { agency: view.agencyName }) : '';
  const lines = [ctx.t('ticket.status', { code, status, agencyPart })];
  if (view.answer) lines.push(ctx.t('ticket.status_answer', { answer: view.answer }));
  return lines;
}

/** Yes and no as people type them (diacritics or not, teencode), and as the buttons send them. */
export const YES = /^(?:có|co|có ạ|co a|được|duoc|dc|đc|đồng ý|dong y|ok|oke|okay|ừ|uh|vâng|vang|dạ|da|yes|yeah|yep|sure|agree|i agree)[\s!.,]*(?:ạ|a|nhé|nhe|luôn|luon)?[\s!.]*$/iu;
export const NO = /^(?:không|khong|ko|k|hông|hong|thôi|thoi|không đồng ý|khong dong y|no|nope|no thanks|i don'?t agree)[\s!.,]*(?:ạ|a|nhé|nhe|cảm ơn|cam on)?[\s!.]*$/iu;
