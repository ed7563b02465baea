// POST /webhooks/zalo-oa: authenticity first (mac over the raw bytes), then every event kind Zalo
// sends, stored once and acknowledged at once.
import { followEvent, receiptEvent, userEvent } from '../../helpers/fake-zalo-oa';
import { eventually } from '../../helpers/hotline';
import { zaloMac } from '../../../bots/zalo-oa/signature';
import { APP_ID, BIG_USER_ID, CODE, SECRET_KEY, sentMatching, startZaloHotline, type ZaloHotline } from './harness';

describe('Zalo OA webhook', () => {
  let z: ZaloHotline;
  beforeAll(async () => {
    z = await startZaloHotline();
  });
  afterAll(async () => {
    await z.stop();
  });

  const prisma = () => z.t.hotline.db.prisma;
  const byExternalId = (externalId: string) =>
    prisma().message.findUnique({ where: { channel_externalId: { channel: 'zalo_oa', externalId } } });
  const msgIdOf = (raw: string) => (JSON.parse(raw) as { message: { msg_id: string } }).message.msg_id;

  describe('signature', () => {
    it('accepts a correctly signed event and stores it', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', '1001', { text: 'Đèn đường hỏng' });
      const res = await z.post(raw);
      expect(res).toMatchObject({ status: 200, body: { ok: true, duplicate: false } });
      expect(await byExternalId(msgIdOf(raw))).toMatchObject({ text: 'Đèn đường hỏng', direction: 'inbound' });
    });

    it('refuses a forged signature, stores nothing', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', '1002', { text: 'forged' });
      const res = await z.post(raw, { signature: `mac=${zaloMac(APP_ID, raw, '1', 'wrong-secret')}` });
      expect(res.status).toBe(401);
      expect(res.body.error).toBe('invalid_signature');
      expect(await byExternalId(msgIdOf(raw))).toBeNull();
    });

    it('refuses a body changed after signing (the mac covers the exact bytes)', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', '1003', { text: 'original' });
      const ts = (JSON.parse(raw) as { timestamp: string }).timestamp;
      const signature = `mac=${zaloMac(APP_ID, raw, ts, SECRET_KEY)}`;
      const tampered = raw.replace('original', 'tampered');
      expect((await z.post(tampered, { signature })).status).toBe(401);
      // Re-serialising changes the bytes too (spaces), and a mac over the original no longer fits.
      expect((await z.post(JSON.stringify(JSON.parse(raw), null, 1), { signature })).status).toBe(401);
      expect(await byExternalId(msgIdOf(raw))).toBeNull();
    });

    it('refuses a missing or malformed signature header, stores nothing', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', '1004', { text: 'unsigned' });
      expect((await z.post(raw, { signature: null })).status).toBe(401);
      expect((await z.post(raw, { signature: 'sha256=abc' })).status).toBe(401);
      expect((await z.post(raw, { signature: zaloMac(APP_ID, raw, '0', SECRET_KEY) })).status).toBe(401);
      expect(await byExternalId(msgIdOf(raw))).toBeNull();
    });

    it('uses the timestamp inside the body, not another one', async () => {
      const ts = Date.now() - 5_000;
      const raw = userEvent(APP_ID, 'user_send_text', '1005', { text: 'timestamp' }, { timestamp: String(ts) });
      const signedWithOther = `mac=${zaloMac(APP_ID, raw, String(ts + 1), SECRET_KEY)}`;
      expect((await z.post(raw, { signature: signedWithOther })).status).toBe(401);
      const signed = `mac=${zaloMac(APP_ID, raw, String(ts), SECRET_KEY)}`;
      expect((await z.post(raw, { signature: signed })).status).toBe(200);
    });

    it('refuses an event for another app even when signed with our key', async () => {
      const raw = userEvent('999999', 'user_send_text', '1006', { text: 'other app' });
      const res = await z.post(raw);
      expect(res.status).toBe(401);
      expect(res.body.message).toMatch(/not this hotline's app/);
      expect(await byExternalId(msgIdOf(raw))).toBeNull();
    });
  });

  describe('stale events (replays)', () => {
    it('refuses a correctly signed event from far in the past or the future, stores nothing, and accepts one inside the window', async () => {
      const day = 24 * 3600_000;
      const old = userEvent(APP_ID, 'user_send_text', '1008', { text: 'from 2017' }, { timestamp: '1500000000000' });
      const res = await z.post(old);
      expect(res).toMatchObject({ status: 400, body: { error: 'stale_event', message: expect.stringMatching(/2017-07-14T.*older than this hotline accepts \(86400 s\)/) } });
      const justTooOld = userEvent(APP_ID, 'user_send_text', '1008', { text: 'a day and a minute' }, { timestamp: String(Date.now() - day - 60_000) });
      expect((await z.post(justTooOld)).status).toBe(400);
      const future = userEvent(APP_ID, 'user_send_text', '1008', { text: 'tomorrow' }, { timestamp: String(Date.now() + 3600_000) });
      expect((await z.post(future)).body).toMatchObject({ error: 'stale_event', message: expect.stringMatching(/further ahead/) });
      for (const raw of [old, justTooOld, future]) expect(await byExternalId(msgIdOf(raw))).toBeNull();
      // A redelivery a few hours late is still inside the default window of a day.
      const late = userEvent(APP_ID, 'user_send_text', '1008', { text: 'three hours late' }, { timestamp: String(Date.now() - 3 * 3600_000) });
      expect((await z.post(late)).status).toBe(200);
      expect(await byExternalId(msgIdOf(late))).toMatchObject({ text: 'three hours late' });
    });
  });

  describe('malformed bodies', () => {
    it('answers 400 with a reason for a signed event missing what its kind needs', async () => {
      const raw = JSON.stringify({ app_id: APP_ID, event_name: 'user_send_text', timestamp: String(Date.now()), message: { text: 'no sender' } });
      const res = await z.post(raw);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'malformed_event' });
      expect(res.body.message).toMatch(/sender/);
    });

    it('answers 400 for a body that is not JSON', async () => {
      const res = await z.post('{"app_id": "x", ', { signature: `mac=${'0'.repeat(64)}` });
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/not valid JSON/);
    });

    it('answers 400 for a location without coordinates', async () => {
      const raw = userEvent(APP_ID, 'user_send_location', '1007', { attachments: [{ type: 'location', payload: {} }] });
      const res = await z.post(raw);
      expect(res.status).toBe(400);
      expect(res.body.message).toMatch(/coordinates/);
    });
  });

  describe('event kinds', () => {
    async function stored(eventName: string, message: Record<string, unknown>) {
      const raw = userEvent(APP_ID, eventName, '2001', message);
      const res = await z.post(raw);
      expect(res.status).toBe(200);
      return (await byExternalId(msgIdOf(raw)))!;
    }

    it('user_send_image: the image and its caption', async () => {
      const m = await stored('user_send_image', {
        text: 'Ảnh ổ gà',
        attachments: [{ type: 'image', payload: { thumbnail: 'https://photo.zdn.vn/t.jpg', url: 'https://photo.zdn.vn/full.jpg' } }],
      });
      expect(m.text).toBe('Ảnh ổ gà');
      expect(m.attachments).toEqual([{ type: 'image', url: 'https://photo.zdn.vn/full.jpg' }]);
    });

    it('user_send_gif: an image', async () => {
      const m = await stored('user_send_gif', { attachments: [{ type: 'gif', payload: { thumbnail: 'https://g.zdn.vn/t.gif', url: 'https://g.zdn.vn/a.gif' } }] });
      expect(m.text).toBe('');
      expect(m.attachments).toEqual([{ type: 'image', url: 'https://g.zdn.vn/a.gif' }]);
    });

    it('user_send_file: url and name', async () => {
      const m = await stored('user_send_file', {
        attachments: [{ type: 'file', payload: { url: 'https://f.zdn.vn/don.pdf', size: '20480', name: 'don-khieu-nai.pdf', checksum: 'ab', type: 'pdf' } }],
      });
      expect(m.attachments).toEqual([{ type: 'file', url: 'https://f.zdn.vn/don.pdf', name: 'don-khieu-nai.pdf' }]);
    });

    it('user_send_sticker', async () => {
      const m = await stored('user_send_sticker', { attachments: [{ type: 'sticker', payload: { id: 'bfe1', url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1' } }] });
      expect(m.attachments).toEqual([{ type: 'sticker', url: 'https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid=1' }]);
    });

    it('user_send_audio and user_send_video', async () => {
      const audio = await stored('user_send_audio', { attachments: [{ type: 'audio', payload: { url: 'https://v.zdn.vn/voice.amr' } }] });
      expect(audio.attachments).toEqual([{ type: 'audio', url: 'https://v.zdn.vn/voice.amr' }]);
      const video = await stored('user_send_video', {
        attachments: [{ type: 'video', payload: { thumbnail: 'https://v.zdn.vn/t.jpg', description: 'clip', url: 'https://v.zdn.vn/clip.mp4' } }],
      });
      expect(video.attachments).toEqual([{ type: 'video', url: 'https://v.zdn.vn/clip.mp4' }]);
    });

    it('user_send_link', async () => {
      const m = await stored('user_send_link', {
        text: 'https://baomoi.com/bai-viet',
        attachments: [{ type: 'link', payload: { thumbnail: 'https://b.vn/t.jpg', description: 'Bài báo về ngập', url: 'https://baomoi.com/bai-viet' } }],
      });
      expect(m.text).toBe('https://baomoi.com/bai-viet');
      expect(m.attachments).toEqual([{ type: 'link', url: 'https://baomoi.com/bai-viet', name: 'Bài báo về ngập' }]);
    });

    it('user_send_location: coordinates as numbers (Zalo sends them as strings)', async () => {
      const m = await stored('user_send_location', {
        attachments: [{ type: 'location', payload: { coordinates: { latitude: '10.7756587', longitude: '106.7004238' } } }],
      });
      expect(m.attachments).toEqual([{ type: 'location', latitude: 10.7756587, longitude: 106.7004238 }]);
    });

    it('user_send_business_card: a contact with name and phone', async () => {
      const m = await stored('user_send_business_card', {
        text: 'Nguyễn Văn A',
        attachments: [
          { type: 'link', payload: { thumbnail: 'https://s.zdn.vn/a.jpg', description: '{"qrCodeUrl":"https://qr.zalo.me/c1","phone":"0901234567"}', url: '' } },
        ],
      });
      expect(m.text).toBe('');
      expect(m.attachments).toEqual([{ type: 'contact', name: 'Nguyễn Văn A', phone: '0901234567', url: 'https://qr.zalo.me/c1' }]);
    });

    it('keeps a sender id above 2^53 exact, also when sent as a bare JSON number', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', BIG_USER_ID, { text: 'id lớn' }, { bigIdAsNumber: true });
      expect(raw).toContain(`"sender":{"id":${BIG_USER_ID}}`);
      expect(Number(BIG_USER_ID) > Number.MAX_SAFE_INTEGER).toBe(true);
      expect((await z.post(raw)).status).toBe(200);
      const m = await prisma().message.findUniqueOrThrow({
        where: { channel_externalId: { channel: 'zalo_oa', externalId: msgIdOf(raw) } },
        include: { conversation: { include: { contact: true } } },
      });
      expect(m.conversation.contact.channelUserId).toBe(BIG_USER_ID);
    });

    it('follow and unfollow mark the contact', async () => {
      expect((await z.post(followEvent(APP_ID, 'unfollow', '3001'))).status).toBe(200);
      const contact = () => prisma().contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'zalo_oa', channelUserId: '3001' } } });
      expect((await contact()).unfollowedAt).toBeInstanceOf(Date);
      expect((await z.post(followEvent(APP_ID, 'follow', '3001'))).status).toBe(200);
      expect((await contact()).unfollowedAt).toBeNull();
    });

    it("ignores the OA's own oa_send_* echoes with a 200", async () => {
      const before = await prisma().message.count({ where: { direction: 'inbound' } });
      for (const name of ['oa_send_text', 'oa_send_image', 'oa_send_list']) {
        const raw = JSON.stringify({
          app_id: APP_ID,
          event_name: name,
          timestamp: String(Date.now()),
          sender: { id: '579745863508352884' },
          recipient: { id: '2001' },
          message: { msg_id: `echo-${name}`, text: 'our own reply' },
        });
        expect(await z.post(raw)).toMatchObject({ status: 200, body: { ignored: expect.stringMatching(/echo/) } });
      }
      expect(await prisma().message.count({ where: { direction: 'inbound' } })).toBe(before);
    });

    it('acknowledges an event kind it does not handle with a 200, storing nothing', async () => {
      const before = await prisma().message.count({ where: { direction: 'inbound' } });
      const raw = JSON.stringify({ app_id: APP_ID, event_name: 'add_user_to_tag', timestamp: String(Date.now()), tag_name: 'VIP', oa_id: '1' });
      expect(await z.post(raw)).toMatchObject({ status: 200, body: { ignored: 'add_user_to_tag' } });
      expect(await prisma().message.count({ where: { direction: 'inbound' } })).toBe(before);
    });

    it('receipts move our reply to delivered, then seen (never back)', async () => {
      const userId = '4001';
      await z.post(userEvent(APP_ID, 'user_send_text', userId, { text: 'Cống bị tắc ở hẻm 12' }));
      const reply = await sentMatching(z.fake, (text, to) => to === userId && CODE.test(text));
      const stored = await eventually(async () => {
        const part = await prisma().deliveryPart.findFirst({ where: { channel: 'zalo_oa', externalId: reply.msgId }, include: { message: true } });
        return part?.message.delivery === 'sent' ? part.message : null;
      });
      expect(await z.post(receiptEvent(APP_ID, 'user_received_message', userId, [reply.msgId]))).toMatchObject({ status: 200, body: { updated: 1 } });
      expect((await prisma().message.findUniqueOrThrow({ where: { id: stored.id } })).delivery).toBe('delivered');
      expect(await z.post(receiptEvent(APP_ID, 'user_seen_message', userId, [reply.msgId, 'unknown-id']))).toMatchObject({ status: 200, body: { updated: 1 } });
      expect((await prisma().message.findUniqueOrThrow({ where: { id: stored.id } })).delivery).toBe('seen');
      // A late "received" does not undo "seen".
      await z.post(receiptEvent(APP_ID, 'user_received_message', userId, [reply.msgId]));
      expect((await prisma().message.findUniqueOrThrow({ where: { id: stored.id } })).delivery).toBe('seen');
    });
  });

  describe('storing', () => {
    it('stores a redelivered event once: one message, one ticket, one bot reply', async () => {
      const userId = '5001';
      const raw = userEvent(APP_ID, 'user_send_text', userId, { text: 'Nước ngập đường Nguyễn Hữu Cảnh' });
      const [a, b] = await Promise.all([z.post(raw), z.post(raw)]);
      expect([a.status, b.status]).toEqual([200, 200]);
      const again = await z.post(raw);
      expect(again).toMatchObject({ status: 200, body: { duplicate: true } });
      expect(await prisma().message.count({ where: { channel: 'zalo_oa', externalId: msgIdOf(raw) } })).toBe(1);
      await sentMatching(z.fake, (text, to) => to === userId && CODE.test(text));
      await eventually(async () => (await prisma().outboxJob.count({ where: { status: 'pending' } })) === 0);
      expect(z.fake.sent.filter((m) => m.userId === userId)).toHaveLength(1);
      expect(await prisma().ticket.count({ where: { conversation: { contact: { channel: 'zalo_oa', channelUserId: userId } } } })).toBe(1);
    });

    it('answers 500 when the event cannot be stored, so Zalo delivers it again', async () => {
      const raw = userEvent(APP_ID, 'user_send_text', '5002', { text: 'Lưu thất bại' });
      const spy = jest.spyOn(prisma(), '$transaction').mockRejectedValueOnce(new Error('database is down'));
      const res = await z.post(raw);
      spy.mockRestore();
      expect(res).toMatchObject({ status: 503, body: { error: 'not_stored' } });
      expect(await byExternalId(msgIdOf(raw))).toBeNull();
      // The redelivery is stored.
      expect((await z.post(raw)).status).toBe(200);
      expect(await byExternalId(msgIdOf(raw))).not.toBeNull();
    });
  });
});
