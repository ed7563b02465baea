// What one outbound message becomes on Zalo OA: text parts, choices, images (downloaded, uploaded
// through /v2.0/oa/upload/image, sent by attachment id), each part recorded once.
import { MAX_BUTTONS, TEXT_LIMIT, planParts } from '../../../bots/zalo-oa/adapter';
import type { OutboundMessage } from '../../../src/channels/types';
import { PNG_1X1 } from '../../helpers/fake-zalo-oa';
import { startZaloHotline, type ZaloHotline } from './harness';
import { memoryLedger } from '../../helpers/memory-ledger';

describe('planParts', () => {
  it('keeps a short text as one part', () => {
    expect(planParts({ text: 'Xin chào' })).toEqual([{ kind: 'text', text: 'Xin chào' }]);
  });

  it('cuts a long text into parts of at most 2,000 characters, losing nothing', () => {
    const text = 'Câu trả lời rất dài. '.repeat(300).trim();
    const parts = planParts({ text });
    // Cuts fall at sentence ends, so a part may be a little shorter than the limit.
    expect(parts.length).toBeGreaterThanOrEqual(Math.ceil([...text].length / TEXT_LIMIT));
    for (const p of parts) expect(p.kind === 'text' && [...p.text].length <= TEXT_LIMIT).toBe(true);
    expect(parts.map((p) => (p.kind === 'text' ? p.text : '')).join(' ')).toBe(text);
  });

  it('puts up to five choices as buttons on the last text part', () => {
    const buttons = [
      { label: 'Đúng', value: 'yes' },
      { label: 'Sai', value: 'no' },
    ];
    const parts = planParts({ text: 'x'.repeat(2500), buttons });
    expect(parts).toHaveLength(2);
    expect(parts[0]).not.toHaveProperty('buttons');
    expect(parts[1]).toMatchObject({
      kind: 'text',
      buttons: [
        { title: 'Đúng', type: 'oa.query.show', payload: 'yes' },
        { title: 'Sai', type: 'oa.query.show', payload: 'no' },
      ],
    });
  });

  it('writes more choices than a message can carry into the text as a numbered list', () => {
    const buttons = Array.from({ length: MAX_BUTTONS + 3 }, (_, i) => ({ label: `Lựa chọn ${i + 1}`, value: `c${i + 1}` }));
    const [part, ...rest] = planParts({ text: 'Chọn một:', buttons });
    expect(rest).toHaveLength(0);
    expect(part).toEqual({ kind: 'text', text: `Chọn một:\n\n${buttons.map((b, i) => `${i + 1}. ${b.label}`).join('\n')}` });
  });

  it('shortens a label over 100 characters on its button; the tap still carries the whole value', () => {
    const long = 'Phường Bến Nghé, Quận 1 — khu phố 3, tổ dân phố số 12, hẻm 45 Nguyễn Trãi, gần chợ, đối diện trường tiểu học';
    const [part] = planParts({ text: 'Ở đâu?', buttons: [{ label: long, value: long }] });
    const button = part?.kind === 'text' ? part.buttons?.[0] : undefined;
    expect([...(button?.title ?? '')].length).toBeLessThanOrEqual(100);
    expect(button?.title.endsWith('…')).toBe(true);
    expect(button?.payload).toBe(long);
  });

  it('makes each image its own part, after the text', () => {
    expect(planParts({ text: 'Ảnh:', images: ['https://a/1.png', 'https://a/2.png'] })).toEqual([
      { kind: 'text', text: 'Ảnh:' },
      { kind: 'image', url: 'https://a/1.png' },
      { kind: 'image', url: 'https://a/2.png' },
    ]);
  });
});

describe('Zalo OA images', () => {
  let z: ZaloHotline;
  beforeAll(async () => {
    z = await startZaloHotline();
  });
  afterAll(async () => {
    await z.stop();
  });

  function outbound(userId: string, extra: Partial<OutboundMessage>): OutboundMessage {
    return {
      messageId: '00000000-0000-4000-8000-000000000001',
      conversationId: '00000000-0000-4000-8000-000000000002',
      channel: 'zalo_oa',
      channelUserId: userId,
      seq: 1,
      author: 'agent',
      text: '',
      ...extra,
    };
  }

  it('downloads, uploads and sends an image by attachment id, each part recorded', async () => {
    const url = z.fake.serveFile('hien-truong.png', PNG_1X1, 'image/png');
    const ledger = memoryLedger();
    await z.zalo.adapter.send(outbound('9001', { text: 'Ảnh hiện trường sau khi sửa:', images: [url] }), ledger);

    expect(z.fake.uploads).toEqual([{ attachmentId: expect.any(String), filename: 'hien-truong.png', type: 'image/png', size: PNG_1X1.length }]);
    const upload = z.fake.requests.find((r) => r.endpoint === 'upload')!;
    expect(upload.headers.access_token).toBe('at-env');
    expect(String(upload.headers['content-type'])).toMatch(/^multipart\/form-data; boundary=/);
    const toUser = z.fake.sent.filter((m) => m.userId === '9001');
    expect(toUser.map((m) => m.text ?? null)).toEqual(['Ảnh hiện trường sau khi sửa:', null]);
    expect(toUser[1]!.attachmentId).toBe(z.fake.uploads[0]!.attachmentId);
    const body = z.fake.requests.filter((r) => r.endpoint === 'cs' && r.body?.recipient?.user_id === '9001').at(-1)!.body;
    expect(body.message).toEqual({
      attachment: {
        type: 'template',
        payload: { template_type: 'media', elements: [{ media_type: 'image', attachment_id: z.fake.uploads[0]!.attachmentId }] },
      },
    });
    expect([...ledger.sentParts.entries()]).toEqual([
      [0, toUser[0]!.msgId],
      [1, toUser[1]!.msgId],
    ]);
  });

  it('retries a failed upload without sending the text again', async () => {
    const url = z.fake.serveFile('bien-bao.png', PNG_1X1, 'image/png');
    z.fake.fail('upload', { error: -201, message: 'Upload failed' });
    const ledger = memoryLedger();
    const message = outbound('9002', { text: 'Biển báo mới:', images: [url] });
    await expect(z.zalo.adapter.send(message, ledger)).rejects.toThrow(/Upload failed/);
    expect([...ledger.sentParts.keys()]).toEqual([0]);
    await z.zalo.adapter.send(message, ledger);
    const toUser = z.fake.sent.filter((m) => m.userId === '9002');
    expect(toUser.map((m) => (m.attachmentId ? 'image' : m.text))).toEqual(['Biển báo mới:', 'image']);
    expect([...ledger.sentParts.keys()]).toEqual([0, 1]);
  });

  it('sends nothing already in the ledger', async () => {
    const ledger = memoryLedger();
    ledger.sentParts.set(0, 'zmsg-earlier');
    const before = z.fake.requests.length;
    await z.zalo.adapter.send(outbound('9003', { text: 'Đã gửi trước đó' }), ledger);
    expect(z.fake.requests.length).toBe(before);
  });

  it('tells the operator to register the webhook in the Zalo developer console', async () => {
    const text = await z.zalo.setWebhook!('https://hotline.example.vn');
    expect(text).toContain('https://hotline.example.vn/webhooks/zalo-oa');
    expect(text).toMatch(/no API/);
    expect(text).toContain('user_send_text');
    expect(text).toContain('user_seen_message');
  });
});
