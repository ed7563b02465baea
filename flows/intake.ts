// Intake: every message either asks about a tracking code, adds to the person's open ticket, or
// opens a new ticket. (Classification, FAQ answers and menus arrive with later flows.)
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

async function openNew(ctx: FlowContext): Promise<StepResult> {
  const view = await ctx.openTicket();
  const { ticket } = view;
  const next =
    ticket.status === 'triage'
      ? ctx.t('ticket.next_triage', { acceptBy: ctx.formatTime(ticket.acceptDueAt) })
      : ctx.t('ticket.next_assigned', { agency: view.agencyName, dueBy: ctx.formatTime(ticket.dueAt) });
  const text = ctx.t('ticket.opened', { code: ticket.trackingCode, next, url: ctx.trackingUrl(ticket.trackingCode) });
  return { replies: [{ text, ticketId: ticket.id }], next: 'ticket_open', state: { ticketId: ticket.id } };
}

async function start(ctx: FlowContext): Promise<StepResult> {
  const code = findTrackingCode(ctx.text);
  if (code) return { replies: statusReply(ctx, code, await ctx.findTicket(code)), next: 'start', state: ctx.state };
  return openNew(ctx);
}

async function ticketOpen(ctx: FlowContext): Promise<StepResult> {
  const ticketId = typeof ctx.state.ticketId === 'string' ? ctx.state.ticketId : null;
  if (findTrackingCode(ctx.text) || !ticketId) return start(ctx);
  const view = await ctx.addToTicket(ticketId);
  if (!view) return openNew(ctx);
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
