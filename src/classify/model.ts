// The trained classifier: one vocabulary and IDF shared by two softmax heads (intent, topic),
// how it predicts, and how it is written to and read from JSON (typed arrays as base64).
import { INTENTS, TOPICS, type Intent, type Topic } from './taxonomy';
import { Vectorizer, Vocabulary, normalizeForFeatures } from './features';
import { softmaxInPlace, type SoftmaxHead } from './softmax';

export interface ClassifierModel {
  vocabulary: Vocabulary;
  idf: Float32Array;
  intent: SoftmaxHead;
  topic: SoftmaxHead;
}

export interface Prediction {
  intent: Intent;
  topic: Topic;
  intentConfidence: number;
  topicConfidence: number;
  /** Whether the message had any feature the model knows; false for empty or unknown text. */
  known: boolean;
}

/** Both heads' weights side by side per feature, so each feature of a message costs one cache miss, not two. */
function interleave(intent: SoftmaxHead, topic: SoftmaxHead, features: number): Float32Array {
  const width = intent.classes + topic.classes;
  const both = new Float32Array(features * width);
  for (let f = 0; f < features; f++) {
    both.set(intent.weights.subarray(f * intent.classes, (f + 1) * intent.classes), f * width);
    both.set(topic.weights.subarray(f * topic.classes, (f + 1) * topic.classes), f * width + intent.classes);
  }
  return both;
}

/** Predicts with preallocated buffers: one Predictor per thread of work, reused for every message. */
export class Predictor {
  private readonly vectorizer: Vectorizer;
  private readonly weights: Float32Array;
  private readonly scores = new Float64Array(INTENTS.length + TOPICS.length);
  private readonly intentScores = this.scores.subarray(0, INTENTS.length);
  private readonly topicScores = this.scores.subarray(INTENTS.length);

  constructor(readonly model: ClassifierModel) {
    this.vectorizer = new Vectorizer(model.vocabulary, model.idf);
    this.weights = interleave(model.intent, model.topic, model.vocabulary.size);
  }

  predict(text: string): Prediction {
    const known = this.score(text);
    const intent = softmaxInPlace(this.intentScores, INTENTS.length, this.model.intent.temperature);
    const topic = softmaxInPlace(this.topicScores, TOPICS.length, this.model.topic.temperature);
    return {
      intent: INTENTS[intent] as Intent,
      topic: TOPICS[topic] as Topic,
      intentConfidence: this.intentScores[intent] as number,
      topicConfidence: this.topicScores[topic] as number,
      known,
    };
  }

  /** Raw logits (before temperature and softmax) of both heads, to fit the temperatures. */
  logits(text: string, intentOut: Float64Array, topicOut: Float64Array): void {
    this.score(text);
    intentOut.set(this.intentScores);
    topicOut.set(this.topicScores);
  }

  /** Fills the scores with both heads' logits; false when no feature of the text is known. */
  private score(text: string): boolean {
    const v = this.vectorizer.vectorize(normalizeForFeatures(text));
    const width = this.scores.length;
    const { weights, scores } = this;
    scores.set(this.model.intent.bias);
    scores.set(this.model.topic.bias, INTENTS.length);
    for (let j = 0; j < v.length; j++) {
      const base = (v.indices[j] as number) * width;
      const value = v.values[j] as number;
      for (let k = 0; k < width; k++) scores[k] = (scores[k] as number) + value * (weights[base + k] as number);
    }
    return v.length > 0;
  }
}

// ---- serialisation ----

const MODEL_FORMAT = 1;

interface SerializedHead {
  labels: readonly string[];
  temperature: number;
  bias: string;
  weights: string;
}

export interface SerializedModel {
  format: number;
  /** Hash of the corpus and of the code that turns it into weights; see model-store.ts. */
  stamp: string;
  vocabulary: string;
  idf: string;
  intent: SerializedHead;
  topic: SerializedHead;
}

const toBase64 = (a: Float32Array | Uint32Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

function fromBase64<T extends Float32Array | Uint32Array>(text: string, make: (buffer: ArrayBuffer, length: number) => T): T {
  const bytes = Buffer.from(text, 'base64');
  const copy = new ArrayBuffer(bytes.length); // aligned, owned buffer for the typed array
  new Uint8Array(copy).set(bytes);
  return make(copy, bytes.length / 4);
}
const floats = (text: string): Float32Array => fromBase64(text, (b, n) => new Float32Array(b, 0, n));
const uints = (text: string): Uint32Array => fromBase64(text, (b, n) => new Uint32Array(b, 0, n));

const serializeHead = (head: SoftmaxHead, labels: readonly string[]): SerializedHead => ({
  labels,
  temperature: head.temperature,
  bias: toBase64(head.bias),
  weights: toBase64(head.weights),
});

export function serializeModel(model: ClassifierModel, stamp: string): SerializedModel {
  return {
    format: MODEL_FORMAT,
    stamp,
    vocabulary: toBase64(model.vocabulary.hashes),
    idf: toBase64(model.idf),
    intent: serializeHead(model.intent, INTENTS),
    topic: serializeHead(model.topic, TOPICS),
  };
}

function deserializeHead(head: SerializedHead, labels: readonly string[], features: number): SoftmaxHead {
  if (head.labels.join() !== labels.join()) throw new Error('model labels differ from taxonomy.ts; retrain with `npm run classify:train`');
  const weights = floats(head.weights);
  if (weights.length !== features * labels.length) {
    throw new Error('model weights do not match its vocabulary; retrain with `npm run classify:train`');
  }
  return { classes: labels.length, weights, bias: floats(head.bias), temperature: head.temperature };
}

export function deserializeModel(data: SerializedModel): ClassifierModel {
  if (data.format !== MODEL_FORMAT) {
    throw new Error(`model format ${data.format} is not ${MODEL_FORMAT}; retrain with \`npm run classify:train\``);
  }
  const vocabulary = new Vocabulary(uints(data.vocabulary));
  return {
    vocabulary,
    idf: floats(data.idf),
    intent: deserializeHead(data.intent, INTENTS, vocabulary.size),
    topic: deserializeHead(data.topic, TOPICS, vocabulary.size),
  };
}
