// The hand-written migrations must match what the Prisma client expects: every model is written
// and read back through the client on a freshly migrated database.
import type { Database } from '../../src/db/database';
import { openFreshDatabase } from '../helpers/databases';

describe('migrated schema matches the Prisma client', () => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await openFreshDatabase());
  });
  afterAll(async () => {
    await close();
  });

  it('writes and reads back every model with every field', async () => {
    const db = database.prisma;
    const agency = await db.agency.create({ data: { slug: 'test-agency', name: 'Sở Thử nghiệm', nameEn: 'Test Dept', isTriage: false } });
    const staff = await db.staffUser.create({
      data: {
        email: 'a@b.c',
        displayName: 'Cán bộ',
        passwordHash: 'x',
        role: 'agency_staff',
        agencyId: agency.id,
        lastLoginAt: new Date(),
        mustChangePassword: true,
        passwordChangedAt: new Date(),
        locale: 'en',
        emailNotifications: true,
      },
    });
    const session = await db.staffSession.create({
      data: { staffUserId: staff.id, expiresAt: new Date(Date.now() + 3600_000), lastSeenAt: new Date(), endedAt: new Date() },
    });
    const contact = await db.contact.create({
      data: {
        channel: 'zalo_oa',
        channelUserId: '9007199254740993123', // larger than 2^53: ids are strings
        displayName: 'Nguyễn Văn A',
        phone: '0901234567',
        phoneConsent: true,
        phoneConsentAt: new Date(),
        locale: 'vi',
      },
    });
    const conversation = await db.conversation.create({
      data: { contactId: contact.id, channel: 'zalo_oa', flow: 'intake', step: 'start', state: { ticketId: null, nested: { a: [1, 2] } } },
    });
    const rule = await db.routingRule.create({
      data: { name: 'r', intent: 'feedback', topic: 'environment', area: 'Bến Thành', agencyId: agency.id, priority: 'urgent', onlineSupport: true, position: 5 },
    });
    const now = new Date();
    const ticket = await db.ticket.create({
      data: {
        trackingCode: 'HCM-26-7K3QD',
        contactId: contact.id,
        conversationId: conversation.id,
        channel: 'zalo_oa',
        intent: 'feedback',
        topic: 'environment',
        confidence: 0.87,
        priority: 'urgent',
        status: 'assigned',
        agencyId: agency.id,
        routingRuleId: rule.id,
        routingReason: 'rule r',
        onlineSupport: true,
        summary: 'Rác',
        acceptDueAt: now,
        dueAt: now,
        answeredAt: now,
        closedAt: now,
      },
    });
    const message = await db.message.create({
      data: {
        conversationId: conversation.id,
        seq: 1,
        direction: 'inbound',
        author: 'person',
        channel: 'zalo_oa',
        externalId: 'msg-1',
        text: 'Rác 🗑️ ùn ứ',
        fullText: 'Rác 🗑️ ùn ứ ở đầu hẻm',
        attachments: [{ type: 'image', url: 'https://example.test/a.jpg' }],
        buttons: [{ label: 'Có', value: 'yes' }],
        rateLimited: true,
        ticketId: ticket.id,
        staffUserId: staff.id,
        delivery: 'failed',
        deliveryError: 'x',
      },
    });
    const event = await db.ticketEvent.create({
      data: { ticketId: ticket.id, kind: 'routed', actorId: staff.id, fromStatus: 'new', toStatus: 'assigned', data: { why: 'r' } },
    });
    const job = await db.outboxJob.create({
      data: { kind: 'process_inbound', messageId: message.id, idempotencyKey: 'in:1', attempts: 2, lastError: 'e', status: 'dead', finishedAt: now },
    });
    const setting = await db.appSetting.create({ data: { key: 'k', value: 'v' } });
    const { id: _id, trackingCode: _code, ...same } = ticket;
    const duplicate = await db.ticket.create({
      data: { ...same, trackingCode: 'HCM-26-7K3QE', status: 'duplicate', duplicateOfId: ticket.id, assigneeId: staff.id },
    });
    const knowledge = await db.knowledgeEntry.create({
      data: {
        slug: 'thu-nghiem',
        topic: 'digital_services',
        agencyId: agency.id,
        kind: 'online_fix',
        titleVi: 'Lỗi thử',
        titleEn: 'Test fault',
        answerVi: 'Dòng 1\nDòng 2',
        answerEn: 'Line 1\nLine 2',
        keywords: ['lỗi thử', 'loi thu', 'test fault'],
        sourceName: 'Nguồn',
        sourceUrl: 'https://example.test/nguon',
        active: false,
      },
    });

    const subtask = await db.ticketSubtask.create({
      data: {
        ticketId: ticket.id,
        agencyId: agency.id,
        question: 'Số liệu quý 3?',
        requestedById: staff.id,
        dueAt: new Date(),
        answer: 'Đã gửi',
        answeredById: staff.id,
        answeredAt: new Date(),
      },
    });
    expect(await db.ticketSubtask.findUniqueOrThrow({ where: { id: subtask.id } })).toEqual(subtask);
    const notification = await db.notification.create({
      data: { staffUserId: staff.id, kind: 'overdue', ticketId: ticket.id, readAt: new Date(), emailedAt: new Date() },
    });
    expect(await db.notification.findUniqueOrThrow({ where: { id: notification.id } })).toEqual(notification);
    const mail = await db.outboxJob.create({ data: { kind: 'email_notification', messageId: notification.id, idempotencyKey: `mail:${notification.id}` } });
    expect((await db.outboxJob.findUniqueOrThrow({ where: { id: mail.id } })).kind).toBe('email_notification');
    const canned = await db.cannedAnswer.create({
      data: { title: 'Đã tiếp nhận', body: 'Chào {{name}}', locale: 'vi', agencyId: agency.id, active: false, createdById: staff.id, demo: true },
    });
    expect(await db.cannedAnswer.findUniqueOrThrow({ where: { id: canned.id } })).toEqual(canned);
    const consent = await db.contactConsent.create({
      data: { contactId: contact.id, purpose: 'phone_contact', granted: true, text: 'Đồng ý giữ số', locale: 'vi', messageId: message.id },
    });
    expect(await db.contactConsent.findUniqueOrThrow({ where: { id: consent.id } })).toEqual(consent);

    const back = await db.ticket.findUniqueOrThrow({
      where: { id: ticket.id },
      include: { agency: true, contact: true, conversation: true, routingRule: true, messages: true, events: true, duplicates: true },
    });
    expect(back).toMatchObject({ ...ticket, agency, contact, conversation, routingRule: rule, duplicates: [duplicate] });
    expect(back.messages).toEqual([message]);
    expect(back.events).toEqual([event]);
    expect(await db.staffUser.findUnique({ where: { id: staff.id } })).toEqual(staff);
    expect(await db.staffSession.findUnique({ where: { id: session.id }, include: { staffUser: true } })).toEqual({ ...session, staffUser: staff });
    expect(await db.ticket.findUnique({ where: { id: duplicate.id }, select: { assignee: true } })).toEqual({ assignee: staff });
    expect(await db.outboxJob.findUnique({ where: { id: job.id } })).toEqual(job);
    expect(await db.appSetting.findUnique({ where: { key: 'k' } })).toEqual(setting);
    expect(await db.knowledgeEntry.findUnique({ where: { id: knowledge.id }, include: { agency: true } })).toEqual({ ...knowledge, agency });
    expect(back.contact.channelUserId).toBe('9007199254740993123');

    // The press center (src/press).
    const profile = await db.pressProfile.create({
      data: {
        contactId: contact.id,
        name: 'Trần Thị B',
        newsroom: 'Báo Thử',
        pressCardNumber: 'TB-123',
        cardPhotoMessageId: message.id,
        phone: '0901234567',
        email: 'b@bao.test',
        consentGivenAt: now,
        verifiedAt: now,
        verifiedById: staff.id,
      },
    });
    const pressEvent = await db.pressEvent.create({
      data: {
        titleVi: 'Họp báo',
        titleEn: 'Press conference',
        startsAt: now,
        place: 'Hội trường',
        topic: 'general',
        agencies: ['test-agency', 'khác'],
        registrationDeadline: now,
        capacity: 10,
        onlineLink: 'https://example.test/live',
        cancelledAt: now,
        demo: true,
      },
    });
    const registration = await db.pressRegistration.create({
      data: { eventId: pressEvent.id, contactId: contact.id, profileId: profile.id, cancelledAt: now, remindedAt: now },
    });
    const subscription = await db.subscription.create({ data: { contactId: contact.id, topic: 'press_releases', unsubscribedAt: now } });
    const announcement = await db.announcement.create({
      data: {
        topic: 'service_outages',
        titleVi: 'Cúp điện',
        titleEn: 'Outage',
        bodyVi: 'Nội dung',
        bodyEn: 'Body',
        createdById: staff.id,
        publishedById: staff.id,
        publishedAt: now,
        fannedOutAt: now,
        stoppedAt: now,
        storedCount: 1,
      },
    });
    const delivery = await db.announcementDelivery.create({ data: { announcementId: announcement.id, contactId: contact.id, messageId: message.id } });
    const draft = await db.draftDocument.create({
      data: { titleVi: 'Dự thảo', titleEn: 'Draft', agencyId: agency.id, summary: 'Tóm tắt', fullTextUrl: 'https://example.test/d.pdf', opensAt: now, closesAt: now, demo: true },
    });
    const comment = await db.draftComment.create({ data: { draftId: draft.id, contactId: contact.id, article: 'Điều 5', text: 'Góp ý', trackingCode: 'GY-26-7K3QD' } });
    const published = await db.publishedAnswer.create({
      data: {
        ticketId: ticket.id,
        question: 'Hỏi',
        answer: 'Đáp',
        topic: 'environment',
        agencyId: agency.id,
        publishedById: staff.id,
        anonymised: true,
        consent: true,
        locale: 'en',
        demo: true,
      },
    });
    expect(await db.pressProfile.findUnique({ where: { id: profile.id } })).toEqual(profile);
    expect(await db.pressEvent.findUnique({ where: { id: pressEvent.id }, include: { registrations: true } })).toEqual({ ...pressEvent, registrations: [registration] });
    expect(await db.subscription.findUnique({ where: { id: subscription.id } })).toEqual(subscription);
    expect(await db.announcement.findUnique({ where: { id: announcement.id }, include: { deliveries: true } })).toEqual({ ...announcement, deliveries: [delivery] });
    expect(await db.draftDocument.findUnique({ where: { id: draft.id }, include: { comments: true } })).toEqual({ ...draft, comments: [comment] });
    expect(await db.publishedAnswer.findUnique({ where: { id: published.id } })).toEqual(published);
    await expect(db.pressRegistration.create({ data: { eventId: pressEvent.id, contactId: contact.id } })).rejects.toMatchObject({ code: 'P2002' });
    await expect(db.subscription.create({ data: { contactId: contact.id, topic: 'press_releases' } })).rejects.toMatchObject({ code: 'P2002' });
    await expect(db.subscription.create({ data: { contactId: contact.id, topic: 'gossip' } })).rejects.toThrow();
    expect(back.messages[0]!.attachments).toEqual([{ type: 'image', url: 'https://example.test/a.jpg' }]);
  });

  it('enforces the unique keys the hotline relies on', async () => {
    const db = database.prisma;
    const conv = await db.conversation.findFirstOrThrow();
    await expect(
      db.message.create({
        data: { conversationId: conv.id, seq: 99, direction: 'inbound', author: 'person', channel: 'zalo_oa', externalId: 'msg-1', text: 'again' },
      }),
    ).rejects.toMatchObject({ code: 'P2002' });
    await expect(
      db.message.create({ data: { conversationId: conv.id, seq: 1, direction: 'outbound', author: 'bot', channel: 'zalo_oa', text: 'same seq' } }),
    ).rejects.toMatchObject({ code: 'P2002' });
  });

  it('keeps the audit log append-only', async () => {
    const db = database.prisma;
    const event = await db.ticketEvent.findFirstOrThrow();
    await expect(db.ticketEvent.update({ where: { id: event.id }, data: { kind: 'tampered' } })).rejects.toThrow(/append-only/);
    await expect(db.ticketEvent.delete({ where: { id: event.id } })).rejects.toThrow(/append-only/);
  });
});
