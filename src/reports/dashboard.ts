// The console dashboard's figures for a range of local days, computed by the database (counts,
// groups, the first staff reply of each ticket). Only the working-hour medians need each answered
// ticket's two times, since working hours are the calendar's arithmetic (src/tickets/deadlines.ts):
// those two columns are all that is read per ticket.
import type { Channel } from '../channels/types';
import type { Db } from '../db/database';
import { Prisma } from '../generated/prisma/client';
import { workingMinutesBetween, type WorkingCalendar } from '../tickets/deadlines';
import { OPEN_STATUSES } from '../tickets/lifecycle';
import { OVERDUE_WHERE } from '../tickets/overdue';
import { daysOf, type LocalRange } from './range';

export const CHANNELS: readonly Channel[] = ['webchat', 'zalo_oa', 'zalo_bot', 'telegram'];

export interface DashboardInput {
  range: LocalRange;
  /** null: every agency. */
  agencyId: string | null;
  timezoneOffsetMinutes: number;
  calendar: WorkingCalendar;
  now?: Date;
}

// A type, not an interface: the route's schema-derived reply type needs its index signature.
export type Dashboard = {
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
};

export function median(values: number[]): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

const round = (n: number | null, digits = 2) => (n === null ? null : Math.round(n * 10 ** digits) / 10 ** digits);

/** The first staff answer of each ticket, as SQL (the `replied` event of src/tickets/actions.ts). */
const FIRST_REPLY = Prisma.sql`(SELECT min(e.created_at) FROM ticket_event e WHERE e.ticket_id = t.id AND e.kind = 'replied')`;

export async function dashboard(db: Db, input: DashboardInput): Promise<Dashboard> {
  const { range, agencyId } = input;
  const now = input.now ?? new Date();
  const inRange: Prisma.TicketWhereInput = { createdAt: { gte: range.start, lt: range.end }, ...(agencyId ? { agencyId } : {}) };
  const agencySql = agencyId ? Prisma.sql`AND t.agency_id = ${agencyId}::uuid` : Prisma.empty;
  const rangeSql = Prisma.sql`t.created_at >= ${range.start} AND t.created_at < ${range.end} ${agencySql}`;
  const offset = input.timezoneOffsetMinutes;

  const [perDayRows, byIntent, byTopic, byAgencyRows, timing, answeredTimes, ratingRows, backlog, overdue, online] = await Promise.all([
    db.$queryRaw<Array<{ day: string; channel: Channel; count: number }>>`
      SELECT to_char((t.created_at AT TIME ZONE 'UTC') + make_interval(mins => ${offset}::int), 'YYYY-MM-DD') AS day,
             t.channel::text AS channel, count(*)::int AS count
      FROM ticket t WHERE ${rangeSql} GROUP BY 1, 2`,
    db.ticket.groupBy({ by: ['intent'], where: inRange, _count: { _all: true } }),
    db.ticket.groupBy({ by: ['topic'], where: inRange, _count: { _all: true } }),
    db.ticket.groupBy({ by: ['agencyId'], where: inRange, _count: { _all: true } }),
    // On time: answered by the answer deadline. Counted among tickets whose deadline has passed or
    // that were answered; rejected and duplicate tickets get no answer, so they are left out.
    db.$queryRaw<Array<{ due: number; on_time: number; answered: number }>>`
      SELECT count(*) FILTER (WHERE s.first_reply IS NOT NULL OR s.due_at <= ${now})::int AS due,
             count(*) FILTER (WHERE s.first_reply IS NOT NULL AND s.first_reply <= s.due_at)::int AS on_time,
             count(*) FILTER (WHERE s.first_reply IS NOT NULL)::int AS answered
      FROM (SELECT t.due_at, ${FIRST_REPLY} AS first_reply FROM ticket t
            WHERE ${rangeSql} AND t.status NOT IN ('rejected', 'duplicate')) s`,
    db.$queryRaw<Array<{ created_at: Date; first_reply: Date | null; resolved_at: Date | null }>>`
      SELECT s.created_at, s.first_reply, s.resolved_at FROM (
        SELECT t.created_at, ${FIRST_REPLY} AS first_reply,
               CASE WHEN t.status IN ('answered', 'closed') THEN coalesce(t.answered_at, t.closed_at) END AS resolved_at
        FROM ticket t WHERE ${rangeSql}) s
      WHERE s.first_reply IS NOT NULL OR s.resolved_at IS NOT NULL`,
    db.$queryRaw<Array<{ score: number; count: number }>>`
      SELECT (e.data->>'score')::int AS score, count(*)::int AS count
      FROM ticket_event e JOIN ticket t ON t.id = e.ticket_id
      WHERE e.kind = 'rated' AND e.created_at >= ${range.start} AND e.created_at < ${range.end} ${agencySql}
      GROUP BY 1`,
    db.ticket.count({ where: { status: { in: [...OPEN_STATUSES] }, ...(agencyId ? { agencyId } : {}) } }),
    db.ticket.count({ where: { AND: [OVERDUE_WHERE, agencyId ? { agencyId } : {}] } }),
    db.$queryRaw<Array<{ tickets: number; answered: number }>>`
      SELECT count(*)::int AS tickets, count(*) FILTER (WHERE ${FIRST_REPLY} IS NOT NULL)::int AS answered
      FROM ticket t WHERE ${rangeSql} AND t.online_support`,
  ]);

  const perDay = daysOf(range).map((date) => {
    const row = { date, total: 0, webchat: 0, zalo_oa: 0, zalo_bot: 0, telegram: 0 };
    for (const r of perDayRows.filter((p) => p.day === date)) {
      row[r.channel] = r.count;
      row.total += r.count;
    }
    return row;
  });
  const agencyNames = new Map(
    (await db.agency.findMany({ where: { id: { in: byAgencyRows.flatMap((r) => (r.agencyId ? [r.agencyId] : [])) } }, select: { id: true, name: true, nameEn: true } })).map((a) => [a.id, a]),
  );
  const byCount = <T extends { count: number }>(rows: T[]) => rows.sort((a, b) => b.count - a.count);
  const hours = (pick: 'first_reply' | 'resolved_at') =>
    answeredTimes.flatMap((r) => (r[pick] ? [workingMinutesBetween(r.created_at, r[pick]!, offset, input.calendar) / 60] : []));
  const firstResponse = hours('first_reply');
  const resolution = hours('resolved_at');
  const distribution = { '1': 0, '2': 0, '3': 0, '4': 0, '5': 0 };
  for (const r of ratingRows) if (String(r.score) in distribution) distribution[String(r.score) as keyof typeof distribution] = r.count;
  const rated = Object.values(distribution).reduce((a, b) => a + b, 0);
  const scoreSum = Object.entries(distribution).reduce((sum, [score, count]) => sum + Number(score) * count, 0);
  const t = timing[0]!;
  const tickets = perDay.reduce((n, d) => n + d.total, 0);
  const o = online[0]!;

  return {
    range: { from: range.from, to: range.to, agencyId, timezoneOffsetMinutes: offset },
    totals: { tickets, answered: t.answered, onlineSupport: o.tickets },
    perDay,
    byIntent: byCount(byIntent.map((r) => ({ key: r.intent, count: r._count._all }))),
    byTopic: byCount(byTopic.map((r) => ({ key: r.topic, count: r._count._all }))),
    byAgency: byCount(
      byAgencyRows.map((r) => ({
        agencyId: r.agencyId,
        name: r.agencyId ? (agencyNames.get(r.agencyId)?.name ?? null) : null,
        nameEn: r.agencyId ? (agencyNames.get(r.agencyId)?.nameEn ?? null) : null,
        count: r._count._all,
      })),
    ),
    onTime: { due: t.due, onTime: t.on_time, rate: t.due ? round(t.on_time / t.due, 4) : null },
    firstResponse: { count: firstResponse.length, medianWorkingHours: round(median(firstResponse)) },
    resolution: { count: resolution.length, medianWorkingHours: round(median(resolution)) },
    now: { backlog, overdue },
    ratings: { count: rated, average: rated ? round(scoreSum / rated) : null, distribution },
    onlineSupport: { tickets: o.tickets, answered: o.answered, share: tickets ? round(o.tickets / tickets, 4) : null },
  };
}
