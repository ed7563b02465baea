// A small typed client of the Zalo Bot API over fetch: POST {apiBase}/bot<TOKEN>/<method> with a
// JSON body; every answer is `{ ok: true, result }` or `{ ok: false, error_code, description }`
// (bot.zaloplatforms.com/docs). An `ok: false` answer is a failure even with HTTP 200.
import { parseJsonKeepingBigIds } from '../../src/channels/webhook';

export interface ZaloBotClientOptions {
  apiBase: string;
  token: string;
  /** Per request, unless the call gives its own (long polls do). */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/** The platform refused (ok: false) or answered something that is not its envelope. */
export class ZaloBotApiError extends Error {
  override name = 'ZaloBotApiError';
  constructor(
    readonly method: string,
    /** HTTP status of the answer. */
    readonly status: number,
    /** The envelope's error_code (the HTTP status when the body has none). */
    readonly errorCode: number,
    readonly description: string,
    /** Seconds to wait, when a rate-limit answer says (`parameters.retry_after`, Telegram-style). */
    readonly retryAfterSec?: number,
  ) {
    // Never the URL: it contains the bot token, and error messages end up in logs and the database.
    super(`Zalo Bot ${method} failed: ${errorCode} ${description}`.trim());
  }
}

export interface SentMessage {
  message_id?: string;
  date?: number;
}

export class ZaloBotClient {
  private readonly fetch: typeof fetch;

  constructor(private readonly opts: ZaloBotClientOptions) {
    this.fetch = opts.fetch ?? globalThis.fetch;
  }

  async call<T = unknown>(method: string, body: Record<string, unknown> = {}, call: { signal?: AbortSignal; timeoutMs?: number } = {}): Promise<T> {
    const timeout = AbortSignal.timeout(call.timeoutMs ?? this.opts.timeoutMs ?? 15_000);
    const signal = call.signal ? AbortSignal.any([call.signal, timeout]) : timeout;
    let res: Response;
    try {
      res = await this.fetch(`${this.opts.apiBase}/bot${this.opts.token}/${method}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal,
      });
    } catch (err) {
      if (call.signal?.aborted) throw err;
      // fetch's own messages carry no URL; say which call failed and why.
      const cause = (err as Error & { cause?: { code?: string; message?: string } }).cause;
      throw new Error(`Zalo Bot ${method}: network error (${cause?.code ?? cause?.message ?? (err as Error).message})`);
    }
    const raw = Buffer.from(await res.arrayBuffer());
    const parsed = parseJsonKeepingBigIds(raw);
    if (!parsed.ok) throw new ZaloBotApiError(method, res.status, res.status, `unreadable answer (HTTP ${res.status})`);
    const envelope = parsed.value as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown; parameters?: { retry_after?: unknown } };
    if (envelope.ok === true && res.ok) return envelope.result as T;
    const errorCode = typeof envelope.error_code === 'number' ? envelope.error_code : Number(envelope.error_code) || res.status;
    const retryAfter = Number(envelope.parameters?.retry_after ?? res.headers.get('retry-after'));
    throw new ZaloBotApiError(
      method,
      res.status,
      errorCode,
      typeof envelope.description === 'string' ? envelope.description : '',
      Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined,
    );
  }

  sendMessage(chatId: string, text: string): Promise<SentMessage> {
    return this.call<SentMessage>('sendMessage', { chat_id: chatId, text });
  }

  sendPhoto(chatId: string, photo: string, caption?: string): Promise<SentMessage> {
    return this.call<SentMessage>('sendPhoto', { chat_id: chatId, photo, ...(caption ? { caption } : {}) });
  }

  setWebhook(url: string, secretToken: string): Promise<{ url?: string; updated_at?: number }> {
    return this.call('setWebhook', { url, secret_token: secretToken });
  }

  deleteWebhook(): Promise<unknown> {
    return this.call('deleteWebhook');
  }

  getWebhookInfo(): Promise<{ url?: string; updated_at?: number }> {
    return this.call('getWebhookInfo');
  }

  /**
   * One long poll. The documented parameter is `timeout` in seconds, sent as a string; there is no
   * offset: the platform hands each update out once. Resolves to the raw envelope's result (one
   * update, or null when the poll ended empty: error_code 408).
   */
  async getUpdates(timeoutSec: number, signal?: AbortSignal): Promise<unknown> {
    try {
      return await this.call('getUpdates', { timeout: String(timeoutSec) }, { signal, timeoutMs: (timeoutSec + 10) * 1000 });
    } catch (err) {
      if (err instanceof ZaloBotApiError && err.errorCode === 408) return null;
      throw err;
    }
  }
}
