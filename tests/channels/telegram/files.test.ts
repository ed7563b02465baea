// Files people send on Telegram, opened by staff from the console: the ticket view links every
// attachment to GET /api/messages/:id/attachments/:index, which fetches a Telegram file through the
// channel (getFile, then the file server) for the ticket's agency and operators only. Refusals are
// clear (too big, Telegram failing), and the bot token appears in no response and no log line.
import { Writable } from 'node:stream';
import pino from 'pino';
import { FAILURES, privateChat } from '../../helpers/fake-telegram';
import { api, staffLogin } from '../../helpers/hotline';
import { CODE, startTelegramHotline, type TelegramHotline } from './setup';

interface DetailAttachment {
  type: string;
  url?: string;
  name?: string;
  href?: string;
}
interface Detail {
  messages: Array<{ id: string; direction: string; text: string; attachments: DetailAttachment[] }>;
  events: Array<{ kind: string; data: Record<string, unknown> }>;
}

// A few bytes that start like a JPEG: enough to check they arrive unchanged.
const PHOTO = Buffer.from([0xff, 0xd8, 0xff, 0xe0, ...Buffer.from('ổ gà đường Lê Lợi'), 0xff, 0xd9]);
const HTML = Buffer.from('<script>alert(document.cookie)</script>');

describe('Telegram files in the console', () => {
  let h: TelegramHotline;
  const logLines: string[] = [];
  /** Every response body and header the tests saw, to check none carries the bot token. */
  const seen: string[] = [];
  let code: string;
  let operator: string;
  let power: string; // staff of the agency the ticket is assigned to
  let other: string; // staff of another agency
  let detail: Detail;

  const open = async (href: string, token?: string) => {
    const res = await fetch(`${h.t.baseUrl}${href}`, {
      headers: token ? { authorization: `Bearer ${token}` } : {},
      redirect: 'manual',
    });
    const body = Buffer.from(await res.arrayBuffer());
    const headers: string[] = [];
    res.headers.forEach((value, name) => headers.push(`${name}: ${value}`));
    seen.push(body.toString('utf8'), ...headers);
    return { status: res.status, headers: res.headers, body, json: () => JSON.parse(body.toString('utf8')) as { error: string; message: string } };
  };
  const send = async (chat: string, message: Record<string, unknown>) => {
    const id = h.nextUpdateId();
    const res = await h.post({ update_id: id, message: { message_id: id, date: 1767225600, ...privateChat(chat), ...message } });
    expect(res.status).toBe(200);
  };
  const loadDetail = async (token: string) => {
    const res = await api<Detail>(h.t, token, 'GET', `/tickets/${code}`);
    expect(res.status).toBe(200);
    seen.push(JSON.stringify(res.body));
    return res.body;
  };
  const hrefOf = (match: (a: DetailAttachment) => boolean) => {
    const found = detail.messages.flatMap((m) => m.attachments).find(match);
    if (!found?.href) throw new Error(`no attachment with an href matches; got ${JSON.stringify(detail.messages.map((m) => m.attachments))}`);
    return found.href;
  };

  beforeAll(async () => {
    const sink = new Writable({
      write(chunk: Buffer, _encoding, done) {
        logLines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
        done();
      },
    });
    h = await startTelegramHotline({ logger: pino({ level: 'trace' }, sink) });
    h.fake.addFile('photo-small', { path: 'photos/file_1.jpg', content: PHOTO.subarray(0, 4) });
    h.fake.addFile('photo-large', { path: 'photos/file_2.jpg', content: PHOTO });
    h.fake.addFile('page', { path: 'documents/file_3.html', content: HTML });
    // getFile reports the size; Telegram refuses getFile itself for anything over 20 MB.
    h.fake.addFile('video-big', { path: 'videos/file_4.mp4', content: Buffer.alloc(16), size: 25 * 1024 * 1024 });

    const chat = '990001';
    await send(chat, {
      caption: 'Ổ gà lớn giữa đường Lê Lợi, xe máy té liên tục',
      photo: [
        { file_id: 'photo-small', file_unique_id: 's', width: 90, height: 60 },
        { file_id: 'photo-large', file_unique_id: 'l', width: 1280, height: 853 },
      ],
    });
    const opened = await h.waitForText(chat, (x) => CODE.test(x));
    code = CODE.exec(String(opened.body.text))![1]!;
    await send(chat, { document: { file_id: 'page', file_unique_id: 'p', file_name: 'trang.html', mime_type: 'text/html' } });
    await send(chat, { video: { file_id: 'video-big', file_unique_id: 'v', width: 1920, height: 1080, duration: 300 } });
    await send(chat, { location: { latitude: 10.7769, longitude: 106.7009 } });

    operator = await staffLogin(h.t, 'operator@hotline.local');
    const agencies = (await api<Array<{ id: string; slug: string; isTriage: boolean }>>(h.t, operator, 'GET', '/agencies')).body;
    const powerAgency = agencies.find((a) => a.slug === 'dien-luc')!;
    const otherAgency = agencies.find((a) => !a.isTriage && a.slug !== 'dien-luc' && a.slug !== 'trung-tam-bao-chi')!;
    expect((await api(h.t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: powerAgency.id, reason: 'Đường hư hỏng' })).status).toBe(200);
    power = await staffLogin(h.t, 'dien-luc@hotline.local');
    other = await staffLogin(h.t, `${otherAgency.slug}@hotline.local`);
    detail = await loadDetail(power);
  });
  afterAll(async () => {
    await h?.stop();
  });

  it('links every file of the ticket to the attachment endpoint, keeping Telegram references private', () => {
    const photo = detail.messages.find((m) => m.attachments.some((a) => a.type === 'image'))!;
    expect(photo.attachments).toEqual([{ type: 'image', url: 'telegram-file:photo-large', href: `/api/messages/${photo.id}/attachments/0` }]);
    // A location is not a file: nothing to link.
    const location = detail.messages.flatMap((m) => m.attachments).find((a) => a.type === 'location')!;
    expect(location.href).toBeUndefined();
  });

  it('documents the route in the OpenAPI document', async () => {
    const spec = (await (await fetch(`${h.t.baseUrl}/docs/json`)).json()) as { paths: Record<string, unknown> };
    expect(spec.paths).toHaveProperty(['/api/messages/{messageId}/attachments/{index}']);
  });

  it("serves the person's photo to the assigned agency's staff and to an operator, and audits it", async () => {
    const href = hrefOf((a) => a.type === 'image');
    for (const token of [power, operator]) {
      const res = await open(href, token);
      expect(res.status).toBe(200);
      expect(res.body.equals(PHOTO)).toBe(true);
      expect(res.headers.get('content-type')).toBe('image/jpeg');
      expect(res.headers.get('content-disposition')).toBe('inline; filename="file_2.jpg"; filename*=UTF-8\'\'file_2.jpg');
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    }
    expect(h.fake.callsOf('getFile').filter((c) => c.body.file_id === 'photo-large' && c.ok)).toHaveLength(2);
    const events = (await loadDetail(operator)).events.filter((e) => e.kind === 'attachment_opened');
    expect(events).toHaveLength(2);
    expect(events[0]!.data).toEqual({ messageId: href.split('/')[3], index: 0 });
  });

  it("refuses another agency's staff (404, as for the ticket) and anyone not logged in (401)", async () => {
    const href = hrefOf((a) => a.type === 'image');
    const calls = h.fake.callsOf('getFile').length;
    const foreign = await open(href, other);
    expect(foreign.status).toBe(404);
    expect(foreign.json()).toEqual({ error: 'attachment_not_found', message: 'No such attachment in a ticket in your inbox.' });
    expect((await api(h.t, other, 'GET', `/tickets/${code}`)).status).toBe(404);
    const anonymous = await open(href);
    expect(anonymous.status).toBe(401);
    expect(anonymous.json().error).toBe('unauthorized');
    // Refused before anything was asked of Telegram.
    expect(h.fake.callsOf('getFile')).toHaveLength(calls);
    // An index past the message's attachments, and a message that does not exist.
    expect((await open(href.replace(/\/0$/, '/5'), power)).status).toBe(404);
    expect((await open('/api/messages/00000000-0000-4000-8000-000000000000/attachments/0', operator)).status).toBe(404);
  });

  it('serves a document that is not safe to show inline as a download', async () => {
    const res = await open(hrefOf((a) => a.name === 'trang.html'), power);
    expect(res.status).toBe(200);
    expect(res.body.equals(HTML)).toBe(true);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(res.headers.get('content-disposition')).toBe('attachment; filename="trang.html"; filename*=UTF-8\'\'trang.html');
    expect(res.headers.get('content-security-policy')).toContain('sandbox');
  });

  it('refuses a file over the 20 MB Telegram lets bots download, saying so', async () => {
    const res = await open(hrefOf((a) => a.type === 'video'), power);
    expect(res.status).toBe(422);
    expect(res.json()).toEqual({
      error: 'file_too_large',
      message: 'This file is over the 20 MB Telegram lets a bot download; ask the person to send it another way (a smaller photo, or by e-mail).',
    });
  });

  it('answers 502 with a clear message when Telegram fails getFile or the download', async () => {
    const href = hrefOf((a) => a.type === 'image');
    h.fake.fail('getFile', FAILURES.serverError());
    const getFile = await open(href, power);
    expect(getFile.status).toBe(502);
    expect(getFile.json()).toEqual({
      error: 'platform_failed',
      message: 'Telegram refused to give the file (500: Internal Server Error); try again later.',
    });

    h.fake.fail('file', FAILURES.serverError());
    const download = await open(href, power);
    expect(download.status).toBe(502);
    expect(download.json()).toEqual({ error: 'platform_failed', message: "Telegram's file server answered 500 to the download; try again later." });

    // Telegram is fine again: so is the file.
    expect((await open(href, power)).status).toBe(200);
  });

  it('sends staff to the public URL of an image attached to an answer (302), without proxying it', async () => {
    const image = 'https://cdn.hotline.test/sua-duong.jpg';
    const replied = await api(h.t, power, 'POST', `/tickets/${code}/replies`, { text: 'Đã vá ổ gà.', images: [image] });
    expect(replied.status).toBe(201);
    detail = await loadDetail(power);
    const res = await open(hrefOf((a) => a.url === image), power);
    expect(res.status).toBe(302);
    expect(res.headers.get('location')).toBe(image);
  });

  it('puts the bot token in no response and no log line', () => {
    const token = h.fake.token;
    const secretPart = token.split(':')[1]!;
    // The logs did record the failures above, just not the token.
    expect(logLines.some((l) => l.includes('Telegram refused getFile'))).toBe(true);
    expect(logLines.some((l) => l.includes('Telegram file server refused the download'))).toBe(true);
    for (const text of [...seen, ...logLines]) {
      expect(text).not.toContain(token);
      expect(text).not.toContain(secretPart);
    }
    expect(seen.length).toBeGreaterThan(10);
  });
});
