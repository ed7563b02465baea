// Runs the person's message through the conversation's flow, inside the transaction that
// processes it, and returns the replies to store. The flow decides; this module only provides
// the domain actions (src/tickets) and persists where the conversation stands.
import type { Flow, FlowContext, FlowState, Reply, TicketView } from '../../flows/types';
import { Prisma } from '../generated/prisma/client';
import type { Contact, Conversation, Message } from '../generated/prisma/client';
import type { TicketStatus } from '../generated/prisma/enums';
import { agencyName, isLocale, type Locale, type Translator } from '../i18n';
import type { Tx } from '../messages/store';
import type { ClassificationResult } from '../classify/types';
import type { Attachment } from '../channels/types';
import { urgentPhrase } from '../routing/priority';
import type { RoutingInput } from '../routing/route-ticket';
import { openTicket, type TicketSettings } from '../tickets/open-ticket';
import { formatLocalTime } from '../tickets/format';

export interface EngineDeps {
  flows: Record<string, Flow>;
  translator: Translator;
  tickets: TicketSettings;
  publicUrl: string;
}

type InboundWithConversation = Message & { conversation: Conversation & { contact: Contact } };

export async function runConversation(
  tx: Tx,
  deps: EngineDeps,
  message: InboundWithConversation,
  classification: ClassificationResult | null,
): Promise<Reply[]> {
  const { conversation } = message;
  const flow = deps.flows[conversation.flow] ?? deps.flows.intake;
  if (!flow) throw new Error('No "intake" flow is registered; the conversation engine needs one.');
  const stepName = flow.steps[conversation.step] ? conversation.step : flow.initial;
  const step = flow.steps[stepName]!;
  const locale: Locale = isLocale(conversation.contact.locale) ? conversation.contact.locale : 'vi';
  const ctx = buildContext(tx, deps, message, locale, (conversation.state ?? {}) as FlowState, classification);
  const result = await step(ctx);
  await tx.conversation.update({
    where: { id: conversation.id },
    data: { flow: flow.id, step: result.next, state: (result.state ?? {}) as Prisma.InputJsonValue },
  });
  return result.replies;
}

/** Answered, closed, rejected and duplicate tickets take no more messages: a new message opens a new ticket. */
const NOT_OPEN: ReadonlySet<TicketStatus> = new Set(['answered', 'closed', 'rejected', 'duplicate']);
const isOpen = (status: TicketStatus) => !NOT_OPEN.has(status);

async function ticketView(tx: Tx, where: Prisma.TicketWhereUniqueInput, locale: Locale): Promise<TicketView | null> {
  const ticket = await tx.ticket.findUnique({ where, include: { agency: true } });
  if (!ticket) return null;
  const answer = await tx.message.findFirst({
    where: { ticketId: ticket.id, author: 'agent' },
    orderBy: { seq: 'desc' },
    select: { text: true },
  });
  const { agency, ...plain } = ticket;
  return { ticket: plain, agencyName: agency ? agencyName(agency, locale) : '', answer: answer?.text };
}

function buildContext(
  tx: Tx,
  deps: EngineDeps,
  message: InboundWithConversation,
  locale: Locale,
  state: FlowState,
  classification: ClassificationResult | null,
): FlowContext {
  const urgent = urgentPhrase(message.text);
  const openTicketById = async (ticketId: string): Promise<TicketView | null> => {
    const view = await ticketView(tx, { id: ticketId }, locale);
    return view && view.ticket.contactId === message.conversation.contactId && isOpen(view.ticket.status) ? view : null;
  };
  const routing: RoutingInput = {
    classification: classification && {
      intent: classification.intent,
      topic: classification.topic,
      confidence: classification.confidence,
      area: classification.entities.wards[0],
    },
    urgentPhrase: urgent,
    threshold: deps.tickets.confidenceThreshold,
  };
  return {
    locale,
    text: message.text,
    attachments: Array.isArray(message.attachments) ? (message.attachments as unknown as Attachment[]) : [],
    state,
    understanding: classification && {
      intent: classification.intent,
      topic: classification.topic,
      confidence: classification.confidence,
      confident: classification.confidence >= deps.tickets.confidenceThreshold,
      urgent: urgent !== null,
    },
    t: (key, vars) => deps.translator.t(locale, key, vars),
    trackingUrl: (code) => `${deps.publicUrl}/t/${code}`,
    formatTime: (date) => formatLocalTime(date, locale, deps.tickets.timezoneOffsetMinutes),
    async openTicket() {
      const opened = await openTicket(tx, message, routing, deps.tickets);
      return { ticket: opened.ticket, agencyName: agencyName(opened.routing.agency, locale) };
    },
    openTicketById,
    async addToTicket(ticketId) {
      const view = await openTicketById(ticketId);
      if (!view) return null;
      await tx.message.update({ where: { id: message.id }, data: { ticketId } });
      await tx.ticketEvent.create({ data: { ticketId, kind: 'message_added', data: { messageId: message.id } } });
      return view;
    },
    findTicket: (code) => ticketView(tx, { trackingCode: code }, locale),
    async latestTicket() {
      const latest = await tx.ticket.findFirst({
        where: { contactId: message.conversation.contactId },
        orderBy: { createdAt: 'desc' },
        select: { id: true },
      });
      return latest ? ticketView(tx, { id: latest.id }, locale) : null;
    },
  };
}
