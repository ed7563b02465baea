// Development without a public address: long polling with getUpdates
// (https://core.telegram.org/bots/api#getupdates). Our own loop rather than grammY's bot.start():
// bot.start moves the offset past an update whose handler failed, which would lose a message the
// database could not store. Here the offset only moves past an update once it is stored (or
// deliberately ignored), so a failure means the same update is fetched again after a back-off.
import type { Logger } from 'pino';
import { parseJsonKeepingBigIds } from '../../src/channels/webhook';
import { HANDLED_KINDS, parseUpdate, type TelegramUpdate } from './wire';

export interface PollingOptions {
  apiBase: string;
  token: string;
  /** The webhook's path: store the update, or throw when it could not be stored. */
  handle(update: TelegramUpdate): Promise<void>;
  /** Telegram refuses getUpdates while a webhook is set. */
  deleteWebhook(): Promise<void>;
  log: Logger;
  /** Long-poll timeout in seconds (Telegram holds the request up to this long). */
  timeoutSeconds: number;
  /** First and longest pause after a failure. */
  backoffMs: { min: number; max: number };
}

export interface Poller {
  stop(): Promise<void>;
}

export function startPolling(opts: PollingOptions): Poller {
  const abort = new AbortController();
  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        abort.signal.removeEventListener('abort', wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      abort.signal.addEventListener('abort', wake, { once: true });
    });
  let backoff = opts.backoffMs.min;
  const failed = async (err: unknown, what: string) => {
    if (abort.signal.aborted) return;
    opts.log.warn({ err, retryInMs: backoff }, what);
    await sleep(backoff);
    backoff = Math.min(backoff * 2, opts.backoffMs.max);
  };

  const loop = async () => {
    while (!abort.signal.aborted) {
      try {
        await opts.deleteWebhook();
        break;
      } catch (err) {
        await failed(err, 'Telegram deleteWebhook failed; polling will start after a pause');
      }
    }
    backoff = opts.backoffMs.min;
    let offset = 0;
    while (!abort.signal.aborted) {
      let updates: unknown[];
      try {
        updates = await getUpdates(opts, offset, abort.signal);
      } catch (err) {
        await failed(err, 'Telegram getUpdates failed; polling again after a pause');
        continue;
      }
      try {
        for (const raw of updates) {
          const parsed = parseUpdate(raw);
          const updateId = typeof (raw as { update_id?: unknown })?.update_id === 'number' ? (raw as { update_id: number }).update_id : null;
          if (!parsed.ok) {
            // A webhook would answer 400 and Telegram would not send it again: skip it the same way.
            opts.log.warn({ updateId, reason: parsed.reason }, 'malformed Telegram update skipped');
          } else {
            await opts.handle(parsed.value);
          }
          if (updateId !== null) offset = Math.max(offset, updateId + 1);
        }
        backoff = opts.backoffMs.min;
      } catch (err) {
        // Not stored: the offset stays, and the next getUpdates returns this update again.
        await failed(err, 'a Telegram update could not be stored; fetching it again after a pause');
      }
    }
  };

  const done = loop().catch((err: unknown) => opts.log.error({ err }, 'Telegram polling stopped unexpectedly'));
  return {
    async stop() {
      abort.abort();
      await done;
    },
  };
}

async function getUpdates(opts: PollingOptions, offset: number, signal: AbortSignal): Promise<unknown[]> {
  // One controller per request, unlinked afterwards: fetch does not always remove its listener from
  // a long-lived signal, and a poll every 25 s for days would pile them up.
  const request = new AbortController();
  const cancel = () => request.abort();
  signal.addEventListener('abort', cancel, { once: true });
  let res: Response;
  let raw: Buffer;
  try {
    res = await fetch(`${opts.apiBase}/bot${opts.token}/getUpdates`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ offset, timeout: opts.timeoutSeconds, allowed_updates: HANDLED_KINDS }),
      signal: request.signal,
    });
    raw = Buffer.from(await res.arrayBuffer());
  } finally {
    signal.removeEventListener('abort', cancel);
  }
  // The same parser as the webhook, so ids stay exact on both paths.
  const parsed = parseJsonKeepingBigIds(raw);
  if (!parsed.ok) throw new Error(`getUpdates answered HTTP ${res.status} with an unreadable body: ${parsed.reason}`);
  const body = parsed.value as { ok?: unknown; result?: unknown; error_code?: unknown; description?: unknown };
  if (body.ok !== true || !Array.isArray(body.result)) {
    throw new Error(`getUpdates refused: ${String(body.error_code ?? res.status)} ${String(body.description ?? '')}`.trim());
  }
  return body.result;
}
