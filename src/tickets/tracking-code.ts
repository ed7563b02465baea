// Tracking codes people read aloud over the phone and type on a phone keyboard:
// PREFIX-YY-XXXXX from an alphabet without look-alikes (no 0/O, 1/I/L, U).
import { randomInt } from 'node:crypto';

export const TRACKING_ALPHABET = '23456789ABCDEFGHJKMNPQRSTVWXYZ';
export const TRACKING_CODE_PATTERN = new RegExp(`\\b([A-Z]{2,4})-(\\d{2})-([${TRACKING_ALPHABET}]{5})\\b`);

export function newTrackingCode(prefix: string, now: Date = new Date()): string {
  const yy = String(now.getUTCFullYear() % 100).padStart(2, '0');
  let tail = '';
  for (let i = 0; i < 5; i++) tail += TRACKING_ALPHABET[randomInt(TRACKING_ALPHABET.length)];
  return `${prefix}-${yy}-${tail}`;
}

/** Accepts what people type (lower case, spaces or dots for dashes); null when it cannot be a code. */
export function normalizeTrackingCode(input: string): string | null {
  const compact = input.trim().toUpperCase().replace(/[\s._]+/g, '-');
  const m = new RegExp(`^([A-Z]{2,4})-?(\\d{2})-?([${TRACKING_ALPHABET}]{5})$`).exec(compact);
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}

/** Finds a tracking code quoted inside free text ("ma HCM-26-7K3QD sao roi"). */
export function findTrackingCode(text: string): string | null {
  const m = TRACKING_CODE_PATTERN.exec(text.toUpperCase());
  return m ? `${m[1]}-${m[2]}-${m[3]}` : null;
}
