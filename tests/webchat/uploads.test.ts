// Files from the web chat widget: POST /webchat/uploads keeps a photo or PDF (type checked by its
// bytes, size capped), a message attaches it by id, and staff open it through
// GET /api/messages/:id/attachments/:index. Every refusal says why and keeps nothing.
import { PNG_1X1 } from '../helpers/fake-zalo-oa';
import { ChatClient, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';
import { MAX_UPLOAD_BYTES } from '../../src/webchat/uploads';

const PDF = Buffer.from('%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n');

describe('web chat uploads', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline();
  });
  afterAll(async () => {
    await t.stop();
  });

  const uploads = () => t.hotline.db.prisma.webchatUpload.count();

  async function upload(token: string | null, type: string, body: Buffer | string, name = 'anh.png') {
    const res = await t.hotline.server.inject({
      method: 'POST',
      url: `/webchat/uploads?name=${encodeURIComponent(name)}`,
      headers: { 'content-type': type, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      payload: body,
    });
    return { status: res.statusCode, body: res.json() as { uploadId?: string; type?: string; error?: string; message?: string } };
  }

  it('keeps a photo and a PDF, attaches them to a message, and lets staff open them', async () => {
    const { sessionId, token } = await newSession(t);
    const photo = await upload(token, 'image/png', PNG_1X1, '../../ổ gà.png');
    expect(photo).toMatchObject({ status: 201, body: { type: 'image', uploadId: expect.any(String) } });
    const pdf = await upload(token, 'application/pdf', PDF, 'don.pdf');
    expect(pdf).toMatchObject({ status: 201, body: { type: 'file' } });

    const chat = await ChatClient.connect(t, token);
    chat.send({
      type: 'message',
      clientMsgId: 'files',
      text: 'Ổ gà lớn trước số 8 Lý Tự Trọng',
      attachments: [
        { type: 'image', uploadId: photo.body.uploadId },
        { type: 'file', uploadId: pdf.body.uploadId },
      ],
    });
    await chat.waitFor((f) => f.type === 'ack' && f.clientMsgId === 'files');
    const message = await t.hotline.db.prisma.message.findUniqueOrThrow({
      where: { channel_externalId: { channel: 'webchat', externalId: `${sessionId}:files` } },
    });
    expect(message.attachments).toEqual([
      { type: 'image', url: `webchat-upload:${photo.body.uploadId}`, name: 'ổ gà.png' },
      { type: 'file', url: `webchat-upload:${pdf.body.uploadId}`, name: 'don.pdf' },
    ]);
    // The bot files it as a ticket; then an operator opens both files.
    await eventually(() => t.hotline.db.prisma.ticket.findFirst({ where: { conversationId: message.conversationId } }));
    const operator = await staffLogin(t, 'operator@hotline.local');
    const open = (index: number) =>
      t.hotline.server.inject({ method: 'GET', url: `/api/messages/${message.id}/attachments/${index}`, headers: { authorization: `Bearer ${operator}` } });
    const image = await open(0);
    expect(image.statusCode).toBe(200);
    expect(image.headers['content-type']).toBe('image/png');
    expect(image.rawPayload.equals(PNG_1X1)).toBe(true);
    const doc = await open(1);
    expect(doc.statusCode).toBe(200);
    expect(doc.rawPayload.equals(PDF)).toBe(true);
    await chat.close();
  });

  it('refuses a missing token, another type, bytes that are not what they claim, an empty and an oversized file', async () => {
    const { token } = await newSession(t);
    const before = await uploads();
    expect(await upload(null, 'image/png', PNG_1X1)).toMatchObject({ status: 401, body: { error: 'invalid_token' } });
    // A type no parser reads is refused by fastify itself, a text one by the upload check: 415 either way.
    const html = await upload(token, 'text/html', '<script>alert(1)</script>');
    expect(html.status).toBe(415);
    expect(html.body.message).toBeTruthy();
    expect(await upload(token, 'text/plain', 'hello')).toMatchObject({ status: 415, body: { error: 'unsupported_type' } });
    expect(await upload(token, 'image/svg+xml', Buffer.from('<svg/>'))).toMatchObject({ status: 415 });
    const fake = await upload(token, 'image/png', PDF);
    expect(fake).toMatchObject({ status: 400, body: { error: 'type_mismatch' } });
    expect(fake.body.message).toMatch(/image\/png/);
    expect(await upload(token, 'application/pdf', Buffer.alloc(0))).toMatchObject({ status: 400 });
    const huge = Buffer.concat([PDF, Buffer.alloc(MAX_UPLOAD_BYTES)]);
    const tooBig = await upload(token, 'application/pdf', huge);
    expect(tooBig.status).toBe(413);
    expect(tooBig.body.message).toBeTruthy();
    expect(await uploads()).toBe(before);
  });

  it('refuses to attach an upload of another chat, or one that does not exist, and stores no message', async () => {
    const other = await newSession(t);
    const theirs = await upload(other.token, 'image/png', PNG_1X1);
    const { sessionId, token } = await newSession(t);
    const chat = await ChatClient.connect(t, token);
    for (const [id, uploadId] of [
      ['theirs', theirs.body.uploadId],
      ['nobody', '00000000-0000-4000-8000-000000000000'],
    ] as const) {
      chat.send({ type: 'message', clientMsgId: id, text: 'ảnh', attachments: [{ type: 'image', uploadId }] });
      const error = await chat.waitFor((f) => f.type === 'error' && f.clientMsgId === id);
      expect(error).toMatchObject({ code: 'unknown_upload', message: expect.stringMatching(/not one this chat uploaded/) });
    }
    chat.send({ type: 'message', clientMsgId: 'bad-id', text: 'ảnh', attachments: [{ type: 'image', uploadId: 'x' }] });
    expect(await chat.waitFor((f) => f.clientMsgId === 'bad-id')).toMatchObject({ code: 'bad_frame', message: expect.stringMatching(/uploadId/) });
    expect(await t.hotline.db.prisma.message.count({ where: { externalId: { startsWith: `${sessionId}:` } } })).toBe(0);
    await chat.close();
  });
});
