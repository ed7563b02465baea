// Replies the worker that stored them sends itself, at once, without a trip through the queue:
// the transaction that stores a reply also claims its delivery (src/db/work-sql.ts finishInbound,
// the same lease a delivery job takes), so no other worker sends it meanwhile, and the statement
// that finishes them finishes a whole batch (src/db/delivery-sql.ts finishHandedOn). A reply that
// cannot be sent now is released and queued as a delivery job, which retries it as any other;
// one whose worker died is claimed again by the recovery sweep once the lease has run out.

/** Replies being sent this way right now, so that shutting down waits for them. */
export class HandOn {
  private readonly running = new Set<Promise<void>>();
  private sending = 0;

  /** `limit`: at most this many replies in hand at once; beyond it they go through the queue. */
  constructor(readonly limit = 1000) {}

  /** Whether `count` more replies may be taken in hand now. */
  hasRoom(count: number): boolean {
    return this.sending + count <= this.limit;
  }

  /** Keeps `work` (sending `count` replies) until it settles. */
  track(count: number, work: Promise<void>): void {
    this.sending += count;
    const tracked = work.finally(() => {
      this.sending -= count;
      this.running.delete(tracked);
    });
    this.running.add(tracked);
  }

  /** Waits for every reply in hand to be sent or handed to the queue. */
  async settle(): Promise<void> {
    while (this.running.size > 0) await Promise.allSettled([...this.running]);
  }
}
