// The end of `npm test` says which tests were skipped and why, from the reasons tests/helpers/requires.ts
// puts in skipped titles.
import { REQUIRES, skippedTitle } from '../helpers/requires';

type Reporter = { onRunComplete(contexts: unknown, results: unknown): void };
// Plain CommonJS, as jest loads it.
const SkipSummaryReporter = require('../helpers/skip-summary-reporter.js') as new (config: { rootDir: string }) => Reporter;

function summary(results: unknown): string {
  const written: string[] = [];
  const spy = jest.spyOn(process.stderr, 'write').mockImplementation((chunk) => {
    written.push(String(chunk));
    return true;
  });
  try {
    new SkipSummaryReporter({ rootDir: '/repo' }).onRunComplete(new Set(), results);
  } finally {
    spy.mockRestore();
  }
  return written.join('');
}

const test = (status: string, title: string, ancestorTitles: string[] = []) => ({ status, title, ancestorTitles });

it('groups skipped tests by reason, with their files, and counts the others', () => {
  const redis = { met: false, reason: REQUIRES.redis.reason };
  const postgres = { met: false, reason: REQUIRES.postgres.reason };
  const out = summary({
    testResults: [
      {
        testFilePath: '/repo/tests/queue/bullmq.test.ts',
        testResults: [test('pending', 'runs', [skippedTitle('BullMqQueue', redis)]), test('pending', 'retries', [skippedTitle('BullMqQueue', redis)])],
      },
      { testFilePath: '/repo/tests/chat-bus/chat-bus.test.ts', testResults: [test('pending', 'fans out', [skippedTitle('RedisChatBus', redis)]), test('passed', 'local')] },
      { testFilePath: '/repo/tests/db/migrator.test.ts', testResults: [test('pending', skippedTitle('two nodes', postgres), ['migrator']), test('pending', 'filtered out')] },
    ],
  });
  expect(out).toBe(
    [
      '',
      'Skipped tests:',
      `  3 — ${REQUIRES.redis.reason}`,
      '      tests/queue/bullmq.test.ts (2), tests/chat-bus/chat-bus.test.ts (1)',
      `  1 — ${REQUIRES.postgres.reason}`,
      '      tests/db/migrator.test.ts (1)',
      '  1 — skipped with it.skip/describe.skip, or not selected by -t / a path filter',
      '',
    ].join('\n'),
  );
});

it('says nothing when nothing was skipped', () => {
  expect(summary({ testResults: [{ testFilePath: '/repo/tests/a.test.ts', testResults: [test('passed', 'a')] }] })).toBe('');
});

it('puts the reason in the title only of what it skips', () => {
  expect(skippedTitle('BullMqQueue', REQUIRES.redis)).toBe(`BullMqQueue [skipped: ${REQUIRES.redis.reason}]`);
  for (const r of Object.values(REQUIRES)) expect(r.reason).not.toMatch(/[[\]]/);
});
