// Finds the knowledge-base entry that answers a citizen's message, in memory: the index is built
// from the active rows that loadKnowledgeIndex and refresh() read, at the first look-up after each
// read (so a start that nobody asks anything costs no indexing), and a message costs no SQL.
// Ranking and threshold are explained in docs/knowledge.md. Written here rather than with a search
// library because the threshold needs what libraries keep inside: each query word's weight
// (including words the knowledge base has never seen) and which fields it matched.
import type { Db } from '../db/database';
import type { KnowledgeEntry } from '../generated/prisma/client';
import type { Topic } from '../classify/taxonomy';
import { canonicalize, expandAbbreviations, stripDiacritics } from '../classify/normalize';

export const KNOWLEDGE_KINDS = ['answer', 'online_fix'] as const;
export type KnowledgeKind = (typeof KNOWLEDGE_KINDS)[number];
export type KnowledgeLocale = 'vi' | 'en';

/** What the index reads of an entry: a database row, or seed data in tests. */
export interface SearchableEntry {
  slug: string;
  topic: string;
  kind: string;
  titleVi: string;
  titleEn: string;
  answerVi: string;
  answerEn: string;
  keywords: readonly string[];
}

export interface KnowledgeSearchOptions {
  /** The person's language: its fields weigh a little more; the other language still matches. */
  locale: KnowledgeLocale;
  topic?: Topic;
  kind?: KnowledgeKind;
  /** At most this many hits (default 3). */
  limit?: number;
}

export interface KnowledgeHit<E extends SearchableEntry = KnowledgeEntry> {
  entry: E;
  /** Ranking score: BM25 relevance times the share of the question the entry covers. */
  score: number;
  /** 0..1: the weighted share of the question's words found in the entry (what the threshold cuts on). */
  coverage: number;
}

/**
 * The least coverage a hit needs. A word found in the title or keywords counts fully, one found
 * only in the answer text counts ANSWER_ONLY: so "cháy nhà" (nhà in a title, cháy in an answer)
 * stays below it, while a question naming the procedure passes even with a stray word or two.
 */
export const COVERAGE_THRESHOLD = 0.6;
const ANSWER_ONLY = 0.35;
/** A word matched through a one-letter typo counts this much of an exact one. */
const FUZZY = 0.75;
/** A word typed with Telex keys left in counts this much. */
const TELEX = 0.9;
/**
 * A question of several words with none of its word pairs in the entry: its words are scattered
 * over the entry, not the phrase the entry is about ("tỷ giá" is not "công ty … giá").
 */
const NO_PAIR = 0.85;
/**
 * One word alone is evidence only when few entries have it and it is long enough to mean one thing
 * ("passport", "marriage"); otherwise a hit needs a pair of the question's words side by side in
 * the entry. So "tạm biệt" (tạm), "bạn tên gì" (tên) or "làm quen" (quen) find nothing.
 */
const RARE_WORD_ENTRIES = 3;
const RARE_WORD_MIN_LENGTH = 5;
/** Words of at least this many letters may match with one typo (edit, insertion, deletion, swap). */
const FUZZY_MIN_LENGTH = 5;

// BM25 constants (the usual ones) and field weights; same-language fields weigh more.
const K1 = 1.2;
const B = 0.75;
const BIGRAM_WEIGHT = 0.6;
type Field = 'titleVi' | 'titleEn' | 'keywords' | 'answerVi' | 'answerEn';
const FIELDS: readonly Field[] = ['titleVi', 'titleEn', 'keywords', 'answerVi', 'answerEn'];
const STRONG_FIELDS: ReadonlySet<Field> = new Set(['titleVi', 'titleEn', 'keywords']);
const WEIGHTS: Record<KnowledgeLocale, Record<Field, number>> = {
  vi: { titleVi: 3, titleEn: 2.5, keywords: 2.5, answerVi: 1, answerEn: 0.8 },
  en: { titleVi: 2.5, titleEn: 3, keywords: 2.5, answerVi: 0.8, answerEn: 1 },
};

// ---- words ----

/** Abbreviations citizens use about procedures, beyond the classifier's (normalize.ts). */
const KNOWLEDGE_ABBREVIATIONS: ReadonlyMap<string, string> = new Map([
  ['ks', 'khai sinh'], ['gks', 'giay khai sinh'], ['dkkh', 'dang ky ket hon'],
  ['pass', 'mat khau'], ['acc', 'tai khoan'], ['xnc', 'xuat nhap canh'], ['tncn', 'thu nhap ca nhan'],
  ['thpt', 'trung hoc pho thong'], ['thcs', 'trung hoc co so'], ['gxn', 'giay xac nhan'],
  ['licence', 'license'], ['licences', 'license'],
]);

/**
 * Question filler of several words ("ở đâu", "bao lâu", "từ sáng tới giờ"), dropped before single
 * words are: one of their words alone can carry meaning ("mất" in "mất căn cước", "sang" in "sang tên").
 */
const FILLER_PHRASES: readonly string[][] = [
  'mat bao lau', 'bao lau', 'bao nhieu tien', 'bao nhieu', 'nhu the nao', 'the nao', 'lam sao', 'o dau', 'la gi',
  'duoc khong', 'bao gio', 'thu tuc', 'giay to gi', 'nhung gi', 'can gi', 'tu sang toi gio', 'tu sang den gio',
  'tu sang', 'toi gio', 'den gio', 'bay gio', 'hom nay', 'hom qua', 'may ngay', 'ca ngay', 'moi nguoi',
].map((p) => p.split(' '));

function dropFillerPhrases(words: string[]): string[] {
  const kept: string[] = [];
  for (let i = 0; i < words.length; ) {
    const phrase = FILLER_PHRASES.find((p) => p.every((w, k) => words[i + k] === w));
    if (phrase) {
      kept.push(''); // a gap: the words either side are not a pair
      i += phrase.length;
    } else kept.push(words[i++] as string);
  }
  return kept;
}

/** "ky", "ly", "my": the y/i spellings Vietnamese allows both of (đăng ký / đăng kí). */
const CONSONANT_Y = /^[bcdghklmnpqrstvx]+y$/;

/** One spelling per word: Vietnamese y/i folded, English words stemmed. */
const fold = (w: string): string => {
  if (CONSONANT_Y.test(w)) return `${w.slice(0, -1)}i`;
  return stemEnglish(w);
};

/**
 * A crude English stem: plural and -ing/-ed/-al endings off, then at most six letters, so
 * "registration", "register" and "registered" meet, as do "renewal" and "renewing". Vietnamese
 * syllables never end in s, ing, ed or al and are at most seven letters, so they pass unchanged
 * (bar the rare seven-letter ones).
 */
function stemEnglish(w: string): string {
  let stem = w;
  if (stem.length >= 4 && stem.endsWith('s') && !stem.endsWith('ss')) stem = stem.slice(0, -1);
  const suffix = /(ing|ed|al)$/.exec(stem);
  if (suffix && stem.length - suffix[0].length >= 3) {
    stem = stem.slice(0, -suffix[0].length);
    if (/([bcdfgklmnprt])\1$/.test(stem)) stem = stem.slice(0, -1); // scammed → scam
  }
  return stem.length > 6 ? stem.slice(0, 6) : stem;
}

/**
 * Question filler: words people wrap a question in that say nothing about which procedure it is.
 * Left in, a word the knowledge base never uses would weigh like a rare one and sink good matches.
 * Plain forms that are also content words stay out: "dang" (đăng/đang), "so do" (sổ đỏ), "can"
 * (căn/cần), "tai" (tài khoản), "ma" (mã), "ban" (bản sao), "bang" (bằng lái), "nha" (nhà), "an" (an toàn).
 */
const STOPWORDS: ReadonlySet<string> = new Set(
  (
    'a ah ak oi ui alo chao xin vui long giup cho minh toi tui em ban moi hoi ad admin ' +
    'la gi nao sao nhu the vay z nhe ne day hay hoac va voi cua cac nhung mot cai dau thang ' +
    'khong chua da se co duoc bi phai muon lam o de den vao ra trong nay kia khi neu roi nua cung ' +
    'van rat qua di theo nhieu biet ai luon ngay vang ok okay uh um ' +
    'i me my we our you your the a to of for in on at is are am be been does did how what where when ' +
    'which who whom could should would will shall get got need needs want have has please it its this ' +
    'that these those and or with from about there any if hi hello hey thanks thank as by not yes just tell know ' +
    'too very much many really still yet some all also only than then why'
  )
    .split(/\s+/)
    .filter((w) => w !== '')
    .map(fold),
);

/** Lower case, no diacritics, abbreviations expanded, y/i and plurals folded: the form everything is compared in. */
export function knowledgeWords(text: string): string[] {
  const plain = expandAbbreviations(stripDiacritics(canonicalize(text)));
  const words: string[] = [];
  for (const raw of plain.match(/[\p{L}\p{N}]+/gu) ?? []) {
    const expanded = KNOWLEDGE_ABBREVIATIONS.get(raw);
    // A lone letter ("s" of "that's", "ý") means nothing on its own; lone digits do ("lớp 1").
    for (const w of expanded ? expanded.split(' ') : [raw]) if (w.length > 1 || /\d/.test(w)) words.push(fold(w));
  }
  return words;
}

interface Terms {
  /** Content words, in order, without filler. */
  unigrams: string[];
  /** Runs of adjacent content words (filler between two words breaks the run): pairs come from these. */
  runs: string[][];
}

function terms(text: string): Terms {
  const words = dropFillerPhrases(knowledgeWords(text));
  const unigrams: string[] = [];
  const runs: string[][] = [];
  let run: string[] = [];
  for (const w of words) {
    if (w === '' || STOPWORDS.has(w)) {
      if (run.length > 0) runs.push(run);
      run = [];
      continue;
    }
    unigrams.push(w);
    run.push(w);
  }
  if (run.length > 0) runs.push(run);
  return { unigrams, runs };
}

/** Adjacent pairs within each run ("tam tru"), joined by a space. */
const pairsOf = (runs: readonly string[][]): string[] => runs.flatMap((r) => r.slice(1).map((w, i) => `${r[i]} ${w}`));

/**
 * A word typed with the Telex keys left in, as when the input method is off: "tamj truws",
 * "ddawng kys". Tone keys at the end go, doubled or w-marked vowels become plain ones.
 */
export function untelex(word: string): string {
  const bare = word.length >= 3 ? word.replace(/[sfrxj]$/, '') : word;
  return fold(bare.replace(/dd/g, 'd').replace(/aa|aw/g, 'a').replace(/ee/g, 'e').replace(/oo|ow/g, 'o').replace(/uw/g, 'u'));
}

/** Damerau–Levenshtein distance ≤ 1 (one substitution, insertion, deletion or adjacent swap). */
export function withinOneEdit(a: string, b: string): boolean {
  if (a === b) return true;
  const la = a.length;
  const lb = b.length;
  if (Math.abs(la - lb) > 1) return false;
  let i = 0;
  while (i < la && i < lb && a[i] === b[i]) i++;
  if (la === lb) {
    if (a.slice(i + 1) === b.slice(i + 1)) return true; // substitution
    return a[i] === b[i + 1] && a[i + 1] === b[i] && a.slice(i + 2) === b.slice(i + 2); // swap
  }
  return la > lb ? a.slice(i + 1) === b.slice(i) : a.slice(i) === b.slice(i + 1);
}

// ---- the index ----

interface IndexedEntry<E> {
  entry: E;
  /** term → weighted occurrences per field. */
  tf: Map<string, Partial<Record<Field, number>>>;
  length: Record<Field, number>;
}

export class KnowledgeIndex<E extends SearchableEntry = KnowledgeEntry> {
  private entries: IndexedEntry<E>[] = [];
  private df = new Map<string, number>();
  private avgLength: Record<Field, number> = { titleVi: 1, titleEn: 1, keywords: 1, answerVi: 1, answerEn: 1 };
  /** Single words of the vocabulary by length, for typo matching. */
  private wordsByLength = new Map<number, string[]>();

  /** Rows read by refresh() and not indexed yet: the index is built at the first look-up after. */
  private pending: readonly E[] | null = null;

  constructor(private readonly load?: () => Promise<readonly E[]>) {}

  /** An index over entries already at hand (tests, tools); refresh() reloads nothing. */
  static of<E extends SearchableEntry>(entries: readonly E[]): KnowledgeIndex<E> {
    const index = new KnowledgeIndex<E>();
    index.rebuild(entries);
    return index;
  }

  /** Reads the entries again (after an administrator's edit) and swaps the new index in. */
  async refresh(): Promise<void> {
    // Indexing costs CPU that a start (and a minute's refresh nobody searches after) need not
    // spend; the rows are read now, so the next look-up sees exactly them.
    if (this.load) this.pending = await this.load();
  }

  /** Builds the index from rows refresh() read, if any are waiting. */
  private current(): this {
    if (this.pending) {
      const rows = this.pending;
      this.pending = null;
      this.rebuild(rows);
    }
    return this;
  }

  get size(): number {
    return this.current().entries.length;
  }

  /** One active entry by its slug (a "show me that answer" button). */
  bySlug(slug: string): E | null {
    return this.current().entries.find((indexed) => indexed.entry.slug === slug)?.entry ?? null;
  }

  private rebuild(entries: readonly E[]): void {
    const df = new Map<string, number>();
    const totals: Record<Field, number> = { titleVi: 0, titleEn: 0, keywords: 0, answerVi: 0, answerEn: 0 };
    const indexed = entries.map((entry) => {
      const tf = new Map<string, Partial<Record<Field, number>>>();
      const length = { titleVi: 0, titleEn: 0, keywords: 0, answerVi: 0, answerEn: 0 };
      for (const field of FIELDS) {
        const texts = field === 'keywords' ? entry.keywords : [entry[field]];
        for (const text of texts) {
          const { unigrams, runs } = terms(text);
          length[field] += unigrams.length;
          for (const t of [...unigrams, ...pairsOf(runs)]) {
            const counts = tf.get(t) ?? {};
            counts[field] = (counts[field] ?? 0) + 1;
            tf.set(t, counts);
          }
        }
        totals[field] += length[field];
      }
      for (const t of tf.keys()) df.set(t, (df.get(t) ?? 0) + 1);
      return { entry, tf, length };
    });
    const n = Math.max(indexed.length, 1);
    const avgLength = Object.fromEntries(FIELDS.map((f) => [f, Math.max(totals[f] / n, 1)])) as Record<Field, number>;
    const wordsByLength = new Map<number, string[]>();
    for (const t of df.keys()) {
      if (t.includes(' ') || t.length < FUZZY_MIN_LENGTH - 1) continue;
      const list = wordsByLength.get(t.length) ?? [];
      list.push(t);
      wordsByLength.set(t.length, list);
    }
    // Swapped in together, so a search running beside a refresh sees one index or the other.
    Object.assign(this, { entries: indexed, df, avgLength, wordsByLength });
  }

  private idf(term: string): number {
    const n = this.entries.length;
    const df = Math.max(this.df.get(term) ?? 0, 1); // an unseen word weighs like the rarest seen one
    return Math.log(1 + (n - df + 0.5) / (df + 0.5));
  }

  /** The vocabulary words a query word stands for: itself, or its one-typo neighbours, or a glued pair split. */
  private variants(word: string): Array<{ term: string; weight: number }> {
    if (this.df.has(word)) return [{ term: word, weight: 1 }];
    const telex = untelex(word);
    if (telex !== word && this.df.has(telex)) return [{ term: telex, weight: TELEX }];
    const found: Array<{ term: string; weight: number }> = [];
    if (word.length >= FUZZY_MIN_LENGTH) {
      for (const len of [word.length - 1, word.length, word.length + 1]) {
        for (const t of this.wordsByLength.get(len) ?? []) if (withinOneEdit(word, t)) found.push({ term: t, weight: FUZZY });
      }
    }
    // "tamtru", "khaisinh", "hochieu": two syllables typed without the space.
    for (let at = 2; found.length === 0 && at <= word.length - 2; at++) {
      const pair = `${word.slice(0, at)} ${word.slice(at)}`;
      if (this.df.has(pair)) found.push({ term: pair, weight: 1 });
    }
    return found;
  }

  search(query: string, opts: KnowledgeSearchOptions): Array<KnowledgeHit<E>> {
    this.current();
    const { unigrams, runs } = terms(query);
    if (unigrams.length === 0 || this.entries.length === 0) return [];
    const weights = WEIGHTS[opts.locale];
    const variants = new Map(unigrams.map((w) => [w, this.variants(w)]));
    const words = [...variants].map(([word, vs]) => ({ word, idf: this.idf(word), variants: vs }));
    // Pairs of what the words stand for, so "tamj truws" still pairs as "tam tru".
    const bigrams = pairsOf(runs.map((r) => r.map((w) => variants.get(w)?.[0]?.term ?? w)));
    const pairs = [...new Set(bigrams)].filter((b) => this.df.has(b));
    const totalWeight = words.reduce((sum, w) => sum + w.idf, 0);

    const hits: Array<KnowledgeHit<E>> = [];
    for (const indexed of this.entries) {
      const { entry } = indexed;
      if (opts.topic !== undefined && entry.topic !== opts.topic) continue;
      if (opts.kind !== undefined && entry.kind !== opts.kind) continue;
      let relevance = 0;
      let covered = 0;
      let rareWord = false;
      for (const w of words) {
        let best = 0;
        for (const v of w.variants) {
          const counts = indexed.tf.get(v.term);
          if (!counts) continue;
          relevance += v.weight * this.bm25(v.term, counts, indexed, weights);
          const strong = FIELDS.some((f) => STRONG_FIELDS.has(f) && (counts[f] ?? 0) > 0);
          best = Math.max(best, v.weight * (strong ? 1 : ANSWER_ONLY));
          // A glued pair split ("tamtru" → "tam tru") is a pair; a long rare word stands on its own.
          if (strong && (v.term.includes(' ') || (v.term.length >= RARE_WORD_MIN_LENGTH && (this.df.get(v.term) ?? 0) <= RARE_WORD_ENTRIES))) rareWord = true;
        }
        covered += w.idf * best;
      }
      let paired = false;
      for (const pair of pairs) {
        const counts = indexed.tf.get(pair);
        if (!counts) continue;
        // Side by side in the title or keywords: in the answer text a pair can straddle two phrases.
        if (FIELDS.some((f) => STRONG_FIELDS.has(f) && (counts[f] ?? 0) > 0)) paired = true;
        relevance += BIGRAM_WEIGHT * this.bm25(pair, counts, indexed, weights);
      }
      const coverage = (totalWeight > 0 ? covered / totalWeight : 0) * (bigrams.length > 0 && !paired ? NO_PAIR : 1);
      if (coverage < COVERAGE_THRESHOLD || !(paired || rareWord)) continue;
      hits.push({ entry, score: relevance * coverage, coverage });
    }
    hits.sort((a, b) => b.score - a.score || a.entry.slug.localeCompare(b.entry.slug));
    return hits.slice(0, opts.limit ?? 3);
  }

  /** BM25F: field-weighted, length-normalised occurrences, saturated once. */
  private bm25(term: string, counts: Partial<Record<Field, number>>, indexed: IndexedEntry<E>, weights: Record<Field, number>): number {
    let tf = 0;
    for (const f of FIELDS) {
      const c = counts[f];
      if (c) tf += (weights[f] * c) / (1 - B + (B * indexed.length[f]) / this.avgLength[f]);
    }
    return (this.idf(term) * tf * (K1 + 1)) / (tf + K1);
  }
}

/** The index over the active entries of the database; call refresh() after editing entries. */
export async function loadKnowledgeIndex(db: Db): Promise<KnowledgeIndex> {
  const index = new KnowledgeIndex(() => db.knowledgeEntry.findMany({ where: { active: true }, orderBy: { slug: 'asc' } }));
  await index.refresh();
  return index;
}

/** What the bot shows of an entry, in the person's language (the source is shown in both). */
export function entryText(
  entry: Pick<KnowledgeEntry, 'titleVi' | 'titleEn' | 'answerVi' | 'answerEn' | 'sourceName' | 'sourceUrl'>,
  locale: KnowledgeLocale,
): { title: string; answer: string; sourceName: string; sourceUrl: string } {
  return {
    title: locale === 'en' ? entry.titleEn : entry.titleVi,
    answer: locale === 'en' ? entry.answerEn : entry.answerVi,
    sourceName: entry.sourceName,
    sourceUrl: entry.sourceUrl,
  };
}
