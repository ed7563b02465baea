// Webhook ingest: how many platform deliveries a hotline node verifies, stores (message + work
// record, committed) and acknowledges per second, at 1, 16 and 64 deliveries in flight, and how
// long each acknowledgement takes. Beside it, in the same run and with the same client and bodies,
// a bare fastify in a process of its own: what the machine allows for this shape of request.
// With PostgreSQL + Redis the node is an `api` role node (no workers: the webhook path alone);
// embedded, the one all-in-one node has its workers on (the output says which).
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { closedLoop, deploy, LoadClient, PLATFORM_CHANNELS, ROOT, Traffic, type ClosedLoopResult, type Metrics, type PlatformChannel, type PlatformFakes, type Progress, type StorageFactory } from './bench-rig';

export interface IngestOptions {
  newStorage: StorageFactory;
  fakes: PlatformFakes;
  /** Measured seconds at each concurrency (after a one-second warm-up). */
  seconds?: number;
  concurrencies?: number[];
  senders?: number;
  progress?: Progress;
}

const DEFAULT_CONCURRENCIES = [1, 16, 64];

function flatten(byConcurrency: Map<number, ClosedLoopResult>): Metrics {
  const out: Metrics = {};
  for (const [c, r] of byConcurrency) {
    out[`perSecondAt${c}`] = r.perSecond;
    out[`p50MsAt${c}`] = r.p50Ms;
    out[`p99MsAt${c}`] = r.p99Ms;
  }
  return out;
}

/** The bare fastify, in its own process, driven with the three platforms' bodies in turn. */
export async function benchBare(opts: Omit<IngestOptions, 'newStorage' | 'fakes'> = {}): Promise<{ name: string; metrics: Metrics; byConcurrency: Map<number, ClosedLoopResult> }> {
  const progress = opts.progress ?? (() => {});
  const concurrencies = opts.concurrencies ?? DEFAULT_CONCURRENCIES;
  const seconds = opts.seconds ?? 5;
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/bench-bare-fastify.ts'], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  const exited = once(child, 'exit');
  try {
    const [line] = (await Promise.race([once(child.stdout!, 'data'), exited.then(() => Promise.reject(new Error('bare fastify exited before listening')))])) as [Buffer];
    const origin = line.toString().trim();
    const traffic = new Traffic(opts.senders ?? 5000);
    let n = 0;
    const byConcurrency = new Map<number, ClosedLoopResult>();
    for (const concurrency of concurrencies) {
      progress(`bare fastify: ${concurrency} at a time for ${seconds} s`);
      const client = new LoadClient(origin, concurrency);
      try {
        byConcurrency.set(concurrency, await closedLoop(client, () => traffic.make(PLATFORM_CHANNELS[n++ % 3]!), { concurrency, seconds, label: 'bare fastify' }));
      } finally {
        await client.close();
      }
    }
    return { name: 'bare fastify (same bodies, own process)', metrics: { pid: child.pid ?? -1, seconds, ...flatten(byConcurrency) }, byConcurrency };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

export async function benchIngest(opts: IngestOptions, bare: Map<number, ClosedLoopResult> | null): Promise<Record<string, Metrics>> {
  const progress = opts.progress ?? (() => {});
  const concurrencies = opts.concurrencies ?? DEFAULT_CONCURRENCIES;
  const seconds = opts.seconds ?? 5;
  progress('starting the hotline (workers off where the topology allows)');
  const deployment = await deploy(opts.newStorage, opts.fakes, { workers: false });
  const results: Record<string, Metrics> = {};
  try {
    const traffic = new Traffic(opts.senders ?? 5000);
    const top = Math.max(...concurrencies);
    for (const channel of PLATFORM_CHANNELS as PlatformChannel[]) {
      const byConcurrency = new Map<number, ClosedLoopResult>();
      for (const concurrency of concurrencies) {
        progress(`${channel}: ${concurrency} at a time for ${seconds} s`);
        const client = new LoadClient(deployment.base, concurrency);
        try {
          byConcurrency.set(concurrency, await closedLoop(client, () => traffic.make(channel), { concurrency, seconds, label: `${channel} webhook` }));
        } finally {
          await client.close();
        }
      }
      const at = byConcurrency.get(top)!;
      const bareAt = bare?.get(top);
      results[`webhook ingest: ${channel}`] = {
        nodes: deployment.topology,
        database: deployment.storage.mode,
        seconds,
        ...flatten(byConcurrency),
        [`shareOfBareAt${top}`]: bareAt ? `${((100 * at.perSecond) / bareAt.perSecond).toFixed(1)}%` : 'n/a',
        notStoredRetried: [...byConcurrency.values()].reduce((s, r) => s + r.notStoredRetried, 0),
        rssMB: Math.round(deployment.nodes[0]!.peakRssBytes() / 1e5) / 10,
      };
    }
  } finally {
    await deployment.stop();
    await deployment.storage.drop();
  }
  return results;
}
