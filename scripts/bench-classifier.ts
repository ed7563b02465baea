// The built-in classifier: model load, throughput on one core and on every core (one worker thread
// per core, all classifying over the same interval), and training from the corpus.
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { classifyText } from '../src/classify/builtin';
import { CORPUS_DIR, readCorpus } from '../src/classify/corpus';
import { loadModel, trainFromCorpus } from '../src/classify/model-store';
import { megabytes, round, type Metrics, type Progress } from './bench-rig';

export function classifierLoad(): Metrics {
  const before = process.memoryUsage();
  const loaded = loadModel();
  const after = process.memoryUsage();
  return {
    origin: loaded.origin === 'file' ? 'generated file' : 'trained in-process (no current file)',
    milliseconds: round(loaded.milliseconds),
    features: loaded.model.vocabulary.size,
    heapMB: megabytes(after.heapUsed),
    heapGrowthMB: megabytes(after.heapUsed - before.heapUsed),
    rssMB: megabytes(after.rss),
  };
}

/**
 * Messages per second on this thread (one core), after a warm-up pass, over the corpus texts repeated:
 * by the clock, and by this process's CPU time (what the clock shows when no other process competes).
 */
export function classifierOneCore(seconds = 3): Metrics {
  const texts = readCorpus().examples.map((e) => e.text);
  for (const text of texts) classifyText(text);
  let messages = 0;
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  while (performance.now() - started < seconds * 1000) {
    for (const text of texts) classifyText(text);
    messages += texts.length;
  }
  const elapsed = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const huge = 'đèn đường hư '.repeat(8000).slice(0, 100_000);
  const hugeStarted = performance.now();
  classifyText(huge);
  return {
    messagesPerSecond: Math.round(messages / elapsed),
    messagesPerCpuSecond: Math.round(messages / cpuSeconds),
    microsecondsPerMessage: round((1e6 * elapsed) / messages),
    distinctTexts: texts.length,
    meanChars: Math.round(texts.reduce((s, t) => s + t.length, 0) / Math.max(texts.length, 1)),
    hundredThousandCharsMs: round(performance.now() - hugeStarted, 2),
    rssMB: megabytes(process.memoryUsage().rss),
  };
}

/** One worker thread per core, each loading the model, then all classifying over the same `seconds`. */
export async function classifierAllCores(seconds = 3, threads = os.availableParallelism()): Promise<Metrics> {
  const file = path.join(__dirname, 'bench-classify-worker.ts');
  const workers = Array.from({ length: threads }, () => new Worker(`require('tsx/cjs'); require(${JSON.stringify(file)});`, { eval: true, workerData: { seconds } }));
  try {
    const message = (w: Worker) =>
      new Promise<{ ready?: boolean; messages?: number }>((resolve, reject) => {
        w.once('message', resolve);
        w.once('error', reject);
      });
    await Promise.all(workers.map(message));
    const at = Date.now() + 200;
    const counts = await Promise.all(workers.map((w) => (w.postMessage({ at }), message(w))));
    const messages = counts.reduce((s, c) => s + (c.messages ?? 0), 0);
    return { threads, seconds, messagesPerSecond: Math.round(messages / seconds), perThreadPerSecond: Math.round(messages / seconds / threads) };
  } finally {
    await Promise.all(workers.map((w) => w.terminate()));
  }
}

export function classifierTraining(progress: Progress): Metrics {
  const started = performance.now();
  const { model, examples } = trainFromCorpus(CORPUS_DIR, progress);
  return {
    seconds: round((performance.now() - started) / 1000, 2),
    examples,
    features: model.vocabulary.size,
    rssMB: megabytes(process.memoryUsage().rss),
  };
}
