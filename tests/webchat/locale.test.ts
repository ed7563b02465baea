// The widget's language switch reaches the server: the contact's language changes, and the bot's
// next replies are in it. A platform's language hint counts only when the contact is first seen.
import { storeInbound } from '../../src/messages/store';
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

/** Letters only Vietnamese uses: an English reply has none of them. */
const VIETNAMESE = /[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]/i;

describe('web chat language switch', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.stop();
  });

  const contactLocale = async (sessionId: string) =>
    (await t.hotline.db.prisma.contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'webchat', channelUserId: sessionId } } })).locale;

  async function botReplyAfter(chat: ChatClient, seq: number): Promise<string> {
    const reply = await chat.waitFor((f) => f.type === 'message' && f.from === 'bot' && (f.seq as number) > seq);
    return String(reply.text);
  }

  it('switches a Vietnamese chat to English and back; each reply after a switch is in the new language', async () => {
    const { sessionId, token } = await newSession(t, 'vi');
    const chat = await ChatClient.connect(t, token);
    chat.send({ type: 'locale', locale: 'en' });
    expect(await chat.waitFor((f) => f.type === 'locale_set')).toEqual({ type: 'locale_set', locale: 'en' });
    expect(await contactLocale(sessionId)).toBe('en');
    // A message with no language of its own (a number), so only the stored choice decides.
    const first = await chat.sendMessage('m1', '12');
    expect(await botReplyAfter(chat, first)).not.toMatch(VIETNAMESE);

    chat.send({ type: 'locale', locale: 'vi' });
    await chat.waitFor((f) => f.type === 'locale_set' && f.locale === 'vi');
    expect(await contactLocale(sessionId)).toBe('vi');
    const second = await chat.sendMessage('m2', '34');
    expect(await botReplyAfter(chat, second)).toMatch(VIETNAMESE);
    await chat.close();
  });

  it('answers a bad locale with a clear bad_frame error, changes nothing and keeps the socket open', async () => {
    const { sessionId, token } = await newSession(t, 'vi');
    const chat = await ChatClient.connect(t, token);
    chat.send({ type: 'locale', locale: 'fr' });
    chat.send({ type: 'locale' });
    chat.send({ type: 'locale', locale: 7 });
    await chat.waitFor(() => chat.frames.filter((f) => f.code === 'bad_frame').length === 3);
    for (const f of chat.frames) {
      expect(f).toMatchObject({ type: 'error', code: 'bad_frame' });
      expect(String(f.message)).toMatch(/locale/);
    }
    expect(chat.frames.some((f) => f.type === 'locale_set')).toBe(false);
    expect(await contactLocale(sessionId)).toBe('vi');
    chat.send({ type: 'ping' });
    await chat.waitFor((f) => f.type === 'pong');
    await chat.close();
  });

  it('takes a platform language hint on first contact only, never over an explicit choice', async () => {
    const receive = (inbound: Parameters<typeof storeInbound>[1]) => storeInbound(t.hotline.db.prisma, inbound);
    const base = { channel: 'telegram' as const, channelUserId: 'locale-hint-1', attachments: [], sentAt: new Date() };
    await receive({ ...base, externalId: 'lh:1', text: 'hello', localeHint: 'en' });
    const contact = () =>
      t.hotline.db.prisma.contact.findUniqueOrThrow({ where: { channel_channelUserId: { channel: 'telegram', channelUserId: 'locale-hint-1' } } });
    expect((await contact()).locale).toBe('en');
    // The person chose Vietnamese (the flows' language switch writes contact.locale).
    await t.hotline.db.prisma.contact.update({ where: { id: (await contact()).id }, data: { locale: 'vi' } });
    await receive({ ...base, externalId: 'lh:2', text: 'again', localeHint: 'en' });
    expect(await t.hotline.db.prisma.message.count({ where: { externalId: 'lh:2' } })).toBe(1);
    expect((await contact()).locale).toBe('vi');
  });
});
