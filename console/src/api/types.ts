// The shapes the console reads from the JSON API, as its route schemas declare them (see /docs).

export type Role = 'admin' | 'operator' | 'agency_staff' | 'press_officer';
export const ROLES: readonly Role[] = ['admin', 'operator', 'agency_staff', 'press_officer'];

export type TicketStatus =
  | 'new'
  | 'triage'
  | 'assigned'
  | 'in_progress'
  | 'answered'
  | 'closed'
  | 'transferred'
  | 'reopened'
  | 'duplicate'
  | 'rejected';
export const TICKET_STATUSES: readonly TicketStatus[] = [
  'new',
  'triage',
  'assigned',
  'in_progress',
  'answered',
  'closed',
  'transferred',
  'reopened',
  'duplicate',
  'rejected',
];
export type TicketPriority = 'urgent' | 'normal' | 'complex';
export const TICKET_PRIORITIES: readonly TicketPriority[] = ['urgent', 'normal', 'complex'];
export type Channel = 'webchat' | 'zalo_oa' | 'zalo_bot' | 'telegram';
export const CHANNELS: readonly Channel[] = ['webchat', 'zalo_oa', 'zalo_bot', 'telegram'];

/** GET /api/me */
export interface Me {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  /** An agency lead: also manages the agency's staff, canned answers and knowledge entries. */
  isLead?: boolean;
  mustChangePassword: boolean;
  csrfToken?: string;
}

/** POST /api/auth/login */
export interface LoginResult {
  token: string;
  expiresAt: string;
  csrfToken: string;
  user: Me;
}

/** GET /api/agencies */
export interface Agency {
  id: string;
  slug: string;
  name: string;
  nameEn: string;
  isTriage: boolean;
}

/** One row of GET /api/tickets */
export interface TicketRow {
  trackingCode: string;
  status: TicketStatus;
  priority: TicketPriority;
  intent: string | null;
  topic: string | null;
  channel: Channel;
  onlineSupport: boolean;
  summary: string;
  agency: { id: string; name: string } | null;
  assignee: { id: string; displayName: string } | null;
  routingReason: string;
  acceptDueAt: string;
  dueAt: string;
  overdue: boolean;
  createdAt: string;
}

export interface TicketList {
  items: TicketRow[];
  total: number;
  nextCursor: string | null;
}

/** GET /api/tickets/counts */
export interface TicketCounts {
  total: number;
  byStatus: Record<TicketStatus, number>;
  overdue: number;
  mine: number;
  /** Open tickets (work to do). */
  open: number;
  /** Open tickets nobody has taken. */
  notTaken: number;
}

export interface Attachment {
  type: 'image' | 'file' | 'audio' | 'video' | 'sticker' | 'link' | 'location' | 'contact';
  url?: string;
  /** Where the console fetches the file (GET /api/messages/:id/attachments/:index). */
  href?: string;
  name?: string;
  latitude?: number;
  longitude?: number;
  phone?: string;
  /** Personal data (a location, a contact card) this viewer may not see. */
  hidden?: boolean;
}

export type Delivery = 'none' | 'pending' | 'sent' | 'failed' | 'delivered' | 'seen';

export interface TicketMessage {
  id: string;
  seq: number;
  direction: 'inbound' | 'outbound';
  author: 'person' | 'bot' | 'agent';
  text: string;
  fullText?: string;
  rateLimited?: boolean;
  attachments: Attachment[];
  ticketId: string | null;
  /** The staff member who wrote a reply (names in TicketDetail.staffNames). */
  staffUserId: string | null;
  delivery: Delivery;
  deliveryError: string | null;
  createdAt: string;
}

export interface TicketEvent {
  id: string;
  kind: string;
  actorId: string | null;
  fromStatus: TicketStatus | null;
  toStatus: TicketStatus | null;
  data: Record<string, unknown>;
  createdAt: string;
}

/** GET /api/tickets/:code */
export interface TicketDetail {
  ticket: {
    id: string;
    trackingCode: string;
    channel: Channel;
    intent: string | null;
    topic: string | null;
    confidence: number | null;
    priority: TicketPriority;
    status: TicketStatus;
    agencyId: string | null;
    agency: (Agency & { active: boolean }) | null;
    assigneeId: string | null;
    routingRuleId: string | null;
    routingReason: string;
    onlineSupport: boolean;
    summary: string;
    place: string | null;
    latitude: number | null;
    longitude: number | null;
    acceptDueAt: string;
    dueAt: string;
    answeredAt: string | null;
    closedAt: string | null;
    createdAt: string;
    overdue: boolean;
    duplicateOfCode: string | null;
    /** The routing rule that sent it to its agency. */
    routingRule: { id: string; name: string } | null;
  };
  /** Display names of the staff in the messages and the history, by id. */
  staffNames: Record<string, string>;
  personalDataHidden: boolean;
  contact: { channel: Channel; displayName: string | null; phone: string | null; locale: string };
  messages: TicketMessage[];
  events: TicketEvent[];
}

// ---- press center (src/press/routes.ts) ----

/** One of GET /api/tickets/:code/subtasks */
export interface Subtask {
  id: string;
  ticketId: string;
  agencyId: string;
  agency: { slug: string; name: string };
  question: string;
  dueAt: string | null;
  answer: string | null;
  answeredAt: string | null;
  createdAt: string;
}

/** One of GET /api/press/profiles */
export interface PressProfile {
  id: string;
  contactId: string;
  name: string;
  newsroom: string;
  pressCardNumber: string;
  phone: string | null;
  email: string | null;
  consentGivenAt: string | null;
  verifiedAt: string | null;
  channel: Channel;
  locale: string;
  createdAt: string;
}

/** One of GET /api/press/events */
export interface PressEvent {
  id: string;
  titleVi: string;
  titleEn: string;
  startsAt: string;
  place: string;
  topic: string | null;
  agencies: string[];
  registrationDeadline: string;
  capacity: number | null;
  onlineLink: string | null;
  cancelledAt: string | null;
  registered?: number;
}

/** One of GET /api/press/events/:id/registrations */
export interface PressRegistration {
  id: string;
  channel: Channel;
  registeredAt: string;
  cancelledAt: string | null;
  remindedAt: string | null;
  profile: PressProfile | null;
}

export const SUBSCRIPTION_TOPICS = ['press_releases', 'spokesperson', 'conference_schedule', 'service_outages'] as const;
export type SubscriptionTopic = (typeof SUBSCRIPTION_TOPICS)[number];

export interface AnnouncementCounts {
  stored: number;
  sent: number;
  pending: number;
  failed: number;
  withheld: number;
}

/** One of GET /api/press/announcements (with counts from GET /api/press/announcements/:id) */
export interface Announcement {
  id: string;
  topic: SubscriptionTopic;
  titleVi: string;
  titleEn: string;
  bodyVi: string;
  bodyEn: string;
  publishedAt: string | null;
  fannedOutAt: string | null;
  stoppedAt: string | null;
  storedCount: number;
  createdAt: string;
  counts?: AnnouncementCounts;
}

/** One of GET /api/press/drafts */
export interface DraftDocument {
  id: string;
  titleVi: string;
  titleEn: string;
  agencyId: string;
  agency: { id: string; slug: string; name: string };
  summary: string;
  fullTextUrl: string;
  opensAt: string;
  closesAt: string;
  comments: number;
}

/** One of GET /api/press/drafts/:id/comments */
export interface DraftComment {
  id: string;
  trackingCode: string;
  article: string | null;
  text: string;
  createdAt: string;
}

/** One of GET /api/press/published */
export interface PublishedAnswer {
  id: string;
  trackingCode: string | null;
  question: string;
  answer: string;
  topic: string | null;
  agency: { id: string; slug: string; name: string } | null;
  anonymised: boolean;
  consent: boolean;
  locale: 'vi' | 'en';
  publishedAt: string;
}

/** GET /api/press/published: one page (20) of one language's answers, newest first */
export interface PublishedAnswerPage {
  answers: PublishedAnswer[];
  total: number;
  page: number;
  pages: number;
}

// ---- administration (src/console/routes/admin-*.ts) ----

/** One of GET /api/admin/agencies */
export interface AgencyAdmin extends Agency {
  active: boolean;
  createdAt: string;
  staff: number;
  openTickets: number;
  tickets: number;
}

/** One of GET /api/admin/staff */
export interface StaffAccount {
  id: string;
  email: string;
  displayName: string;
  role: Role;
  agencyId: string | null;
  isLead: boolean;
  active: boolean;
  mustChangePassword: boolean;
  lastLoginAt: string | null;
  createdAt: string;
}

/** POST /api/admin/staff, POST /api/admin/staff/:id/reset-password */
export interface StaffWithPassword {
  user: StaffAccount;
  oneTimePassword: string;
}


/** One of GET /api/admin/routing/rules */
export interface RoutingRule {
  id: string;
  name: string;
  intent: string | null;
  topic: string | null;
  area: string | null;
  agencyId: string;
  agency: { id: string; slug: string; name: string; active: boolean };
  priority: TicketPriority;
  onlineSupport: boolean;
  position: number;
  active: boolean;
  tickets: number;
  createdAt: string;
}

/** POST /api/admin/routing/test */
export interface RoutingTest {
  classification: {
    intent: string;
    topic: string;
    confidence: number;
    intentConfidence: number;
    topicConfidence: number;
    source: 'builtin' | 'llm';
    entities: { wards: string[]; addresses: string[]; phones: string[]; trackingCodes: string[]; language: string };
  } | null;
  threshold: number;
  urgentPhrase: string | null;
  routing: {
    agency: { id: string; slug: string; name: string };
    rule: { id: string; name: string; position: number } | null;
    status: 'triage' | 'assigned';
    priority: TicketPriority;
    onlineSupport: boolean;
    reason: string;
  };
}

/** One of GET /api/admin/knowledge */
export interface KnowledgeEntry {
  id: string;
  slug: string;
  topic: string;
  agencyId: string | null;
  kind: 'answer' | 'online_fix';
  titleVi: string;
  titleEn: string;
  answerVi: string;
  answerEn: string;
  keywords: string[];
  sourceName: string;
  sourceUrl: string;
  active: boolean;
  updatedAt: string;
}

/** One of GET /api/admin/calendar/days */
export interface CalendarDay {
  date: string;
  kind: 'holiday' | 'working_day';
  name: string;
  nameEn: string;
  provisional: boolean;
  source: string | null;
}

/** One of GET /api/admin/calendar/hours */
export interface WorkingWindow {
  weekday: number;
  opensAt: number;
  closesAt: number;
}

/** One of GET /api/canned-answers (without ?ticket) */
export interface CannedAnswer {
  id: string;
  title: string;
  body: string;
  locale: 'vi' | 'en';
  agencyId: string | null;
  active: boolean;
  editable: boolean;
  updatedAt: string;
}

// ---- reports (src/reports) ----

/** GET /api/reports/dashboard */
export interface Dashboard {
  range: { from: string; to: string; agencyId: string | null; timezoneOffsetMinutes: number };
  totals: { tickets: number; answered: number; onlineSupport: number };
  perDay: Array<{ date: string; total: number } & Record<Channel, number>>;
  byIntent: Array<{ key: string | null; count: number }>;
  byTopic: Array<{ key: string | null; count: number }>;
  byAgency: Array<{ agencyId: string | null; name: string | null; nameEn: string | null; count: number }>;
  onTime: { due: number; onTime: number; rate: number | null };
  firstResponse: { count: number; medianWorkingHours: number | null };
  resolution: { count: number; medianWorkingHours: number | null };
  now: { backlog: number; overdue: number };
  ratings: { count: number; average: number | null; distribution: Record<'1' | '2' | '3' | '4' | '5', number> };
  onlineSupport: { tickets: number; answered: number; share: number | null };
}

export type PeriodKind = 'month' | 'quarter' | 'year';

/** GET /api/reports/period */
export interface PeriodReport {
  period: { kind: PeriodKind; year: number; number: number | null; from: string; to: string };
  requests: { received: number; answered: number };
  questions: { received: number; answered: number };
  onlineSupport: { received: number; handled: number };
  pressRequests: { received: number; answered: number };
  draftComments: { total: number; drafts: Array<{ draftId: string; titleVi: string; titleEn: string; agency: string; comments: number }> };
  pressConferences: { held: number; registrants: number; events: Array<{ eventId: string; titleVi: string; titleEn: string; startsAt: string; registrants: number }> };
}

// ---- notifications (src/console/routes/notifications.ts) ----

/** One of GET /api/notifications */
export interface StaffNotification {
  id: string;
  kind: 'new_ticket' | 'overdue' | 'reopened';
  /** In the staff member's language. */
  title: string;
  ticketCode: string;
  agencyId: string | null;
  read: boolean;
  readAt: string | null;
  at: string;
}

/** GET /api/notifications */
export interface NotificationList {
  items: StaffNotification[];
  total: number;
  unread: number;
  page: number;
  hasMore: boolean;
}
