// The README's performance table from one `npm run bench -- --json` run:
//   npm run bench -- --json > bench.json && npx tsx scripts/bench-table.ts bench.json
// (or the JSON on stdin). Writes Markdown on stdout; a group the run did not measure is left out.
import { readFileSync } from 'node:fs';

type Value = number | string | boolean | null | undefined;
type Group = Record<string, Value>;
interface Floor {
  measured: number | null;
  limit: string;
  pass: boolean;
}
type Report = Record<string, Group>;

const CHANNELS = ['zalo_oa', 'zalo_bot', 'telegram'];
const show = (v: Value): string => (v === null || v === undefined || (typeof v === 'number' && !Number.isFinite(v)) ? '—' : typeof v === 'number' ? v.toLocaleString('en-US') : String(v));
const row = (cells: Value[]) => `| ${cells.map(show).join(' | ')} |`;
const head = (cells: string[]) => `${row(cells)}\n|${cells.map(() => '---').join('|')}|`;

export function table(report: Report): string {
  const out: string[] = [];
  const m = report.machine;
  if (m) {
    out.push(
      `Measured ${show(m.date)} on ${show(m.cores)} cores (${show(m.cpu)}), ${show(m.ramGB)} GB RAM, ${show(m.os)}, Node ${show(m.node)}, ` +
        `${m.database === 'PostgreSQL' ? `PostgreSQL ${show(m.postgres)} and Redis ${show(m.redis)} on the same machine` : show(m.postgres)}; ` +
        `commit ${show(m.commit)}; load average at start ${show(m.loadAverageAtStart)}${report.run ? `, at end ${show(report.run.loadAverageAtEnd)}; the run took ${show(report.run.seconds)} s (${show(report.run.args)})` : ''}.`,
      '',
    );
  }
  const bare = report['bare fastify (same bodies, own process)'];
  const ingest = CHANNELS.map((c) => [c, report[`webhook ingest: ${c}`]] as const).filter(([, g]) => g);
  if (bare || ingest.length > 0) {
    const nodes = ingest[0]?.[1]?.nodes;
    out.push(`**Webhook ingest**: acknowledgements/s, p50 / p99 ms, at 1, 16 and 64 in flight${nodes ? ` (${show(nodes)})` : ''}`, '');
    out.push(head(['', 'at 1', 'at 16', 'at 64', 'share of bare at 64']));
    const cells = (g: Group) => [1, 16, 64].map((c) => `${show(g[`perSecondAt${c}`])}/s, ${show(g[`p50MsAt${c}`])} / ${show(g[`p99MsAt${c}`])}`);
    if (bare) out.push(row(['bare fastify, same bodies', ...cells(bare), '100%']));
    for (const [c, g] of ingest) out.push(row([c, ...cells(g!), g!.shareOfBareAt64]));
    out.push('');
  }
  const e2e = Object.entries(report).filter(([k]) => /^end to end at \d+\/s$/.test(k));
  const held = report['end to end: highest load held'];
  if (e2e.length > 0 || held) {
    const channel = e2e[0]?.[1]?.channel ?? held?.channel;
    out.push(`**End to end** (webhook POST → reply at the platform fake, ${show(channel)}, workers on)`, '');
    out.push(head(['', 'offered', 'p50 ms', 'p99 ms', 'unanswered']));
    for (const [k, g] of e2e) out.push(row([k.replace('end to end ', ''), g.offered, g.replyP50Ms, g.replyP99Ms, g.unanswered]));
    if (held) out.push(row([`highest load with p99 < ${show(held.p99LimitMs)} ms`, held.heldPerSecond === null ? 'none held' : `${show(held.heldPerSecond)}/s`, '', '', `steps: ${show(held.steps)}`]));
    out.push('');
  }
  const storm = report.storm;
  if (storm) {
    const rss = Object.entries(storm)
      .filter(([k]) => k.startsWith('peakRssMB_'))
      .map(([k, v]) => `${k.slice('peakRssMB_'.length)} ${show(v)} MB`)
      .join(', ');
    out.push(`**Storm**: ${show(storm.messages)} messages over the three webhooks, ${show(storm.concurrency)} in flight`, '');
    out.push(head(['all acknowledged', 'all processed', 'all replies handed over', 'lost', 'sent twice', '503 retried', 'peak RSS']));
    out.push(row([`${show(storm.allAckedSeconds)} s`, `${show(storm.processedSeconds)} s`, storm.repliesHandedOverSeconds === null ? `not within the wait (${show(storm.deliveriesPendingAtEnd)} left)` : `${show(storm.repliesHandedOverSeconds)} s`, storm.lost, storm.repliesSentTwice, storm.notStoredRetried, rss]));
    const cpu = Object.entries(storm)
      .filter(([k]) => k.startsWith('cpuMsPerMessage_'))
      .map(([k, v]) => `${k.slice('cpuMsPerMessage_'.length)} ${show(v)} ms`);
    if (cpu.length > 0) out.push('', `CPU per stored message, over the storm: ${cpu.join(', ')}.`);
    out.push('');
  }
  const one = report['classifier throughput, one core'];
  const all = report['classifier throughput, all cores'];
  const start = report['start-up (spawn to /readyz)'];
  if (one || all || start) {
    out.push(head(['classifier, one core', 'classifier, all cores', 'start-up, new database', 'start-up, migrated database']));
    const startCells = start
      ? [
          Object.entries(start).filter(([k]) => k.endsWith('ReadySecondsNewDatabase')).map(([k, v]) => `${k.replace('ReadySecondsNewDatabase', '')} ${show(v)} s`).join(', '),
          Object.entries(start).filter(([k]) => k.endsWith('ReadySecondsMigratedDatabase')).map(([k, v]) => `${k.replace('ReadySecondsMigratedDatabase', '')} ${show(v)} s`).join(', '),
        ]
      : ['—', '—'];
    out.push(row([one ? `${show(one.messagesPerSecond)} msg/s` : '—', all ? `${show(all.messagesPerSecond)} msg/s (${show(all.threads)} threads)` : '—', ...startCells]));
    out.push('');
  }
  const webchat = Object.entries(report).filter(([k]) => k.startsWith('web chat: end to end at'));
  if (webchat.length > 0) {
    out.push(head(['web chat (socket → bot reply frame)', 'p50 ms', 'p99 ms']));
    for (const [k, g] of webchat) out.push(row([k.replace('web chat: end to end ', ''), g.replyP50Ms, g.replyP99Ms]));
    out.push('');
  }
  const floors = (report as unknown as { floors?: Record<string, Floor> }).floors;
  if (floors && Object.keys(floors).length > 0) {
    out.push(head(['floor (issue 12)', 'measured', 'floor', '']));
    for (const [name, f] of Object.entries(floors)) out.push(row([name, f.measured, f.limit, f.pass ? 'pass' : '**fail**']));
    out.push('');
  }
  return out.join('\n');
}

if (require.main === module) {
  const file = process.argv[2];
  const text = readFileSync(file && file !== '-' ? file : 0, 'utf8');
  process.stdout.write(table(JSON.parse(text) as Report));
}
