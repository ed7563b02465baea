// A Redis of a test's own (Debian's redis-server on a free port), which the test may kill and start
// again without disturbing the Redis the rest of the suite shares.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import Redis from 'ioredis';
import { freePort } from './free-port';
import { eventually } from './hotline';
import type { Requirement } from './requires';

export const HAVE_REDIS_SERVER = spawnSync('redis-server', ['--version']).status === 0;
if (!HAVE_REDIS_SERVER) {
  console.warn('Skipping the Redis outage tests: redis-server is not installed (apt-get install redis-server).');
}
/** For describeIf: suites that start and kill a Redis of their own. */
export const REDIS_SERVER: Requirement = {
  met: HAVE_REDIS_SERVER,
  reason: 'Redis outage suites skipped: redis-server is not installed (apt-get install redis-server)',
};

export class OwnRedis {
  private child: ChildProcess | null = null;

  private constructor(readonly port: number) {}

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  static async start(): Promise<OwnRedis> {
    const redis = new OwnRedis(await freePort());
    await redis.restart();
    return redis;
  }

  /** Starts it (again) on the same port, empty, and waits until it answers. */
  async restart(): Promise<void> {
    if (this.child) throw new Error('this Redis is already running');
    this.child = spawn('redis-server', ['--port', String(this.port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], {
      stdio: 'ignore',
    });
    await eventually(async () => {
      const client = new Redis(this.url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
      try {
        await client.connect();
        return (await client.ping()) === 'PONG';
      } catch {
        return false;
      } finally {
        client.disconnect();
      }
    });
  }

  /** Kills it at once, as a crash or an out-of-memory kill would. */
  async kill(): Promise<void> {
    const child = this.child;
    if (!child) return;
    this.child = null;
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await once(child, 'exit');
    }
  }
}
