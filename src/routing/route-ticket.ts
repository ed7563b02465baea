// Routing turns (intent, topic, area) into an agency through the rules stored in the database,
// and always says why. What cannot be classified goes to the operators' triage inbox.
import type { Agency, RoutingRule } from '../generated/prisma/client';
import type { TicketPriority } from '../generated/prisma/enums';
import type { Tx } from '../messages/store';

export interface Classification {
  intent: string;
  topic: string;
  confidence: number;
  area?: string;
  priority?: TicketPriority;
}

export interface RoutingDecision {
  agency: Agency;
  rule: RoutingRule | null;
  priority: TicketPriority;
  status: 'triage' | 'assigned';
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

export async function triageAgency(tx: Tx): Promise<Agency> {
  const agency = await tx.agency.findFirst({ where: { isTriage: true, active: true }, orderBy: { createdAt: 'asc' } });
  if (!agency) {
    throw new RoutingSetupError('No active triage agency: mark one agency as the operators’ triage inbox (is_triage).');
  }
  return agency;
}

export async function routeTicket(tx: Tx, classification: Classification | null): Promise<RoutingDecision> {
  if (!classification) {
    return {
      agency: await triageAgency(tx),
      rule: null,
      priority: 'normal',
      status: 'triage',
      reason: 'Chưa phân loại tự động được nội dung; chuyển tổ tiếp nhận để phân loại thủ công.',
    };
  }
  const rules = await tx.routingRule.findMany({
    where: { active: true, agency: { active: true } },
    include: { agency: true },
    orderBy: [{ position: 'asc' }, { createdAt: 'asc' }],
  });
  const rule = rules.find((r) => ruleMatches(r, classification));
  if (!rule) {
    return {
      agency: await triageAgency(tx),
      rule: null,
      priority: classification.priority ?? 'normal',
      status: 'triage',
      reason: `Không có quy tắc định tuyến cho ý định "${classification.intent}", chủ đề "${classification.topic}"; chuyển tổ tiếp nhận.`,
    };
  }
  return {
    agency: rule.agency,
    rule,
    priority: classification.priority ?? rule.priority,
    status: rule.agency.isTriage ? 'triage' : 'assigned',
    reason: `Quy tắc "${rule.name}" (ý định ${classification.intent}, chủ đề ${classification.topic}${
      classification.area ? `, khu vực ${classification.area}` : ''
    }, độ tin cậy ${classification.confidence.toFixed(2)}).`,
  };
}
