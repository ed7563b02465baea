// A conversation is a state machine declared as data: named steps, each a small function from
// the person's message (and the conversation's state) to replies and the next step.
import type { Attachment, Button } from '../channels/types';
import type { Ticket } from '../generated/prisma/client';
import type { Locale } from '../i18n';

export interface Reply {
  text: string;
  /** The locale key of the reply's main text: what kind of reply it is (story tests check it). */
  key?: string;
  buttons?: Button[];
  ticketId?: string;
}

export type FlowState = Record<string, unknown>;

export interface TicketView {
  ticket: Ticket;
  agencyName: string;
  /** The latest agency answer, if any (public: it is shown on the tracking page too). */
  answer?: string;
}

/** What the classifier made of the message (null when no classifier ran). */
export interface Understanding {
  intent: string;
  topic: string;
  confidence: number;
  /** Confident enough to act on without a human (CLASSIFY_CONFIDENCE_THRESHOLD). */
  confident: boolean;
  /** Danger to life, health or property. */
  urgent: boolean;
  /** What the classifier found in the text (street addresses, wards, phones) and its language. */
  entities: { addresses: string[]; wards: string[]; phones: string[]; language: 'vi' | 'en' };
}

/** What a ticket is opened from when the request took several messages (a report, then its place). */
export interface TicketDraft {
  /** The request as it will be summarised for staff. */
  summary: string;
  /** Earlier messages of the request, attached to the ticket with this one. */
  messageIds: string[];
  /** The classification of the message that made the request, routing the ticket. */
  understanding: Pick<Understanding, 'intent' | 'topic' | 'confidence'> | null;
  /** The ward the request names (routing rules may route by area). */
  area?: string;
  /** Where it happened, as the person said it and/or as a shared location. */
  place?: Place | null;
  /** Help with an online public service (the 1022 "branch 7" work), whatever the classifier said. */
  onlineSupport?: boolean;
  /** Sent to the operators whatever the classification (the person asked for a person). */
  toOperators?: boolean;
  /** The person's own deadline (a reporter's "before 4 pm Friday"). */
  dueBy?: Date;
}

export interface Place {
  text?: string;
  latitude?: number;
  longitude?: number;
}

/** A knowledge-base answer in the person's language. */
export interface KnowledgeAnswer {
  slug: string;
  title: string;
  answer: string;
  sourceName: string;
  sourceUrl: string;
}

export interface PressEventView {
  id: string;
  title: string;
  startsAt: Date;
  place: string;
  open: boolean;
}

export interface DraftView {
  id: string;
  title: string;
  closesAt: Date;
  url: string;
  agencyName: string;
}

/** A comment on a draft, looked up by its code (GY-…): no text, nothing about who wrote it. */
export interface DraftCommentView {
  code: string;
  draft: DraftView;
  receivedAt: Date;
  /** The draft is still open for comments. */
  open: boolean;
}

/** A refusal from the public record (event_full, draft_closed…): its code is a locale key of `press`. */
export type Refused = { refused: string };

/** A reporter's details, asked once and remembered for the contact. */
export interface PressProfileView {
  name: string;
  newsroom: string;
  pressCardNumber: string;
  verified: boolean;
}

export interface PublicRecord {
  pressProfile(): Promise<PressProfileView | null>;
  savePressProfile(profile: { name: string; newsroom: string; pressCardNumber: string; cardPhotoMessageId?: string | null }): Promise<void>;
  upcomingEvents(): Promise<PressEventView[]>;
  register(eventId: string): Promise<PressEventView | Refused>;
  cancelRegistration(eventId: string): Promise<PressEventView | Refused>;
  subscribe(topic: string): Promise<boolean>;
  /** Stops every announcement to this person; how many subscriptions ended. */
  unsubscribe(): Promise<number>;
  openDrafts(): Promise<DraftView[]>;
  comment(draftId: string, text: string, article?: string | null): Promise<{ code: string; draft: DraftView } | Refused>;
  /** A draft comment by its code, for "where is my comment?". */
  draftComment(code: string): Promise<DraftCommentView | null>;
  /** The ticket code of the publication question the bot just asked (its latest message), if it is that. */
  pendingPublishConsent(): Promise<string | null>;
  /** The person's answer to "may your question be published?"; false when nothing of theirs was asked. */
  answerPublishConsent(code: string, granted: boolean): Promise<boolean>;
}

/** What the person agreed to (or refused), kept with its wording and time. */
export interface ConsentRecord {
  purpose: 'phone_contact';
  granted: boolean;
  /** The locale key of the text the person was shown. */
  textKey: string;
  /** The message that gave (or refused) it. */
  messageId: string;
  at: Date;
}

/** What a step may do; the engine implements it inside the message's transaction. */
export interface FlowContext {
  locale: Locale;
  text: string;
  /** What came with the text (photo, file, location, sticker…), as the channel parsed it. */
  attachments: Attachment[];
  state: FlowState;
  understanding: Understanding | null;
  t(key: string, vars?: Record<string, unknown>): string;
  /** The public tracking address of a code. */
  trackingUrl(code: string): string;
  formatTime(date: Date): string;
  /** The deadline the person's words give ("trước 16h thứ Sáu"), in the hotline's time zone; null when none. */
  parseDeadline(words: string): Date | null;
  /** Opens a ticket from this message, or from a draft of several; `place`: where this message says it is. */
  openTicket(draft?: TicketDraft, place?: Place | null): Promise<TicketView>;
  /** This message's id (to keep as part of a request that is still being completed). */
  messageId: string;
  /** Speaks `locale` from now on, to this person on this channel (remembered on the contact). */
  setLocale(locale: Locale): Promise<void>;
  /** Every open request of this person on this channel, oldest first. */
  openTickets(): Promise<TicketView[]>;
  /** This person's ticket if it has been answered, for "did it solve your problem?". */
  answeredTicket(ticketId: string): Promise<TicketView | null>;
  /**
   * The person says an answered ticket did not solve the problem: it is reopened for its agency
   * with this message attached, or, if the person reopened it before, sent to the operators.
   */
  reopenTicket(ticketId: string): Promise<{ view: TicketView; toOperators: boolean }>;
  /** The person says the answer solved it: the ticket is closed. */
  closeSolved(ticketId: string): Promise<TicketView | null>;
  /** This person's ticket if it is still open (not answered, closed…), without changing it. */
  openTicketById(ticketId: string): Promise<TicketView | null>;
  /**
   * Attaches the message to this person's ticket if it is still open; null when it is not (answered,
   * closed…). A place given later fills the ticket's place when it had none.
   */
  addToTicket(ticketId: string, details?: { place?: Place | null }): Promise<TicketView | null>;
  /** A ticket by code, for status look-ups (no personal data in a TicketView). */
  findTicket(code: string): Promise<TicketView | null>;
  /** This person's most recent ticket on this channel, for "where is my request?". */
  latestTicket(): Promise<TicketView | null>;
  /** The phone number the person let the hotline keep, if any. */
  consentedPhone: string | null;
  /** Stores the person's consent (or refusal) and, when given, the phone number on the contact. */
  recordConsent(consent: ConsentRecord, phone?: string | null): Promise<void>;
  /** Answers from the knowledge base for the person's words, best first (none when nothing fits). */
  searchKnowledge(query: string, options?: { topic?: string; onlineFix?: boolean; limit?: number }): KnowledgeAnswer[];
  /** One knowledge-base answer by its slug. */
  knowledgeEntry(slug: string): KnowledgeAnswer | null;
  /**
   * The person asked for a person: a ticket for the operators with the conversation's recent
   * messages attached (or this message added to the open hand-off ticket).
   */
  handOff(): Promise<TicketView>;
  /** The person's 1–5 rating of how their request was handled; false when it is not theirs to rate. */
  rateTicket(ticketId: string, score: number): Promise<boolean>;
  /** The press center's public record: conferences, announcements, draft consultations. */
  publicRecord: PublicRecord;
  /** Attaches earlier messages of this conversation (a question the bot answered first, a pending follow-up). */
  attachMessages(ticketId: string, messageIds: string[]): Promise<void>;
}

export interface StepResult {
  replies: Reply[];
  next: string;
  state?: FlowState;
}

export type FlowStep = (ctx: FlowContext) => Promise<StepResult>;

export interface Flow {
  id: string;
  initial: string;
  steps: Record<string, FlowStep>;
}

// ---- Forms: what a flow must know, declared as slots -------------------------------------------

/** A slot's answer: its value, the locale key of what is wrong with it, or "not an answer" (null). */
export type SlotAnswer = { value: unknown } | { invalid: string };

export type SlotValues = Record<string, unknown>;

export interface Slot {
  name: string;
  /** Locale key of the question. */
  prompt: string;
  /** Buttons under the question: locale key of the label, value the button sends back. */
  choices?: Array<{ label: string; value: string }>;
  /** Asked only when this holds (the phone number only after consent). */
  when?: (values: SlotValues, ctx: FlowContext) => boolean;
  /** What the form's first message already says: pre-filled, shown in the summary, not asked. */
  prefill?: (ctx: FlowContext) => unknown;
  /** The person's answer to the question. */
  parse: (ctx: FlowContext, values: SlotValues) => SlotAnswer;
}

export interface Form {
  id: string;
  slots: Slot[];
  /** Locale key of the summary the person confirms, with its variables; no confirmation without it. */
  confirm?: { prompt: string; vars: (ctx: FlowContext, values: SlotValues) => Record<string, unknown>; change: string[] };
  /** What happens when everything is known (and confirmed): a named action of the flow. */
  complete: (ctx: FlowContext, values: SlotValues, messageIds: string[]) => Promise<StepResult>;
}
