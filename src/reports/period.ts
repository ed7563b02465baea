// The figures a press center publishes for a month, quarter or year: requests received and
// answered, online-service support handled, press requests, comments on each draft open for
// consultation, press conferences held and their registrants. All counted by the database.
import type { Db } from '../db/database';
import { Prisma } from '../generated/prisma/client';
import type { PeriodKind } from './range';
import type { LocalRange } from './range';

export interface PeriodReport {
  period: { kind: PeriodKind; year: number; number: number | null; from: string; to: string };
  requests: { received: number; answered: number };
  /** Tickets with intent question (a knowledge-base answer the person accepted opens no ticket, so it is not counted). */
  questions: { received: number; answered: number };
  onlineSupport: { received: number; handled: number };
  pressRequests: { received: number; answered: number };
  draftComments: { total: number; drafts: Array<{ draftId: string; titleVi: string; titleEn: string; agency: string; comments: number }> };
  pressConferences: { held: number; registrants: number; events: Array<{ eventId: string; titleVi: string; titleEn: string; startsAt: Date; registrants: number }> };
}

/**
 * Answered in the period: the ticket got a staff reply (`replied`) inside it. Handled, for
 * online-service support: answered or closed inside it (a fix the person confirmed closes it).
 */
export async function periodReport(db: Db, range: LocalRange & { kind: PeriodKind; year: number; number: number | null }, now = new Date()): Promise<PeriodReport> {
  const { start, end } = range;
  const repliedIn = Prisma.sql`EXISTS (SELECT 1 FROM ticket_event e WHERE e.ticket_id = t.id AND e.kind = 'replied' AND e.created_at >= ${start} AND e.created_at < ${end})`;
  const createdIn = Prisma.sql`t.created_at >= ${start} AND t.created_at < ${end}`;
  const [tickets, drafts, events] = await Promise.all([
    db.$queryRaw<Array<Record<string, number>>>`
      SELECT count(*) FILTER (WHERE ${createdIn})::int AS received,
             count(*) FILTER (WHERE ${repliedIn})::int AS answered,
             count(*) FILTER (WHERE t.intent = 'question' AND ${createdIn})::int AS questions_received,
             count(*) FILTER (WHERE t.intent = 'question' AND ${repliedIn})::int AS questions_answered,
             count(*) FILTER (WHERE t.online_support AND ${createdIn})::int AS online_received,
             count(*) FILTER (WHERE t.online_support AND (${repliedIn} OR (t.status = 'closed' AND t.closed_at >= ${start} AND t.closed_at < ${end})))::int AS online_handled,
             count(*) FILTER (WHERE t.intent = 'press' AND ${createdIn})::int AS press_received,
             count(*) FILTER (WHERE t.intent = 'press' AND ${repliedIn})::int AS press_answered
      FROM ticket t
      WHERE t.created_at < ${end}`,
    db.$queryRaw<Array<{ draft_id: string; title_vi: string; title_en: string; agency: string; comments: number }>>`
      SELECT d.id::text AS draft_id, d.title_vi, d.title_en, a.name AS agency, count(c.id)::int AS comments
      FROM draft_comment c JOIN draft_document d ON d.id = c.draft_id JOIN agency a ON a.id = d.agency_id
      WHERE c.created_at >= ${start} AND c.created_at < ${end}
      GROUP BY d.id, d.title_vi, d.title_en, a.name ORDER BY comments DESC, d.title_vi`,
    // Held: not cancelled, and its start is inside the period and already past.
    db.$queryRaw<Array<{ event_id: string; title_vi: string; title_en: string; starts_at: Date; registrants: number }>>`
      SELECT ev.id::text AS event_id, ev.title_vi, ev.title_en, ev.starts_at,
             (SELECT count(*) FROM press_registration r WHERE r.event_id = ev.id AND r.cancelled_at IS NULL)::int AS registrants
      FROM press_event ev
      WHERE ev.cancelled_at IS NULL AND ev.starts_at >= ${start} AND ev.starts_at < ${end} AND ev.starts_at <= ${now}
      ORDER BY ev.starts_at`,
  ]);
  const f = tickets[0]!;
  return {
    period: { kind: range.kind, year: range.year, number: range.number, from: range.from, to: range.to },
    requests: { received: f.received!, answered: f.answered! },
    questions: { received: f.questions_received!, answered: f.questions_answered! },
    onlineSupport: { received: f.online_received!, handled: f.online_handled! },
    pressRequests: { received: f.press_received!, answered: f.press_answered! },
    draftComments: {
      total: drafts.reduce((n, d) => n + d.comments, 0),
      drafts: drafts.map((d) => ({ draftId: d.draft_id, titleVi: d.title_vi, titleEn: d.title_en, agency: d.agency, comments: d.comments })),
    },
    pressConferences: {
      held: events.length,
      registrants: events.reduce((n, e) => n + e.registrants, 0),
      events: events.map((e) => ({ eventId: e.event_id, titleVi: e.title_vi, titleEn: e.title_en, startsAt: e.starts_at, registrants: e.registrants })),
    },
  };
}
