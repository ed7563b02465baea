// 5-fold cross-validation on the training corpus (folds by text hash, so independent of file order):
// a second check, beside an evaluation file, that a change to the corpus or the features generalises.
//   npx tsx scripts/cv-classifier.ts [--folds N] [--repeats R] [--errors] [--confusions]
// --errors lists every corpus line misclassified in at least one partition, once, with its file:line,
// gold and most frequent wrong prediction, how many partitions got it wrong and the mean confidence of
// the wrong predictions (most confident first): the lines to re-check against the taxonomy for label noise.
// --confusions lists the most frequent (gold → predicted) label pairs of each head.
// --repeats R pools R different fold partitions (R × the corpus in predictions): a change worth a
// few lines in one partition can be luck of the split; averaged over several it is less so.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { corpusFiles, parseLabeledLine, readCorpus } from '../src/classify/corpus';
import { hashText } from '../src/classify/features';
import { scoreLabels } from '../src/classify/metrics';
import { Predictor } from '../src/classify/model';
import { hasVietnameseDiacritics, stripDiacritics } from '../src/classify/normalize';
import { fitModel, withDiacriticFreeTwins } from '../src/classify/train';

const FOLD_SEED = 0x1234567;

function main(): void {
  const foldsArg = process.argv.indexOf('--folds');
  const folds = foldsArg >= 0 ? Number(process.argv[foldsArg + 1]) : 5;
  const repeatsArg = process.argv.indexOf('--repeats');
  const repeats = repeatsArg >= 0 ? Number(process.argv[repeatsArg + 1]) : 1;
  const showErrors = process.argv.includes('--errors');
  const showConfusions = process.argv.includes('--confusions');
  const corpus = readCorpus().examples;
  const rows: { gold: { intent: string; topic: string }; accented: boolean; pred: { intent: string; topic: string; intentConfidence: number; topicConfidence: number }; stripped: { intent: string; topic: string }; text: string }[] = [];
  const started = performance.now();
  for (let repeat = 0; repeat < repeats; repeat++) {
    const seed = FOLD_SEED + repeat;
    for (let fold = 0; fold < folds; fold++) {
      const train = corpus.filter((e) => hashText(e.text, seed) % folds !== fold);
      const test = corpus.filter((e) => hashText(e.text, seed) % folds === fold);
      const predictor = new Predictor(fitModel(withDiacriticFreeTwins(train)));
      for (const e of test) {
        const accented = hasVietnameseDiacritics(e.text);
        rows.push({ gold: e, accented, text: e.text, pred: predictor.predict(e.text), stripped: accented ? predictor.predict(stripDiacritics(e.text)) : predictor.predict(e.text) });
      }
    }
  }
  const pct = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(7);
  const line = (name: string, subset: typeof rows, key: 'pred' | 'stripped'): string => {
    const i = scoreLabels(subset.map((r) => r.gold.intent), subset.map((r) => r[key].intent));
    const t = scoreLabels(subset.map((r) => r.gold.topic), subset.map((r) => r[key].topic));
    return `${name.padEnd(28)}${String(subset.length).padStart(5)}  intent ${pct(i.accuracy)}  topic ${pct(t.accuracy)}`;
  };
  console.log(`${folds}-fold cross-validation${repeats > 1 ? ` × ${repeats} partitions` : ''}, ${corpus.length} lines, ${((performance.now() - started) / 1000).toFixed(1)} s`);
  console.log(line('all', rows, 'pred'));
  if (repeats > 1) {
    const size = corpus.length;
    const parts = Array.from({ length: repeats }, (_, r) => rows.slice(r * size, (r + 1) * size));
    const share = (subset: typeof rows, key: 'intent' | 'topic'): string => pct(subset.filter((r) => r.pred[key] === r.gold[key]).length / subset.length).trim();
    console.log(`${'  per partition'.padEnd(28)}intent ${parts.map((p) => share(p, 'intent')).join(' ')}  topic ${parts.map((p) => share(p, 'topic')).join(' ')}`);
  }
  console.log(line('accented lines', rows.filter((r) => r.accented), 'pred'));
  console.log(line('diacritic-free lines', rows.filter((r) => !r.accented), 'pred'));
  console.log(line('accented lines, stripped', rows.filter((r) => r.accented), 'stripped'));
  if (showConfusions) {
    for (const key of ['intent', 'topic'] as const) {
      const pairs = new Map<string, number>();
      for (const r of rows) if (r.pred[key] !== r.gold[key]) pairs.set(`${r.gold[key]} → ${r.pred[key]}`, (pairs.get(`${r.gold[key]} → ${r.pred[key]}`) ?? 0) + 1);
      console.log(`\n${key} confusions (gold → predicted), over all partitions:`);
      for (const [pair, n] of [...pairs].sort((a, b) => b[1] - a[1]).slice(0, 25)) console.log(`${String(n).padStart(6)}  ${pair}`);
    }
  }
  if (showErrors) {
    // Where each line lives, to find it again: "file:line" by text (the first occurrence).
    const where = new Map<string, string>();
    for (const file of corpusFiles()) {
      readFileSync(file, 'utf8')
        .split('\n')
        .forEach((line, i) => {
          const parsed = line.trim() === '' ? { error: 'blank' } : parseLabeledLine(line);
          if (!('error' in parsed) && !where.has(parsed.text)) where.set(parsed.text, `${path.basename(file)}:${i + 1}`);
        });
    }
    const byLine = new Map<string, { gold: string; wrong: Map<string, number>; confidence: number; misses: number }>();
    for (const r of rows) {
      const gold = `${r.gold.intent}/${r.gold.topic}`;
      const pred = `${r.pred.intent}/${r.pred.topic}`;
      if (pred === gold) continue;
      const key = `${r.text}\u0000${gold}`;
      const entry = byLine.get(key) ?? { gold, wrong: new Map(), confidence: 0, misses: 0 };
      entry.wrong.set(pred, (entry.wrong.get(pred) ?? 0) + 1);
      // The confidence of the head(s) that erred: the lower of the two when both did.
      const c = Math.min(r.pred.intent !== r.gold.intent ? r.pred.intentConfidence : 1, r.pred.topic !== r.gold.topic ? r.pred.topicConfidence : 1);
      entry.confidence += c;
      entry.misses++;
      byLine.set(key, entry);
    }
    const listed = [...byLine].map(([key, e]) => ({ text: key.split('\u0000')[0] as string, ...e, confidence: e.confidence / e.misses }));
    listed.sort((a, b) => b.misses - a.misses || b.confidence - a.confidence);
    console.log(`\n${listed.length} lines misclassified at least once (misses/${repeats}, mean confidence of the error, gold → predicted):`);
    for (const e of listed) {
      const pred = [...e.wrong].sort((a, b) => b[1] - a[1])[0]?.[0];
      console.log(`${e.misses}/${repeats} ${e.confidence.toFixed(2)} ${where.get(e.text) ?? '?'}  ${e.gold} → ${pred}: ${e.text}`);
    }
  }
}

main();
