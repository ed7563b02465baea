// Zalo OA signs every webhook call: header `X-ZEvent-Signature: mac=<hex sha256(app_id + body +
// timestamp + OA secret key)>`, where body is the exact JSON text sent and app_id and timestamp are
// the values inside that JSON ("Timestamp được lấy từ chuỗi JSON trên"; OA secret key, not the app
// secret). So the mac is computed over the raw bytes, never over re-serialised JSON.
import { createHash } from 'node:crypto';
import { sameSecret } from '../../src/channels/webhook';

export const SIGNATURE_HEADER = 'x-zevent-signature';

/** The hex mac Zalo would send for this body (tests and the fake server sign with it too). */
export function zaloMac(appId: string, rawBody: Buffer | string, timestamp: string, secretKey: string): string {
  return createHash('sha256')
    .update(appId, 'utf8')
    .update(typeof rawBody === 'string' ? Buffer.from(rawBody, 'utf8') : rawBody)
    .update(timestamp, 'utf8')
    .update(secretKey, 'utf8')
    .digest('hex');
}

/** The hex digest of a `mac=<hex>` header, or null when the header is missing or not of that form. */
export function macFromHeader(header: string | string[] | undefined): string | null {
  const value = Array.isArray(header) ? header[0] : header;
  if (typeof value !== 'string') return null;
  const m = /^\s*mac=([0-9a-fA-F]{64})\s*$/.exec(value);
  return m ? m[1]!.toLowerCase() : null;
}

/** Constant-time check of a header's mac against the body. */
export function signatureMatches(given: string, appId: string, rawBody: Buffer, timestamp: string, secretKey: string): boolean {
  return sameSecret(given, zaloMac(appId, rawBody, timestamp, secretKey));
}
