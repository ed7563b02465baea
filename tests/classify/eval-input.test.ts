// `npm run eval -- FILE`: a file that cannot be scored is refused before any model is loaded, with
// what is wrong, what is expected and the valid labels, and a non-zero exit.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readEvalFile } from '../../src/classify/eval-input';
import { INTENTS, TOPICS } from '../../src/classify/taxonomy';

const root = path.resolve(__dirname, '../..');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hotline-eval-'));
const file = (name: string, content: string) => {
  const p = path.join(dir, name);
  writeFileSync(p, content);
  return p;
};
const lines = (...values: unknown[]) => values.map((v) => (typeof v === 'string' ? v : JSON.stringify(v))).join('\n') + '\n';

/** The error readEvalFile throws for `p`. */
function refusal(p: string): string {
  try {
    readEvalFile(p);
  } catch (err) {
    return (err as Error).message;
  }
  throw new Error(`${p} was accepted`);
}

function expectListsTheLabels(message: string) {
  expect(message).toContain(`intents: ${INTENTS.join(', ')}`);
  expect(message).toContain(`topics:  ${TOPICS.join(', ')}`);
  expect(message).toContain('docs/taxonomy.md');
}

describe('readEvalFile', () => {
  it('reads a labelled file', () => {
    const p = file('good.jsonl', lines({ text: 'Mất nước từ sáng', intent: 'feedback', topic: 'water_supply' }, '', { text: 'Xin chào', intent: 'other', topic: 'general' }));
    expect(readEvalFile(p)).toEqual([
      { text: 'Mất nước từ sáng', intent: 'feedback', topic: 'water_supply' },
      { text: 'Xin chào', intent: 'other', topic: 'general' },
    ]);
  });

  it('refuses a file without gold labels and says how to label it instead', () => {
    const p = file('mine.jsonl', lines({ text: 'Đèn đường hỏng' }, { text: 'Mất nước' }));
    const message = refusal(p);
    expect(message).toContain('has no gold labels: none of its 2 lines has "intent" and "topic"');
    expect(message).toContain(`npm run classify -- --jsonl < ${p}`);
    expectListsTheLabels(message);
  });

  it('refuses unknown and missing labels, naming each line', () => {
    const p = file(
      'labels.jsonl',
      lines(
        { text: 'a', intent: 'complaint', topic: 'general' },
        { text: 'b', intent: 'feedback', topic: 'roads' },
        { text: 'c', intent: 'feedback' },
        { text: 'd', intent: 'feedback', topic: 'transport' },
      ),
    );
    const message = refusal(p);
    expect(message).toContain('3 of 4 lines');
    expect(message).toContain('labels.jsonl:1: unknown intent "complaint"');
    expect(message).toContain('labels.jsonl:2: unknown topic "roads"');
    expect(message).toContain('labels.jsonl:3: no "topic" label');
    expectListsTheLabels(message);
  });

  it('refuses lines that are not JSON objects', () => {
    const message = refusal(file('json.jsonl', lines('{"text": "unterminated', '[1, 2]', { intent: 'other', topic: 'general' })));
    expect(message).toContain('json.jsonl:1: not valid JSON');
    expect(message).toContain('json.jsonl:2: not a JSON object');
    expect(message).toContain('json.jsonl:3: "text" must be a string');
  });

  it('lists at most ten problems', () => {
    const message = refusal(file('many.jsonl', lines(...Array.from({ length: 13 }, () => '{'))));
    expect(message).toContain('13 of 13 lines');
    expect(message).toContain('…and 3 more');
    expect(message).not.toContain('many.jsonl:11:');
  });

  it('refuses an empty file, a missing file and a folder', () => {
    expect(refusal(file('empty.jsonl', '\n  \n'))).toMatch(/empty\.jsonl is empty\./);
    expect(refusal(path.join(dir, 'nope.jsonl'))).toMatch(/nope\.jsonl does not exist\./);
    expect(refusal(dir)).toContain('is a folder, not a file.');
    expectListsTheLabels(refusal(path.join(dir, 'nope.jsonl')));
  });
});

describe('npm run eval', () => {
  const evalScript = (...args: string[]) =>
    spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/eval.ts', ...args], {
      cwd: root,
      encoding: 'utf8',
      timeout: 60_000,
    });

  it('exits non-zero on an unlabelled file, with the message on stderr and nothing on stdout', () => {
    const run = evalScript(file('unlabelled.jsonl', lines({ text: 'Đèn đường hỏng' })));
    expect(run.status).toBe(2);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('has no gold labels');
    expect(run.stderr).toContain(`intents: ${INTENTS.join(', ')}`);
  });

  it('exits non-zero without a file, with the usage', () => {
    const run = evalScript();
    expect(run.status).toBe(2);
    expect(run.stderr).toContain('usage: npm run eval -- FILE.jsonl');
  });
});
