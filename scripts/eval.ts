// Measures the built-in classifier on a labelled JSON-lines file ({"text","intent","topic"}):
// accuracy and macro-F1 per head, with and without diacritics, confusions, the most confident
// mistakes, and calibration.   npm run eval -- FILE.jsonl
import path from 'node:path';
import { classifyWith } from '../src/classify/builtin';
import type { LabeledText } from '../src/classify/corpus';
import { EvalInputError, expectedFormat, readEvalFile } from '../src/classify/eval-input';
import { calibration, confusions, scoreLabels, type Calibration } from '../src/classify/metrics';
import { Predictor } from '../src/classify/model';
import { loadModel } from '../src/classify/model-store';
import { hasVietnameseDiacritics } from '../src/classify/normalize';
import type { ClassificationResult } from '../src/classify/types';

interface Outcome {
  example: LabeledText;
  result: ClassificationResult;
  intentRight: boolean;
  topicRight: boolean;
}

const percent = (x: number): string => `${(100 * x).toFixed(1)}%`.padStart(7);

function scoreRow(name: string, outcomes: readonly Outcome[]): string {
  const intent = scoreLabels(outcomes.map((o) => o.example.intent), outcomes.map((o) => o.result.intent));
  const topic = scoreLabels(outcomes.map((o) => o.example.topic), outcomes.map((o) => o.result.topic));
  const both = outcomes.filter((o) => o.intentRight && o.topicRight).length / Math.max(outcomes.length, 1);
  const cells = [intent.accuracy, intent.macroF1, topic.accuracy, topic.macroF1, both].map(percent).join('   ');
  return `${name.padEnd(18)}${String(outcomes.length).padStart(5)}  ${cells}`;
}

function confusionLines(gold: string[], predicted: string[], limit: number): string[] {
  const pairs = confusions(gold, predicted).slice(0, limit);
  return pairs.length === 0 ? ['  none'] : pairs.map((c) => `  ${String(c.count).padStart(3)}  ${c.gold} → ${c.predicted}`);
}

function calibrationLines(name: string, c: Calibration): string[] {
  return [
    `  ${name.padEnd(7)} mean confidence ${c.meanConfidence.toFixed(3)}  accuracy ${c.accuracy.toFixed(3)}  ECE ${c.ece.toFixed(3)}`,
    ...c.bins
      .filter((b) => b.count > 0)
      .map(
        (b) =>
          `          ${b.from.toFixed(1)}–${b.to.toFixed(1)}: ${String(b.count).padStart(4)} messages, ` +
          `confidence ${b.meanConfidence.toFixed(3)}, accuracy ${b.accuracy.toFixed(3)}`,
      ),
  ];
}

/** Confidence of the wrong part of a prediction: how sure the model was of its mistake. */
const mistakeConfidence = (o: Outcome): number =>
  Math.max(o.intentRight ? 0 : o.result.intentConfidence, o.topicRight ? 0 : o.result.topicConfidence);

function worstMistakeLines(outcomes: readonly Outcome[], limit: number): string[] {
  const wrong = outcomes.filter((o) => !o.intentRight || !o.topicRight).sort((a, b) => mistakeConfidence(b) - mistakeConfidence(a));
  return wrong.slice(0, limit).map((o) => {
    const intent = o.intentRight ? `intent ${o.result.intent}` : `intent ${o.example.intent}→${o.result.intent}`;
    const topic = o.topicRight ? `topic ${o.result.topic}` : `topic ${o.example.topic}→${o.result.topic}`;
    const text = o.example.text.length > 90 ? `${o.example.text.slice(0, 87)}…` : o.example.text;
    return `  ${mistakeConfidence(o).toFixed(2)}  ${intent}, ${topic}\n        ${JSON.stringify(text)}`;
  });
}

function main(): number {
  const file = process.argv[2];
  if (file === undefined || file.startsWith('-') || process.argv.length > 3) {
    console.error(`usage: npm run eval -- FILE.jsonl\n${expectedFormat()}`);
    return 2;
  }
  let examples: LabeledText[];
  try {
    examples = readEvalFile(file);
  } catch (err) {
    if (!(err instanceof EvalInputError)) throw err;
    console.error(err.message);
    return 2;
  }
  const loaded = loadModel();
  const predictor = new Predictor(loaded.model);
  const outcomes: Outcome[] = examples.map((example) => {
    const result = classifyWith(predictor, example.text);
    return { example, result, intentRight: result.intent === example.intent, topicRight: result.topic === example.topic };
  });
  const accented = outcomes.filter((o) => hasVietnameseDiacritics(o.example.text));
  const plain = outcomes.filter((o) => !hasVietnameseDiacritics(o.example.text));

  const how = loaded.origin === 'file' ? 'loaded' : 'trained';
  console.log(`${path.basename(file)}: ${outcomes.length} messages; model ${how} in ${loaded.milliseconds.toFixed(0)} ms\n`);
  console.log(`${''.padEnd(18)}${'n'.padStart(5)}  intent acc  intent F1  topic acc   topic F1      both`);
  console.log(scoreRow('all', outcomes));
  console.log(scoreRow('with diacritics', accented));
  console.log(scoreRow('without diacritics', plain));
  console.log('\nTopic confusions (gold → predicted), most frequent:');
  console.log(confusionLines(outcomes.map((o) => o.example.topic), outcomes.map((o) => o.result.topic), 10).join('\n'));
  console.log('\nIntent confusions (gold → predicted), most frequent:');
  console.log(confusionLines(outcomes.map((o) => o.example.intent), outcomes.map((o) => o.result.intent), 6).join('\n'));
  console.log('\nTen most confident mistakes:');
  console.log(worstMistakeLines(outcomes, 10).join('\n') || '  none');
  console.log('\nCalibration (confidence vs accuracy; overall confidence vs both labels right):');
  console.log(
    [
      ...calibrationLines('intent', calibration(outcomes.map((o) => o.result.intentConfidence), outcomes.map((o) => o.intentRight))),
      ...calibrationLines('topic', calibration(outcomes.map((o) => o.result.topicConfidence), outcomes.map((o) => o.topicRight))),
      ...calibrationLines(
        'overall',
        calibration(outcomes.map((o) => o.result.confidence), outcomes.map((o) => o.intentRight && o.topicRight)),
      ),
    ].join('\n'),
  );
  return 0;
}

process.exitCode = main();
