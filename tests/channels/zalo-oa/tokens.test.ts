// The OA access token: seeded from the environment, refreshed through OAuth v4 when Zalo rejects
// it (-216) or it is about to expire, once however many deliveries (or nodes) need it, with the
// rotated single-use refresh token stored in the same transaction.
import pino from 'pino';
import { ZaloOaApi } from '../../../bots/zalo-oa/client';
import { ZaloTokenStore, envFingerprint } from '../../../bots/zalo-oa/tokens';
import { userEvent } from '../../helpers/fake-zalo-oa';
import { eventually } from '../../helpers/hotline';
import { APP_ID, APP_SECRET, CODE, sentMatching, startZaloHotline, type ZaloHotline } from './harness';

const credential = (z: ZaloHotline) => z.t.hotline.db.prisma.channelCredential.findUniqueOrThrow({ where: { channel: 'zalo_oa' } });

/** A person writes; resolves with the bot's answer as the fake Zalo accepted it. */
async function converse(z: ZaloHotline, userId: string, text = 'Ổ gà lớn trên đường Lý Thường Kiệt') {
  expect((await z.post(userEvent(APP_ID, 'user_send_text', userId, { text }))).status).toBe(200);
  return sentMatching(z.fake, (t, to) => to === userId && CODE.test(t));
}

describe('Zalo OA access token', () => {
  describe('refresh on -216 and single flight', () => {
    let z: ZaloHotline;
    beforeAll(async () => {
      z = await startZaloHotline();
    });
    afterAll(async () => {
      await z.stop();
    });

    it('seeds the stored pair from the environment on first use', async () => {
      await converse(z, '7001');
      expect(await credential(z)).toMatchObject({
        accessToken: 'at-env',
        refreshToken: 'rt-env',
        envFingerprint: envFingerprint('at-env', 'rt-env'),
        version: 0,
      });
      expect(z.fake.refreshes).toHaveLength(0);
    });

    it('refreshes an expired token once on -216, stores the rotated pair, and delivers', async () => {
      z.fake.expireAccessTokens();
      const before = z.fake.requests.length;
      const reply = await converse(z, '7002');
      expect(z.fake.refreshes).toEqual([{ oldRefreshToken: 'rt-env', accessToken: expect.any(String), refreshToken: expect.any(String) }]);
      const { accessToken, refreshToken } = z.fake.refreshes[0]!;
      expect(reply.accessToken).toBe(accessToken);
      const calls = z.fake.requests.slice(before).filter((r) => r.endpoint !== 'file');
      expect(calls.map((r) => `${r.endpoint}:${r.outcome === 'ok' ? 'ok' : (r.outcome as { error?: number }).error}`)).toEqual([
        'cs:-216',
        'oauth:ok',
        'cs:ok',
      ]);
      const oauth = calls[1]!;
      expect(oauth.headers.secret_key).toBe(APP_SECRET);
      expect(oauth.headers['content-type']).toBe('application/x-www-form-urlencoded');
      expect(oauth.body).toEqual({ refresh_token: 'rt-env', app_id: APP_ID, grant_type: 'refresh_token' });
      const stored = await credential(z);
      expect(stored).toMatchObject({ accessToken, refreshToken, version: 1 });
      // expires_in "90000" seconds (25 hours).
      expect(stored.accessExpiresAt!.getTime() - Date.now()).toBeGreaterThan(89_000_000);
    });

    it('two deliveries that find the token expired at the same time make one OAuth call', async () => {
      z.fake.expireAccessTokens();
      z.fake.oauthDelayMs = 150;
      const refreshesBefore = z.fake.refreshes.length;
      const [a, b] = await Promise.all([converse(z, '7003'), converse(z, '7004')]);
      z.fake.oauthDelayMs = 0;
      expect(z.fake.refreshes).toHaveLength(refreshesBefore + 1);
      const rotated = z.fake.refreshes.at(-1)!;
      expect([a.accessToken, b.accessToken]).toEqual([rotated.accessToken, rotated.accessToken]);
      expect(await credential(z)).toMatchObject({ refreshToken: rotated.refreshToken, accessToken: rotated.accessToken });
      expect(z.fake.validRefreshTokens.has(rotated.refreshToken)).toBe(true);
    });

    it('concurrent refreshes in one process share one call', async () => {
      const held = await z.zalo.tokens.current();
      z.fake.oauthDelayMs = 100;
      const before = z.fake.refreshes.length;
      const [a, b, c] = await Promise.all([z.zalo.tokens.refresh(held), z.zalo.tokens.refresh(held), z.zalo.tokens.refresh(held)]);
      z.fake.oauthDelayMs = 0;
      expect(z.fake.refreshes).toHaveLength(before + 1);
      expect(new Set([a.accessToken, b.accessToken, c.accessToken]).size).toBe(1);
      expect(a.version).toBe(held.version + 1);
    });

    it('a second node refreshing the same stale token waits for the row lock and uses the rotated one', async () => {
      // Another process: its own token store and client over the same database.
      const otherNode = new ZaloTokenStore({
        db: z.t.hotline.db.prisma,
        api: new ZaloOaApi({ appId: APP_ID, appSecret: APP_SECRET, apiBase: z.fake.baseUrl, oauthBase: z.fake.baseUrl }),
        log: pino({ level: 'silent' }),
        env: { accessToken: 'at-env', refreshToken: 'rt-env' },
      });
      const held = await z.zalo.tokens.current();
      expect(await otherNode.current()).toEqual(held);
      z.fake.oauthDelayMs = 150;
      const before = z.fake.refreshes.length;
      const [mine, theirs] = await Promise.all([z.zalo.tokens.refresh(held), otherNode.refresh(held)]);
      z.fake.oauthDelayMs = 0;
      expect(z.fake.refreshes).toHaveLength(before + 1);
      expect(theirs).toEqual(mine);
      const stored = await credential(z);
      expect(stored).toMatchObject({ accessToken: mine.accessToken, refreshToken: z.fake.refreshes.at(-1)!.refreshToken, version: mine.version });
      // Every refresh spent the refresh token stored before it: none was used twice.
      const spent = z.fake.refreshes.map((r) => r.oldRefreshToken);
      expect(new Set(spent).size).toBe(spent.length);
    });

    it('refreshes ahead of time when the stored token is about to expire', async () => {
      await z.t.hotline.db.prisma.channelCredential.update({
        where: { channel: 'zalo_oa' },
        data: { accessExpiresAt: new Date(Date.now() + 60_000) },
      });
      const before = z.fake.requests.length;
      const refreshesBefore = z.fake.refreshes.length;
      const reply = await converse(z, '7005');
      expect(z.fake.refreshes).toHaveLength(refreshesBefore + 1);
      expect(reply.accessToken).toBe(z.fake.refreshes.at(-1)!.accessToken);
      expect(z.fake.requests.slice(before).some((r) => r.outcome !== 'ok' && r.endpoint === 'cs')).toBe(false);
    });

    it('waits and retries while the refresh token is refused, and delivers once it works again', async () => {
      // Long enough that the job is still waiting (not dead-lettered) when the token works again.
      z.zalo.tuning.refreshFailureRetryMs = 300;
      const stored = await credential(z);
      z.fake.validRefreshTokens.delete(stored.refreshToken!);
      z.fake.expireAccessTokens();
      const userId = '7006';
      expect((await z.post(userEvent(APP_ID, 'user_send_text', userId, { text: 'Vỉa hè bị lấn chiếm' }))).status).toBe(200);
      const job = await eventually(async () => {
        const reply = await z.t.hotline.db.prisma.message.findFirst({
          where: { direction: 'outbound', conversation: { contact: { channel: 'zalo_oa', channelUserId: userId } } },
        });
        const row = reply && (await z.t.hotline.db.prisma.outboxJob.findFirst({ where: { messageId: reply.id } }));
        return row && row.attempts >= 1 && row.lastError ? row : null;
      });
      expect(job.lastError).toMatch(/refused the refresh token/);
      expect(job.status).toBe('pending');
      // The operator re-authorises (here: Zalo accepts the stored refresh token again).
      z.fake.validRefreshTokens.add(stored.refreshToken!);
      const reply = await sentMatching(z.fake, (t, to) => to === userId && CODE.test(t));
      expect(reply.accessToken).toBe(z.fake.refreshes.at(-1)!.accessToken);
    });
  });
});
