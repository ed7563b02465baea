// `npm run bench` takes minutes: it says on stderr what it measures as it goes, keeps stdout for the
// report (or the JSON), and refuses arguments it does not know. Nothing here measures speed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { benchWebchat } from '../../scripts/bench-webchat';
import { benchWebhooks } from '../../scripts/bench-webhooks';
import { freshDatabase } from '../helpers/databases';

const root = path.resolve(__dirname, '../..');

it('webhook ingest reports progress for every channel while it runs', async () => {
  const lines: string[] = [];
  const results = await benchWebhooks({ perChannel: 8, concurrency: 2, warmUp: 2, alone: 4, progress: (line) => lines.push(line), storage: await freshDatabase() });
  for (const channel of ['zalo_oa', 'zalo_bot', 'telegram']) {
    expect(lines).toContain(`${channel}: warm-up, then 4 deliveries one at a time`);
    expect(lines).toContain(`${channel}: 8 deliveries, 2 at a time`);
    expect(lines).toContain(`${channel}: 2 of 8 delivered`);
    expect(results[`webhook ingest: ${channel}`]).toMatchObject({ deliveries: 8, concurrency: 2, shareOfBare: expect.stringMatching(/^\d+\.\d%$/) });
  }
  // The machine's ceiling is measured in the same run, with the same load.
  expect(lines).toContain('bare fastify: 8 deliveries, 2 at a time');
  expect(results['webhook ingest: bare fastify (same body, no hotline)']).toMatchObject({ deliveries: 8, concurrency: 2, perSecond: expect.any(Number) });
}, 120_000);

it('web chat end to end reports each run, the storm and memory, saying what it does as it goes', async () => {
  const lines: string[] = [];
  const results = await benchWebchat({ sockets: 3, ackMessages: 6, rates: [4], rateSeconds: 1, storm: 8, stormSockets: 4, progress: (line) => lines.push(line), storage: await freshDatabase() });
  expect(lines).toEqual(
    expect.arrayContaining(['opening 4 web chat sessions', 'people at once: 6 messages from 3 people', 'end to end: 4/s for 1 s', 'storm: 8 messages from 4 people', 'storm: 8 of 8 acknowledged']),
  );
  expect(results['web chat: start']).toMatchObject({ readyz: 200, startToReadySeconds: expect.any(Number) });
  expect(results['web chat: people writing at once']).toMatchObject({ people: 3, messages: 6, replyP99Ms: expect.any(Number) });
  expect(results['web chat: end to end at 4/s']).toMatchObject({ offered: 4, replyP99Ms: expect.any(Number) });
  expect(results['web chat: storm']).toMatchObject({ messages: 8, people: 4, lastReplySeconds: expect.any(Number), rssPeakMB: expect.any(Number) });
}, 120_000);

/** `npm run bench -- <arg>`, as a new process. */
const bench = (arg: string) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench.ts', arg], { cwd: root, encoding: 'utf8', timeout: 60_000 });

it('refuses a storm size that is not a whole number', () => {
  const run = bench('--storm=lots');
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('bench: --storm must be a whole number of messages');
});

it('refuses an unknown argument with the usage', () => {
  const run = bench('--jsn');
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('bench: unknown argument --jsn');
  expect(run.stderr).toContain('usage: npm run bench [-- --json]');
});

it('refuses a section name --only does not know', () => {
  const run = bench('--only=ingest,everything');
  expect(run.status).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr).toContain('bench: --only takes classifier, ingest, webchat');
});
