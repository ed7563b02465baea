// A console's GET /api/live stream read over HTTP (fetch): the events it received, parsed, and
// whether the server ended it.
import type { TestHotline } from './hotline';

export interface LiveFrame {
  event: string;
  data: Record<string, unknown>;
}

export class LiveClient {
  readonly frames: LiveFrame[] = [];
  /** Comment lines (`: heartbeat …`). */
  readonly comments: string[] = [];
  ended = false;
  private waiters: Array<() => void> = [];
  private buffer = '';

  private constructor(
    readonly response: Response,
    private readonly abort: AbortController,
  ) {
    void this.read();
  }

  /** Opens the stream with a bearer token; resolves once the 200 arrived (the server is subscribed by then). */
  static async connect(t: Pick<TestHotline, 'baseUrl'>, token: string): Promise<LiveClient> {
    const abort = new AbortController();
    const response = await fetch(`${t.baseUrl}/api/live`, { headers: { authorization: `Bearer ${token}`, accept: 'text/event-stream' }, signal: abort.signal });
    if (response.status !== 200) throw new Error(`GET /api/live: ${response.status} ${await response.text()}`);
    return new LiveClient(response, abort);
  }

  private reader: ReadableStreamDefaultReader<Uint8Array> | null = null;

  private async read(): Promise<void> {
    const reader = (this.reader = this.response.body!.getReader());
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.buffer += decoder.decode(value, { stream: true });
        let at: number;
        while ((at = this.buffer.indexOf('\n\n')) >= 0) {
          this.parse(this.buffer.slice(0, at));
          this.buffer = this.buffer.slice(at + 2);
        }
        this.wake();
      }
    } catch {
      // Aborted by close(), or the connection dropped: either way the stream is over.
    }
    this.ended = true;
    this.wake();
  }

  private parse(block: string): void {
    let event = 'message';
    const data: string[] = [];
    for (const line of block.split('\n')) {
      if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
      else if (line.startsWith('event: ')) event = line.slice(7);
      else if (line.startsWith('data: ')) data.push(line.slice(6));
    }
    if (data.length > 0) this.frames.push({ event, data: JSON.parse(data.join('\n')) as Record<string, unknown> });
  }

  /** Waits until a received frame matches; returns it. */
  async waitFor(match: (f: LiveFrame) => boolean, timeoutMs = 15_000): Promise<LiveFrame> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.frames.find(match);
      if (found) return found;
      if (this.ended) throw new Error(`the stream ended before the event arrived; got ${JSON.stringify(this.frames)}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`no matching event within ${timeoutMs} ms; got ${JSON.stringify(this.frames)}`);
      await this.next(left);
    }
  }

  /** Waits until the server ends the stream. */
  async waitForEnd(timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the stream was still open after ${timeoutMs} ms`);
      await this.next(left);
    }
  }

  /** Waits until a comment line matches. */
  async waitForComment(match: RegExp, timeoutMs = 15_000): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = this.comments.find((c) => match.test(c));
      if (found) return found;
      const left = deadline - Date.now();
      if (this.ended || left <= 0) throw new Error(`no comment matching ${match} (got ${JSON.stringify(this.comments)})`);
      await this.next(left);
    }
  }

  close(): void {
    void this.reader?.cancel().catch(() => undefined);
    this.abort.abort();
  }

  private next(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const fn of w) fn();
  }
}

/** The tracking code a bot reply names. */
export function codeIn(text: unknown): string {
  const code = /\b[A-Z]{2,4}-\d{2}-[0-9A-Z]{5}\b/.exec(String(text))?.[0];
  if (!code) throw new Error(`no tracking code in ${JSON.stringify(text)}`);
  return code;
}
