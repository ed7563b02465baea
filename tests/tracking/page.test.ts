// GET /t/:code: status, agency and answer for anyone holding the code; never personal data.
import { ChatClient, api, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
const PERSONAL = 'Tôi là Trần Thị B, số điện thoại 0912345678, nhà tôi bị ngập';

describe('public tracking page', () => {
  let t: TestHotline;
  let code: string;
  beforeAll(async () => {
    t = await startTestHotline();
    const { sessionId, token } = await newSession(t);
    await t.hotline.db.prisma.contact.update({
      where: { channel_channelUserId: { channel: 'webchat', channelUserId: sessionId } },
      data: { displayName: 'Trần Thị B', phone: '0912345678', phoneConsent: true },
    });
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('p', PERSONAL);
    code = CODE.exec(String((await chat.waitFor((f) => f.type === 'message')).text))![1]!;
    await chat.close();
  });
  afterAll(async () => {
    await t.stop();
  });

  it('shows status and agency in Vietnamese by default, without personal data', async () => {
    const res = await fetch(`${t.baseUrl}/t/${code}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
    const html = await res.text();
    expect(html).toContain(`Yêu cầu ${code}`);
    expect(html).toContain('đang chờ phân loại');
    expect(html).toContain('Tổ tiếp nhận Đường dây nóng 1022');
    expect(html).toContain('Chưa có trả lời');
    for (const secret of ['Trần Thị B', '0912345678', 'nhà tôi bị ngập']) expect(html).not.toContain(secret);
  });

  it('shows the answer once staff replied, in English on request, and as JSON', async () => {
    const operator = await staffLogin(t, 'operator@hotline.local');
    await api(t, operator, 'POST', `/tickets/${code}/replies`, { text: 'Đã nạo vét cống <b>xong</b>.' });
    const html = await (await fetch(`${t.baseUrl}/t/${code.toLowerCase()}?lang=en`)).text();
    expect(html).toContain(`Request ${code}`);
    expect(html).toContain('answered');
    expect(html).toContain('Đã nạo vét cống &lt;b&gt;xong&lt;/b&gt;.'); // escaped, never markup
    const json = await fetch(`${t.baseUrl}/t/${code}`, { headers: { accept: 'application/json' } });
    const body = (await json.json()) as Record<string, unknown>;
    expect(body).toMatchObject({ trackingCode: code, status: 'answered', agency: 'Tổ tiếp nhận Đường dây nóng 1022' });
    expect((body.answers as Array<{ text: string }>)[0]!.text).toContain('Đã nạo vét cống <b>xong</b>.');
    expect(JSON.stringify(body)).not.toMatch(/Trần Thị B|0912345678|ngập/);
  });

  it('links the site icon from the tracking and demo pages, and serves it where browsers look', async () => {
    for (const page of [`/t/${code}`, `/t/HCM-26-ZZZZZ`, '/']) {
      expect(await (await fetch(`${t.baseUrl}${page}`)).text()).toContain('<link rel="icon" href="/favicon.svg" type="image/svg+xml">');
    }
    for (const icon of ['/favicon.ico', '/favicon.svg']) {
      const res = await fetch(`${t.baseUrl}${icon}`);
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toBe('image/svg+xml');
      expect(await res.text()).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    }
  });

  it('answers an unknown or malformed code with a clear 404', async () => {
    const unknown = await fetch(`${t.baseUrl}/t/HCM-26-ZZZZZ`);
    expect(unknown.status).toBe(404);
    expect(await unknown.text()).toContain('Không có yêu cầu nào mang mã HCM-26-ZZZZZ');
    const junk = await fetch(`${t.baseUrl}/t/%3Cimg%20src%3Dx%3E`, { headers: { accept: 'application/json' } });
    expect(junk.status).toBe(404);
    expect(await junk.json()).toMatchObject({ error: 'ticket_not_found' });
    const junkHtml = await (await fetch(`${t.baseUrl}/t/%3Cimg%20src%3Dx%3E`)).text();
    expect(junkHtml).not.toContain('<img');
  });
});
