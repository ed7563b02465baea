// The generated model file: built by `npm run classify:train` (and the pretest/prestart hooks),
// stamped with a hash of the corpus and of the code that turns it into weights, so a stale file is
// never used. When the file is missing or stale the model is trained in-process, so nothing breaks.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { CORPUS_DIR, corpusFiles, readCorpus } from './corpus';
import { deserializeModel, serializeModel, type ClassifierModel, type SerializedModel } from './model';
import { trainModel } from './train';
import { inProject } from '../project-root';

const CLASSIFY_DIR = inProject('src', 'classify');

export const MODEL_FILE = path.join(CLASSIFY_DIR, 'generated', 'model.json');

/** The code whose change changes the weights. */
const MODEL_SOURCES = ['normalize.ts', 'features.ts', 'lexicon.ts', 'softmax.ts', 'model.ts', 'train.ts', 'corpus.ts', 'taxonomy.ts', '../tickets/tracking-code.ts'];

export function modelStamp(corpusDir: string = CORPUS_DIR): string {
  const hash = createHash('sha256');
  for (const file of corpusFiles(corpusDir)) hash.update(path.basename(file)).update('\0').update(readFileSync(file)).update('\0');
  for (const source of MODEL_SOURCES) hash.update(source).update('\0').update(readFileSync(path.join(CLASSIFY_DIR, source))).update('\0');
  return hash.digest('hex');
}

export interface LoadedModel {
  model: ClassifierModel;
  origin: 'file' | 'trained';
  milliseconds: number;
  /** Corpus lines skipped while training in-process ("file:line: reason"). */
  problems: string[];
}

function readSerialized(file: string): SerializedModel | null {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as SerializedModel;
  } catch {
    return null;
  }
}

/** True when the file holds the model of this stamp (corpus and code unchanged). */
export const isModelFileCurrent = (stamp: string, file: string = MODEL_FILE): boolean => readSerialized(file)?.stamp === stamp;

/** Writes through a temporary file and a rename, so a concurrent reader never sees half a model. */
export function writeModelFile(model: ClassifierModel, stamp: string, file: string = MODEL_FILE): number {
  const text = JSON.stringify(serializeModel(model, stamp));
  mkdirSync(path.dirname(file), { recursive: true });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, text);
  renameSync(temporary, file);
  return Buffer.byteLength(text);
}

export function trainFromCorpus(
  corpusDir: string = CORPUS_DIR,
  progress?: (step: string) => void,
): { model: ClassifierModel; problems: string[]; examples: number } {
  const { examples, problems } = readCorpus(corpusDir);
  return { model: trainModel(examples, progress), problems, examples: examples.length };
}

/**
 * The model for the current corpus and code: from the file when its stamp matches, else trained
 * now and saved for next time (best effort: a read-only install still classifies).
 */
export function loadModel(file: string = MODEL_FILE, corpusDir: string = CORPUS_DIR): LoadedModel {
  const started = performance.now();
  const stamp = modelStamp(corpusDir);
  const stored = readSerialized(file);
  if (stored?.stamp === stamp) {
    return { model: deserializeModel(stored), origin: 'file', milliseconds: performance.now() - started, problems: [] };
  }
  const { model, problems } = trainFromCorpus(corpusDir);
  try {
    writeModelFile(model, stamp, file);
  } catch {
    // Not writable (read-only install): the in-memory model serves this process.
  }
  return { model, origin: 'trained', milliseconds: performance.now() - started, problems };
}
