// Training: corpus → vocabulary, IDF and two calibrated softmax heads. Deterministic: corpus files
// in sorted order, a seeded example order, and a held-out split chosen by text hash.
import { INTENTS, TOPICS } from './taxonomy';
import type { LabeledText } from './corpus';
import { FAMILY_WEIGHTS, Vectorizer, Vocabulary, emitFeatures, hashText, normalizeForFeatures } from './features';
import { hasVietnameseDiacritics, stripDiacritics, type NormalizedText } from './normalize';
import { Predictor, type ClassifierModel } from './model';
import { fitTemperature, trainSoftmax, type SoftmaxHead, type SparseRows, type SoftmaxTraining } from './softmax';

export const TRAINING = {
  // Chosen by 5-fold cross-validation on the corpus: topics, with more classes and fewer examples
  // each, gain from a stronger penalty; intents lose from it.
  intent: { epochs: 6, learningRate: 1, l2: 1e-5, seed: 1 } satisfies SoftmaxTraining,
  topic: { epochs: 6, learningRate: 1, l2: 1e-4, seed: 2 } satisfies SoftmaxTraining,
  /** One message in this many is held out to fit the temperatures, chosen by a hash with this seed. */
  calibrationShare: 5,
  calibrationSeed: 0x2545f491,
};

/**
 * Deterministic split by text hash, independent of corpus order: one in `share` goes to test.
 * Different seeds give independent splits (a held-out test inside a held-out test is not empty).
 */
export function splitByHash<T extends { text: string }>(items: readonly T[], share: number, seed = 0x811c9dc5): { train: T[]; test: T[] } {
  const train: T[] = [];
  const test: T[] = [];
  for (const item of items) (hashText(item.text, seed) % share === 0 ? test : train).push(item);
  return { train, test };
}

/**
 * Each accented message once more without its diacritics: people type both ways, and the corpus
 * is mostly written with them.
 */
export function withDiacriticFreeTwins(examples: readonly LabeledText[]): LabeledText[] {
  const twins = examples.filter((e) => hasVietnameseDiacritics(e.text)).map((e) => ({ ...e, text: stripDiacritics(e.text) }));
  return [...examples, ...twins];
}

/**
 * Vocabulary of every feature the training messages have (dropping those seen once lost accuracy in
 * cross-validation); IDF (smoothed) times the feature family's weight.
 */
function buildVocabulary(documents: readonly NormalizedText[]): { vocabulary: Vocabulary; idf: Float32Array } {
  const ids = new Map<number, number>();
  const hashes: number[] = [];
  const families: number[] = [];
  const documentFrequency: number[] = [];
  const lastDocument: number[] = []; // counts a feature once per document without a per-document set
  let current = 0;
  const count = (hash: number, family: number): void => {
    let id = ids.get(hash);
    if (id === undefined) {
      id = hashes.length;
      ids.set(hash, id);
      hashes.push(hash);
      families.push(family);
      documentFrequency.push(0);
      lastDocument.push(-1);
    }
    if (lastDocument[id] === current) return;
    lastDocument[id] = current;
    documentFrequency[id] = (documentFrequency[id] as number) + 1;
  };
  documents.forEach((doc, i) => {
    current = i;
    emitFeatures(doc, count);
  });
  const kept = hashes
    .map((_, id) => id)
    // Most frequent first, ties by hash: a fixed order, with the rows most messages touch side by side.
    .sort((a, b) => (documentFrequency[b] as number) - (documentFrequency[a] as number) || (hashes[a] as number) - (hashes[b] as number));
  const idf = Float32Array.from(kept, (id) => {
    const smoothed = Math.log((1 + documents.length) / (1 + (documentFrequency[id] as number))) + 1;
    return smoothed * (FAMILY_WEIGHTS[families[id] as number] as number);
  });
  return { vocabulary: new Vocabulary(Uint32Array.from(kept, (id) => hashes[id] as number)), idf };
}

function vectorizeAll(vectorizer: Vectorizer, documents: readonly NormalizedText[]): SparseRows {
  const rowStart = new Int32Array(documents.length + 1);
  const indices: number[] = [];
  const values: number[] = [];
  documents.forEach((doc, i) => {
    const v = vectorizer.vectorize(doc);
    for (let j = 0; j < v.length; j++) {
      indices.push(v.indices[j] as number);
      values.push(v.values[j] as number);
    }
    rowStart[i + 1] = indices.length;
  });
  return { rowStart, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

/** Vocabulary, IDF and both heads at temperature 1 (uncalibrated). */
export function fitModel(examples: readonly LabeledText[]): ClassifierModel {
  const documents = examples.map((e) => normalizeForFeatures(e.text));
  const { vocabulary, idf } = buildVocabulary(documents);
  const rows = vectorizeAll(new Vectorizer(vocabulary, idf), documents);
  const intentLabels = Int32Array.from(examples, (e) => INTENTS.indexOf(e.intent));
  const topicLabels = Int32Array.from(examples, (e) => TOPICS.indexOf(e.topic));
  return {
    vocabulary,
    idf,
    intent: trainSoftmax(rows, intentLabels, INTENTS.length, vocabulary.size, TRAINING.intent),
    topic: trainSoftmax(rows, topicLabels, TOPICS.length, vocabulary.size, TRAINING.topic),
  };
}

/** Temperatures that make a model's probabilities match its accuracy on messages it never saw. */
function fitTemperatures(model: ClassifierModel, heldOut: readonly LabeledText[]): { intent: number; topic: number } {
  const predictor = new Predictor(model);
  const intentLogits = new Float64Array(heldOut.length * INTENTS.length);
  const topicLogits = new Float64Array(heldOut.length * TOPICS.length);
  heldOut.forEach((e, i) =>
    predictor.logits(
      e.text,
      intentLogits.subarray(i * INTENTS.length, (i + 1) * INTENTS.length),
      topicLogits.subarray(i * TOPICS.length, (i + 1) * TOPICS.length),
    ),
  );
  return {
    intent: fitTemperature(intentLogits, Int32Array.from(heldOut, (e) => INTENTS.indexOf(e.intent)), INTENTS.length),
    topic: fitTemperature(topicLogits, Int32Array.from(heldOut, (e) => TOPICS.indexOf(e.topic)), TOPICS.length),
  };
}

const withTemperature = (head: SoftmaxHead, temperature: number): SoftmaxHead => ({ ...head, temperature });

/**
 * Trains on every example; temperatures come from a model trained without the held-out share.
 * `progress` hears each of the steps as it starts (training takes seconds to minutes).
 */
export function trainModel(examples: readonly LabeledText[], progress: (step: string) => void = () => {}): ClassifierModel {
  if (examples.length === 0) throw new Error('no training examples: add labelled lines to src/classify/corpus/*.jsonl');
  const { train, test } = splitByHash(examples, TRAINING.calibrationShare, TRAINING.calibrationSeed);
  progress(`step 1/3: calibration model on ${train.length} of ${examples.length} examples`);
  const calibration = fitModel(withDiacriticFreeTwins(train));
  progress(`step 2/3: temperatures on the ${test.length} held-out examples`);
  const temperatures = fitTemperatures(calibration, withDiacriticFreeTwins(test));
  progress(`step 3/3: final model on all ${examples.length} examples`);
  const model = fitModel(withDiacriticFreeTwins(examples));
  return { ...model, intent: withTemperature(model.intent, temperatures.intent), topic: withTemperature(model.topic, temperatures.topic) };
}
