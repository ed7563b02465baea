// `npm run webhooks:set` registers each configured platform's webhook with its secret, from
// PUBLIC_URL, and says what to do by hand for Zalo OA (which has no registration API).
import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { FakeTelegram } from '../helpers/fake-telegram';
import { startFakeZaloBot, type FakeZaloBot } from '../helpers/fake-zalo-bot';

const run = promisify(execFile);
const ROOT = path.resolve(__dirname, '../..');

async function setWebhooks(env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  const tsx = path.join(ROOT, 'node_modules/.bin/tsx');
  const base = { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', LOG_LEVEL: 'silent' };
  try {
    const { stdout, stderr } = await run(tsx, ['scripts/set-webhooks.ts'], { cwd: ROOT, env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

describe('npm run webhooks:set', () => {
  let telegram: FakeTelegram;
  let zaloBot: FakeZaloBot;
  beforeAll(async () => {
    telegram = await FakeTelegram.start();
    zaloBot = await startFakeZaloBot();
  });
  afterAll(async () => {
    await telegram.stop();
    await zaloBot.close();
  });

  it('registers Telegram and Zalo Bot with their secrets and prints the Zalo OA console steps', async () => {
    const result = await setWebhooks({
      PUBLIC_URL: 'https://1022.example.gov.vn',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-123',
      TELEGRAM_API_BASE: telegram.url,
      ZALO_BOT_TOKEN: zaloBot.token,
      ZALO_BOT_WEBHOOK_SECRET: 'zalo-bot-secret-123',
      ZALO_BOT_API_BASE: zaloBot.apiBase,
      ZALO_OA_APP_ID: '4318025633287511234',
      ZALO_OA_SECRET_KEY: 'oa-secret',
      ZALO_OA_REFRESH_TOKEN: 'refresh',
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const registered = telegram.calls.find((c) => c.method === 'setWebhook' && c.ok);
    expect(registered?.body).toMatchObject({ url: 'https://1022.example.gov.vn/webhooks/telegram', secret_token: 'telegram-secret-123' });
    expect(zaloBot.webhook).toEqual({ url: 'https://1022.example.gov.vn/webhooks/zalo-bot', secret_token: 'zalo-bot-secret-123' });
    expect(result.stdout).toContain('https://1022.example.gov.vn/webhooks/zalo-oa');
    expect(result.stdout).toContain('user_send_text');
  });

  it('refuses without an https PUBLIC_URL, and says why', async () => {
    const common = { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-123', TELEGRAM_API_BASE: telegram.url };
    const missing = await setWebhooks(common);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('PUBLIC_URL is not set');
    const plain = await setWebhooks({ ...common, PUBLIC_URL: 'http://1022.example.gov.vn' });
    expect(plain.code).toBe(2);
    expect(plain.stderr).toContain('must be an https address');
  });

  it('fails with the platform\'s reason when a registration is refused', async () => {
    telegram.fail('setWebhook', {
      status: 400,
      body: { ok: false, error_code: 400, description: 'Bad Request: bad webhook: Failed to resolve host: Name or service not known' },
    });
    const result = await setWebhooks({
      PUBLIC_URL: 'https://1022.example.gov.vn',
      TELEGRAM_BOT_TOKEN: telegram.token,
      TELEGRAM_WEBHOOK_SECRET: 'telegram-secret-123',
      TELEGRAM_API_BASE: telegram.url,
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('telegram');
    expect(result.stderr).toContain('bad webhook');
  });
});
