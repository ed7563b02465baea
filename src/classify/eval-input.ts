// The file `npm run eval` measures the classifier on: labelled JSON lines, checked before any model
// is loaded. A file that cannot be scored as a whole is refused with what is wrong and what is
// expected, because a skipped line or a missing label would silently change the scores.
import { readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parseLabeledLine, type LabeledText } from './corpus';
import { INTENTS, TOPICS } from './taxonomy';

export class EvalInputError extends Error {
  override name = 'EvalInputError';
}

/** Most problems listed before "…and N more". */
const SHOWN_PROBLEMS = 10;

export function expectedFormat(file = 'FILE.jsonl'): string {
  return [
    'Expected: a JSON-lines file, one labelled message per line, e.g.',
    '  {"text": "Đèn đường trước số 12 Lê Lợi bị hỏng", "intent": "feedback", "topic": "urban_infrastructure"}',
    `intents: ${INTENTS.join(', ')}`,
    `topics:  ${TOPICS.join(', ')}`,
    'What each label covers: docs/taxonomy.md.',
    `To label messages with the classifier instead: npm run classify -- --jsonl < ${file}`,
  ].join('\n');
}

/** The labelled examples of `file`, or an EvalInputError saying what is wrong. */
export function readEvalFile(file: string): LabeledText[] {
  const name = path.basename(file);
  const fail = (what: string) => new EvalInputError(`eval: ${what}\n${expectedFormat(file)}`);
  let content: string;
  try {
    if (statSync(file).isDirectory()) throw fail(`${file} is a folder, not a file.`);
    content = readFileSync(file, 'utf8');
  } catch (err) {
    if (err instanceof EvalInputError) throw err;
    const code = (err as NodeJS.ErrnoException).code;
    throw fail(code === 'ENOENT' ? `${file} does not exist.` : `${file} cannot be read (${code ?? (err as Error).message}).`);
  }
  const examples: LabeledText[] = [];
  const problems: string[] = [];
  let lines = 0;
  let unlabelled = 0;
  content.split('\n').forEach((line, i) => {
    if (line.trim() === '') return;
    lines++;
    const parsed = parseLabeledLine(line);
    if ('error' in parsed) {
      problems.push(`  ${name}:${i + 1}: ${parsed.error}`);
      if (parsed.error.startsWith('no gold labels')) unlabelled++;
    } else examples.push(parsed);
  });
  if (lines === 0) throw fail(`${file} is empty.`);
  if (unlabelled === lines) {
    throw fail(`${file} has no gold labels: none of its ${lines} lines has "intent" and "topic". eval compares the classifier's labels with yours.`);
  }
  if (problems.length > 0) {
    const more = problems.length > SHOWN_PROBLEMS ? [`  …and ${problems.length - SHOWN_PROBLEMS} more`] : [];
    throw fail(
      [`${problems.length} of ${lines} lines of ${file} are not labelled messages:`, ...problems.slice(0, SHOWN_PROBLEMS), ...more].join('\n'),
    );
  }
  return examples;
}
