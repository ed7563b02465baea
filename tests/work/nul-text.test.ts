// PostgreSQL cannot store U+0000. A NUL in what a person sends is cleaned before storing (it
// carries nothing they meant to write), so the message is stored once and answered instead of
// failing forever; staff routes refuse it with a clear 400 and store nothing.
import { startTelegramHotline, type TelegramHotline } from '../channels/telegram/setup';
import { privateChat, textUpdate } from '../helpers/fake-telegram';
import { api, ChatClient, eventually, newSession, staffLogin } from '../helpers/hotline';

describe('text with NUL characters', () => {
  let h: TelegramHotline;
  beforeAll(async () => {
    h = await startTelegramHotline();
  });
  afterAll(async () => h?.stop());

  it('stores a web chat message without the NUL, acknowledges and answers it', async () => {
    const { sessionId, token } = await newSession(h.t);
    const chat = await ChatClient.connect(h.t, token);
    const seq = await chat.sendMessage('nul\u0000id', 'Ống nước\u0000 bị vỡ');
    await chat.waitFor((f) => f.type === 'message' && (f.seq as number) > seq);
    const stored = await h.t.hotline.db.prisma.message.findFirstOrThrow({
      where: { direction: 'inbound', conversation: { contact: { channelUserId: sessionId } } },
    });
    expect(stored).toMatchObject({ text: 'Ống nước bị vỡ', externalId: `${sessionId}:nulid` });
    // The socket stays open and usable: no "unavailable", no close.
    expect(chat.frames.some((f) => f.type === 'error')).toBe(false);
    expect(chat.closeCode).toBeNull();
    await chat.close();
  });

  it('stores a platform message without the NUL and answers 200, so the platform does not deliver it forever', async () => {
    const chat = '880011';
    const update = textUpdate(h.nextUpdateId(), chat, 1, 'Mất\u0000 điện từ sáng', { from: { ...privateChat(chat).from, first_name: 'La\u0000n' } });
    const res = await h.post(update);
    expect(res.status).toBe(200);
    expect((await h.post(update)).status).toBe(200); // a redelivery is the same message, stored once
    const stored = await h.t.hotline.db.prisma.message.findMany({
      where: { direction: 'inbound', channel: 'telegram', conversation: { contact: { channelUserId: chat } } },
      include: { conversation: { include: { contact: true } } },
    });
    expect(stored.map((m) => m.text)).toEqual(['Mất điện từ sáng']);
    expect(stored[0]!.conversation.contact.displayName).not.toContain('\u0000');
    await h.waitForText(chat, (text) => /HCM-\d{2}-/.test(text));
  });

  it('refuses a staff reply or note with a NUL (400 bad_text) and stores nothing', async () => {
    const code = await h.openTicket('880012', 'Cống thoát nước bị tắc');
    const operator = await staffLogin(h.t, 'operator@hotline.local');
    const ticket = await h.t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: code } });
    const before = await h.t.hotline.db.prisma.message.count({ where: { ticketId: ticket.id } });
    const reply = await api<{ error: string; message: string }>(h.t, operator, 'POST', `/tickets/${code}/replies`, { text: 'Đã\u0000 xử lý' });
    expect(reply).toMatchObject({ status: 400, body: { error: 'bad_text', message: expect.stringContaining('U+0000') } });
    const note = await api(h.t, operator, 'POST', `/tickets/${code}/notes`, { text: 'ghi\u0000 chú' });
    expect(note).toMatchObject({ status: 400, body: { error: 'bad_text' } });
    expect(await h.t.hotline.db.prisma.message.count({ where: { ticketId: ticket.id } })).toBe(before);
    expect(await h.t.hotline.db.prisma.ticketEvent.count({ where: { ticketId: ticket.id, kind: 'note' } })).toBe(0);
    // Without the NUL the same reply goes through.
    const ok = await api(h.t, operator, 'POST', `/tickets/${code}/replies`, { text: 'Đã xử lý' });
    expect(ok.status).toBe(201);
    await eventually(async () => h.textsTo('880012').some((t) => t.includes('Đã xử lý')));
  });
});
