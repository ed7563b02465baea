// The storm: N messages offered as fast as the client can over the three webhooks, from thousands
// of people, workers on. Timed until every one was acknowledged, until every one was processed
// (no process_inbound work pending) and until every reply was handed to a platform fake (no
// deliver_outbound work pending). Then, with the hotline stopped, counted in its database: lost
// (offered − stored inbound messages, must be 0) and replies sent twice (sends the fakes accepted
// beyond the parts the hotline recorded as sent, must be 0). A 503 not_stored is delivered again
// after its Retry-After, as a platform does, and counted (it is not lost).
import { commandCpuSeconds, deploy, LoadClient, megabytes, PLATFORM_CHANNELS, round, sleep, Traffic, workCounts, type Metrics, type PlatformChannel, type PlatformFakes, type Progress, type StorageFactory } from './bench-rig';

export interface StormOptions {
  newStorage: StorageFactory;
  fakes: PlatformFakes;
  messages?: number;
  senders?: number;
  /** Deliveries in flight at once (connections). */
  concurrency?: number;
  /** How long to wait for every reply to be handed over after every message was processed. */
  replyWaitSeconds?: number;
  /** How long to wait for every message to be processed after the last was acknowledged. */
  processWaitSeconds?: number;
  progress?: Progress;
}

export async function benchStorm(opts: StormOptions): Promise<Record<string, Metrics>> {
  const progress = opts.progress ?? (() => {});
  const messages = opts.messages ?? 100_000;
  const senders = opts.senders ?? 5000;
  const concurrency = opts.concurrency ?? 192;
  progress('starting the hotline with its workers');
  const deployment = await deploy(opts.newStorage, opts.fakes, { workers: true });
  const sendsBefore = { ...opts.fakes.sendsByChannel };
  const offered: Record<PlatformChannel, number> = { zalo_oa: 0, zalo_bot: 0, telegram: 0 };
  let benchPeak = process.memoryUsage().rss;
  const benchSampler = setInterval(() => (benchPeak = Math.max(benchPeak, process.memoryUsage().rss)), 250);
  const client = new LoadClient(deployment.base, concurrency);
  const traffic = new Traffic(senders);
  const servers = deployment.storage.mode === 'pglite' ? [] : ['postgres', 'redis-server'];
  const cpuAtStart = new Map<string, number>([
    ...deployment.nodes.map((node) => [node.name, node.cpuSeconds()] as const),
    ...servers.map((comm) => [comm, commandCpuSeconds(comm)] as const),
  ]);
  const result: Metrics = { nodes: deployment.topology, database: deployment.storage.mode, messages, senders, concurrency };
  let stopped = false;
  try {
    let next = 0;
    let acked = 0;
    let notStored = 0;
    let otherRetried = 0;
    const tenth = Math.max(1, Math.floor(messages / 10));
    progress(`${messages} messages over ${PLATFORM_CHANNELS.join(', ')} from ${senders} people per channel, ${concurrency} in flight`);
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < messages) {
          const channel = PLATFORM_CHANNELS[next++ % 3]!;
          offered[channel] += 1;
          const d = traffic.make(channel);
          for (;;) {
            const answer = await client.post(d.path, d.body, d.headers).catch(() => ({ status: 0, ms: 0, retryAfterS: 1 }));
            if (answer.status === 200) break;
            if (answer.status === 503) notStored += 1;
            else otherRetried += 1;
            // As the platforms do: deliver the same update again later.
            await sleep(1000 * (answer.retryAfterS || 1));
          }
          acked += 1;
          if (acked % tenth === 0) progress(`${acked} of ${messages} acknowledged`);
        }
      }),
    );
    const allAcked = (performance.now() - started) / 1000;
    result.allAckedSeconds = round(allAcked, 1);
    result.ackedPerSecond = Math.round(messages / allAcked);
    result.notStoredRetried = notStored;
    result.otherAnswersRetried = otherRetried;
    const watch = async (kinds: string[], waitSeconds: number): Promise<number | null> => {
      const deadline = performance.now() + waitSeconds * 1000;
      let lastSaid = 0;
      for (;;) {
        const counts = await workCounts(deployment.base);
        const pending = kinds.reduce((s, k) => s + (counts[`${k}:pending`] ?? 0), 0);
        if (pending === 0) return round((performance.now() - started) / 1000, 1);
        if (performance.now() - lastSaid > 5000) {
          progress(`${kinds.join(' + ')}: ${pending} pending (${round((performance.now() - started) / 1000, 0)} s)`);
          lastSaid = performance.now();
        }
        if (performance.now() > deadline) return null;
        await sleep(250);
      }
    };
    result.processedSeconds = await watch(['process_inbound'], opts.processWaitSeconds ?? 600);
    result.repliesHandedOverSeconds = result.processedSeconds === null ? null : await watch(['deliver_outbound'], opts.replyWaitSeconds ?? 120);
    const counts = await workCounts(deployment.base);
    result.processPendingAtEnd = counts['process_inbound:pending'] ?? 0;
    result.deliveriesPendingAtEnd = counts['deliver_outbound:pending'] ?? 0;
    for (const node of deployment.nodes) result[`peakRssMB_${node.name}`] = megabytes(node.peakRssBytes());
    // CPU each process spent on the storm, per message: where the two cores went.
    for (const node of deployment.nodes) result[`cpuMsPerMessage_${node.name}`] = round((1000 * (node.cpuSeconds() - cpuAtStart.get(node.name)!)) / messages, 2);
    for (const comm of servers) result[`cpuMsPerMessage_${comm}`] = round((1000 * (commandCpuSeconds(comm) - cpuAtStart.get(comm)!)) / messages, 2);
    result.peakRssMB_bench = megabytes(benchPeak);
    progress('stopping the hotline, then counting in its database');
    await deployment.stop();
    stopped = true;
    const q = deployment.storage.query.bind(deployment.storage);
    const byChannel = async (sql: string) => Object.fromEntries((await q<{ channel: string; n: string }>(sql)).map((r) => [r.channel, Number(r.n)]));
    const stored = await byChannel(`SELECT channel::text AS channel, count(*) AS n FROM message WHERE direction = 'inbound' GROUP BY channel`);
    const parts = await byChannel(`SELECT channel::text AS channel, count(*) AS n FROM delivery_part GROUP BY channel`);
    const dead = await q<{ n: string }>(`SELECT count(*) AS n FROM outbox_job WHERE status = 'dead'`);
    const tickets = await q<{ n: string }>(`SELECT count(*) AS n FROM ticket`);
    let lost = 0;
    let twice = 0;
    let sends = 0;
    for (const channel of PLATFORM_CHANNELS) {
      lost += Math.max(0, offered[channel] - (stored[channel] ?? 0));
      const accepted = opts.fakes.sendsByChannel[channel] - sendsBefore[channel];
      sends += accepted;
      twice += Math.max(0, accepted - (parts[channel] ?? 0));
    }
    result.storedInbound = Object.values(stored).reduce((s, n) => s + n, 0);
    result.lost = lost;
    result.repliesAtFakes = sends;
    result.repliesSentTwice = twice;
    result.deadJobs = Number(dead[0]?.n ?? 0);
    result.tickets = Number(tickets[0]?.n ?? 0);
  } finally {
    clearInterval(benchSampler);
    await client.close();
    if (!stopped) await deployment.stop();
    await deployment.storage.drop();
  }
  return { storm: result };
}
