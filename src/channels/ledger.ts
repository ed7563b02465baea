// The delivery ledger of one outbound message, stored in delivery_part (see types.ts).
import type { Db } from '../db/database';
import { recordDeliveryPart } from '../db/delivery-sql';
import type { Channel, DeliveryLedger } from './types';

/**
 * The ledger of a message from the parts earlier attempts recorded (read with the delivery's
 * claim, src/db/delivery-sql.ts claimReply); each part recorded costs one statement, but the last,
 * which `unwritten` hands to the statement finishing the delivery (src/db/delivery-sql.ts finishReply).
 */
export function deliveryLedger(
  db: Db,
  messageId: string,
  channel: Channel,
  recorded: ReadonlyArray<{ part: number; externalId: string | null }>,
): DeliveryLedger & { unwritten(): Array<{ part: number; externalId: string | null }>; writeHeld(): Promise<void> } {
  const sentParts = new Map<number, string | null>(recorded.map((r) => [r.part, r.externalId]));
  let held: Array<{ part: number; externalId: string | null }> = [];
  const write = (part: number, externalId: string | null) => recordDeliveryPart(db, messageId, part, channel, externalId);
  return {
    sentParts,
    async recordPart(index, externalId, opts) {
      if (opts?.last) held.push({ part: index, externalId });
      else await write(index, externalId);
      sentParts.set(index, externalId);
    },
    unwritten: () => held,
    /** Writes the held part now: the delivery is not finishing (it failed after it). */
    async writeHeld() {
      for (const h of held) await write(h.part, h.externalId);
      held = [];
    },
  };
}

/**
 * The ledger's rule for every adapter: in order, skip the parts an earlier attempt got accepted,
 * send each other part and record it (with the platform's id) before the next one goes out.
 */
export async function sendParts<P>(
  ledger: DeliveryLedger,
  parts: readonly P[],
  send: (part: P, index: number) => Promise<string | null>,
): Promise<void> {
  for (const [index, part] of parts.entries()) {
    if (ledger.sentParts.has(index)) continue;
    await ledger.recordPart(index, await send(part, index), { last: index === parts.length - 1 });
  }
}
