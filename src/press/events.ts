// Press conferences: what is coming up, registering for one (the bot calls register), and the
// reminder the day before, stored and delivered like any other message.
import type { Db } from '../db/database';
import type { PressEvent, PressRegistration } from '../generated/prisma/client';
import type { Translator } from '../i18n';
import { storeOutbound, type Tx } from '../messages/store';
import type { JobRef } from '../queue/types';
import { formatLocalTime } from '../tickets/format';
import { PressError } from './errors';
import { contactLocale } from './locale';

/** How long before a conference its registrations are reminded. */
export const REMINDER_BEFORE_MS = 24 * 60 * 60 * 1000;

/** Conferences not cancelled that have not started yet, soonest first. */
export function upcomingEvents(db: Db | Tx, now: Date = new Date(), limit = 20): Promise<PressEvent[]> {
  return db.pressEvent.findMany({
    where: { cancelledAt: null, startsAt: { gt: now } },
    orderBy: { startsAt: 'asc' },
    take: limit,
  });
}

/** Registration is open: not cancelled, before the deadline and before the start. */
export function registrationOpen(event: Pick<PressEvent, 'cancelledAt' | 'registrationDeadline' | 'startsAt'>, now: Date): boolean {
  return event.cancelledAt === null && now <= event.registrationDeadline && now < event.startsAt;
}

/**
 * Registers the contact (with their press profile, if they have one). Refused with
 * event_not_found (404), event_closed, event_full or already_registered (409). A person who
 * cancelled may register again while it is open. The event's row lock makes the capacity check
 * hold when many register at once.
 */
export async function register(tx: Tx, eventId: string, contactId: string, now: Date = new Date()): Promise<PressRegistration> {
  const locked = await tx.$queryRaw<Array<{ id: string }>>`SELECT id FROM press_event WHERE id = ${eventId}::uuid FOR UPDATE`;
  if (locked.length === 0) throw new PressError(404, 'event_not_found', 'No such press conference.');
  const event = await tx.pressEvent.findUniqueOrThrow({ where: { id: eventId } });
  if (!registrationOpen(event, now)) {
    throw new PressError(409, 'event_closed', event.cancelledAt ? 'This press conference was cancelled.' : 'Registration for this press conference is closed.');
  }
  const existing = await tx.pressRegistration.findUnique({ where: { eventId_contactId: { eventId, contactId } } });
  if (existing && existing.cancelledAt === null) {
    throw new PressError(409, 'already_registered', 'You are already registered for this press conference.');
  }
  if (event.capacity !== null) {
    const taken = await tx.pressRegistration.count({ where: { eventId, cancelledAt: null } });
    if (taken >= event.capacity) throw new PressError(409, 'event_full', 'This press conference is full.');
  }
  const profile = await tx.pressProfile.findUnique({ where: { contactId }, select: { id: true } });
  if (existing) {
    return tx.pressRegistration.update({
      where: { id: existing.id },
      data: { cancelledAt: null, registeredAt: now, remindedAt: null, profileId: profile?.id ?? null },
    });
  }
  return tx.pressRegistration.create({ data: { eventId, contactId, profileId: profile?.id ?? null, registeredAt: now } });
}

/** Cancels the contact's registration; not_registered (404) when there is none to cancel. */
export async function cancelRegistration(tx: Tx, eventId: string, contactId: string, now: Date = new Date()): Promise<PressRegistration> {
  const existing = await tx.pressRegistration.findUnique({ where: { eventId_contactId: { eventId, contactId } } });
  if (!existing || existing.cancelledAt !== null) {
    throw new PressError(404, 'not_registered', 'You are not registered for this press conference.');
  }
  return tx.pressRegistration.update({ where: { id: existing.id }, data: { cancelledAt: now } });
}

export interface ReminderDeps {
  db: Db;
  translator: Translator;
  timezoneOffsetMinutes: number;
  /** The sweep's clock (tests pass a fake one). */
  now?: () => Date;
  batch?: number;
}

export interface ReminderResult {
  reminded: Array<{ registrationId: string; eventId: string; contactId: string }>;
  /** Reminders to deliver (enqueue them after commit). */
  jobs: JobRef[];
}

/**
 * Reminds every active registration of a conference starting within the next day, once: the
 * registration is claimed by setting reminded_at where it is still unset (SKIP LOCKED, like the
 * overdue sweep), so two sweeps never remind twice.
 */
export async function sendEventReminders(deps: ReminderDeps): Promise<ReminderResult> {
  const now = deps.now?.() ?? new Date();
  const result: ReminderResult = { reminded: [], jobs: [] };
  await deps.db.$transaction(async (tx) => {
    const claimed = await tx.$queryRaw<Array<{ id: string }>>`
      UPDATE press_registration SET reminded_at = ${now} WHERE id IN (
        SELECT r.id FROM press_registration r JOIN press_event e ON e.id = r.event_id
        WHERE r.reminded_at IS NULL AND r.cancelled_at IS NULL AND e.cancelled_at IS NULL
          AND e.starts_at > ${now} AND e.starts_at <= ${new Date(now.getTime() + REMINDER_BEFORE_MS)}
        ORDER BY e.starts_at LIMIT ${deps.batch ?? 500} FOR UPDATE OF r SKIP LOCKED)
      RETURNING id`;
    if (claimed.length === 0) return;
    const registrations = await tx.pressRegistration.findMany({
      where: { id: { in: claimed.map((c) => c.id) } },
      include: { event: true, contact: { include: { conversations: { orderBy: { createdAt: 'desc' }, take: 1 } } } },
    });
    for (const r of registrations) {
      const conversation = r.contact.conversations[0];
      if (!conversation) continue;
      const locale = contactLocale(r.contact);
      const key = r.event.onlineLink ? 'press:event_reminder_online' : 'press:event_reminder';
      const text = deps.translator.t(locale, key, {
        title: locale === 'en' ? r.event.titleEn : r.event.titleVi,
        startsAt: formatLocalTime(r.event.startsAt, locale, deps.timezoneOffsetMinutes),
        place: r.event.place,
        link: r.event.onlineLink ?? '',
      });
      const { job } = await storeOutbound(tx, conversation, { author: 'bot', text });
      result.jobs.push(job);
      result.reminded.push({ registrationId: r.id, eventId: r.eventId, contactId: r.contactId });
    }
  });
  return result;
}
