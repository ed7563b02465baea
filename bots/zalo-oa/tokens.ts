// The OA access token (valid about 25 hours) and its single-use refresh token (about 3 months).
// The newest pair lives in channel_credential, not in the environment: each refresh consumes the
// refresh token it used, so the new one must be stored in the same transaction that saw the old
// one, or it is lost and an operator has to re-authorise the app.
//
// Single flight: in one process concurrent refreshes share one promise; across processes the
// refresh runs in a transaction holding the row lock (SELECT … FOR UPDATE), and a node that gets
// the lock after another one rotated sees a new version and uses that token instead of calling.
// The OAuth call happens while the lock is held: it is rare (daily) and short (with a timeout),
// and letting two nodes spend the same refresh token would be worse.
import { createHash } from 'node:crypto';
import type { Logger } from 'pino';
import type { Db } from '../../src/db/database';
import type { ZaloOaApi } from './client';

export interface HeldToken {
  accessToken: string;
  /** channel_credential.version the token was read at: a refresh is skipped if it moved on. */
  version: number;
}

interface CredentialRow {
  accessToken: string | null;
  refreshToken: string | null;
  accessExpiresAt: Date | null;
  version: number;
}

export interface ZaloTokenStoreOptions {
  db: Db;
  api: ZaloOaApi;
  log: Logger;
  env: { accessToken?: string; refreshToken?: string };
  /** Refresh this long before the access token expires. */
  refreshEarlyMs?: number;
  now?: () => number;
}

/** Identifies the env pair, so a new pair put there by an operator (re-authorised app) wins. */
export function envFingerprint(accessToken: string | undefined, refreshToken: string | undefined): string {
  return createHash('sha256')
    .update(`zalo_oa\0${accessToken ?? ''}\0${refreshToken ?? ''}`)
    .digest('hex');
}

export class ZaloTokenStore {
  private seeded: Promise<void> | null = null;
  private inflight: Promise<HeldToken> | null = null;
  private readonly refreshEarlyMs: number;
  private readonly now: () => number;

  constructor(private readonly opts: ZaloTokenStoreOptions) {
    this.refreshEarlyMs = opts.refreshEarlyMs ?? 5 * 60_000;
    this.now = opts.now ?? Date.now;
  }

  /** A usable access token, refreshed first when it is missing or about to expire. */
  async current(): Promise<HeldToken> {
    await this.seed();
    const row = await this.opts.db.channelCredential.findUniqueOrThrow({
      where: { channel: 'zalo_oa' },
      select: { accessToken: true, accessExpiresAt: true, version: true },
    });
    if (row.accessToken && !this.expiringSoon(row.accessExpiresAt)) return { accessToken: row.accessToken, version: row.version };
    return this.refresh({ accessToken: row.accessToken ?? '', version: row.version });
  }

  /** Replaces `stale` (rejected by Zalo, or expiring): one OAuth call however many callers ask. */
  refresh(stale: HeldToken): Promise<HeldToken> {
    this.inflight ??= this.rotate(stale).finally(() => {
      this.inflight = null;
    });
    return this.inflight;
  }

  private async rotate(stale: HeldToken): Promise<HeldToken> {
    await this.seed();
    return this.opts.db.$transaction(
      async (tx) => {
        const rows = await tx.$queryRaw<CredentialRow[]>`
          SELECT access_token AS "accessToken", refresh_token AS "refreshToken",
                 access_expires_at AS "accessExpiresAt", version
          FROM channel_credential WHERE channel = 'zalo_oa' FOR UPDATE`;
        const row = rows[0];
        if (!row) throw new Error('Zalo OA credentials row is missing');
        const version = Number(row.version);
        if (version !== stale.version && row.accessToken && !this.expiringSoon(row.accessExpiresAt)) {
          // Another node (or an earlier flight here) already rotated: its token is the new one.
          return { accessToken: row.accessToken, version };
        }
        if (!row.refreshToken) {
          throw new Error('Zalo OA access token expired and no refresh token is stored: set ZALO_OA_REFRESH_TOKEN (re-authorise the app)');
        }
        const fresh = await this.opts.api.refreshAccessToken(row.refreshToken);
        const updated = await tx.channelCredential.update({
          where: { channel: 'zalo_oa' },
          data: {
            accessToken: fresh.accessToken,
            refreshToken: fresh.refreshToken,
            accessExpiresAt: fresh.expiresInSeconds ? new Date(this.now() + fresh.expiresInSeconds * 1000) : null,
            version: { increment: 1 },
            updatedAt: new Date(),
          },
          select: { version: true },
        });
        this.opts.log.info({ version: updated.version }, 'zalo oa access token refreshed; the new refresh token is stored');
        return { accessToken: fresh.accessToken, version: updated.version };
      },
      { maxWait: 30_000, timeout: 60_000 },
    );
  }

  /** First use: store the env pair; an env pair that changed since it was stored replaces the stored one. */
  private seed(): Promise<void> {
    this.seeded ??= this.seedOnce().catch((err: unknown) => {
      this.seeded = null;
      throw err;
    });
    return this.seeded;
  }

  private async seedOnce(): Promise<void> {
    const { accessToken, refreshToken } = this.opts.env;
    const fingerprint = envFingerprint(accessToken, refreshToken);
    await this.opts.db.$transaction(async (tx) => {
      await tx.channelCredential.createMany({
        data: [{ channel: 'zalo_oa', accessToken: accessToken ?? null, refreshToken: refreshToken ?? null, envFingerprint: fingerprint }],
        skipDuplicates: true,
      });
      const rows = await tx.$queryRaw<Array<{ envFingerprint: string }>>`
        SELECT env_fingerprint AS "envFingerprint" FROM channel_credential WHERE channel = 'zalo_oa' FOR UPDATE`;
      if (rows[0]?.envFingerprint === fingerprint) return;
      await tx.channelCredential.update({
        where: { channel: 'zalo_oa' },
        data: {
          accessToken: accessToken ?? null,
          refreshToken: refreshToken ?? null,
          accessExpiresAt: null,
          envFingerprint: fingerprint,
          version: { increment: 1 },
          updatedAt: new Date(),
        },
      });
      this.opts.log.info('zalo oa: a new token pair in the environment replaces the stored one (the app was re-authorised)');
    });
  }

  private expiringSoon(expiresAt: Date | null): boolean {
    return expiresAt !== null && expiresAt.getTime() - this.now() < this.refreshEarlyMs;
  }
}
