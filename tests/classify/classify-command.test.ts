// `npm run classify -- --jsonl`: lines in, the same lines out with labels; a bad line is reported and skipped.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');
const classify = (args: string[], input: string) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/classify.ts', ...args], {
    cwd: root,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });

it('labels good lines, reports the malformed one, and exits 1', () => {
  const input = `${JSON.stringify({ id: 7, text: 'Mất nước từ sáng, bao giờ có lại?' })}\n{"text": "unterminated\n`;
  const run = classify(['--jsonl'], input);
  expect(run.status).toBe(1);
  const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ id: 7, text: 'Mất nước từ sáng, bao giờ có lại?', topic: 'water_supply' });
  expect(typeof out[0]?.intent).toBe('string');
  expect(out[0]?.confidence).toEqual(expect.any(Number));
  expect(JSON.parse(run.stderr.trim())).toEqual({ line: 2, error: expect.stringMatching(/^not valid JSON; expected one JSON object per line with a "text" string/) });
});

describe('refuses what it cannot classify, with the usage and a non-zero exit', () => {
  it.each([
    ['no input on stdin', ['--jsonl'], '', 1, 'no input lines on stdin'],
    ['an unknown option', ['--json'], '', 2, 'unknown option --json'],
    ['messages with --jsonl', ['--jsonl', 'đèn hỏng'], '', 2, 'takes no messages as arguments'],
    ['no arguments', [], '', 2, 'nothing to classify'],
  ])('%s', (_what, args, input, status, message) => {
    const run = classify(args, input);
    expect(run.status).toBe(status);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(message);
    expect(run.stderr).toContain('usage: npm run classify -- --jsonl < messages.jsonl');
  });
});
