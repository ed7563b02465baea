// The offline classifier: no network, no downloaded weights; a model trained on the project's own
// corpus (see model-store.ts) plus rule-based entity extraction.
import { INTENTS, TOPICS } from './taxonomy';
import type { ClassificationResult, Classifier } from './types';
import { extractEntities } from './entities';
import { Predictor } from './model';
import { loadModel } from './model-store';

/** Entities are looked for in this much of a message; longer input is pasted text, not a request. */
const MAX_ENTITY_CHARS = 4000;

/** Classifies with a given predictor. Text with no feature the model knows is other/general, unsure. */
export function classifyWith(predictor: Predictor, text: string): ClassificationResult {
  const entities = extractEntities(text.slice(0, MAX_ENTITY_CHARS));
  const p = predictor.predict(text);
  if (!p.known) {
    const intentConfidence = 1 / INTENTS.length;
    const topicConfidence = 1 / TOPICS.length;
    const confidence = Math.min(intentConfidence, topicConfidence);
    return { intent: 'other', topic: 'general', confidence, intentConfidence, topicConfidence, entities, source: 'builtin' };
  }
  return {
    intent: p.intent,
    topic: p.topic,
    // Both heads are calibrated; their mistakes come together (a message unlike the corpus fools both),
    // so the weaker head estimates "both right" better than the product does (expected calibration
    // error 0.035 against 0.044 in 5-fold cross-validation on the corpus).
    confidence: Math.min(p.intentConfidence, p.topicConfidence),
    intentConfidence: p.intentConfidence,
    topicConfidence: p.topicConfidence,
    entities,
    source: 'builtin',
  };
}

let shared: Predictor | undefined;

/** The process-wide predictor, loaded (or trained) on first use. */
function sharedPredictor(): Predictor {
  shared ??= new Predictor(loadModel().model);
  return shared;
}

/** Synchronous classification with the shared model, for scripts and benchmarks. */
export function classifyText(text: string): ClassificationResult {
  return classifyWith(sharedPredictor(), text);
}

export async function createBuiltinClassifier(): Promise<Classifier> {
  const predictor = sharedPredictor();
  return { inline: true, classify: async (text: string) => classifyWith(predictor, text) };
}
