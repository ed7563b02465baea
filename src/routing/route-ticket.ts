// Routing turns (intent, topic, area) into an agency through the rules stored in the database,
// and always says why. What cannot be classified goes to the operators' triage inbox.
import type { Agency, RoutingRule } from '../generated/prisma/client';
import type { TicketPriority } from '../generated/prisma/enums';
import type { Tx } from '../messages/store';

export interface Classification {
  intent: string;
  topic: string;
  confidence: number;
  /** The ward or commune the message is about, when known. */
  area?: string;
}

export interface RoutingInput {
  /** null when nothing classified the message. */
  classification: Classification | null;
  /** The words that make the message urgent (danger to life or property), or null. */
  urgentPhrase: string | null;
  /** Below this confidence a classification is not trusted: operators triage the ticket. */
  threshold: number;
}

export interface RoutingDecision {
  agency: Agency;
  rule: RoutingRule | null;
  priority: TicketPriority;
  status: 'triage' | 'assigned';
  /** service_support: flagged for the online-service support team. */
  onlineSupport: boolean;
  reason: string;
}

export class RoutingSetupError extends Error {
  override name = 'RoutingSetupError';
}

/** Case- and diacritic-insensitive comparison for areas ("Bến Thành" = "ben thanh"). */
export function sameArea(a: string, b: string): boolean {
  const fold = (s: string) =>
    s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/gi, 'd').toLowerCase().replace(/\s+/g, ' ').trim();
  return fold(a) === fold(b);
}

export function ruleMatches(rule: RoutingRule, c: Classification): boolean {
  if (rule.intent && rule.intent !== c.intent) return false;
  if (rule.topic && rule.topic !== c.topic) return false;
  if (rule.area && !(c.area && sameArea(rule.area, c.area))) return false;
  return true;
}

const noTriage = () => new RoutingSetupError('No active triage agency: mark one agency as the operators’ triage inbox (is_triage).');

/** What routing reads: the active rules of active agencies in their order, and the triage agency. */
export interface RoutingTable {
  rules: Array<RoutingRule & { agency: Agency }>;
  triage: Agency | null;
}

export async function readRoutingTable(tx: Tx): Promise<RoutingTable> {
  // One after the other: a transaction's statements share its one connection anyway.
  const rules = await tx.routingRule.findMany({
    where: { active: true, agency: { active: true } },
    include: { agency: true },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
  });
  const triage = await tx.agency.findFirst({ where: { isTriage: true, active: true }, orderBy: { createdAt: 'asc' } });
  return { rules, triage };
}

/**
 * The routing table as read at most `maxAgeMs` ago, so a burst of tickets does not read the same
 * rules for each. The console forgets it after an administrator changes rules or agencies (seen
 * by the next ticket on that node); other nodes see the change within `maxAgeMs`.
 */
export class RoutingTableCache {
  private held: { table: Promise<RoutingTable>; at: number } | null = null;

  constructor(readonly maxAgeMs = 2000) {}

  get(tx: Tx): Promise<RoutingTable> {
    const now = performance.now();
    if (!this.held || now - this.held.at > this.maxAgeMs) {
      const table = readRoutingTable(tx);
      this.held = { table, at: now };
      // A failed read, or a table routing cannot work with (no triage agency), is not kept: the
      // next ticket reads again, so a fixed setup is seen at once.
      const drop = () => {
        if (this.held?.table === table) this.held = null;
      };
      table.then((t) => t.triage || drop(), drop);
    }
    return this.held.table;
  }

  forget(): void {
    this.held = null;
  }
}

/** Routes with the rules read now, or as `cache` holds them. */
export async function routeTicket(tx: Tx, input: RoutingInput, cache?: RoutingTableCache): Promise<RoutingDecision> {
  const table = cache ? await cache.get(tx) : await readRoutingTable(tx);
  const c = input.classification;
  const urgent = input.urgentPhrase !== null;
  const urgentNote = urgent ? ` Khẩn cấp: "${input.urgentPhrase}".` : '';
  const triage = (reason: string): RoutingDecision => {
    if (!table.triage) throw noTriage();
    return {
      agency: table.triage,
      rule: null,
      priority: urgent ? 'urgent' : 'normal',
      status: 'triage',
      onlineSupport: c?.intent === 'service_support',
      reason: reason + urgentNote,
    };
  };
  if (!c) return triage('Chưa phân loại tự động được nội dung; chuyển tổ tiếp nhận để phân loại thủ công.');
  const labels = `ý định ${c.intent}, chủ đề ${c.topic}${c.area ? `, khu vực ${c.area}` : ''}, độ tin cậy ${c.confidence.toFixed(2)}`;
  if (c.confidence < input.threshold) {
    return triage(`Độ tin cậy phân loại thấp (${labels}; ngưỡng ${input.threshold.toFixed(2)}); chuyển tổ tiếp nhận.`);
  }
  const rule = table.rules.find((r) => ruleMatches(r, c));
  if (!rule) return triage(`Không có quy tắc định tuyến phù hợp (${labels}); chuyển tổ tiếp nhận.`);
  return {
    agency: rule.agency,
    rule,
    priority: urgent ? 'urgent' : rule.priority,
    status: rule.agency.isTriage ? 'triage' : 'assigned',
    onlineSupport: c.intent === 'service_support' || rule.onlineSupport,
    reason: `Quy tắc "${rule.name}" (${labels}).${urgentNote}`,
  };
}
