// Outbound pacing for platforms with published limits (Telegram: about 30 messages a second
// overall and one a second per chat). Callers wait for their turn instead of being refused, so
// a burst of answers goes out steadily rather than failing with 429s. The pacing is per process;
// with several worker nodes, each keeps to the limit divided by the number of nodes
// (TELEGRAM_SENDS_PER_SECOND, ZALO_BOT_SENDS_PER_SECOND), and a 429 that still slips through is retried after the platform's retry_after.

export interface RateLimiterOptions {
  /** Messages per second overall; 0: no overall limit. */
  perSecond: number;
  /** Minimum gap between two messages to the same key (chat), in milliseconds. */
  perKeyIntervalMs: number;
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export class RateLimiter {
  private readonly gapMs: number;
  private nextGlobalAt = 0;
  private readonly nextByKey = new Map<string, number>();
  /** Until when the platform asked everyone (or one key) to wait. */
  private pausedUntil = 0;
  private readonly pausedByKey = new Map<string, number>();
  private readonly now: () => number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(private readonly opts: RateLimiterOptions) {
    this.gapMs = opts.perSecond > 0 ? 1000 / opts.perSecond : 0;
    this.now = opts.now ?? Date.now;
    this.sleep = opts.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** Waits until a message to `key` may be sent, and books that slot. */
  async acquire(key: string): Promise<void> {
    for (;;) {
      const now = this.now();
      const keyAt = Math.max(now, this.nextByKey.get(key) ?? 0);
      const at = Math.max(keyAt, this.nextGlobalAt, this.pausedUntil);
      // Booking before sleeping keeps concurrent callers in order without a lock.
      this.nextGlobalAt = at + this.gapMs;
      this.nextByKey.set(key, at + this.opts.perKeyIntervalMs);
      this.forgetOldKeys(now);
      if (at > now) await this.sleep(at - now);
      // A 429 that came while this caller slept outranks the slot it booked: it waits again, or a
      // fan-out's queued sends would all go out into the platform's pause.
      if (this.now() >= Math.max(this.pausedUntil, this.pausedByKey.get(key) ?? 0)) return;
    }
  }

  /** The platform said to wait (429 retry_after): nobody sends to `key` (or at all, without one) before then. */
  pause(ms: number, key?: string): void {
    const until = this.now() + ms;
    if (key === undefined) {
      this.pausedUntil = Math.max(this.pausedUntil, until);
      this.nextGlobalAt = Math.max(this.nextGlobalAt, until);
    } else {
      this.pausedByKey.set(key, Math.max(this.pausedByKey.get(key) ?? 0, until));
      this.nextByKey.set(key, Math.max(this.nextByKey.get(key) ?? 0, until));
    }
  }

  private forgetOldKeys(now: number): void {
    if (this.nextByKey.size < 10_000) return;
    for (const [key, at] of this.nextByKey) if (at < now) this.nextByKey.delete(key);
    for (const [key, until] of this.pausedByKey) if (until < now) this.pausedByKey.delete(key);
  }
}
