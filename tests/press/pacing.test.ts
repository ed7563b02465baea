// The outbound pacing a fan-out relies on (src/channels/rate-limit.ts), on a fake clock: sends are
// spaced to the platform's rate, and a 429's retry_after holds back every send, including those
// that had already booked a slot and were waiting for it when the 429 came.
import { RateLimiter } from '../../src/channels/rate-limit';

function fakeClock() {
  let now = 0;
  const sleepers: Array<{ until: number; wake: () => void }> = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((wake) => sleepers.push({ until: now + ms, wake })),
    /** Moves the clock on, waking the sleepers whose time came, in order. */
    async advance(ms: number) {
      const end = now + ms;
      const settle = async () => {
        for (let i = 0; i < 5; i++) await Promise.resolve();
      };
      await settle();
      for (;;) {
        sleepers.sort((a, b) => a.until - b.until);
        const first = sleepers[0];
        if (!first || first.until > end) break;
        sleepers.shift();
        now = first.until;
        first.wake();
        await settle();
      }
      now = end;
    },
  };
}

describe('outbound pacing', () => {
  it('spaces sends to the rate, per chat and overall', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 10, perKeyIntervalMs: 1000, now: clock.now, sleep: clock.sleep });
    const sentAt: Array<[string, number]> = [];
    const send = (key: string) => limiter.acquire(key).then(() => sentAt.push([key, clock.now()]));
    const all = Promise.all([send('a'), send('b'), send('c'), send('a')]);
    await clock.advance(2000);
    await all;
    expect(sentAt).toEqual([['a', 0], ['b', 100], ['c', 200], ['a', 1000]]);
  });

  it('holds back every send for retry_after after a 429, also those already waiting for their slot', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 10, perKeyIntervalMs: 0, now: clock.now, sleep: clock.sleep });
    const sentAt: Array<[string, number]> = [];
    const send = (key: string) => limiter.acquire(key).then(() => sentAt.push([key, clock.now()]));
    const all = Promise.all(['a', 'b', 'c', 'd'].map(send));
    await clock.advance(150); // a at 0, b at 100; c and d wait for 200 and 300
    limiter.pause(1000); // Telegram: retry after 1 s
    await clock.advance(3000);
    await all;
    expect(sentAt.slice(0, 2)).toEqual([['a', 0], ['b', 100]]);
    // c and d go after the pause, still spaced.
    expect(sentAt.slice(2).map(([k]) => k).sort()).toEqual(['c', 'd']);
    expect(sentAt[2]![1]).toBeGreaterThanOrEqual(1150);
    expect(sentAt[3]![1] - sentAt[2]![1]).toBeGreaterThanOrEqual(100);
    // And a new send after the pause is not held.
    const later = send('e');
    await clock.advance(1000);
    await later;
    expect(sentAt[4]![0]).toBe('e');
  });
});
