// No token, secret or phone number in the logs (issue 8, item 9). A whole conversation runs with
// the hotline's own logger at debug level writing into memory — web chat session, socket (the
// token is in its URL), messages with phone numbers, staff login and answer, a Zalo OA webhook
// (mac signature, a business card with a phone), a Telegram webhook (secret header) — and then
// the captured lines are searched for every credential and number that went over the wire.
import { Writable } from 'node:stream';
import { zaloMac } from '../../bots/zalo-oa/signature';
import { loadConfig } from '../../src/config';
import { createLogger, redactUrl } from '../../src/logging';
import { FakeTelegram, textUpdate } from '../helpers/fake-telegram';
import { postZaloEvent, startFakeZaloOa, userEvent, type FakeZaloOa } from '../helpers/fake-zalo-oa';
import { ChatClient, api, eventually, newSession, staffLogin, startTestHotline, type TestHotline } from '../helpers/hotline';

const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
const APP_ID = '1823865030574396868';
const ZALO_SECRET_KEY = 'oa-secret-KEY-for-the-log-test';
const ZALO_ACCESS_TOKEN = 'zalo-access-token-that-must-not-be-logged';
const ZALO_REFRESH_TOKEN = 'zalo-refresh-token-that-must-not-be-logged';
const TELEGRAM_SECRET = 'telegram-webhook-secret-for-the-log-test';
const SESSION_SECRET = 'session-secret-of-the-log-test-0123456789abcdef';
const PHONES = ['0901234567', '0912 345 678', '+84987654321', '0933.444.555'];
const PHONE_DIGITS = ['0901234567', '0912345678', '84987654321', '0933444555'];

class Capture extends Writable {
  lines: string[] = [];
  override _write(chunk: Buffer, _enc: string, done: () => void): void {
    this.lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
    done();
  }
  get text(): string {
    return this.lines.join('\n');
  }
}

describe('log redaction', () => {
  const logs = new Capture();
  let t: TestHotline;
  let zalo: FakeZaloOa;
  let telegram: FakeTelegram;

  beforeAll(async () => {
    [zalo, telegram] = await Promise.all([
      startFakeZaloOa({ appId: APP_ID, appSecret: 'app-secret-for-oauth-log', accessTokens: [ZALO_ACCESS_TOKEN], refreshTokens: [ZALO_REFRESH_TOKEN] }),
      FakeTelegram.start('987654321:AAH-the-bot-token-of-the-log-test_xyz'),
    ]);
    t = await startTestHotline({
      logDestination: logs,
      env: {
        LOG_LEVEL: 'debug',
        SESSION_SECRET,
        ZALO_OA_APP_ID: APP_ID,
        ZALO_OA_SECRET_KEY: ZALO_SECRET_KEY,
        ZALO_OA_ACCESS_TOKEN: ZALO_ACCESS_TOKEN,
        ZALO_OA_REFRESH_TOKEN: ZALO_REFRESH_TOKEN,
        ZALO_OA_API_BASE: zalo.baseUrl,
        ZALO_OAUTH_BASE: zalo.baseUrl,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_WEBHOOK_SECRET: TELEGRAM_SECRET,
        TELEGRAM_API_BASE: telegram.url,
      },
    });
  });
  afterAll(async () => {
    await t.stop();
    await Promise.all([zalo.close(), telegram.stop()]);
  });

  it('logs a whole conversation without a token, secret or phone number in any line', async () => {
    const secrets: string[] = [SESSION_SECRET, ZALO_SECRET_KEY, ZALO_ACCESS_TOKEN, ZALO_REFRESH_TOKEN, TELEGRAM_SECRET, telegram.token, 'demo1022'];

    // A person chats on the web: the token travels in the socket's URL.
    const { token } = await newSession(t);
    secrets.push(token);
    const chat = await ChatClient.connect(t, token);
    await chat.sendMessage('m1', `Đèn đường hỏng, gọi tôi số ${PHONES[0]} hoặc ${PHONES[1]}`);
    const opened = await chat.waitFor((f) => f.type === 'message' && CODE.test(String(f.text)));
    const code = CODE.exec(String(opened.text))![1]!;
    // A forged token is refused (and that is logged too).
    await ChatClient.connect(t, `${token.slice(0, -4)}AAAA`).catch(() => undefined);

    // Staff log in (one wrong password first) and answer.
    await fetch(`${t.baseUrl}/api/auth/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'operator@hotline.local', password: 'not-the-password-123' }),
    });
    const operator = await staffLogin(t, 'operator@hotline.local');
    secrets.push(operator);
    const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
    const power = agencies.body.find((a) => a.slug === 'dien-luc')!;
    expect((await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Sự cố điện' })).status).toBe(200);
    const staff = await staffLogin(t, 'dien-luc@hotline.local');
    secrets.push(staff);
    expect((await api(t, staff, 'POST', `/tickets/${code}/replies`, { text: `Đã cử thợ; liên hệ ${PHONES[2]}` })).status).toBe(201);
    await chat.waitFor((f) => f.type === 'message' && f.from === 'agent');
    await chat.close();
    // Reconnecting replays with the token in the URL again.
    const again = await ChatClient.connect(t, token, 0);
    await again.waitFor((f) => f.type === 'message' && f.from === 'agent');
    await again.close();

    // A Zalo OA webhook, signed; a business card carries a phone number.
    const raw = userEvent(APP_ID, 'user_send_text', '5001', { text: `Số của tôi ${PHONES[3]}` });
    const ts = (JSON.parse(raw) as { timestamp: string }).timestamp;
    secrets.push(zaloMac(APP_ID, raw, ts, ZALO_SECRET_KEY));
    expect((await postZaloEvent(t.baseUrl, raw, { appId: APP_ID, secretKey: ZALO_SECRET_KEY })).status).toBe(200);
    const card = userEvent(APP_ID, 'user_send_business_card', '5001', {
      text: 'Nguyễn Văn A',
      attachments: [{ type: 'link', payload: { description: `{"phone":"${PHONES[0]}"}` } }],
    });
    expect((await postZaloEvent(t.baseUrl, card, { appId: APP_ID, secretKey: ZALO_SECRET_KEY })).status).toBe(200);
    await eventually(async () => zalo.sent.find((m) => m.userId === '5001'));

    // A Telegram webhook with its secret header; the bot answers through URLs holding its token.
    const update = await fetch(`${t.baseUrl}/webhooks/telegram`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-telegram-bot-api-secret-token': TELEGRAM_SECRET },
      body: JSON.stringify(textUpdate(7001, 4242, 1, `Liên hệ ${PHONES[1]}`)),
    });
    expect(update.status).toBe(200);
    await eventually(async () => telegram.sent('4242').length > 0);

    await eventually(async () => logs.text.includes('request completed') && logs.text.includes('/webhooks/telegram'));
    // The requests were logged — with their credentials replaced.
    expect(logs.text).toContain('/webchat/ws?token=[redacted]');
    expect(logs.text).toMatch(/"url":"\/webchat\/ws\?token=\[redacted\]&after=0"/);
    expect(t.hotline.log.level).toBe('debug');
    for (const secret of secrets) expect({ secret, found: logs.text.includes(secret) }).toEqual({ secret, found: false });
    // Nor a token's signature, which is what makes it usable.
    for (const signed of [token, operator, staff]) expect(logs.text).not.toContain(signed.split('.')[1]);
    const digits = logs.text.replace(/[\s.+-]/g, '');
    for (const phone of PHONE_DIGITS) expect({ phone, found: digits.includes(phone) }).toEqual({ phone, found: false });
  });

  it('replaces credentials and phone numbers wherever a log call puts them', () => {
    const out = new Capture();
    const config = loadConfig({ LOG_LEVEL: 'info', TELEGRAM_BOT_TOKEN: '123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij', TELEGRAM_WEBHOOK_SECRET: 'a-webhook-secret-value' });
    const log = createLogger(config, out);
    log.info({ req: { method: 'GET', url: '/webchat/ws?after=2&token=WyJ3ZWJjaGF0IiwiYSIsMV0.abcdefghijabcdefghijabcdefghijabcdefghijabc' } }, 'incoming request');
    log.info({ headers: { authorization: 'Bearer abc.def', cookie: 'sid=1', 'x-zevent-signature': 'mac=00' }, body: { password: 'hunter22', phone: '0901234567' } }, 'fields');
    log.warn({ err: new Error('POST https://api.telegram.org/bot123456:ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij/sendMessage: 502') }, 'failed');
    log.info(`update ${JSON.stringify({ text: 'gọi 090 123 4567 hoặc +84912345678', mac: `mac=${'ab'.repeat(32)}` })}`);
    log.info({ id: '0b9d4c1e-0123-4567-8901-0123456789ab', zaloUserId: '7214593125843779731', at: 1733155200000 }, 'ids stay');
    const text = out.text;
    expect(text).toContain('"url":"/webchat/ws?after=2&token=[redacted]"');
    expect(text).toContain('"authorization":"[redacted]"');
    expect(text).toContain('"password":"[redacted]"');
    expect(text).toContain('bot[secret]/sendMessage');
    expect(text).toContain('gọi [phone] hoặc [phone]');
    expect(text).toContain('mac=[redacted]');
    for (const leaked of ['hunter22', 'sid=1', '0901234567', 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghij', 'WyJ3ZWJjaGF0IiwiYSIsMV0', 'abab']) expect(text).not.toContain(leaked);
    // Ids and times that merely look numeric are kept.
    expect(text).toContain('0b9d4c1e-0123-4567-8901-0123456789ab');
    expect(text).toContain('7214593125843779731');
    expect(text).toContain('1733155200000');
    expect(redactUrl('/t/HCM-26-ABCDE?lang=en')).toBe('/t/HCM-26-ABCDE?lang=en');
  });
});
