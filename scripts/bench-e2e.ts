// End to end through a platform webhook, workers on: each message timed from the start of its
// webhook POST to its reply arriving at the platform fake (inbound → stored → classified → ticket
// or conversation step → reply handed to the platform). Offered at a fixed rate (open loop: the
// next message goes out when it is due, whether or not earlier ones were answered), from thousands
// of people, each with at most one message waiting for its reply (so a reply is that message's).
// Then a step search: rising offered rates, stopping at the first whose p99 is not under 100 ms.
import { deploy, drained, LoadClient, round, sleep, Traffic, type Metrics, type PlatformChannel, type PlatformFakes, type Progress, type Reply, type StorageFactory } from './bench-rig';

export interface EndToEndOptions {
  newStorage: StorageFactory;
  fakes: PlatformFakes;
  /** The webhook the messages come through. */
  channel?: PlatformChannel;
  /** The fixed offered load (messages a second) and for how long. */
  rate?: number;
  seconds?: number;
  /** Offered rates of the step search, each for `stepSeconds`; [] skips the search. */
  steps?: number[];
  stepSeconds?: number;
  /** p99 a step must stay under to count as held. */
  p99LimitMs?: number;
  senders?: number;
  /** A message whose reply has not come after this long counts as unanswered (p99 then fails). */
  replyTimeoutMs?: number;
  /** Seconds at 25/s first, not counted (JIT, connections, prepared statements); 0 skips it. */
  warmUpSeconds?: number;
  progress?: Progress;
}

export interface OfferedRun {
  offered: number;
  replied: number;
  unanswered: number;
  /** Due but every person still waited for a reply: the hotline had fallen that far behind. */
  notOfferedAllBusy: number;
  notStoredRetried: number;
  /** Messages the webhook refused for good (any answer but 200 or a 503 to retry). */
  refused: number;
  replyP50Ms: number | null;
  replyP99Ms: number | null;
  ackP99Ms: number | null;
}

const finite = (x: number, digits = 1): number | null => (Number.isFinite(x) ? round(x, digits) : null);

function pct(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

/** Offers `rate` messages a second for `seconds` and waits for every reply (or its timeout). */
export async function offer(
  client: LoadClient,
  fakes: PlatformFakes,
  traffic: Traffic,
  channel: PlatformChannel,
  opts: { rate: number; seconds: number; senders: number; replyTimeoutMs: number },
): Promise<OfferedRun> {
  const waiting = new Map<string, { started: number; sender: number }>();
  const free: number[] = Array.from({ length: opts.senders }, (_, i) => i);
  const replies: number[] = [];
  const acks: number[] = [];
  let unanswered = 0;
  let notOffered = 0;
  let notStored = 0;
  let refused = 0;
  const previous = fakes.onReply;
  fakes.onReply = (reply: Reply) => {
    if (reply.channel !== channel) return;
    const w = waiting.get(reply.chat);
    if (!w) return;
    waiting.delete(reply.chat);
    replies.push(reply.at - w.started);
    free.push(w.sender);
  };
  const sweeper = setInterval(() => {
    const now = performance.now();
    for (const [chat, w] of waiting) {
      if (now - w.started < opts.replyTimeoutMs) continue;
      waiting.delete(chat);
      unanswered += 1;
      free.push(w.sender);
    }
  }, 200);
  const posts: Promise<void>[] = [];
  const send = async (d: ReturnType<Traffic['make']>): Promise<void> => {
    for (;;) {
      const answer = await client.post(d.path, d.body, d.headers).catch(() => ({ status: 0, ms: 0, retryAfterS: 1 }));
      if (answer.status === 200) return void acks.push(answer.ms);
      if (answer.status === 503) {
        notStored += 1;
        await sleep(1000 * (answer.retryAfterS || 1));
        continue;
      }
      refused += 1;
      if (waiting.delete(d.chat)) unanswered += 1;
      return;
    }
  };
  const total = Math.round(opts.rate * opts.seconds);
  const t0 = performance.now();
  let sent = 0;
  while (sent < total) {
    const due = Math.min(total, Math.floor(((performance.now() - t0) * opts.rate) / 1000) + 1);
    for (; sent < due; sent++) {
      const sender = free.shift();
      if (sender === undefined) {
        notOffered += 1;
        continue;
      }
      const d = traffic.make(channel, sender);
      waiting.set(d.chat, { started: performance.now(), sender });
      posts.push(send(d));
    }
    await sleep(1);
  }
  await Promise.all(posts);
  while (waiting.size > 0) await sleep(50);
  clearInterval(sweeper);
  fakes.onReply = previous;
  const all = [...replies, ...Array.from({ length: unanswered }, () => Infinity)].sort((a, b) => a - b);
  acks.sort((a, b) => a - b);
  return {
    offered: total - notOffered,
    replied: replies.length,
    unanswered,
    notOfferedAllBusy: notOffered,
    notStoredRetried: notStored,
    refused,
    replyP50Ms: finite(pct(all, 50)),
    replyP99Ms: finite(pct(all, 99)),
    ackP99Ms: finite(pct(acks, 99), 2),
  };
}

export async function benchEndToEnd(opts: EndToEndOptions): Promise<Record<string, Metrics>> {
  const progress = opts.progress ?? (() => {});
  const channel = opts.channel ?? 'zalo_bot';
  const rate = opts.rate ?? 500;
  const seconds = opts.seconds ?? 10;
  const steps = opts.steps ?? [50, 100, 200, 300, 500, 750, 1000, 1500, 2000];
  const stepSeconds = opts.stepSeconds ?? 5;
  const limit = opts.p99LimitMs ?? 100;
  const senders = opts.senders ?? 5000;
  const replyTimeoutMs = opts.replyTimeoutMs ?? 10_000;
  progress('starting the hotline with its workers');
  const deployment = await deploy(opts.newStorage, opts.fakes, { workers: true });
  const results: Record<string, Metrics> = {};
  const client = new LoadClient(deployment.base, 256);
  const traffic = new Traffic(senders);
  const settle = async () => {
    // What one run left behind (late replies, retries) must not be timed in the next.
    if (!(await drained(deployment.base, ['process_inbound', 'deliver_outbound'], 60_000))) progress('work still pending after 60 s; going on');
  };
  const common = { nodes: deployment.topology, database: deployment.storage.mode, channel };
  try {
    const warmUp = opts.warmUpSeconds ?? 2;
    if (warmUp > 0) {
      progress(`warm-up: ${warmUp} s at 25/s through ${channel}`);
      await offer(client, opts.fakes, traffic, channel, { rate: 25, seconds: warmUp, senders, replyTimeoutMs });
      await settle();
    }
    progress(`${rate}/s for ${seconds} s through ${channel}`);
    const fixed = await offer(client, opts.fakes, traffic, channel, { rate, seconds, senders, replyTimeoutMs });
    results[`end to end at ${rate}/s`] = { ...common, offeredPerSecond: rate, seconds, ...fixed };
    await settle();
    let held: number | null = null;
    let firstFailed: number | null = null;
    const tried: string[] = [];
    for (const step of steps) {
      progress(`step search: ${step}/s for ${stepSeconds} s`);
      const run = await offer(client, opts.fakes, traffic, channel, { rate: step, seconds: stepSeconds, senders, replyTimeoutMs });
      const ok = run.replyP99Ms !== null && run.replyP99Ms < limit && run.notOfferedAllBusy === 0;
      tried.push(`${step}/s p99 ${run.replyP99Ms ?? '∞'} ms`);
      progress(`step search: ${step}/s p99 ${run.replyP99Ms ?? 'no reply'} ms (${ok ? 'held' : 'not held'})`);
      await settle();
      if (!ok) {
        firstFailed = step;
        break;
      }
      held = step;
    }
    if (steps.length > 0) {
      results['end to end: highest load held'] = {
        ...common,
        p99LimitMs: limit,
        stepSeconds,
        heldPerSecond: held,
        firstNotHeldPerSecond: firstFailed,
        steps: tried.join('; '),
      };
    }
  } finally {
    await client.close();
    await deployment.stop();
    await deployment.storage.drop();
  }
  return results;
}
