// Every bad input to the web chat gets a clear error and changes nothing.
import { TokenSigner } from '../../src/auth/tokens';
import { loadSessionSecret } from '../../src/auth/tokens';
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

describe('web chat bad inputs', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.stop();
  });

  const messageCount = () => t.hotline.db.prisma.message.count({ where: { direction: 'inbound' } });

  async function rejected(token: string | null): Promise<{ status: number; body: { error: string; message: string } }> {
    const err = (await ChatClient.connect(t, token as string).then(
      (c) => {
        void c.close();
        throw new Error('the socket opened');
      },
      (e: { status: number; body: string }) => e,
    )) as { status: number; body: string };
    return { status: err.status, body: JSON.parse(err.body) };
  }

  it('refuses the socket without a token, with a forged token, and with an expired token', async () => {
    const before = await messageCount();
    const missing = await rejected('');
    expect(missing.status).toBe(401);
    const { token } = await newSession(t);
    const forged = await rejected(`${token.split('.')[0]}.AAAA${token.split('.')[1]!.slice(4)}`);
    expect(forged).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    const signer = new TokenSigner(await loadSessionSecret(t.hotline.db.prisma, undefined));
    const { sessionId } = await newSession(t);
    const expired = signer.sign('webchat', sessionId, 1_000, Date.now() - 60_000).token;
    const old = await rejected(expired);
    expect(old).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    expect(old.body.message).toMatch(/expired/);
    const staffToken = signer.sign('staff', sessionId, 60_000).token;
    expect((await rejected(staffToken)).status).toBe(401);
    expect(await messageCount()).toBe(before);
  });

  it('answers malformed frames with bad_frame, keeps the socket open, and stores nothing', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const before = await messageCount();
    chat.send('this is not json');
    chat.send({ type: 'message', text: 'no clientMsgId' });
    chat.send({ type: 'shout', clientMsgId: 'x', text: 'hi' });
    chat.send({ type: 'message', clientMsgId: 'n', text: 42 });
    chat.ws.send(Buffer.from([1, 2, 3]), { binary: true });
    await chat.waitFor(() => chat.frames.filter((f) => f.code === 'bad_frame').length === 5);
    for (const f of chat.frames) expect(f).toMatchObject({ type: 'error', code: 'bad_frame', message: expect.any(String) });
    chat.send({ type: 'ping' });
    await chat.waitFor((f) => f.type === 'pong');
    expect(await messageCount()).toBe(before);
    await chat.close();
  });

  it('rejects a message over 4,000 characters and an empty one, and stores neither', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const before = await messageCount();
    chat.send({ type: 'message', clientMsgId: 'long', text: 'ư'.repeat(4001) });
    const tooLong = await chat.waitFor((f) => f.type === 'error' && f.clientMsgId === 'long');
    expect(tooLong).toMatchObject({ code: 'message_too_long', max: 4000 });
    expect(tooLong.message).toMatch(/4000/);
    chat.send({ type: 'message', clientMsgId: 'empty', text: '   \n ' });
    expect(await chat.waitFor((f) => f.clientMsgId === 'empty')).toMatchObject({ type: 'error', code: 'empty_message' });
    // Exactly at the limit is fine.
    await chat.sendMessage('max', 'ư'.repeat(4000));
    expect(await messageCount()).toBe(before + 1);
    await chat.close();
  });

  it('closes an oversized frame without storing it', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    const before = await messageCount();
    chat.send({ type: 'message', clientMsgId: 'huge', text: 'a'.repeat(200_000) });
    await new Promise<void>((resolve) => chat.ws.once('close', () => resolve()));
    expect(chat.closeCode).toBe(1009);
    expect(await messageCount()).toBe(before);
  });

  it('validates session requests', async () => {
    const res = await fetch(`${t.baseUrl}/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ locale: 'fr' }),
    });
    expect(res.status).toBe(400);
    const broken = await fetch(`${t.baseUrl}/webchat/sessions`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"locale":',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toBeTruthy();
  });

  it('tells the person to retry, and keeps nothing half-done, when the database is gone', async () => {
    const { token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    // A known sender's batch is one statement without a transaction (src/messages/batch-store.ts),
    // a new one's a transaction: the database fails whichever the store runs.
    const lost = (() => Promise.reject(new Error('connection terminated'))) as never;
    const spies = [
      jest.spyOn(t.hotline.db.prisma, '$transaction').mockImplementationOnce(lost),
      jest.spyOn(t.hotline.db.prisma, '$queryRawUnsafe').mockImplementationOnce(lost),
    ];
    chat.send({ type: 'message', clientMsgId: 'db-down', text: 'Ống nước bể' });
    const error = await chat.waitFor((f) => f.type === 'error');
    expect(error).toMatchObject({ code: 'unavailable' });
    expect(chat.frames.some((f) => f.type === 'ack')).toBe(false);
    await new Promise<void>((resolve) => (chat.closeCode !== null ? resolve() : chat.ws.once('close', () => resolve())));
    expect(chat.closeCode).toBe(1013);
    for (const spy of spies) spy.mockRestore();
    // The browser re-sends the same message after reconnecting; now it is stored once.
    const again = await ChatClient.connect(t, token);
    await again.sendMessage('db-down', 'Ống nước bể');
    expect(await t.hotline.db.prisma.message.count({ where: { externalId: { endsWith: ':db-down' } } })).toBe(1);
    await again.close();
  });
});
