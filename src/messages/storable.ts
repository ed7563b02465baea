// PostgreSQL cannot store the NUL character (U+0000) in text or jsonb (error 22021/22P05), so a
// message carrying one would fail to store forever and its platform would deliver it again and
// again. What people and platforms send is cleaned here, before it reaches the database.

const NUL = /\u0000/g;

/** The text without NUL characters. */
export function storableText(text: string): string {
  return text.includes('\u0000') ? text.replace(NUL, '') : text;
}

/** A JSON-like value with NUL removed from every string in it, keys included. */
export function storableJson<T>(value: T): T {
  if (typeof value === 'string') return storableText(value) as T;
  if (Array.isArray(value)) return value.map((v: unknown) => storableJson(v)) as T;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableJson(v)])) as T;
  }
  return value;
}

/** True when a value (a request body) holds a NUL character anywhere. */
export function containsNul(value: unknown): boolean {
  if (typeof value === 'string') return value.includes('\u0000');
  if (Array.isArray(value)) return value.some(containsNul);
  if (value !== null && typeof value === 'object') return Object.entries(value).some(([k, v]) => k.includes('\u0000') || containsNul(v));
  return false;
}
