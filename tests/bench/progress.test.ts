// `npm run bench` takes minutes: it says on stderr what it measures as it goes, keeps stdout for the
// report (or only the JSON), refuses arguments it does not know, and measures a hotline running in
// processes of its own. Each section is run here at a token size; nothing here measures speed.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { benchEndToEnd } from '../../scripts/bench-e2e';
import { pgliteAt, PlatformFakes, postgresAt, type StorageFactory } from '../../scripts/bench-rig';
import { benchStorm } from '../../scripts/bench-storm';
import { table } from '../../scripts/bench-table';
import { benchWebchat } from '../../scripts/bench-webchat';
import { benchBare, benchIngest } from '../../scripts/bench-webhooks';
import { freshDatabase } from '../helpers/databases';

const root = path.resolve(__dirname, '../..');

/** The test's own databases (copies of the migrated template) instead of new ones per deployment. */
const testStorage: StorageFactory = async () => {
  const db = await freshDatabase();
  return db.env.DATABASE_URL ? postgresAt(db.env.DATABASE_URL, process.env.REDIS_URL, () => db.drop()) : pgliteAt(db.env.DATA_DIR!, () => db.drop());
};

let fakes: PlatformFakes;
beforeAll(async () => {
  fakes = await PlatformFakes.start();
});
afterAll(() => fakes.stop());

it('webhook ingest reports every channel at each concurrency beside the bare fastify, saying what it does as it goes', async () => {
  const lines: string[] = [];
  const progress = (line: string) => lines.push(line);
  const bare = await benchBare({ seconds: 0.2, concurrencies: [1, 2], progress });
  expect(bare.metrics).toMatchObject({ perSecondAt1: expect.any(Number), p99MsAt2: expect.any(Number) });
  const results = await benchIngest({ newStorage: testStorage, fakes, seconds: 0.2, concurrencies: [1, 2], progress }, bare.byConcurrency);
  expect(lines).toContain('bare fastify: 2 at a time for 0.2 s');
  for (const channel of ['zalo_oa', 'zalo_bot', 'telegram']) {
    expect(lines).toContain(`${channel}: 1 at a time for 0.2 s`);
    expect(lines).toContain(`${channel}: 2 at a time for 0.2 s`);
    expect(results[`webhook ingest: ${channel}`]).toMatchObject({ perSecondAt2: expect.any(Number), p50MsAt1: expect.any(Number), shareOfBareAt2: expect.stringMatching(/^\d+\.\d%$/) });
  }
}, 180_000);

it('end to end times messages from the webhook to the reply at the platform fake, then searches for the highest rate held', async () => {
  const lines: string[] = [];
  const results = await benchEndToEnd({ newStorage: testStorage, fakes, channel: 'telegram', rate: 4, seconds: 1, steps: [2], stepSeconds: 1, senders: 20, replyTimeoutMs: 60_000, warmUpSeconds: 0, p99LimitMs: 120_000, progress: (line) => lines.push(line) });
  expect(lines).toEqual(expect.arrayContaining(['4/s for 1 s through telegram', 'step search: 2/s for 1 s']));
  expect(results['end to end at 4/s']).toMatchObject({ offered: 4, replied: 4, unanswered: 0, replyP99Ms: expect.any(Number) });
  expect(results['end to end: highest load held']).toMatchObject({ heldPerSecond: 2 });
}, 180_000);

it('the storm counts what was stored and sent in the database: nothing lost, nothing sent twice', async () => {
  const lines: string[] = [];
  const results = await benchStorm({ newStorage: testStorage, fakes, messages: 12, senders: 4, concurrency: 4, progress: (line) => lines.push(line) });
  expect(lines).toContain('12 of 12 acknowledged');
  expect(results.storm).toMatchObject({ messages: 12, storedInbound: 12, lost: 0, repliesSentTwice: 0, repliesAtFakes: 12, processedSeconds: expect.any(Number), repliesHandedOverSeconds: expect.any(Number) });
  expect(Object.keys(results.storm!).filter((k) => k.startsWith('peakRssMB_')).length).toBeGreaterThanOrEqual(2);
  // The README's table is made from such results.
  expect(table(results)).toContain('**Storm**: 12 messages');
}, 180_000);

it('web chat end to end reports each run, the storm and memory, saying what it does as it goes', async () => {
  const lines: string[] = [];
  const results = await benchWebchat({ newStorage: testStorage, fakes, sockets: 3, ackMessages: 6, rates: [4], rateSeconds: 1, storm: 8, stormSockets: 4, progress: (line) => lines.push(line) });
  expect(lines).toEqual(
    expect.arrayContaining(['opening 4 web chat sessions', 'people at once: 6 messages from 3 people', 'end to end: 4/s for 1 s', 'storm: 8 messages from 4 people', 'storm: 8 of 8 acknowledged']),
  );
  expect(results['web chat: people writing at once']).toMatchObject({ people: 3, messages: 6, replyP99Ms: expect.any(Number) });
  expect(results['web chat: end to end at 4/s']).toMatchObject({ offered: 4, replyP99Ms: expect.any(Number) });
  expect(results['web chat: storm']).toMatchObject({ messages: 8, people: 4, lastReplySeconds: expect.any(Number) });
}, 180_000);

/** `npm run bench -- <args>`, as a new process: embedded unless this run has the servers. */
const bench = (...args: string[]) =>
  spawnSync(process.execPath, [path.join(root, 'node_modules/tsx/dist/cli.mjs'), 'scripts/bench.ts', ...args], { cwd: root, encoding: 'utf8', timeout: 120_000 });
const mode = process.env.DATABASE_URL && process.env.REDIS_URL ? [] : ['--embedded'];

it('with --json prints only the JSON on stdout, the machine and the floors with it, and its progress on stderr', () => {
  const run = bench('--json', '--only=bare', '--seconds=0.2', ...mode);
  expect(run.stderr).toContain('bench: [1/1] bare fastify…');
  expect(run.stderr).toContain('bench:   bare fastify: bare fastify: 64 at a time for 0.2 s');
  expect(run.status).toBe(0);
  const report = JSON.parse(run.stdout) as Record<string, Record<string, unknown>>;
  expect(report.machine).toMatchObject({ cores: expect.any(Number), node: process.version, postgres: expect.any(String) });
  expect(report['bare fastify (same bodies, own process)']).toMatchObject({ perSecondAt64: expect.any(Number) });
  expect(report.floors).toEqual({});
}, 150_000);

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
  expect(run.stderr).toContain('bench: --only takes bare, ingest, e2e, storm, webchat, classifier, startup');
});
