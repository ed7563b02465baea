// Development without a public address (`npm run dev`, CHANNEL_POLLING=true): long polling with
// getUpdates. The platform refuses getUpdates while a webhook is set, so the webhook is removed
// first. getUpdates has no offset: an update handed out is not handed out again, so one that
// could not be stored is kept here and retried until it is, rather than fetched again.
import type { Logger } from 'pino';
import type { ZaloBotClient } from './client';
import type { ZaloBotIngest } from './ingest';

export interface PollingOptions {
  /** Seconds the platform may hold one getUpdates call open (documented default: 30). */
  timeoutSec?: number;
  /** First pause after a failure; doubles up to maxBackoffMs. */
  backoffMs?: number;
  maxBackoffMs?: number;
}

export class ZaloBotPoller {
  private readonly abort = new AbortController();
  private running: Promise<void> | null = null;
  private readonly timeoutSec: number;
  private readonly backoffMs: number;
  private readonly maxBackoffMs: number;

  constructor(
    private readonly client: ZaloBotClient,
    private readonly ingest: ZaloBotIngest,
    private readonly log: Logger,
    opts: PollingOptions = {},
  ) {
    this.timeoutSec = opts.timeoutSec ?? 30;
    this.backoffMs = opts.backoffMs ?? 500;
    this.maxBackoffMs = opts.maxBackoffMs ?? 30_000;
  }

  start(): void {
    if (this.running || this.abort.signal.aborted) return;
    this.running = this.loop().catch((err: unknown) => this.log.error({ err }, 'Zalo Bot polling stopped unexpectedly'));
  }

  async stop(): Promise<void> {
    this.abort.abort();
    await this.running;
  }

  private get stopped(): boolean {
    return this.abort.signal.aborted;
  }

  private async loop(): Promise<void> {
    await this.client.deleteWebhook().catch((err: Error) => this.log.warn({ err }, 'Zalo Bot deleteWebhook failed; polling anyway'));
    let failures = 0;
    while (!this.stopped) {
      let result: unknown;
      try {
        result = await this.client.getUpdates(this.timeoutSec, this.abort.signal);
        failures = 0;
      } catch (err) {
        if (this.stopped) break;
        failures++;
        this.log.warn({ err, failures }, 'Zalo Bot getUpdates failed; backing off');
        await this.pause(failures);
        continue;
      }
      for (const update of Array.isArray(result) ? result : result == null ? [] : [result]) {
        await this.handOver(update);
      }
    }
  }

  /** Stores one update, retrying a failing store (the platform will not hand it out again). */
  private async handOver(update: unknown): Promise<void> {
    const parsed = this.ingest.parse(update);
    for (let attempt = 1; ; attempt++) {
      try {
        await this.ingest.store(parsed);
        return;
      } catch (err) {
        this.log.error({ err, attempt }, 'could not store a polled Zalo Bot message; retrying');
        if (this.stopped) {
          this.log.error({ update }, 'Zalo Bot message not stored before shutdown');
          return;
        }
        await this.pause(attempt);
      }
    }
  }

  private pause(failures: number): Promise<void> {
    const ms = Math.min(this.maxBackoffMs, this.backoffMs * 2 ** (failures - 1));
    return new Promise((resolve) => {
      if (this.stopped) return resolve();
      const timer = setTimeout(done, ms);
      this.abort.signal.addEventListener('abort', done, { once: true });
      function done() {
        clearTimeout(timer);
        resolve();
      }
    });
  }
}
