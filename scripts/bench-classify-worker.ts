// One core's classifier throughput, run in a worker thread by scripts/bench-classifier.ts: classifies
// the corpus texts over and over for the seconds it is given, after a warm-up pass, and posts the count.
import { parentPort, workerData } from 'node:worker_threads';
import { classifyText } from '../src/classify/builtin';
import { readCorpus } from '../src/classify/corpus';

const { seconds } = workerData as { seconds: number };
const texts = readCorpus().examples.map((e) => e.text);
for (const text of texts) classifyText(text);
parentPort!.postMessage({ ready: true });
// Every thread starts and stops at the same wall-clock moments, so their counts add up to one interval.
parentPort!.once('message', (go: { at: number }) => {
  while (Date.now() < go.at) {
    /* wait for the common start */
  }
  let messages = 0;
  const until = go.at + seconds * 1000;
  while (Date.now() < until) {
    for (const text of texts) {
      classifyText(text);
      messages += 1;
    }
  }
  parentPort!.postMessage({ messages });
});
