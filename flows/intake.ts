// Intake: every message either asks about a request (a tracking code, or "where is my request?"),
// is small talk the bot answers itself, adds to the person's open ticket, or opens a new ticket.
// Only confident classifications change the path; anything unsure becomes a ticket a human sees.
import { findTrackingCode } from '../src/tickets/tracking-code';
import type { Flow, FlowContext, StepResult, TicketView } from './types';

function statusReply(ctx: FlowContext, code: string, view: TicketView | null): StepResult['replies'] {
  if (!view) return [{ text: ctx.t('ticket.status_unknown', { code }) }];
  const status = ctx.t(`status.${view.ticket.status}`);
  const agencyPart = ctx.t('ticket.status_agency', { agency: view.agencyName });
  const lines = [ctx.t('ticket.status', { code, status, agencyPart })];
  if (view.answer) lines.push(ctx.t('ticket.status_answer', { answer: view.answer }));
  lines.push(ctx.trackingUrl(code));
  return [{ text: lines.join('\n'), ticketId: view.ticket.id }];
}

const confidently = (ctx: FlowContext, intent: string) =>
  ctx.understanding?.confident === true && ctx.understanding.intent === intent && !ctx.understanding.urgent;

/** A confident classification about another subject, or a new danger, is a new request, not a follow-up. */
function isNewProblem(ctx: FlowContext, open: TicketView): boolean {
  const u = ctx.understanding;
  if (!u?.confident) return false;
  if (u.urgent && open.ticket.priority !== 'urgent') return true;
  return u.topic !== 'general' && open.ticket.topic !== null && u.topic !== open.ticket.topic;
}

async function openNew(ctx: FlowContext): Promise<StepResult> {
  const view = await ctx.openTicket();
  const { ticket } = view;
  const next =
    ticket.status === 'triage'
      ? ctx.t('ticket.next_triage', { acceptBy: ctx.formatTime(ticket.acceptDueAt) })
      : ctx.t('ticket.next_assigned', { agency: view.agencyName, dueBy: ctx.formatTime(ticket.dueAt) });
  const lines = [ctx.t('ticket.opened', { code: ticket.trackingCode, next, url: ctx.trackingUrl(ticket.trackingCode) })];
  if (ticket.priority === 'urgent') lines.push(ctx.t('ticket.urgent'));
  return { replies: [{ text: lines.join('\n'), ticketId: ticket.id }], next: 'ticket_open', state: { ticketId: ticket.id } };
}

async function lookUp(ctx: FlowContext, code: string): Promise<StepResult> {
  return { replies: statusReply(ctx, code, await ctx.findTicket(code)), next: ctx.state.ticketId ? 'ticket_open' : 'start', state: ctx.state };
}

async function latestStatus(ctx: FlowContext): Promise<StepResult> {
  const view = await ctx.latestTicket();
  const replies = view ? statusReply(ctx, view.ticket.trackingCode, view) : [{ text: ctx.t('ticket.status_none') }];
  return { replies, next: ctx.state.ticketId ? 'ticket_open' : 'start', state: ctx.state };
}

function smallTalk(ctx: FlowContext): StepResult {
  return { replies: [{ text: ctx.t('other.reply') }], next: ctx.state.ticketId ? 'ticket_open' : 'start', state: ctx.state };
}

/** Chat platforms (Telegram) send "/start" when a person opens the bot: greet, open nothing. */
const isStartCommand = (text: string) => /^\/start$/i.test(text.trim());

/**
 * A sticker, or something the platform could not pass on, says nothing a ticket could hold: ask for
 * words instead. A photo, file or location alone is content (a photo of a flooded street is a
 * report), so it opens or joins a ticket, and the reply asks for a few words about it.
 */
const saysNothing = (ctx: FlowContext) =>
  ctx.text.trim() === '' && ctx.attachments.every((a) => a.type === 'sticker' || (a.type === 'file' && !a.url));
const mediaOnly = (ctx: FlowContext) => ctx.text.trim() === '' && ctx.attachments.length > 0;

function askForWords(ctx: FlowContext): StepResult {
  return { replies: [{ text: ctx.t('media.say_more') }], next: ctx.state.ticketId ? 'ticket_open' : 'start', state: ctx.state };
}

async function start(ctx: FlowContext): Promise<StepResult> {
  if (isStartCommand(ctx.text)) return smallTalk(ctx);
  if (saysNothing(ctx)) return askForWords(ctx);
  if (mediaOnly(ctx)) {
    const opened = await openNew(ctx);
    return { ...opened, replies: [...opened.replies, { text: ctx.t('media.describe'), ticketId: opened.replies[0]?.ticketId }] };
  }
  const code = findTrackingCode(ctx.text);
  if (code) return lookUp(ctx, code);
  if (confidently(ctx, 'status')) return latestStatus(ctx);
  if (confidently(ctx, 'other')) return smallTalk(ctx);
  return openNew(ctx);
}

async function ticketOpen(ctx: FlowContext): Promise<StepResult> {
  const ticketId = typeof ctx.state.ticketId === 'string' ? ctx.state.ticketId : null;
  if (!ticketId || isStartCommand(ctx.text) || saysNothing(ctx) || findTrackingCode(ctx.text) || confidently(ctx, 'status') || confidently(ctx, 'other')) {
    return start(ctx);
  }
  const open = await ctx.openTicketById(ticketId);
  if (!open || isNewProblem(ctx, open)) return openNew(ctx);
  const view = (await ctx.addToTicket(ticketId))!;
  return {
    replies: [{ text: ctx.t('ticket.appended', { code: view.ticket.trackingCode }), ticketId }],
    next: 'ticket_open',
    state: ctx.state,
  };
}

export const intakeFlow: Flow = {
  id: 'intake',
  initial: 'start',
  steps: { start, ticket_open: ticketOpen },
};
