// Web chat limits per token (issue 8, item 8): open sockets of one session, and messages of one
// session. A refused message is not stored and comes back as a rate_limited error frame that names
// it (clientMsgId) and says when to send it again, so the widget keeps it pending.
import { ChatClient, eventually, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

describe('web chat limits per token', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ env: { LIMIT_SOCKETS_PER_TOKEN: '2', LIMIT_WEBCHAT_MESSAGES_PER_TOKEN: '3' } });
  });
  afterAll(async () => {
    await t.stop();
  });

  const refusal = (token: string) =>
    ChatClient.connect(t, token).then(
      async (c) => {
        await c.close();
        throw new Error('the socket opened');
      },
      (e: { status: number; body: string }) => ({ status: e.status, body: JSON.parse(e.body) as Record<string, unknown> }),
    );

  it('caps the open sockets of one token and frees a place when one closes', async () => {
    const { token } = await newSession(t);
    const first = await ChatClient.connect(t, token);
    const second = await ChatClient.connect(t, token);
    const third = await refusal(token);
    expect(third).toEqual({ status: 429, body: { error: 'rate_limited', message: expect.stringMatching(/already open in 2 places/) } });
    // Another session is not affected.
    const other = await ChatClient.connect(t, (await newSession(t)).token);
    await other.close();
    // Both open sockets still work.
    second.send({ type: 'ping' });
    await second.waitFor((f) => f.type === 'pong');
    await first.close();
    const again = await eventually(() => ChatClient.connect(t, token).catch(() => null));
    again.send({ type: 'ping' });
    await again.waitFor((f) => f.type === 'pong');
    await Promise.all([second.close(), again.close()]);
  });

  it('refuses messages over the per-token limit without storing them, telling the client when to resend', async () => {
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    for (let i = 1; i <= 3; i++) await chat.sendMessage(`m${i}`, `tin nhắn số ${i}`);
    chat.send({ type: 'message', clientMsgId: 'm4', text: 'one too many' });
    const refused = await chat.waitFor((f) => f.type === 'error' && f.clientMsgId === 'm4');
    expect(refused).toEqual({
      type: 'error',
      code: 'rate_limited',
      message: expect.stringMatching(/Too many messages/),
      clientMsgId: 'm4',
      retryAfterMs: expect.any(Number),
    });
    expect(refused.retryAfterMs as number).toBeGreaterThan(0);
    expect(chat.frames.some((f) => f.type === 'ack' && f.clientMsgId === 'm4')).toBe(false);
    const stored = await t.hotline.db.prisma.message.findMany({
      where: { direction: 'inbound', conversation: { contact: { channelUserId: sessionId } } },
      select: { text: true },
    });
    expect(stored.map((m) => m.text).sort()).toEqual(['tin nhắn số 1', 'tin nhắn số 2', 'tin nhắn số 3']);
    // The limit counts the session, not the socket: a second socket of the same token is refused too.
    const second = await ChatClient.connect(t, token);
    second.send({ type: 'message', clientMsgId: 'm5', text: 'from another tab' });
    expect(await second.waitFor((f) => f.type === 'error' && f.clientMsgId === 'm5')).toMatchObject({ code: 'rate_limited' });
    // The socket stays usable.
    chat.send({ type: 'ping' });
    await chat.waitFor((f) => f.type === 'pong');
    await Promise.all([chat.close(), second.close()]);
  });
});
