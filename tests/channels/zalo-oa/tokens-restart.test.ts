// The stored token pair outlives restarts (the env refresh token is spent after the first
// rotation), until an operator puts a new pair in the environment: then that pair wins.
import { envFingerprint } from '../../../bots/zalo-oa/tokens';
import { freshDatabase } from '../../helpers/databases';
import { startFakeZaloOa, userEvent } from '../../helpers/fake-zalo-oa';
import { APP_ID, APP_SECRET, CODE, sentMatching, startZaloHotline, type ZaloHotline } from './harness';

const credential = (z: ZaloHotline) => z.t.hotline.db.prisma.channelCredential.findUniqueOrThrow({ where: { channel: 'zalo_oa' } });

async function converse(z: ZaloHotline, userId: string) {
  expect((await z.post(userEvent(APP_ID, 'user_send_text', userId, { text: 'Ổ gà lớn trên đường Lý Thường Kiệt' }))).status).toBe(200);
  return sentMatching(z.fake, (t, to) => to === userId && CODE.test(t));
}

describe('Zalo OA token pair across restarts', () => {
  it('keeps the rotated pair across restarts, and lets a new pair in the environment win', async () => {
    const database = await freshDatabase();
    const fake = await startFakeZaloOa({ appId: APP_ID, appSecret: APP_SECRET, accessTokens: ['at-env'], refreshTokens: ['rt-env'] });
    try {
      let z = await startZaloHotline({ database, fake });
      fake.expireAccessTokens();
      await converse(z, '8001');
      const rotated = fake.refreshes[0]!;
      await z.stop({ keepDatabase: true, keepFake: true });

      // Same environment (its refresh token is spent): the stored pair is used, not the env one.
      fake.validAccessTokens.add('at-env');
      z = await startZaloHotline({ database, fake });
      expect((await converse(z, '8002')).accessToken).toBe(rotated.accessToken);
      expect(await credential(z)).toMatchObject({ refreshToken: rotated.refreshToken, envFingerprint: envFingerprint('at-env', 'rt-env') });
      await z.stop({ keepDatabase: true, keepFake: true });

      // The operator re-authorised and put a new pair in the environment: it replaces the stored one.
      fake.validAccessTokens.add('at-new');
      fake.validRefreshTokens.add('rt-new');
      z = await startZaloHotline({ database, fake, env: { ZALO_OA_ACCESS_TOKEN: 'at-new', ZALO_OA_REFRESH_TOKEN: 'rt-new' } });
      expect((await converse(z, '8003')).accessToken).toBe('at-new');
      expect(await credential(z)).toMatchObject({
        accessToken: 'at-new',
        refreshToken: 'rt-new',
        envFingerprint: envFingerprint('at-new', 'rt-new'),
        version: 2,
      });
      expect(fake.refreshes).toHaveLength(1);
      await z.stop({ keepDatabase: true, keepFake: true });
    } finally {
      await fake.close();
      await database.drop();
    }
  });
});
