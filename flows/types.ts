// A conversation is a state machine declared as data: named steps, each a small function from
// the person's message (and the conversation's state) to replies and the next step.
import type { Attachment, Button } from '../src/channels/types';
import type { Ticket } from '../src/generated/prisma/client';
import type { Locale } from '../src/i18n';

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
  openTicket(draft?: TicketDraft): Promise<TicketView>;
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
  /** Attaches the message to this person's ticket if it is still open; null when it is not (answered, closed…). */
  addToTicket(ticketId: string): Promise<TicketView | null>;
  /** A ticket by code, for status look-ups (no personal data in a TicketView). */
  findTicket(code: string): Promise<TicketView | null>;
  /** This person's most recent ticket on this channel, for "where is my request?". */
  latestTicket(): Promise<TicketView | null>;
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
