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
  };
  personalDataHidden: boolean;
  contact: { channel: Channel; displayName: string | null; phone: string | null; locale: string };
  messages: TicketMessage[];
  events: TicketEvent[];
}
