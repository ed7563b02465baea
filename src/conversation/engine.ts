// Runs the person's message through the conversation's flow, inside the transaction that
// processes it, and returns the replies to store. The flow decides; this module only provides
// the domain actions (src/tickets) and persists where the conversation stands.
import type { DraftCommentView, DraftView, Flow, FlowContext, FlowState, KnowledgeAnswer, Place, PressEventView, PublicRecord, Refused, Reply, TicketDraft, TicketView } from './types';
import { Prisma } from '../generated/prisma/client';
import type { Contact, Conversation, Message } from '../generated/prisma/client';
import { agencyName, isLocale, type Locale, type Translator } from '../i18n';
import type { Tx } from '../messages/store';
import { publishMessagesAdded } from '../live/events';
import type { ClassificationResult } from '../classify/types';
import type { Attachment } from '../channels/types';
import { urgentPhrase } from '../routing/priority';
import type { RoutingInput } from '../routing/route-ticket';
import { openTicket, type TicketSettings } from '../tickets/open-ticket';
import { formatLocalTime } from '../tickets/format';
import { parseDeadline } from '../dates/deadline';
import { cancelRegistration, register, registrationOpen, upcomingEvents } from '../press/events';
import { isSubscriptionTopic, subscribe, unsubscribe } from '../press/announcements';
import { commentOnDraft, findDraftComment, isDraftOpen, openDrafts } from '../press/drafts';
import { recordPublishConsent, type PendingPublishConsent } from '../press/published';
import { PressError } from '../press/errors';
import { savePressProfile } from '../press/profiles';
import type { DraftDocument, PressEvent, Agency } from '../generated/prisma/client';
import { isOpen, OPEN_STATUSES, transition } from '../tickets/lifecycle';

/** The knowledge base as the conversation sees it: answers in the person's language, no SQL per message. */
export interface KnowledgeBase {
  answers(query: string, locale: Locale, options?: { topic?: string; onlineFix?: boolean; limit?: number }): KnowledgeAnswer[];
  entry(slug: string, locale: Locale): KnowledgeAnswer | null;
}

export interface EngineDeps {
  flows: Record<string, Flow>;
  translator: Translator;
  tickets: TicketSettings;
  publicUrl: string;
  /** Without one, every question becomes a ticket. */
  knowledge?: KnowledgeBase;
}

/** How far back "talk to a person" gathers the conversation for the operators. */
const HANDOFF_HISTORY = 20;

type InboundWithConversation = Message & { conversation: Conversation & { contact: Contact } };

/** Where the conversation stands after a message: the caller stores it with the reply, in one statement. */
export interface ConversationStep {
  flow: string;
  step: string;
  state: FlowState;
}

export async function runConversation(
  tx: Tx,
  deps: EngineDeps,
  message: InboundWithConversation,
  classification: ClassificationResult | null,
): Promise<{ replies: Reply[]; next: ConversationStep }> {
  const { conversation } = message;
  const flow = deps.flows[conversation.flow] ?? deps.flows.intake;
  if (!flow) throw new Error('No "intake" flow is registered; the conversation engine needs one.');
  const stepName = flow.steps[conversation.step] ? conversation.step : flow.initial;
  const step = flow.steps[stepName]!;
  const locale: Locale = isLocale(conversation.contact.locale) ? conversation.contact.locale : 'vi';
  const ctx = buildContext(tx, deps, message, locale, (conversation.state ?? {}) as FlowState, classification);
  const result = await step(ctx);
  return { replies: result.replies, next: { flow: flow.id, step: result.next, state: result.state ?? {} } };
}

async function ticketView(tx: Tx, where: Prisma.TicketWhereUniqueInput, locale: Locale): Promise<TicketView | null> {
  const ticket = await tx.ticket.findUnique({ where, include: { agency: true } });
  if (!ticket) return null;
  return withAnswer(tx, ticket, locale);
}

async function withAnswer(tx: Tx, ticket: Prisma.TicketGetPayload<{ include: { agency: true } }>, locale: Locale): Promise<TicketView> {
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
  startLocale: Locale,
  state: FlowState,
  classification: ClassificationResult | null,
): FlowContext {
  const urgent = urgentPhrase(message.text);
  const contactId = message.conversation.contactId;
  let locale = startLocale;
  // The person's ticket is read once per message, whichever questions the step asks about it.
  const seen = new Map<string, Promise<TicketView | null>>();
  const mine = (ticketId: string) => {
    let view = seen.get(ticketId);
    if (!view) {
      view = ticketView(tx, { id: ticketId }, locale).then((v) => (v && v.ticket.contactId === contactId ? v : null));
      seen.set(ticketId, view);
    }
    return view;
  };
  const openTicketById = async (ticketId: string): Promise<TicketView | null> => {
    const view = await mine(ticketId);
    return view && isOpen(view.ticket.status) ? view : null;
  };
  const attach = async (ticketId: string, messageIds: string[]) => {
    seen.delete(ticketId);
    await tx.message.updateMany({ where: { id: { in: messageIds }, conversationId: message.conversationId }, data: { ticketId } });
    await tx.ticketEvent.createMany({ data: messageIds.map((messageId) => ({ ticketId, kind: 'message_added', data: { messageId } })) });
    await publishMessagesAdded(tx, ticketId, messageIds.map((id) => ({ id, direction: 'inbound' as const, author: 'person' })));
  };
  const contact = message.conversation.contact;
  const ctx: FlowContext = {
    get locale() {
      return locale;
    },
    text: message.text,
    messageId: message.id,
    attachments: Array.isArray(message.attachments) ? (message.attachments as unknown as Attachment[]) : [],
    state,
    understanding: classification && {
      intent: classification.intent,
      topic: classification.topic,
      confidence: classification.confidence,
      confident: classification.confidence >= deps.tickets.confidenceThreshold,
      urgent: urgent !== null,
      entities: {
        addresses: classification.entities.addresses,
        wards: classification.entities.wards,
        phones: classification.entities.phones,
        language: classification.entities.language,
      },
    },
    t: (key, vars) => deps.translator.t(locale, key, vars),
    trackingUrl: (code) => `${deps.publicUrl}/t/${code}`,
    formatTime: (date) => formatLocalTime(date, locale, deps.tickets.timezoneOffsetMinutes),
    parseDeadline: (words) => parseDeadline(words, { now: new Date(), timezoneOffsetMinutes: deps.tickets.timezoneOffsetMinutes }),
    async openTicket(draft?: TicketDraft, place?: Place | null) {
      const understood = draft ? (draft.toOperators ? null : draft.understanding) : classification;
      const routing: RoutingInput = {
        classification: understood && {
          intent: understood.intent,
          topic: understood.topic,
          confidence: understood.confidence,
          area: draft ? draft.area : classification?.entities.wards[0],
        },
        urgentPhrase: urgent,
        threshold: deps.tickets.confidenceThreshold,
      };
      const opened = await openTicket(tx, draft ? { ...message, text: draft.summary } : message, routing, deps.tickets, {
        place: draft ? draft.place : place,
        onlineSupport: draft?.onlineSupport,
        attachMessage: !draft || draft.messageIds.includes(message.id),
        dueBy: draft?.dueBy,
      });
      const earlier = draft?.messageIds.filter((id) => id !== message.id) ?? [];
      if (earlier.length > 0) await attach(opened.ticket.id, earlier);
      return { ticket: opened.ticket, agencyName: agencyName(opened.routing.agency, locale) };
    },
    openTicketById,
    async addToTicket(ticketId, details = {}) {
      const view = await openTicketById(ticketId);
      if (!view) return null;
      await attach(ticketId, [message.id]);
      const place = details.place;
      if (place && view.ticket.place === null && view.ticket.latitude === null) {
        await tx.ticket.update({
          where: { id: ticketId },
          data: { place: place.text ?? null, latitude: place.latitude ?? null, longitude: place.longitude ?? null },
        });
      }
      return view;
    },
    findTicket: (code) => ticketView(tx, { trackingCode: code }, locale),
    async latestTicket() {
      const latest = await tx.ticket.findFirst({
        where: { contactId },
        orderBy: { createdAt: 'desc' },
        include: { agency: true },
      });
      return latest ? withAnswer(tx, latest, locale) : null;
    },
    async openTickets() {
      const open = await tx.ticket.findMany({
        where: { contactId, status: { in: [...OPEN_STATUSES] } },
        orderBy: { createdAt: 'asc' },
        include: { agency: true },
        take: 20,
      });
      return open.map(({ agency, ...ticket }) => ({ ticket, agencyName: agency ? agencyName(agency, locale) : '' }));
    },
    consentedPhone: contact.phoneConsent && contact.phone ? contact.phone : null,
    async recordConsent(consent, phone) {
      await tx.contactConsent.create({
        data: {
          contactId,
          purpose: consent.purpose,
          granted: consent.granted,
          text: deps.translator.t(locale, consent.textKey),
          locale,
          messageId: consent.messageId,
          createdAt: consent.at,
        },
      });
      if (consent.granted && phone) {
        await tx.contact.update({ where: { id: contactId }, data: { phone, phoneConsent: true, phoneConsentAt: consent.at } });
      }
    },
    searchKnowledge: (query, options) => deps.knowledge?.answers(query, locale, options) ?? [],
    knowledgeEntry: (slug) => deps.knowledge?.entry(slug, locale) ?? null,
    async handOff() {
      // The operators get what the person said lately, not only "I want a person".
      const earlier = await tx.message.findMany({
        where: { conversationId: message.conversationId, direction: 'inbound', ticketId: null, id: { not: message.id } },
        orderBy: { seq: 'desc' },
        take: HANDOFF_HISTORY,
        select: { id: true, text: true },
      });
      const said = [...earlier].reverse().map((m) => m.text).filter((t) => t.trim() !== '');
      const summary = [deps.translator.t('vi', 'handoff.summary'), ...said.slice(-3), message.text].join(' — ');
      const view = await ctx.openTicket({ summary, messageIds: earlier.map((m) => m.id), understanding: null, toOperators: true });
      await tx.ticketEvent.create({ data: { ticketId: view.ticket.id, kind: 'handoff', data: { messageId: message.id } } });
      return view;
    },
    async rateTicket(ticketId, score) {
      const view = await mine(ticketId);
      if (!view || !['answered', 'closed'].includes(view.ticket.status)) return false;
      await tx.ticketEvent.create({ data: { ticketId, kind: 'rated', data: { score, messageId: message.id } } });
      return true;
    },
    publicRecord: publicRecord(tx, message, () => locale, deps.translator),
    attachMessages: (ticketId, messageIds) => attach(ticketId, messageIds.filter((id) => id !== message.id)),
    async setLocale(next) {
      if (next === locale) return;
      locale = next;
      await tx.contact.update({ where: { id: contactId }, data: { locale: next } });
    },
    async answeredTicket(ticketId) {
      const view = await mine(ticketId);
      return view && view.ticket.status === 'answered' ? view : null;
    },
    async reopenTicket(ticketId) {
      const view = (await mine(ticketId))!;
      const before = await tx.ticketEvent.count({ where: { ticketId, kind: 'reopened_by_person' } });
      const toOperators = before > 0;
      seen.delete(ticketId);
      const triage = toOperators ? await tx.agency.findFirst({ where: { isTriage: true, active: true } }) : null;
      const moved = await transition(tx, view.ticket, triage ? 'triage' : 'reopened', {
        by: 'person',
        kind: 'reopened_by_person',
        data: { messageId: message.id, toOperators },
        set: triage ? { agencyId: triage.id, routingRuleId: null, routingReason: 'Người dân báo lần thứ hai là chưa được giải quyết' } : undefined,
      });
      await attach(ticketId, [message.id]);
      const { agency, duplicateOf: _, ...plain } = moved.ticket;
      return { view: { ticket: plain, agencyName: agency ? agencyName(agency, locale) : '' }, toOperators: triage !== null };
    },
    async closeSolved(ticketId) {
      const view = await mine(ticketId);
      if (!view || view.ticket.status !== 'answered') return null;
      seen.delete(ticketId);
      await transition(tx, view.ticket, 'closed', { by: 'person', kind: 'solved_by_person', data: { messageId: message.id } });
      return view;
    },
  };
  return ctx;
}

/** The press center's conferences, announcements and drafts, as the person's conversation uses them. */
function publicRecord(tx: Tx, message: InboundWithConversation, locale: () => Locale, translator: Translator): PublicRecord {
  const contactId = message.conversation.contactId;
  const eventView = (event: PressEvent, now = new Date()): PressEventView => ({
    id: event.id,
    title: locale() === 'en' ? event.titleEn : event.titleVi,
    startsAt: event.startsAt,
    place: event.place,
    open: registrationOpen(event, now),
  });
  const draftView = (draft: DraftDocument & { agency: Agency }): DraftView => ({
    id: draft.id,
    title: locale() === 'en' ? draft.titleEn : draft.titleVi,
    closesAt: draft.closesAt,
    url: draft.fullTextUrl,
    agencyName: agencyName(draft.agency, locale()),
  });
  // The domain's refusals (full, closed, already registered) are answers to the person, not failures.
  const refusal = (err: unknown): Refused => {
    if (err instanceof PressError) return { refused: err.code };
    throw err;
  };
  const isUuid = (id: string) => /^[0-9a-f-]{36}$/i.test(id);
  /** Registers or cancels; an id that is not one (a tampered button) is refused like a closed event. */
  const onEvent = async (
    eventId: string,
    invalid: string,
    act: (tx: Tx, eventId: string, contactId: string) => Promise<{ eventId: string }>,
  ): Promise<PressEventView | Refused> => {
    if (!isUuid(eventId)) return { refused: invalid };
    try {
      const registration = await act(tx, eventId, contactId);
      return eventView(await tx.pressEvent.findUniqueOrThrow({ where: { id: registration.eventId } }));
    } catch (err) {
      return refusal(err);
    }
  };
  return {
    async pressProfile() {
      const profile = await tx.pressProfile.findUnique({ where: { contactId } });
      return profile && { name: profile.name, newsroom: profile.newsroom, pressCardNumber: profile.pressCardNumber, verified: profile.verifiedAt !== null };
    },
    async savePressProfile(profile) {
      await savePressProfile(tx, contactId, profile);
    },
    upcomingEvents: async () => (await upcomingEvents(tx, new Date(), 8)).map((e) => eventView(e)),
    register: (eventId) => onEvent(eventId, 'event_closed', register),
    cancelRegistration: (eventId) => onEvent(eventId, 'not_registered', cancelRegistration),
    async subscribe(topic) {
      if (!isSubscriptionTopic(topic)) return false;
      await subscribe(tx, contactId, topic);
      return true;
    },
    unsubscribe: () => unsubscribe(tx, contactId),
    async openDrafts() {
      const drafts = await openDrafts(tx);
      const agencies = new Map((await tx.agency.findMany({ where: { id: { in: drafts.map((d) => d.agencyId) } } })).map((a) => [a.id, a]));
      return drafts.map((d) => draftView({ ...d, agency: agencies.get(d.agencyId)! }));
    },
    async comment(draftId, text, article) {
      if (!isUuid(draftId)) return { refused: 'draft_closed' };
      try {
        const { trackingCode } = await commentOnDraft(tx, { draftId, contactId, text, article });
        const draft = await tx.draftDocument.findUniqueOrThrow({ where: { id: draftId }, include: { agency: true } });
        return { code: trackingCode, draft: draftView(draft) };
      } catch (err) {
        return refusal(err);
      }
    },
    async draftComment(code): Promise<DraftCommentView | null> {
      const comment = await findDraftComment(tx, code);
      if (!comment) return null;
      return { code: comment.trackingCode, draft: draftView(comment.draft), receivedAt: comment.createdAt, open: isDraftOpen(comment.draft, new Date()) };
    },
    async pendingPublishConsent() {
      const pending = (message.conversation.state as { publishConsent?: PendingPublishConsent } | null)?.publishConsent;
      if (!pending) return null;
      const latest = await tx.message.findFirst({
        where: { conversationId: message.conversationId, direction: 'outbound', seq: { lt: message.seq } },
        orderBy: { seq: 'desc' },
        select: { id: true },
      });
      return latest?.id === pending.messageId ? pending.code : null;
    },
    async answerPublishConsent(code, granted) {
      // What the person was shown is kept with their answer: the question's own text when known.
      const pending = (message.conversation.state as { publishConsent?: PendingPublishConsent } | null)?.publishConsent;
      const asked = pending && pending.code === code ? await tx.message.findUnique({ where: { id: pending.messageId }, select: { text: true } }) : null;
      return recordPublishConsent(tx, {
        contactId,
        code,
        granted,
        text: asked?.text ?? translator.t(locale(), 'press:publish_consent.ask', { code, summary: '…' }),
        locale: locale(),
        messageId: message.id,
      });
    },
  };
}
