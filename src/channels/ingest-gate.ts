// Back-pressure at the door. Every message a platform or the web chat hands in is stored before it
// is acknowledged, so in a storm the pending stores (each holding its request, body and a wait for
// a database connection) are what makes memory grow, and what starves processing of connections.
// A process therefore stores at most LIMIT_INGEST_IN_FLIGHT messages at once; the next one is
// refused at once (webhooks answer 503 not_stored with Retry-After, so the platform delivers it
// again; the widget keeps it pending and sends it again), and nothing refused was acknowledged.

/** Too many messages are being stored right now; nothing was stored, deliver it again. */
export class IngestBusyError extends Error {
  override name = 'IngestBusyError';
}

export interface IngestGate {
  /** Runs `store` if a slot is free; rejects with IngestBusyError (without running it) if not. */
  run<T>(store: () => Promise<T>): Promise<T>;
  /** Stores running now. */
  readonly inFlight: number;
}

export function createIngestGate(maxInFlight: number): IngestGate {
  let inFlight = 0;
  return {
    async run(store) {
      if (inFlight >= maxInFlight) {
        throw new IngestBusyError(`${inFlight} messages are being stored already (LIMIT_INGEST_IN_FLIGHT=${maxInFlight}); deliver this one again.`);
      }
      inFlight += 1;
      try {
        return await store();
      } finally {
        inFlight -= 1;
      }
    },
    get inFlight() {
      return inFlight;
    },
  };
}
