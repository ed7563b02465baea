// A delivery ledger in memory, for adapter tests: `already` are parts an earlier attempt got
// accepted; `recorded` lists what this attempt recorded, in order.
import type { DeliveryLedger } from '../../src/channels/types';

export function memoryLedger(
  already: number[] = [],
): DeliveryLedger & { sentParts: Map<number, string | null>; recorded: Array<[number, string | null]> } {
  const sentParts = new Map<number, string | null>(already.map((i) => [i, `earlier-${i}`]));
  const recorded: Array<[number, string | null]> = [];
  return {
    sentParts,
    recorded,
    async recordPart(index, externalId) {
      sentParts.set(index, externalId);
      recorded.push([index, externalId]);
    },
  };
}
