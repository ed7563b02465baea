// A whole hotline with the Zalo OA channel on, talking to the fake Zalo server.
import type { ZaloOaChannelModule } from '../../../bots/zalo-oa';
import type { TestDatabase } from '../../helpers/databases';
import { startFakeZaloOa, postZaloEvent, type FakeZaloOa } from '../../helpers/fake-zalo-oa';
import { api, eventually, staffLogin, startTestHotline, type TestHotline } from '../../helpers/hotline';

export const APP_ID = '1823865030574396868';
export const SECRET_KEY = 'oa-secret-KEY-for-webhooks';
export const APP_SECRET = 'app-secret-for-oauth';
/** A real-looking Zalo user id: 19 digits, above 2^53. */
export const BIG_USER_ID = '7214593125843779731';
export const CODE = /\b(HCM-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;

export interface ZaloHotline {
  t: TestHotline;
  fake: FakeZaloOa;
  zalo: ZaloOaChannelModule;
  post(raw: string, opts?: { signature?: string | null }): Promise<{ status: number; body: any }>;
  stop(opts?: { keepDatabase?: boolean; keepFake?: boolean }): Promise<void>;
}

export async function startZaloHotline(
  opts: { env?: Record<string, string>; database?: TestDatabase; fake?: FakeZaloOa } = {},
): Promise<ZaloHotline> {
  const fake =
    opts.fake ?? (await startFakeZaloOa({ appId: APP_ID, appSecret: APP_SECRET, accessTokens: ['at-env'], refreshTokens: ['rt-env'] }));
  const t = await startTestHotline({
    database: opts.database,
    env: {
      ZALO_OA_APP_ID: APP_ID,
      ZALO_OA_SECRET_KEY: SECRET_KEY,
      ZALO_OA_APP_SECRET: APP_SECRET,
      ZALO_OA_ACCESS_TOKEN: 'at-env',
      ZALO_OA_REFRESH_TOKEN: 'rt-env',
      ZALO_OA_API_BASE: fake.baseUrl,
      ZALO_OAUTH_BASE: fake.baseUrl,
      ...opts.env,
    },
  });
  const zalo = t.hotline.channels.find((c) => c.channel === 'zalo_oa') as ZaloOaChannelModule;
  // Zalo's -32 gives no retry-after; the production wait (a minute) is shortened for tests.
  zalo.tuning.rateLimitBackoffMs = 40;
  zalo.tuning.refreshFailureRetryMs = 40;
  return {
    t,
    fake,
    zalo,
    post: (raw, postOpts) => postZaloEvent(t.baseUrl, raw, { appId: APP_ID, secretKey: SECRET_KEY }, postOpts),
    async stop(stopOpts = {}) {
      await t.stop({ keepDatabase: stopOpts.keepDatabase });
      if (!stopOpts.keepFake) await fake.close();
    },
  };
}

/** Waits until the fake received a cs message matching `match`. */
export function sentMatching(fake: FakeZaloOa, match: (text: string, userId: string) => boolean) {
  return eventually(async () => fake.sent.find((m) => match(m.text ?? '', m.userId)));
}

/** The operator assigns the ticket to the power company; resolves once the person was told so. */
export async function assignTicket(t: TestHotline, code: string): Promise<void> {
  const operator = await staffLogin(t, 'operator@hotline.local');
  const agencies = await api<Array<{ id: string; slug: string }>>(t, operator, 'GET', '/agencies');
  const power = agencies.body.find((a) => a.slug === 'dien-luc')!;
  const assigned = await api(t, operator, 'POST', `/tickets/${code}/assign`, { agencyId: power.id, reason: 'Sự cố điện' });
  if (assigned.status !== 200) throw new Error(`assign: ${assigned.status} ${JSON.stringify(assigned.body)}`);
  // The notice is the ticket's latest bot message: once it is delivered, what a test fails next is the answer.
  await eventually(async () => {
    const told = await t.hotline.db.prisma.message.findFirst({ where: { ticket: { trackingCode: code }, author: 'bot' }, orderBy: { seq: 'desc' } });
    return told?.delivery === 'sent';
  });
}

/** The power company's staff answer the (assigned) ticket. */
export async function replyToTicket(t: TestHotline, code: string, text: string): Promise<{ messageId: string }> {
  const staff = await staffLogin(t, 'dien-luc@hotline.local');
  const replied = await api<{ messageId: string }>(t, staff, 'POST', `/tickets/${code}/replies`, { text });
  if (replied.status !== 201) throw new Error(`reply: ${replied.status} ${JSON.stringify(replied.body)}`);
  return replied.body;
}

/** An agency answers the ticket: the operator assigns it to the power company, whose staff replies. */
export async function answerTicket(t: TestHotline, code: string, text: string): Promise<{ messageId: string }> {
  await assignTicket(t, code);
  return replyToTicket(t, code, text);
}
