// What understanding a message produces, whichever classifier produced it.
import type { Intent, Topic } from './taxonomy';

export interface Entities {
  trackingCodes: string[];
  /** Normalised Vietnamese phone numbers, e.g. "0901234567". */
  phones: string[];
  /** Street addresses as written ("12 Lê Lợi"), when present. */
  addresses: string[];
  /** Ward or commune names ("Bến Thành"), when present. */
  wards: string[];
  language: 'vi' | 'en';
}

export interface ClassificationResult {
  intent: Intent;
  topic: Topic;
  /** Calibrated probability that both labels are right, 0..1. */
  confidence: number;
  intentConfidence: number;
  topicConfidence: number;
  entities: Entities;
  /** Which classifier decided. */
  source: 'builtin' | 'llm';
}

export interface Classifier {
  classify(text: string): Promise<ClassificationResult>;
  /**
   * Answers on this thread in about a millisecond (the built-in model): it may run inside a
   * transaction. A classifier that calls out (a model over the network) must not say so.
   */
  inline?: boolean;
}
