// Platforms cap a message's length (Zalo: 2,000 characters, Telegram: 4,096). A longer answer is
// sent in parts, cut where a reader expects a break: paragraph, then sentence, then word.

const BREAKS: RegExp[] = [/\n\s*\n/g, /\n/g, /[.!?…;:](?=\s)\s*/g, /,\s+/g, /\s+/g];

/** Splits `text` into parts of at most `limit` characters (code points), never losing a character. */
export function splitText(text: string, limit: number): string[] {
  if (limit < 1) throw new RangeError('limit must be at least 1');
  const parts: string[] = [];
  let rest = text.trim();
  while ([...rest].length > limit) {
    const window = sliceCodePoints(rest, limit);
    const cut = lastBreak(window);
    const head = (cut > 0 ? window.slice(0, cut) : window).trimEnd();
    parts.push(head);
    rest = rest.slice(cut > 0 ? cut : window.length).trimStart();
  }
  if (rest.length > 0 || parts.length === 0) parts.push(rest);
  return parts;
}

/** Index just after the best break in `window`, preferring paragraph over sentence over word, or 0. */
function lastBreak(window: string): number {
  // A break in the first third would leave a tiny part; look for a weaker break instead.
  const minimum = Math.floor(window.length / 3);
  for (const pattern of BREAKS) {
    let best = 0;
    for (const m of window.matchAll(pattern)) {
      const end = (m.index ?? 0) + m[0].length;
      if (end > minimum && end < window.length + 1) best = end;
    }
    if (best > 0) return best;
  }
  return 0;
}

function sliceCodePoints(s: string, n: number): string {
  let i = 0;
  let count = 0;
  while (i < s.length && count < n) {
    const code = s.codePointAt(i) as number;
    i += code > 0xffff ? 2 : 1;
    count++;
  }
  return s.slice(0, i);
}
