// `npm run classify -- --jsonl`: lines in, the same lines out with labels; a bad line is reported and skipped.
import { spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(__dirname, '../..');

it('labels good lines, reports the malformed one, and exits 1', () => {
  const input = `${JSON.stringify({ id: 7, text: 'Mất nước từ sáng, bao giờ có lại?' })}\n{"text": "unterminated\n`;
  const run = spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/classify.ts', '--jsonl'], {
    cwd: root,
    input,
    encoding: 'utf8',
    timeout: 60_000,
  });
  expect(run.status).toBe(1);
  const out = run.stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(out).toHaveLength(1);
  expect(out[0]).toMatchObject({ id: 7, text: 'Mất nước từ sáng, bao giờ có lại?', topic: 'water_supply' });
  expect(typeof out[0]?.intent).toBe('string');
  expect(out[0]?.confidence).toEqual(expect.any(Number));
  expect(JSON.parse(run.stderr.trim())).toEqual({ line: 2, error: 'not valid JSON' });
});
