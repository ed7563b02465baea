// Opening a ticket (src/tickets/open-ticket.ts) writes in one statement (src/db/ticket-sql.ts):
// the rows it makes are compared with Prisma's own reads, and the statements counted at the driver.
import { onCommit, trackCommits, type CommitEffect } from '../../src/db/after-commit';
import type { Database } from '../../src/db/database';
import { insertTicket } from '../../src/db/ticket-sql';
import { storeInbound } from '../../src/messages/store';
import { RoutingTableCache, type RoutingInput } from '../../src/routing/route-ticket';
import { openTicket, type TicketSettings } from '../../src/tickets/open-ticket';
import { openFreshDatabase } from '../helpers/databases';

let closeDatabase: () => Promise<void>;
let database: Database;
const statements: string[] = [];
const effects: CommitEffect[] = [];
const db = () => database.prisma;
const settings: TicketSettings = { trackingPrefix: 'HCM', timezoneOffsetMinutes: 420, confidenceThreshold: 0.5 };

beforeAll(async () => {
  ({ database, close: closeDatabase } = await openFreshDatabase({ onStatement: (sql) => statements.push(sql.trim()) }));
  trackCommits(db());
  onCommit(db(), (done) => void effects.push(...done));
});

afterAll(async () => {
  await closeDatabase();
});

let n = 0;
async function inbound(text: string) {
  const stored = await storeInbound(db(), { channel: 'telegram', channelUserId: `open-${++n}`, externalId: `open-${n}`, text, attachments: [], sentAt: new Date() });
  return db().message.findUniqueOrThrow({ where: { id: stored.message.id }, include: { conversation: true } });
}

const lighting = (): RoutingInput => ({
  classification: { intent: 'report', topic: 'urban_infrastructure', confidence: 0.93 },
  urgentPhrase: null,
  threshold: 0.5,
});

async function staffOf(slug: string) {
  const agency = await db().agency.findUniqueOrThrow({ where: { slug } });
  const base = { agencyId: agency.id, passwordHash: 'x', role: 'agency_staff' as const };
  const [mailed, quiet] = await Promise.all([
    db().staffUser.create({ data: { ...base, email: `mailed-${slug}@hotline.test`, displayName: 'Mailed', emailNotifications: true } }),
    db().staffUser.create({ data: { ...base, email: `quiet-${slug}@hotline.test`, displayName: 'Quiet', emailNotifications: false } }),
    db().staffUser.create({ data: { ...base, email: `gone-${slug}@hotline.test`, displayName: 'Gone', active: false, emailNotifications: true } }),
  ]);
  return { agency, mailed, quiet };
}

it('opens a ticket, its events, notifications and mail jobs in one statement once the rules are held', async () => {
  const message = await inbound('Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay');
  const routed = await db().$transaction((tx) => openTicket(tx, message, lighting(), settings));
  const staff = await staffOf(routed.routing.agency.slug);
  const cache = new RoutingTableCache(60_000);
  await db().$transaction((tx) => cache.get(tx));
  const second = await inbound('Đèn đường hẻm 45 Nguyễn Trãi tắt cả tuần');
  const from = statements.length;
  effects.length = 0;
  const { ticket, routing } = await db().$transaction((tx) =>
    openTicket(tx, second, lighting(), { ...settings, routingTable: cache }, { place: { text: 'hẻm 45 Nguyễn Trãi', latitude: 10.76, longitude: 106.69 } }),
  );
  expect(statements.slice(from)).toHaveLength(3); // BEGIN, the statement, COMMIT

  expect(ticket).toEqual(await db().ticket.findUniqueOrThrow({ where: { id: ticket.id } }));
  expect(ticket).toMatchObject({
    trackingCode: expect.stringMatching(/^HCM-\d{2}-[A-Z2-9]{5}$/),
    contactId: second.conversation.contactId,
    conversationId: second.conversationId,
    status: 'assigned',
    agencyId: staff.agency.id,
    routingRuleId: routing.rule!.id,
    place: 'hẻm 45 Nguyễn Trãi',
    latitude: 10.76,
    confidence: 0.93,
  });
  expect((await db().message.findUniqueOrThrow({ where: { id: second.id } })).ticketId).toBe(ticket.id);
  const events = await db().ticketEvent.findMany({ where: { ticketId: ticket.id }, orderBy: { kind: 'asc' } });
  expect(events.map((e) => [e.kind, e.fromStatus, e.toStatus, e.data, e.createdAt])).toEqual([
    ['opened', null, 'new', { messageId: second.id }, ticket.createdAt],
    ['routed', 'new', 'assigned', { agencyId: staff.agency.id, ruleId: routing.rule!.id, reason: routing.reason }, ticket.createdAt],
  ]);
  // The active staff of the agency (not the one who left), a mail job only for who wants mail.
  const active = await db().staffUser.findMany({ where: { agencyId: staff.agency.id, active: true } });
  expect(active.map((p) => p.id)).toEqual(expect.arrayContaining([staff.mailed.id, staff.quiet.id]));
  const notifications = await db().notification.findMany({ where: { ticketId: ticket.id } });
  expect(notifications.map((x) => x.staffUserId).sort()).toEqual(active.map((p) => p.id).sort());
  expect(notifications.every((x) => x.kind === 'new_ticket' && x.createdAt.getTime() === ticket.createdAt.getTime())).toBe(true);
  const mailed = notifications.find((x) => x.staffUserId === staff.mailed.id)!;
  const mail = await db().outboxJob.findFirstOrThrow({ where: { messageId: mailed.id } });
  expect(mail).toMatchObject({ kind: 'email_notification', status: 'pending', idempotencyKey: `mail:${mailed.id}` });
  const mails = await db().outboxJob.findMany({ where: { messageId: { in: notifications.map((x) => x.id) } } });
  const wantMail = new Set(active.filter((p) => p.emailNotifications).map((p) => p.id));
  expect(mails.map((m) => notifications.find((x) => x.id === m.messageId)!.staffUserId).sort()).toEqual([...wantMail].sort());
  expect(wantMail.has(staff.quiet.id)).toBe(false);
  // Once committed: the consoles hear of the ticket and of each notification; the mail is queued.
  expect(effects).toEqual(
    expect.arrayContaining([
      { kind: 'live', event: expect.objectContaining({ event: 'ticket_created', ticketCode: ticket.trackingCode, agencyId: staff.agency.id }) },
      { kind: 'live', event: expect.objectContaining({ event: 'notification', id: mailed.id, staffUserId: staff.mailed.id, kind: 'new_ticket' }) },
      { kind: 'job', job: { name: 'email_notification', id: mail.id } },
    ]),
  );
  expect(effects.filter((e) => e.kind === 'live' && (e.event as { event: string }).event === 'notification')).toHaveLength(active.length);
  expect(effects.filter((e) => e.kind === 'job')).toHaveLength(wantMail.size);
});

it('a tracking code already taken writes nothing: the statement says so and opening draws another code', async () => {
  const taken = await db().ticket.findFirstOrThrow();
  const message = await inbound('Rác thải chất đống đầu hẻm 3 ngày chưa ai dọn');
  const tickets = await db().ticket.count();
  const events = await db().ticketEvent.count();
  const row = {
    trackingCode: taken.trackingCode,
    contactId: message.conversation.contactId,
    conversationId: message.conversationId,
    channel: 'telegram' as const,
    intent: null,
    topic: null,
    confidence: null,
    priority: 'normal' as const,
    status: 'triage' as const,
    agencyId: taken.agencyId!,
    routingRuleId: null,
    routingReason: 'thử',
    onlineSupport: false,
    summary: message.text,
    place: null,
    latitude: null,
    longitude: null,
    acceptDueAt: new Date(),
    dueAt: new Date(),
    createdAt: new Date(),
  };
  const clash = await db().$transaction((tx) => insertTicket(tx, row, { attachMessageId: message.id, openedData: {}, routedData: {} }));
  expect(clash).toBeNull();
  expect([await db().ticket.count(), await db().ticketEvent.count()]).toEqual([tickets, events]);
  expect((await db().message.findUniqueOrThrow({ where: { id: message.id } })).ticketId).toBeNull();
});

it('a message that is gone takes the ticket down with it: nothing is left half opened', async () => {
  const message = await inbound('Cống bị tắc ở đường Trần Hưng Đạo');
  const tickets = await db().ticket.count();
  const gone = { ...message, id: '00000000-0000-4000-8000-000000000000' };
  await expect(db().$transaction((tx) => openTicket(tx, gone, lighting(), settings))).rejects.toThrow(/does not exist; the ticket was not opened/);
  expect(await db().ticket.count()).toBe(tickets);
});

it('without a triage agency a ticket is refused with a clear error, not opened anywhere', async () => {
  const message = await inbound('Một chuyện khác hẳn');
  const cache = new RoutingTableCache(60_000);
  await db().agency.updateMany({ where: { isTriage: true }, data: { active: false } });
  try {
    await expect(db().$transaction((tx) => openTicket(tx, message, { ...lighting(), classification: null }, { ...settings, routingTable: cache }))).rejects.toThrow(
      /No active triage agency/,
    );
  } finally {
    await db().agency.updateMany({ where: { isTriage: true }, data: { active: true } });
  }
  // The failed read is not held: with the agency back, the next ticket routes.
  const { routing } = await db().$transaction((tx) => openTicket(tx, message, { ...lighting(), classification: null }, { ...settings, routingTable: cache }));
  expect(routing.status).toBe('triage');
});

it('held rules are read again once forgotten or older than their age', async () => {
  const open = async (text: string, cache: RoutingTableCache) => {
    const message = await inbound(text);
    return db().$transaction((tx) => openTicket(tx, message, lighting(), { ...settings, routingTable: cache }));
  };
  const cache = new RoutingTableCache(60_000);
  const first = await open('Đèn đường khu phố 4 bị chập chờn', cache);
  const rule = first.routing.rule!.id;
  await db().routingRule.update({ where: { id: rule }, data: { active: false } });
  try {
    expect((await open('Đèn đường lại hỏng', cache)).routing.rule?.id).toBe(rule);
    cache.forget();
    expect((await open('Đèn đường vẫn hỏng', cache)).routing.rule?.id).not.toBe(rule);
    const young = new RoutingTableCache(0);
    await db().$transaction((tx) => young.get(tx));
    await db().routingRule.update({ where: { id: rule }, data: { active: true } });
    expect((await open('Đèn đường hỏng nữa', young)).routing.rule?.id).toBe(rule);
  } finally {
    await db().routingRule.update({ where: { id: rule }, data: { active: true } });
  }
});
