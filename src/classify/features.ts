// Turns a message into a sparse TF-IDF vector. Features are hashed (32-bit FNV-1a, one seed per
// family) straight from the normalised strings, so extraction allocates no per-feature strings;
// a vocabulary maps the hashes seen in training to dense indices.
import { INTENT_CUES, TOPIC_CUES } from './lexicon';
import { normalizeMessage, type NormalizedText } from './normalize';

/** Longer messages are cut here: the first lines say what a message is about, and time stays bounded. */
export const MAX_FEATURE_CHARS = 1500;
// Character 3- and 4-grams: as accurate as 2–5 in cross-validation on the corpus, with half the
// features to hash and weigh per message.
const CHAR_NGRAM_MIN = 3;
const CHAR_NGRAM_MAX = 4;

// One seed per feature family, so "ab" the syllable and "ab" the character pair never collide.
const SEED_ACCENTED_WORD = 0x811c9dc5;
const SEED_ACCENTED_PAIR = 0x2f3a91b7;
const SEED_PLAIN_WORD = 0x5bd1e995;
const SEED_PLAIN_PAIR = 0x68e31da4;
const SEED_CHARS = 0x1b873593;
const SEED_FIRST = 0x0f1e2d3c;
const SEED_LAST = 0x70a1b2c3;
const SPACE = 32;

const fnvStep = (hash: number, code: number): number => Math.imul(hash ^ code, 16777619);

function hashRange(text: string, start: number, end: number, seed: number): number {
  let h = seed;
  for (let i = start; i < end; i++) h = fnvStep(h, text.charCodeAt(i));
  return h >>> 0;
}

/** 32-bit FNV-1a of a whole string. */
export const hashText = (text: string, seed: number): number => hashRange(text, 0, text.length, seed);

/** Receives each feature occurrence: its hash and its family (see FAMILY_WEIGHTS). */
export type FeatureSink = (hash: number, family: number) => void;

/**
 * How much each family counts before the L2 norm (multiplied into the IDF): accented syllables,
 * accented pairs, diacritic-free syllables, diacritic-free pairs, character n-grams, lexicon cues,
 * message length.
 * Character n-grams outnumber the rest two to one; scaled down they help without drowning the syllables.
 */
export const FAMILY_WEIGHTS: readonly number[] = [1, 1, 1, 1, 0.5, 2, 1];
const ACCENTED_WORD = 0;
const PLAIN_WORD = 2;
const CHARS = 4;
const CUES = 5;
const SHAPE = 6;

/**
 * Syllables and adjacent syllable pairs of a space-joined string (pairs are family + 1), plus the
 * first and the last syllable marked as such: "cho hỏi…" opens questions, "…không", "…chưa" close them.
 */
function emitWords(text: string, wordSeed: number, pairSeed: number, family: number, emit: FeatureSink): void {
  let prevStart = -1;
  let start = 0;
  let lastStart = -1;
  for (let i = 0; i <= text.length; i++) {
    if (i < text.length && text.charCodeAt(i) !== SPACE) continue;
    if (i > start) {
      emit(hashRange(text, start, i, wordSeed), family);
      if (prevStart >= 0) emit(hashRange(text, prevStart, i, pairSeed), family + 1);
      else emit(hashRange(text, start, i, pairSeed ^ SEED_FIRST), family + 1);
      prevStart = start;
      lastStart = start;
    }
    start = i + 1;
  }
  if (lastStart >= 0) emit(hashRange(text, lastStart, text.length, pairSeed ^ SEED_LAST), family + 1);
}

/** Character n-grams of " text " (spaces mark syllable boundaries), incrementally hashed. */
function emitCharNgrams(text: string, emit: FeatureSink): void {
  const padded = text.length + 2;
  const codeAt = (i: number): number => (i === 0 || i === padded - 1 ? SPACE : text.charCodeAt(i - 1));
  for (let start = 0; start < padded - 1; start++) {
    let h = SEED_CHARS;
    for (let n = 1; n <= CHAR_NGRAM_MAX && start + n <= padded; n++) {
      h = fnvStep(h, codeAt(start + n - 1));
      if (n >= CHAR_NGRAM_MIN) emit(h >>> 0, CHARS);
    }
  }
}

const SEED_CUES = 0x3c6ef372;

/** Cue phrases by their first syllable, each with the hash of its label's cue feature. */
const CUE_INDEX: ReadonlyMap<string, readonly { rest: readonly string[]; hash: number }[]> = (() => {
  const index = new Map<string, { rest: string[]; hash: number }[]>();
  for (const [label, phrases] of [...Object.entries(INTENT_CUES), ...Object.entries(TOPIC_CUES)]) {
    const hash = hashText(label, SEED_CUES);
    for (const phrase of phrases) {
      const [first, ...rest] = phrase.split(' ') as [string, ...string[]];
      index.set(first, [...(index.get(first) ?? []), { rest, hash }]);
    }
  }
  return index;
})();

/** One cue feature per lexicon phrase found (on syllable boundaries) in the diacritic-free form. */
function emitCues(plain: string, emit: FeatureSink): void {
  const words = plain.split(' ');
  words.forEach((word, i) => {
    for (const cue of CUE_INDEX.get(word) ?? []) {
      if (cue.rest.every((next, j) => words[i + 1 + j] === next)) emit(cue.hash, CUES);
    }
  });
}

const SEED_LENGTH = 0x5be0cd19;
/** Upper bounds (in syllables) of the length classes: "hihi", "ok ad", a sentence, a paragraph. */
const LENGTH_CLASSES = [1, 3, 6, 12, 25];

/**
 * The message's length class: one-word messages are mostly small talk, and long ones reports, so
 * length helps most where the words say little.
 */
function emitLength(plain: string, emit: FeatureSink): void {
  if (plain === '') return; // nothing to classify: no feature at all, so it stays "unknown"
  let words = 1;
  for (let i = 0; i < plain.length; i++) if (plain.charCodeAt(i) === SPACE) words++;
  const lengthClass = LENGTH_CLASSES.findIndex((max) => words <= max);
  emit((SEED_LENGTH + (lengthClass === -1 ? LENGTH_CLASSES.length : lengthClass)) >>> 0, SHAPE);
}

/** Every feature occurrence of a normalised message, as a 32-bit hash. */
export function emitFeatures(normalized: NormalizedText, emit: FeatureSink): void {
  emitWords(normalized.accented, SEED_ACCENTED_WORD, SEED_ACCENTED_PAIR, ACCENTED_WORD, emit);
  emitWords(normalized.plain, SEED_PLAIN_WORD, SEED_PLAIN_PAIR, PLAIN_WORD, emit);
  emitCharNgrams(normalized.plain, emit);
  emitCues(normalized.plain, emit);
  emitLength(normalized.plain, emit);
}

export const normalizeForFeatures = (text: string): NormalizedText => normalizeMessage(text.slice(0, MAX_FEATURE_CHARS));

/**
 * Feature hashes → dense indices (a hash's position in `hashes`), through an open-addressing table
 * that keeps each hash next to its index (one cache line per probe; no Map, no boxing).
 */
export class Vocabulary {
  private readonly table: Int32Array;
  private readonly mask: number;

  constructor(readonly hashes: Uint32Array) {
    let size = 1024;
    while (size < hashes.length * 2) size *= 2;
    this.mask = size - 1;
    this.table = new Int32Array(size * 2);
    for (let slot = 0; slot < size; slot++) this.table[2 * slot + 1] = -1;
    hashes.forEach((hash, index) => {
      let slot = hash & this.mask;
      while (this.table[2 * slot + 1] !== -1) slot = (slot + 1) & this.mask;
      this.table[2 * slot] = hash | 0;
      this.table[2 * slot + 1] = index;
    });
  }

  get size(): number {
    return this.hashes.length;
  }

  indexOf(hash: number): number {
    const key = hash | 0;
    let slot = hash & this.mask;
    for (;;) {
      const index = this.table[2 * slot + 1] as number;
      if (index === -1 || this.table[2 * slot] === key) return index;
      slot = (slot + 1) & this.mask;
    }
  }
}

/** A sparse vector in buffers owned by its Vectorizer: valid until the next vectorize call. */
export interface SparseVector {
  indices: Int32Array;
  values: Float32Array;
  length: number;
}

/** Sublinear TF (1 + ln tf) × IDF, L2-normalised, over the vocabulary's features only. */
export class Vectorizer {
  private readonly counts: Float32Array;
  private readonly vector: SparseVector;
  private readonly count = (hash: number): void => {
    const index = this.vocabulary.indexOf(hash);
    if (index < 0) return;
    if (this.counts[index] === 0) this.vector.indices[this.vector.length++] = index;
    this.counts[index] = (this.counts[index] as number) + 1;
  };

  constructor(
    readonly vocabulary: Vocabulary,
    private readonly idf: Float32Array,
  ) {
    this.counts = new Float32Array(vocabulary.size);
    this.vector = { indices: new Int32Array(vocabulary.size), values: new Float32Array(vocabulary.size), length: 0 };
  }

  vectorize(normalized: NormalizedText): SparseVector {
    const v = this.vector;
    v.length = 0;
    emitFeatures(normalized, this.count);
    let norm = 0;
    for (let j = 0; j < v.length; j++) {
      const index = v.indices[j] as number;
      const count = this.counts[index] as number;
      const value = (count === 1 ? 1 : 1 + Math.log(count)) * (this.idf[index] as number);
      this.counts[index] = 0;
      v.values[j] = value;
      norm += value * value;
    }
    const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
    for (let j = 0; j < v.length; j++) v.values[j] = (v.values[j] as number) * scale;
    return v;
  }
}
