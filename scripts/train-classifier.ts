// Builds src/classify/generated/model.json from src/classify/corpus/*.jsonl when either the corpus
// or the training code changed (run by the pretest/prestart hooks). `--force` rebuilds anyway.
import path from 'node:path';
import { CORPUS_DIR, corpusFiles } from '../src/classify/corpus';
import { MODEL_FILE, isModelFileCurrent, modelStamp, trainFromCorpus, writeModelFile } from '../src/classify/model-store';

function main(): void {
  const stamp = modelStamp();
  const relative = path.relative(process.cwd(), MODEL_FILE);
  if (!process.argv.includes('--force') && isModelFileCurrent(stamp)) return;
  if (corpusFiles().length === 0) {
    console.warn('classify:train: no src/classify/corpus/*.jsonl yet; the classifier cannot be trained until there is one.');
    return;
  }
  const started = performance.now();
  // Progress on stderr, so stdout keeps only the result line.
  console.error(`classify:train: training the built-in classifier from ${corpusFiles().length} corpus files into ${relative}…`);
  const { model, problems, examples } = trainFromCorpus(CORPUS_DIR, (step) =>
    console.error(`classify:train: ${step} (${((performance.now() - started) / 1000).toFixed(1)} s)`),
  );
  const seconds = (performance.now() - started) / 1000;
  const bytes = writeModelFile(model, stamp);
  for (const problem of problems) console.warn(`classify:train: skipped ${problem}`);
  console.log(
    `classify:train: ${examples} examples, ${model.vocabulary.size} features, trained in ${seconds.toFixed(1)} s, ` +
      `temperatures intent ${model.intent.temperature.toFixed(2)} topic ${model.topic.temperature.toFixed(2)}; ` +
      `wrote ${relative} (${(bytes / 1e6).toFixed(1)} MB)`,
  );
}

main();
