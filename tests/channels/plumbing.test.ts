// The pieces every platform channel shares: splitting long answers, pacing, webhook body handling,
// and the platform's retry-after honoured by the queue's backoff.
import { RateLimiter } from '../../src/channels/rate-limit';
import { splitText } from '../../src/channels/split-text';
import { parseJsonBody, parseJsonKeepingBigIds, sameSecret } from '../../src/channels/webhook';
import { RetryLaterError } from '../../src/channels/types';
import { retryDelayMs } from '../../src/queue/in-process';

describe('splitText', () => {
  const sentence = (n: number) => `Câu số ${n} nói về việc sửa đèn đường ở phường Bến Thành.`;

  it('keeps a short answer whole', () => {
    expect(splitText('  Xin chào.  ', 2000)).toEqual(['Xin chào.']);
    expect(splitText('', 2000)).toEqual(['']);
  });

  it('cuts at sentence ends, never mid-word, and loses no word', () => {
    const text = Array.from({ length: 80 }, (_, i) => sentence(i + 1)).join(' ');
    const parts = splitText(text, 2000);
    expect(parts.length).toBe(Math.ceil(text.length / 2000));
    for (const part of parts) {
      expect([...part].length).toBeLessThanOrEqual(2000);
      expect(part.endsWith('.')).toBe(true);
    }
    expect(parts.join(' ')).toBe(text);
  });

  it('prefers a paragraph break to a sentence end', () => {
    const first = Array.from({ length: 20 }, (_, i) => sentence(i)).join(' ');
    const second = Array.from({ length: 20 }, (_, i) => sentence(i + 100)).join(' ');
    const parts = splitText(`${first}\n\n${second}`, 2000);
    expect(parts[0]).toBe(first);
    expect(parts[1]).toBe(second);
  });

  it('cuts a text without any break at the limit, counting code points (emoji are not split)', () => {
    const text = '😀'.repeat(2500);
    const parts = splitText(text, 2000);
    expect(parts.map((p) => [...p].length)).toEqual([2000, 500]);
    expect(parts.join('')).toBe(text);
  });

  it('rejects an impossible limit', () => {
    expect(() => splitText('abc', 0)).toThrow(RangeError);
  });
});

describe('RateLimiter', () => {
  function fakeClock() {
    let now = 1_000;
    const waits: number[] = [];
    return {
      now: () => now,
      sleep: async (ms: number) => {
        waits.push(ms);
        now += ms;
      },
      waits,
    };
  }

  it('spaces messages to one chat by the per-chat interval and all messages by the overall rate', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 30, perKeyIntervalMs: 1000, now: clock.now, sleep: clock.sleep });
    await limiter.acquire('chat-a');
    await limiter.acquire('chat-a');
    expect(clock.waits).toEqual([1000]);
    clock.waits.length = 0;
    for (let i = 0; i < 30; i++) await limiter.acquire(`chat-${i}`);
    // 30 different chats still share the overall 30/s: about a second in all.
    const total = clock.waits.reduce((a, b) => a + b, 0);
    expect(total).toBeGreaterThanOrEqual(29 * (1000 / 30) - 1);
    expect(total).toBeLessThanOrEqual(31 * (1000 / 30));
  });

  it('with no overall rate (a local fake), spaces only messages to one chat, and a 429 still holds everyone', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 0, perKeyIntervalMs: 0, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 100; i++) await limiter.acquire(`chat-${i % 3}`);
    expect(clock.waits).toEqual([]);
    limiter.pause(2000);
    await limiter.acquire('chat-a');
    expect(clock.waits).toEqual([2000]);
  });

  it('holds everyone back after the platform says to wait', async () => {
    const clock = fakeClock();
    const limiter = new RateLimiter({ perSecond: 30, perKeyIntervalMs: 1000, now: clock.now, sleep: clock.sleep });
    limiter.pause(5000);
    await limiter.acquire('chat-b');
    expect(clock.waits).toEqual([5000]);
  });
});

describe('webhook bodies', () => {
  it('keeps ids above 2^53 exact, and leaves numbers inside strings alone', () => {
    const raw = Buffer.from('{"sender":{"id":8405213398421339215},"n":12,"text":"so 1234567890123456789, ok","neg":-1001234567890123}');
    const parsed = parseJsonKeepingBigIds(raw);
    expect(parsed).toEqual({
      ok: true,
      value: { sender: { id: '8405213398421339215' }, n: 12, text: 'so 1234567890123456789, ok', neg: '-1001234567890123' },
    });
  });

  it('handles escaped quotes inside strings', () => {
    const raw = Buffer.from('{"text":"he said \\"12345678901234567\\"","id":12345678901234567}');
    expect(parseJsonKeepingBigIds(raw)).toEqual({ ok: true, value: { text: 'he said "12345678901234567"', id: '12345678901234567' } });
  });

  it('says why a body is refused', () => {
    expect(parseJsonBody(Buffer.from(''))).toEqual({ ok: false, reason: expect.stringContaining('empty') });
    expect(parseJsonBody(Buffer.from('[1,2]'))).toEqual({ ok: false, reason: 'body is not a JSON object' });
    expect(parseJsonBody(Buffer.from('{"a":'))).toEqual({ ok: false, reason: expect.stringContaining('not valid JSON') });
    expect(parseJsonKeepingBigIds(Buffer.from('{"a": 123456789012345678'))).toMatchObject({ ok: false });
  });

  it('compares secrets exactly', () => {
    expect(sameSecret('s3cret', 's3cret')).toBe(true);
    expect(sameSecret('s3cres', 's3cret')).toBe(false);
    expect(sameSecret('s3cret-and-more', 's3cret')).toBe(false);
    expect(sameSecret(undefined, 's3cret')).toBe(false);
    // An unset secret never matches, not even an empty header.
    expect(sameSecret('', '')).toBe(false);
  });
});

describe('retry backoff', () => {
  it('grows exponentially with jitter and waits at least as long as the platform asked', () => {
    for (let attempt = 1; attempt <= 5; attempt++) {
      const d = retryDelayMs(1000, attempt);
      expect(d).toBeGreaterThanOrEqual(0.75 * 1000 * 2 ** (attempt - 1));
      expect(d).toBeLessThanOrEqual(1.25 * 1000 * 2 ** (attempt - 1));
    }
    expect(retryDelayMs(1000, 1, new RetryLaterError('429', 30_000))).toBe(30_000);
    expect(retryDelayMs(1000, 1, new Error('plain'))).toBeLessThanOrEqual(1250);
  });
});
