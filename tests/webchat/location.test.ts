// The widget's "share my location" button: a message frame may carry a location (coordinates),
// stored on the message like a location shared from Telegram or Zalo. Bad coordinates are refused
// with a clear error naming the field, and nothing is stored.
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

describe('web chat location', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.stop();
  });

  const stored = (sessionId: string, clientMsgId: string) =>
    t.hotline.db.prisma.message.findUnique({ where: { channel_externalId: { channel: 'webchat', externalId: `${sessionId}:${clientMsgId}` } } });

  it('stores a shared location, with or without words, as a location attachment', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    chat.send({ type: 'message', clientMsgId: 'loc-1', text: '', attachments: [{ type: 'location', latitude: 10.776889, longitude: 106.700806 }] });
    await chat.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'loc-1');
    expect(await stored(sessionId, 'loc-1')).toMatchObject({
      text: '',
      attachments: [{ type: 'location', latitude: 10.776889, longitude: 106.700806 }],
    });
    chat.send({
      type: 'message',
      clientMsgId: 'loc-2',
      text: 'Cây đổ ở đây',
      attachments: [{ type: 'location', latitude: -90, longitude: 180 }],
    });
    await chat.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'loc-2');
    expect(await stored(sessionId, 'loc-2')).toMatchObject({ text: 'Cây đổ ở đây', attachments: [{ type: 'location', latitude: -90, longitude: 180 }] });
    await chat.close();
  });

  it('refuses bad coordinates and too many attachments with bad_frame naming the field, and stores nothing', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const here = { type: 'location', latitude: 21.0285, longitude: 105.8542 };
    const bad: Array<[string, unknown, RegExp]> = [
      ['lat-high', [{ ...here, latitude: 91 }], /attachments\.0\.latitude/],
      ['lon-low', [{ ...here, longitude: -180.5 }], /attachments\.0\.longitude/],
      ['lat-text', [{ ...here, latitude: '21.0' }], /attachments\.0\.latitude/],
      ['no-lon', [{ type: 'location', latitude: 21 }], /attachments\.0\.longitude/],
      ['kind', [{ ...here, type: 'sticker' }], /attachments\.0\.type/],
      ['too-many', [here, here, here, here], /attachments/],
      ['not-list', here, /attachments/],
    ];
    for (const [id, attachments, field] of bad) {
      chat.send({ type: 'message', clientMsgId: id, text: 'ở đây', attachments });
      const error = await chat.waitFor((f) => f.type === 'error' && f.clientMsgId === id);
      expect(error).toMatchObject({ code: 'bad_frame' });
      expect(String(error.message)).toMatch(field);
    }
    for (const [id] of bad) expect(await stored(sessionId, id)).toBeNull();
    expect(chat.frames.some((f) => f.type === 'ack')).toBe(false);
    // Still open, and an empty message without a location is still empty.
    chat.send({ type: 'message', clientMsgId: 'empty', text: ' ', attachments: [] });
    expect(await chat.waitFor((f) => f.clientMsgId === 'empty')).toMatchObject({ type: 'error', code: 'empty_message' });
    await chat.close();
  });
});
