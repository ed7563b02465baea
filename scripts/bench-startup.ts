// Start-up: a fresh hotline process, from spawn to GET /readyz answering 200, on a new database
// (migrations, seeding) and again on the same database, already migrated.
import { BENCH_ENV, HotlineProcess, megabytes, type Metrics, type PlatformFakes, type Progress, type Role, type StorageFactory } from './bench-rig';

export async function benchStartup(opts: { newStorage: StorageFactory; fakes: PlatformFakes; progress?: Progress }): Promise<Record<string, Metrics>> {
  const progress = opts.progress ?? (() => {});
  const storage = await opts.newStorage();
  const env = { ...BENCH_ENV, ...opts.fakes.env(), ...storage.env };
  const serving: Role = storage.mode === 'pglite' || !storage.env.REDIS_URL ? 'all' : 'api';
  const result: Metrics = { database: storage.mode };
  try {
    const time = async (label: string, role: Role) => {
      progress(`${role} node on ${label} database`);
      const { process: node, readySeconds } = await HotlineProcess.start(`startup-${role}`, role, env);
      const rss = node.rss();
      await node.stop();
      return { readySeconds, rss };
    };
    const fresh = await time('a new', serving);
    result[`${serving}ReadySecondsNewDatabase`] = fresh.readySeconds;
    const again = await time('the migrated', serving);
    result[`${serving}ReadySecondsMigratedDatabase`] = again.readySeconds;
    result[`${serving}RssAtReadyMB`] = megabytes(again.rss);
    if (serving === 'api') {
      const worker = await time('the migrated', 'worker');
      result.workerReadySecondsMigratedDatabase = worker.readySeconds;
      result.workerRssAtReadyMB = megabytes(worker.rss);
    }
  } finally {
    await storage.drop();
  }
  return { 'start-up (spawn to /readyz)': result };
}
