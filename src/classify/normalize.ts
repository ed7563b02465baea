// Text normalisation for Vietnamese as citizens type it: NFC or NFD, either tone-mark placement,
// with or without diacritics, with teencode. Everything downstream (features, entities) sees
// the same two forms: an accented one and a diacritic-free, abbreviation-expanded one.
import { TRACKING_CODE_PATTERN, normalizeTrackingCode } from '../tickets/tracking-code';

const TONE_MARKS = ['\u0300', '\u0301', '\u0303', '\u0309', '\u0323'] as const; // huyền sắc ngã hỏi nặng
const BASE_VOWELS = 'aăâeêioôơuưy';
const SHAPED_VOWELS = 'ăâêôơư';

/** Toned vowel → [vowel without tone, tone index]; built from Unicode so no table can drift. */
const TONED: ReadonlyMap<string, readonly [string, number]> = (() => {
  const map = new Map<string, readonly [string, number]>();
  for (const v of BASE_VOWELS) TONE_MARKS.forEach((mark, t) => map.set((v + mark).normalize('NFC'), [v, t]));
  return map;
})();

const isVowel = (ch: string | undefined): boolean => ch !== undefined && BASE_VOWELS.includes(ch);

/**
 * Where the tone mark goes in a toneless lower-case syllable, by the "new style" rule (hoà, thuý,
 * khoẻ): a shaped vowel (ơ of ươ, ê of iê…) takes it; else the last vowel before a final consonant;
 * else the middle of three vowels; else the second of oa/oe/uy; else the first vowel.
 */
function tonePosition(syllable: string): number {
  let start = 0;
  while (start < syllable.length && !isVowel(syllable[start])) start++;
  // "qu" and "gi" + vowel: the u / i belongs to the initial consonant.
  const prev = syllable[start - 1];
  if (((prev === 'q' && syllable[start] === 'u') || (prev === 'g' && syllable[start] === 'i')) && isVowel(syllable[start + 1])) start++;
  let end = start;
  while (end < syllable.length && isVowel(syllable[end])) end++;
  const run = syllable.slice(start, end);
  for (let i = run.length - 1; i >= 0; i--) if (SHAPED_VOWELS.includes(run[i] as string)) return start + i;
  if (run.length <= 1 || end < syllable.length) return Math.max(start, end - 1);
  if (run.length === 3) return start + 1;
  return run === 'oa' || run === 'oe' || run === 'uy' ? start + 1 : start;
}

/** Moves the tone mark of one lower-case NFC word to its canonical vowel. */
function canonicalTone(word: string): string {
  let tone = -1;
  let bare = '';
  for (const ch of word) {
    const toned = TONED.get(ch);
    if (toned === undefined) bare += ch;
    else if (tone !== -1) return word; // two tone marks: not a Vietnamese syllable, leave it alone
    else {
      tone = toned[1];
      bare += toned[0];
    }
  }
  if (tone === -1) return word;
  const at = tonePosition(bare);
  return bare.slice(0, at) + (bare.charAt(at) + (TONE_MARKS[tone] as string)).normalize('NFC') + bare.slice(at + 1);
}

const LETTER_RUN = /\p{L}+/gu;
// Any precomposed toned vowel; words without one need no tone work (the common fast path).
const HAS_TONE = /[àáãảạằắẵẳặầấẫẩậèéẽẻẹềếễểệìíĩỉịòóõỏọồốỗổộờớỡởợùúũủụừứữửựỳýỹỷỵ]/;

// Vietnamese has a few thousand syllables, so remembering them makes tone placement nearly free;
// the bound keeps pasted junk from growing it forever.
const toneCache = new Map<string, string>();
const TONE_CACHE_LIMIT = 50_000;

function cachedCanonicalTone(word: string): string {
  let canonical = toneCache.get(word);
  if (canonical === undefined) {
    canonical = canonicalTone(word);
    if (toneCache.size >= TONE_CACHE_LIMIT) toneCache.clear();
    toneCache.set(word, canonical);
  }
  return canonical;
}

/** NFC, lower case, one canonical tone placement: "Hoà", "hòa" and "ho\u0300a" give the same string. */
export function canonicalize(text: string): string {
  const lower = text.normalize('NFC').toLowerCase();
  if (!HAS_TONE.test(lower)) return lower;
  return lower.replace(LETTER_RUN, (w) => (w.length > 1 ? cachedCanonicalTone(w) : w));
}

/** Drops every tone and vowel mark and turns đ into d ("Đường" → "Duong"). */
export function stripDiacritics(text: string): string {
  return text.normalize('NFD').replace(/[\u0300-\u036f]/g, '').replace(/đ/g, 'd').replace(/Đ/g, 'D');
}

const VIETNAMESE_MARKED = /[àáãảạăằắẵẳặâầấẫẩậèéẽẻẹêềếễểệìíĩỉịòóõỏọôồốỗổộơờớỡởợùúũủụưừứữửựỳýỹỷỵđ]/i;

/** True when the text has at least one Vietnamese accented letter (or đ). */
export function hasVietnameseDiacritics(text: string): boolean {
  return VIETNAMESE_MARKED.test(text.normalize('NFC'));
}

/** hasVietnameseDiacritics for text already in NFC (canonicalize's output), without normalising again. */
export const hasVietnameseDiacriticsNfc = (nfc: string): boolean => VIETNAMESE_MARKED.test(nfc);

/** Teencode and common abbreviations, on diacritic-free lower-case syllables. */
const ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['ko', 'khong'], ['k', 'khong'], ['kg', 'khong'], ['khg', 'khong'], ['hok', 'khong'], ['hk', 'khong'],
  ['dc', 'duoc'],
  ['j', 'gi'], ['bn', 'bao nhieu'], ['ntn', 'nhu the nao'], ['bh', 'bao gio'], ['z', 'vay'],
  ['vs', 'voi'], ['mn', 'moi nguoi'], ['mng', 'moi nguoi'], ['ng', 'nguoi'], ['ad', 'admin'], ['nc', 'nuoc'],
  ['tk', 'tai khoan'], ['pv', 'phong vien'],
  ['r', 'roi'], ['cx', 'cung'], ['nx', 'nua'], ['trc', 'truoc'], ['lm', 'lam'], ['bik', 'biet'], ['wa', 'qua'],
  ['sdt', 'so dien thoai'], ['dt', 'dien thoai'], ['tp', 'thanh pho'], ['hcm', 'ho chi minh'], ['hn', 'ha noi'],
  ['ubnd', 'uy ban nhan dan'], ['csgt', 'canh sat giao thong'], ['cccd', 'can cuoc cong dan'], ['cmnd', 'chung minh nhan dan'],
  ['bhyt', 'bao hiem y te'], ['bhxh', 'bao hiem xa hoi'], ['gplx', 'giay phep lai xe'], ['dvc', 'dich vu cong'],
  // More teencode: only spellings with no other common meaning ("hong" is also "hỏng", "mk" both
  // "mình" and "mật khẩu", "hs" both "hồ sơ" and "học sinh": left alone).
  ['khum', 'khong'], ['kh', 'khong'], ['ms', 'moi'], ['bjo', 'bay gio'], ['bgio', 'bay gio'],
  ['zay', 'vay'], ['dzay', 'vay'], ['zo', 'vao'], ['mik', 'minh'], ['ns', 'noi'], ['kiu', 'keu'],
  ['dk', 'dang ky'], ['dky', 'dang ky'], ['kq', 'ket qua'], ['cty', 'cong ty'], ['ctac', 'cong tac'],
  ['bv', 'benh vien'], ['bs', 'bac si'], ['gv', 'giao vien'], ['sv', 'sinh vien'], ['cq', 'co quan'],
  ['cqcn', 'co quan chuc nang'], ['tdp', 'to dan pho'], ['kp', 'khu pho'], ['qltt', 'quan ly thi truong'],
  // Administrative abbreviations as people type them.
  ['bhtn', 'bao hiem that nghiep'], ['lltp', 'ly lich tu phap'], ['gcn', 'giay chung nhan'], ['qsdd', 'quyen su dung dat'],
  ['mst', 'ma so thue'], ['hkd', 'ho kinh doanh'], ['dkkd', 'dang ky kinh doanh'], ['gpkd', 'giay phep kinh doanh'],
  ['gpxd', 'giay phep xay dung'], ['tthc', 'thu tuc hanh chinh'], ['pccc', 'phong chay chua chay'],
  ['atgt', 'an toan giao thong'], ['attp', 'an toan thuc pham'], ['dvcqg', 'dich vu cong quoc gia'],
]);

export const isAbbreviation = (word: string): boolean => ABBREVIATIONS.has(word);

/** "p.", "q.", "p12", "Q1", "tp.": ward / district / city prefixes glued to what follows. */
const ADMIN_PREFIX = /(^|[^\p{L}\p{N}])(tp|p|q)(?:\.\s*|(?=\d))/gu;
const ADMIN_WORDS: Readonly<Record<string, string>> = { tp: 'thanh pho ', p: 'phuong ', q: 'quan ' };

/** Expands abbreviations in a diacritic-free lower-case text; keeps everything else as is. */
export function expandAbbreviations(plain: string): string {
  return plain
    .replace(ADMIN_PREFIX, (_m, before: string, prefix: string) => before + (ADMIN_WORDS[prefix] ?? prefix))
    .replace(/[\p{L}\p{N}]+/gu, (w) => ABBREVIATIONS.get(w) ?? w);
}

/** Syllables (letter/digit runs) and the signs that carry meaning on their own: ? ! and emoji. */
const TOKEN = /[\p{L}\p{N}]+|[?!]|\p{Extended_Pictographic}/gu;
export function syllables(text: string): string[] {
  return text.match(TOKEN) ?? [];
}

/** The two forms features are built from. */
export interface NormalizedText {
  /** NFC, lower case, canonical tones, tokens joined by single spaces. */
  accented: string;
  /** Same without diacritics, abbreviations expanded, digits folded to 0. */
  plain: string;
}

/** Placeholders for what carries meaning by its kind rather than its digits (lexicon.ts cues on the first). */
const CODE_TOKEN = 'xxmaxx';
const PHONE_TOKEN = 'xxsdtxx';

/** Normalises a message for features: tracking codes and phone numbers become placeholders. */
export function normalizeMessage(text: string): NormalizedText {
  const canonical = canonicalize(maskCodesAndPhones(text));
  const accented = syllables(canonical).join(' ');
  const plain = syllables(expandAbbreviations(stripDiacritics(canonical))).join(' ').replace(/\d/g, '0');
  return { accented, plain };
}

// ---- numbers, phones, codes ----

/** Tracking codes as src/tickets/tracking-code.ts defines them, every occurrence, any case. */
const TRACKING_CODE_GLOBAL = new RegExp(TRACKING_CODE_PATTERN.source, 'gi');

/** Every tracking code in the text, normalised, in order, without repeats. */
export function findTrackingCodes(text: string): string[] {
  const codes = Array.from(text.matchAll(TRACKING_CODE_GLOBAL), (m) => normalizeTrackingCode(m[0]));
  return [...new Set(codes.filter((c): c is string => c !== null))];
}

/**
 * A run of digits with the separators people put in phone numbers ("+84 90 123 4567",
 * "(028) 3823.4567"). Not glued to a preceding digit group, so money ("1.500.000") yields nothing.
 */
const DIGIT_RUN = /(?<!\d[.,]?)(?:\+|\()?\d(?:[ .\-()]{0,2}\d)+/g;
const MOBILE = /^0[35789]\d{8}$/;
const LANDLINE = /^02\d{9}$/;
const MAX_GROUPS = 6;

/** "+84901234567" / "84901234567" / "0901234567" → "0901234567"; null unless a valid mobile or landline. */
function asPhone(digits: string): string | null {
  let national = digits;
  if (digits.startsWith('+84')) national = `0${digits.slice(3)}`;
  else if (digits.startsWith('84') && digits.length >= 11) national = `0${digits.slice(2)}`;
  return MOBILE.test(national) || LANDLINE.test(national) ? national : null;
}

/** The phone numbers inside one digit run: the shortest valid joins of consecutive groups. */
function phonesInRun(run: string): string[] {
  const groups = run.split(/[ .\-()]+/).filter((g) => g !== '');
  const phones: string[] = [];
  for (let start = 0; start < groups.length; start++) {
    let joined = '';
    for (let end = start; end < groups.length && end < start + MAX_GROUPS; end++) {
      joined += groups[end];
      const phone = asPhone(joined);
      if (phone !== null) {
        phones.push(phone);
        start = end;
        break;
      }
    }
  }
  return phones;
}

/** Every valid Vietnamese phone number in the text, normalised to 0xxxxxxxxx, without repeats. */
export function findPhones(text: string): string[] {
  return [...new Set(Array.from(text.matchAll(DIGIT_RUN), (m) => phonesInRun(m[0])).flat())];
}

/**
 * Anything shaped like a tracking code, valid or mistyped ("HN-25-3LX8D" has an L the alphabet
 * excludes): for the classifier, quoting a code says "status" either way.
 */
const CODE_SHAPE = /\b[A-Za-z]{2,4}[-.]\d{2}[-.][A-Za-z0-9]{5}\b/g;

/** Replaces code-shaped words and phone numbers by placeholder words: their kind matters, not their digits. */
export function maskCodesAndPhones(text: string): string {
  if (!/\d/.test(text)) return text; // both need digits; most messages have none
  return text
    .replace(CODE_SHAPE, ` ${CODE_TOKEN} `)
    .replace(DIGIT_RUN, (run) => (phonesInRun(run).length > 0 ? ` ${PHONE_TOKEN} ` : run));
}
