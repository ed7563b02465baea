// The delivery ledger of one outbound message, stored in delivery_part (see types.ts).
import type { Db } from '../db/database';
import type { Channel, DeliveryLedger } from './types';

export async function loadLedger(db: Db, messageId: string, channel: Channel): Promise<DeliveryLedger> {
  const rows = await db.deliveryPart.findMany({ where: { messageId }, select: { part: true, externalId: true } });
  const sentParts = new Map<number, string | null>(rows.map((r) => [r.part, r.externalId]));
  return {
    sentParts,
    async recordPart(index, externalId) {
      // upsert: a second worker racing on the same part (stalled job handed over) records it once.
      await db.deliveryPart.upsert({
        where: { messageId_part: { messageId, part: index } },
        create: { messageId, part: index, channel, externalId },
        update: {},
      });
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
