// Performance numbers, one named section each; add a section to measure something new.
//   npm run bench            readable report
//   npm run bench -- --json  one JSON object: { section name: { metric: value } }
//   npm run bench -- --storm=20000   the web chat storm's size (default 2,000 messages)
//   npm run bench -- --only=ingest   only the sections named so (classifier, ingest, webchat; comma-separated)
// What is being measured is said on stderr as it starts (the whole run takes minutes), so stdout
// holds only the report, or only the JSON.
import { classifyText } from '../src/classify/builtin';
import { CORPUS_DIR, readCorpus } from '../src/classify/corpus';
import { loadModel, trainFromCorpus } from '../src/classify/model-store';
import { benchWebchat } from './bench-webchat';
import { benchWebhooks } from './bench-webhooks';

type Metrics = Record<string, number | string>;

type Progress = (line: string) => void;

interface BenchmarkSection {
  name: string;
  run(progress: Progress): Promise<Metrics> | Metrics;
}

/** A section that reports several named result groups (one per channel, say). */
interface BenchmarkGroup {
  group: string;
  run(progress: Progress): Promise<Record<string, Metrics>>;
}

const megabytes = (bytes: number): number => Math.round(bytes / 1e5) / 10;
const round = (x: number, digits = 1): number => Number(x.toFixed(digits));

const classifierLoad: BenchmarkSection = {
  name: 'classifier model load',
  run() {
    const before = process.memoryUsage();
    const loaded = loadModel();
    const after = process.memoryUsage();
    return {
      origin: loaded.origin === 'file' ? 'generated file' : 'trained in-process (no current file)',
      milliseconds: round(loaded.milliseconds),
      features: loaded.model.vocabulary.size,
      heapMB: megabytes(after.heapUsed),
      heapGrowthMB: megabytes(after.heapUsed - before.heapUsed),
      rssMB: megabytes(after.rss),
    };
  },
};

/**
 * Messages per second on this thread (one core), after a warm-up pass, over the corpus texts repeated:
 * by the clock, and by this process's CPU time (what the clock shows when no other process competes).
 */
const classifierThroughput: BenchmarkSection = {
  name: 'classifier throughput',
  run() {
    const texts = readCorpus().examples.map((e) => e.text);
    for (const text of texts) classifyText(text);
    let messages = 0;
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    while (performance.now() - started < 3000) {
      for (const text of texts) classifyText(text);
      messages += texts.length;
    }
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    const huge = 'đèn đường hư '.repeat(8000).slice(0, 100_000);
    const hugeStarted = performance.now();
    classifyText(huge);
    return {
      messagesPerSecond: Math.round(messages / seconds),
      messagesPerCpuSecond: Math.round(messages / cpuSeconds),
      microsecondsPerMessage: round((1e6 * seconds) / messages),
      distinctTexts: texts.length,
      meanChars: Math.round(texts.reduce((s, t) => s + t.length, 0) / Math.max(texts.length, 1)),
      hundredThousandCharsMs: round(performance.now() - hugeStarted, 2),
      rssMB: megabytes(process.memoryUsage().rss),
    };
  },
};

const classifierTraining: BenchmarkSection = {
  name: 'classifier training',
  run(progress) {
    const started = performance.now();
    const { model, examples } = trainFromCorpus(CORPUS_DIR, progress);
    return {
      seconds: round((performance.now() - started) / 1000, 2),
      examples,
      features: model.vocabulary.size,
      rssMB: megabytes(process.memoryUsage().rss),
    };
  },
};

const webhookIngest: BenchmarkGroup = {
  group: 'webhook ingest',
  run: (progress) => benchWebhooks({ progress }),
};

const webchatLoad = (storm: number): BenchmarkGroup => ({
  group: 'web chat end to end',
  run: (progress) => benchWebchat({ storm, progress }),
});

const USAGE = 'usage: npm run bench [-- --json] [-- --storm=<messages>] [-- --only=classifier,ingest,webchat]';

/** The names `--only` takes, for the sections they select. */
const SECTION_KINDS = ['classifier', 'ingest', 'webchat'] as const;
type SectionKind = (typeof SECTION_KINDS)[number];

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const stormArg = args.find((a) => a.startsWith('--storm='));
  const storm = stormArg ? Number(stormArg.slice('--storm='.length)) : 2000;
  const onlyArg = args.find((a) => a.startsWith('--only='));
  const only = onlyArg ? onlyArg.slice('--only='.length).split(',').filter(Boolean) : [...SECTION_KINDS];
  const unknown = args.filter((a) => a !== '--json' && a !== stormArg && a !== onlyArg);
  if (unknown.length > 0) {
    console.error(`bench: unknown argument ${unknown.join(' ')}\n${USAGE}`);
    return 2;
  }
  if (!Number.isInteger(storm) || storm < 1) {
    console.error(`bench: --storm must be a whole number of messages, 1 or more (got ${stormArg})\n${USAGE}`);
    return 2;
  }
  const unknownKinds = only.filter((k) => !(SECTION_KINDS as readonly string[]).includes(k));
  if (only.length === 0 || unknownKinds.length > 0) {
    console.error(`bench: --only takes ${SECTION_KINDS.join(', ')} (got ${onlyArg})\n${USAGE}`);
    return 2;
  }
  const json = args.includes('--json');
  const ALL: Array<[SectionKind, BenchmarkSection | BenchmarkGroup]> = [
    ['classifier', classifierLoad],
    ['classifier', classifierThroughput],
    ['classifier', classifierTraining],
    ['ingest', webhookIngest],
    ['webchat', webchatLoad(storm)],
  ];
  const SECTIONS = ALL.filter(([kind]) => only.includes(kind)).map(([, section]) => section);
  const began = performance.now();
  const elapsed = () => `${((performance.now() - began) / 1000).toFixed(0)} s`;
  const results: Record<string, Metrics> = {};
  const print = (name: string, metrics: Metrics) => {
    results[name] = metrics;
    if (json) return;
    console.log(name);
    for (const [metric, value] of Object.entries(metrics)) console.log(`  ${metric.padEnd(24)} ${value}`);
  };
  for (const [i, section] of SECTIONS.entries()) {
    const title = 'group' in section ? section.group : section.name;
    console.error(`bench: [${i + 1}/${SECTIONS.length}] ${title}… (${elapsed()})`);
    const progress: Progress = (line) => console.error(`bench:   ${title}: ${line} (${elapsed()})`);
    if ('group' in section) for (const [name, metrics] of Object.entries(await section.run(progress))) print(name, metrics);
    else print(section.name, await section.run(progress));
  }
  console.error(`bench: done in ${elapsed()}`);
  if (json) console.log(JSON.stringify(results, null, 2));
  return 0;
}

main().then(
  (code) => (process.exitCode = code),
  (err: unknown) => {
    console.error('bench failed:', err instanceof Error ? err.message : err);
    process.exitCode = 1;
  },
);
