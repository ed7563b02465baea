// The delivery ledger of one outbound message, stored in delivery_part (see types.ts).
import type { Db } from '../db/database';
import { recordDeliveryPart } from '../db/delivery-sql';
import type { Channel, DeliveryLedger } from './types';

/**
 * The ledger of a message from the parts earlier attempts recorded (read with the delivery's
 * claim, src/db/delivery-sql.ts claimReply); each part recorded costs one statement.
 */
export function deliveryLedger(
  db: Db,
  messageId: string,
  channel: Channel,
  recorded: ReadonlyArray<{ part: number; externalId: string | null }>,
): DeliveryLedger {
  const sentParts = new Map<number, string | null>(recorded.map((r) => [r.part, r.externalId]));
  return {
    sentParts,
    async recordPart(index, externalId) {
      await recordDeliveryPart(db, messageId, index, channel, externalId);
      sentParts.set(index, externalId);
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
    await ledger.recordPart(index, await send(part, index));
  }
}
