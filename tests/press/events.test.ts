// Press conferences: staff create and list them, people register (full, closed and duplicate
// refused with clear codes), registrations export to CSV for Excel, and each registration is
// reminded once, the day before, on its own channel.
import { cancelRegistration, register, upcomingEvents } from '../../src/press/events';
import { savePressProfile } from '../../src/press/profiles';
import { ChatClient, api, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const HOUR = 60 * 60 * 1000;

describe('press conferences', () => {
  let t: TestHotline;
  let press: string;
  let staff: string;

  const db = () => t.hotline.db.prisma;
  async function person(locale: 'vi' | 'en' = 'vi') {
    const session = await newSession(t, locale);
    const contact = await db().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: session.sessionId } } });
    return { ...session, contactId: contact.id };
  }
  const inTx = <T>(fn: (tx: Parameters<Parameters<ReturnType<typeof db>['$transaction']>[0]>[0]) => Promise<T>) => db().$transaction(fn);
  async function createEvent(body: Record<string, unknown>) {
    const startsAt = new Date(Date.now() + 72 * HOUR);
    return api<{ id: string; startsAt: string }>(t, press, 'POST', '/press/events', {
      titleVi: 'Họp báo về giao thông Tết',
      titleEn: 'Press conference on Tet traffic',
      startsAt: startsAt.toISOString(),
      place: 'Trung tâm Báo chí, 59 Lý Tự Trọng',
      agencies: ['so-xay-dung'],
      registrationDeadline: new Date(startsAt.getTime() - 24 * HOUR).toISOString(),
      ...body,
    });
  }

  beforeAll(async () => {
    t = await startTestHotline();
    press = await staffLogin(t, 'trung-tam-bao-chi@hotline.local');
    staff = await staffLogin(t, 'so-y-te@hotline.local');
  });
  afterAll(async () => {
    await t.stop();
  });

  it('lets press officers create, change, list and cancel conferences; others only read', async () => {
    expect((await api(t, staff, 'POST', '/press/events', { titleVi: 'x' })).status).toBe(400);
    const forbidden = await api(t, staff, 'POST', '/press/events', {
      titleVi: 'a', titleEn: 'a', startsAt: new Date().toISOString(), place: 'p', registrationDeadline: new Date().toISOString(),
    });
    expect(forbidden).toMatchObject({ status: 403, body: { error: 'forbidden' } });
    expect((await createEvent({ agencies: ['no-such-agency'] })).body).toMatchObject({ error: 'unknown_agency' });
    expect((await createEvent({ registrationDeadline: new Date(Date.now() + 100 * HOUR).toISOString() })).body).toMatchObject({ error: 'deadline_after_start' });

    const created = await createEvent({ capacity: 50, onlineLink: 'https://example.test/live' });
    expect(created.status).toBe(201);
    const changed = await api<{ place: string }>(t, press, 'PATCH', `/press/events/${created.body.id}`, { place: 'Hội trường B' });
    expect(changed.body.place).toBe('Hội trường B');
    const listed = await api<Array<{ id: string; registered: number }>>(t, staff, 'GET', '/press/events?upcoming=true');
    expect(listed.body.find((e) => e.id === created.body.id)).toMatchObject({ registered: 0 });
    expect((await upcomingEvents(db())).map((e) => e.id)).toContain(created.body.id);

    const cancelled = await api<{ cancelledAt: string | null }>(t, press, 'DELETE', `/press/events/${created.body.id}`);
    expect(cancelled.body.cancelledAt).not.toBeNull();
    expect((await upcomingEvents(db())).map((e) => e.id)).not.toContain(created.body.id);
    const someone = await person();
    await expect(inTx((tx) => register(tx, created.body.id, someone.contactId))).rejects.toMatchObject({ code: 'event_closed' });
    expect((await api(t, press, 'GET', '/press/events/00000000-0000-4000-8000-000000000000')).body).toMatchObject({ error: 'event_not_found' });
  });

  it('registers people until full, refuses duplicates and late registrations, and exports the list as CSV', async () => {
    const event = (await createEvent({ capacity: 2 })).body;
    const [a, b, c] = [await person(), await person(), await person()];
    await inTx((tx) => savePressProfile(tx, a.contactId, { name: 'Nguyễn Thị Hằng', newsroom: 'Báo Tuổi Trẻ', pressCardNumber: 'TT-0421', phone: '0901234567' }));
    const first = await inTx((tx) => register(tx, event.id, a.contactId));
    expect(first.profileId).not.toBeNull();
    await inTx((tx) => register(tx, event.id, b.contactId));
    await expect(inTx((tx) => register(tx, event.id, a.contactId))).rejects.toMatchObject({ code: 'already_registered', statusCode: 409 });
    await expect(inTx((tx) => register(tx, event.id, c.contactId))).rejects.toMatchObject({ code: 'event_full', statusCode: 409 });
    // A seat given back is free again.
    await inTx((tx) => cancelRegistration(tx, event.id, b.contactId));
    await expect(inTx((tx) => cancelRegistration(tx, event.id, b.contactId))).rejects.toMatchObject({ code: 'not_registered' });
    await inTx((tx) => register(tx, event.id, c.contactId));
    // After the deadline, registration is closed.
    await expect(inTx((tx) => register(tx, event.id, b.contactId, new Date(Date.now() + 60 * HOUR)))).rejects.toMatchObject({ code: 'event_closed' });
    await expect(inTx((tx) => register(tx, '00000000-0000-4000-8000-000000000000', b.contactId))).rejects.toMatchObject({ code: 'event_not_found' });

    const list = await api<Array<{ contactId: string; cancelledAt: string | null; profile: { name: string } | null }>>(t, press, 'GET', `/press/events/${event.id}/registrations`);
    expect(list.body).toHaveLength(3);
    expect(list.body.filter((r) => r.cancelledAt === null).map((r) => r.contactId).sort()).toEqual([a.contactId, c.contactId].sort());
    expect((await api(t, staff, 'GET', `/press/events/${event.id}/registrations`)).status).toBe(403);

    const csv = await t.hotline.server.inject({ method: 'GET', url: `/api/press/events/${event.id}/registrations.csv`, headers: { authorization: `Bearer ${press}` } });
    expect(csv.statusCode).toBe(200);
    expect(csv.headers['content-type']).toMatch(/^text\/csv; charset=utf-8/);
    expect(csv.headers['content-disposition']).toMatch(/^attachment; filename="dang-ky-/);
    expect(csv.rawPayload.subarray(0, 3)).toEqual(Buffer.from([0xef, 0xbb, 0xbf]));
    const lines = csv.body.replace(/^\uFEFF/, '').trim().split('\r\n');
    expect(lines[0]).toBe('Họ tên,Cơ quan báo chí,Số thẻ nhà báo,Điện thoại,Email,Đã xác minh,Kênh,Đăng ký lúc');
    expect(lines).toHaveLength(3);
    expect(lines[1]).toMatch(/^Nguyễn Thị Hằng,Báo Tuổi Trẻ,TT-0421,0901234567,,,webchat,/);
  });

  it('lets press officers list and verify profiles', async () => {
    const p = await person();
    const profile = await inTx((tx) => savePressProfile(tx, p.contactId, { name: 'Lê Văn Minh', newsroom: 'Báo Người Lao Động', pressCardNumber: 'NLD-77' }));
    const unverified = await api<Array<{ id: string }>>(t, press, 'GET', '/press/profiles?verified=false');
    expect(unverified.body.map((x) => x.id)).toContain(profile.id);
    expect((await api(t, staff, 'POST', `/press/profiles/${profile.id}/verify`)).status).toBe(403);
    const verified = await api<{ verifiedAt: string | null; verifiedById: string }>(t, press, 'POST', `/press/profiles/${profile.id}/verify`);
    expect(verified.body.verifiedAt).not.toBeNull();
    // New card details undo the verification.
    const changed = await inTx((tx) => savePressProfile(tx, p.contactId, { name: 'Lê Văn Minh', newsroom: 'Báo Người Lao Động', pressCardNumber: 'NLD-78' }));
    expect(changed.verifiedAt).toBeNull();
  });

  it('reminds each registration once, the day before, in the person’s language, through their chat', async () => {
    const startsAt = new Date(Date.now() + 72 * HOUR);
    const event = (await createEvent({ titleVi: 'Họp báo phòng chống sốt xuất huyết', titleEn: 'Dengue prevention briefing', startsAt: startsAt.toISOString() })).body;
    const vi = await person('vi');
    const en = await person('en');
    await inTx((tx) => register(tx, event.id, vi.contactId));
    await inTx((tx) => register(tx, event.id, en.contactId));
    const viChat = await ChatClient.connect(t, vi.token);
    const enChat = await ChatClient.connect(t, en.token);

    // Two days before: too early.
    const early = await t.hotline.sendEventReminders(new Date(startsAt.getTime() - 48 * HOUR));
    expect(early.reminded.filter((r) => r.eventId === event.id)).toHaveLength(0);
    const dayBefore = new Date(startsAt.getTime() - 20 * HOUR);
    const sweep = await t.hotline.sendEventReminders(dayBefore);
    expect(sweep.reminded.filter((r) => r.eventId === event.id).map((r) => r.contactId).sort()).toEqual([vi.contactId, en.contactId].sort());
    const viFrame = await viChat.waitFor((f) => f.type === 'message' && String(f.text).includes('Họp báo phòng chống sốt xuất huyết'));
    expect(String(viFrame.text)).toMatch(/^Nhắc lịch: ngày mai/);
    const enFrame = await enChat.waitFor((f) => f.type === 'message' && String(f.text).includes('Dengue prevention briefing'));
    expect(String(enFrame.text)).toMatch(/^Reminder: tomorrow/);

    const again = await t.hotline.sendEventReminders(new Date(dayBefore.getTime() + HOUR));
    expect(again.reminded.filter((r) => r.eventId === event.id)).toHaveLength(0);
    const stored = await db().message.count({ where: { conversation: { contactId: vi.contactId }, text: { contains: 'sốt xuất huyết' } } });
    expect(stored).toBe(1);
    const rows = await db().pressRegistration.findMany({ where: { eventId: event.id } });
    expect(rows.every((r) => r.remindedAt?.getTime() === dayBefore.getTime())).toBe(true);
    await viChat.close();
    await enChat.close();
  });
});
