// Web chat under load, the whole way: a hotline with its workers on (classifier, conversation,
// tickets, delivery), driven over real sockets as browsers would.
// - people at once: many sockets, each person writing their next message as soon as the bot
//   answered the last one (a message is acknowledged once stored and committed);
// - end to end: messages offered at a fixed rate, each timed from sending to the bot's first reply
//   frame on its socket;
// - storm: a burst of messages from many people at once, timed until every one was acknowledged,
//   until the last person got the reply to their last message, and until no work was left; with
//   each hotline process's peak resident memory (the hotline runs in processes of its own).
// The deployment is the bench's (scripts/bench-rig.ts): api + worker nodes on PostgreSQL + Redis, or
// one all-in-one node embedded.
import WebSocket from 'ws';
import { deploy, httpGet, megabytes, percentile, workCounts, type Metrics, type PlatformFakes, type StorageFactory } from './bench-rig';

const TEXTS = [
  'Đèn đường trước số 12 Lê Lợi bị hư 3 hôm nay',
  'cho em hoi thu tuc dang ky tam tru can giay to gi a',
  'Rác tồn đọng ở hẻm 45 Nguyễn Trãi, bốc mùi quá',
  'nuoc may nha toi bi duc tu sang den gio',
  'Yêu cầu của tôi đến đâu rồi?',
];

const REPLY_TIMEOUT_MS = 120_000;

const ms = (x: number): number => Number(x.toFixed(1));

interface Frame {
  type: string;
  from?: string;
  seq?: number;
  clientMsgId?: string;
  code?: string;
}

/** One person's browser: sends a message, then waits for its ack and for the bot's first reply after it. */
class Person {
  private waiting: { clientMsgId: string; ackSeq?: number; onAck(seq: number): void; onReply(): void; onError(err: Error): void } | null = null;
  private count = 0;

  private constructor(
    private readonly ws: WebSocket,
    private readonly id: number,
  ) {
    ws.on('message', (data) => this.onFrame(JSON.parse(data.toString()) as Frame));
  }

  static async join(base: string, id: number): Promise<Person> {
    const res = await fetch(`${base}/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json', connection: 'close' }, body: '{"locale":"vi"}' });
    if (res.status !== 200) throw new Error(`web chat session: ${res.status} ${await res.text()}`);
    const { token } = (await res.json()) as { token: string };
    const ws = new WebSocket(`${base.replace(/^http/, 'ws')}/webchat/ws?token=${encodeURIComponent(token)}`);
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    return new Person(ws, id);
  }

  get busy(): boolean {
    return this.waiting !== null;
  }

  /** Resolves `acked` when stored, `replied` when the bot's first reply to it arrives. */
  send(): { acked: Promise<number>; replied: Promise<number> } {
    if (this.waiting) throw new Error('one message at a time per person');
    const started = performance.now();
    const clientMsgId = `b${this.id}-${this.count++}`;
    let ackResolve!: (v: number) => void;
    let replyResolve!: (v: number) => void;
    let ackReject!: (err: Error) => void;
    let replyReject!: (err: Error) => void;
    const acked = new Promise<number>((resolve, reject) => ((ackResolve = resolve), (ackReject = reject)));
    const replied = new Promise<number>((resolve, reject) => ((replyResolve = resolve), (replyReject = reject)));
    // A hotline that never answers fails the bench with a reason instead of hanging it.
    const timer = setTimeout(() => this.waiting?.onError(new Error(`no reply to ${clientMsgId} within ${REPLY_TIMEOUT_MS / 1000} s`)), REPLY_TIMEOUT_MS);
    void replied.then(() => clearTimeout(timer), () => clearTimeout(timer));
    // The reply is awaited later (or never, in the end-to-end run's last round); a failure is reported through the ack.
    replied.catch(() => undefined);
    this.waiting = {
      clientMsgId,
      onAck: (seq) => {
        this.waiting!.ackSeq = seq;
        ackResolve(performance.now() - started);
      },
      onReply: () => {
        this.waiting = null;
        replyResolve(performance.now() - started);
      },
      onError: (err) => {
        this.waiting = null;
        ackReject(err);
        replyReject(err);
      },
    };
    this.ws.send(JSON.stringify({ type: 'message', clientMsgId, text: TEXTS[this.count % TEXTS.length] }));
    return { acked, replied };
  }

  close(): void {
    this.ws.close();
  }

  private onFrame(frame: Frame): void {
    const w = this.waiting;
    if (!w) return;
    if (frame.type === 'ack' && frame.clientMsgId === w.clientMsgId && typeof frame.seq === 'number') w.onAck(frame.seq);
    else if (frame.type === 'message' && frame.from === 'bot' && w.ackSeq !== undefined && (frame.seq ?? 0) > w.ackSeq) w.onReply();
    else if (frame.type === 'error') w.onError(new Error(`web chat error frame: ${JSON.stringify(frame)}`));
  }
}

async function pendingWork(base: string): Promise<number> {
  const counts = await workCounts(base);
  return Object.entries(counts).reduce((s, [k, n]) => s + (k.endsWith(':pending') ? n : 0), 0);
}

export interface WebchatBenchOptions {
  sockets?: number;
  ackMessages?: number;
  /** Offered rates (messages per second) for the end-to-end runs, each for `rateSeconds`. */
  rates?: number[];
  rateSeconds?: number;
  /** Messages in the storm, spread over `stormSockets` people. */
  storm?: number;
  stormSockets?: number;
  progress?: (line: string) => void;
  newStorage: StorageFactory;
  fakes: PlatformFakes;
}

export async function benchWebchat(opts: WebchatBenchOptions): Promise<Record<string, Metrics>> {
  const progress = opts.progress ?? (() => {});
  const sockets = opts.sockets ?? 100;
  const ackMessages = opts.ackMessages ?? 2000;
  const rates = opts.rates ?? [50, 200, 500];
  const rateSeconds = opts.rateSeconds ?? 10;
  const storm = opts.storm ?? 2000;
  const stormSockets = opts.stormSockets ?? 200;
  progress('starting the hotline with its workers');
  const deployment = await deploy(opts.newStorage, opts.fakes, { workers: true });
  const results: Record<string, Metrics> = {};
  const people: Person[] = [];
  try {
    const base = deployment.base;
    results['web chat: start'] = { nodes: deployment.topology, database: deployment.storage.mode, ...Object.fromEntries(Object.entries(deployment.readySeconds).map(([role, s]) => [`${role}ReadySeconds`, s])) };
    const need = Math.max(sockets, stormSockets);
    progress(`opening ${need} web chat sessions`);
    for (let i = 0; i < need; i++) people.push(await Person.join(base, i));
    const rssIdle = Object.fromEntries(deployment.nodes.map((n) => [n.name, n.rss()]));

    // People at once: each of `sockets` people writes again as soon as the bot answered.
    progress(`people at once: ${ackMessages} messages from ${sockets} people`);
    const ackTimes: number[] = [];
    const replyTimes: number[] = [];
    let sent = 0;
    const ackStarted = performance.now();
    await Promise.all(
      people.slice(0, sockets).map(async (person) => {
        while (sent < ackMessages) {
          sent += 1;
          const { acked, replied } = person.send();
          ackTimes.push(await acked);
          replyTimes.push(await replied); // one message at a time per person, as a person writes
        }
      }),
    );
    const ackSeconds = (performance.now() - ackStarted) / 1000;
    ackTimes.sort((a, b) => a - b);
    replyTimes.sort((a, b) => a - b);
    results['web chat: people writing at once'] = {
      people: sockets,
      messages: ackMessages,
      messagesPerSecond: Math.round(ackMessages / ackSeconds),
      ackP50Ms: ms(percentile(ackTimes, 50)),
      ackP99Ms: ms(percentile(ackTimes, 99)),
      replyP50Ms: ms(percentile(replyTimes, 50)),
      replyP99Ms: ms(percentile(replyTimes, 99)),
    };

    // End to end at fixed offered rates: a message goes to the next person who is not waiting.
    for (const rate of rates) {
      progress(`end to end: ${rate}/s for ${rateSeconds} s`);
      const total = rate * rateSeconds;
      const times: Promise<number>[] = [];
      let notOffered = 0;
      const t0 = performance.now();
      for (let i = 0; i < total; i++) {
        const due = t0 + (i * 1000) / rate;
        const wait = due - performance.now();
        if (wait > 1) await new Promise((r) => setTimeout(r, wait));
        const person = people.find((p) => !p.busy);
        if (!person) {
          notOffered += 1;
          continue;
        }
        times.push(person.send().replied);
      }
      const rateTimes = (await Promise.all(times)).sort((a, b) => a - b);
      results[`web chat: end to end at ${rate}/s`] = {
        offered: total,
        // Every person was still waiting for the reply to their last message: the hotline fell behind.
        notOfferedAllBusy: notOffered,
        replyP50Ms: ms(percentile(rateTimes, 50)),
        replyP99Ms: ms(percentile(rateTimes, 99)),
      };
    }

    // Storm: every person writes at once, message after message, as fast as each is stored.
    progress(`storm: ${storm} messages from ${stormSockets} people`);
    const healthTimes: number[] = [];
    let probing = true;
    const prober = (async () => {
      // Is the node still answering its health check during the backlog?
      while (probing) {
        const t = performance.now();
        await httpGet(`${base}/healthz`);
        healthTimes.push(performance.now() - t);
        await new Promise((r) => setTimeout(r, 200));
      }
    })();
    const stormStarted = performance.now();
    let stormSent = 0;
    let acked = 0;
    const lastReplies: Promise<number>[] = [];
    const quarter = Math.max(1, Math.floor(storm / 4));
    await Promise.all(
      people.slice(0, stormSockets).map(async (person) => {
        let last: Promise<number> | null = null;
        while (stormSent < storm) {
          stormSent += 1;
          await last; // the reply of the previous one first: a person is one conversation, in order
          const { acked: a, replied } = person.send();
          await a;
          acked += 1;
          if (acked % quarter === 0) progress(`storm: ${acked} of ${storm} acknowledged`);
          last = replied;
        }
        if (last) lastReplies.push(last);
      }),
    );
    const allAcked = (performance.now() - stormStarted) / 1000;
    await Promise.all(lastReplies);
    const lastReply = (performance.now() - stormStarted) / 1000;
    while ((await pendingWork(base)) > 0) await new Promise((r) => setTimeout(r, 200));
    const drained = (performance.now() - stormStarted) / 1000;
    probing = false;
    await prober;
    healthTimes.sort((a, b) => a - b);
    results['web chat: storm'] = {
      messages: storm,
      people: stormSockets,
      allAckedSeconds: Number(allAcked.toFixed(1)),
      lastReplySeconds: Number(lastReply.toFixed(1)),
      workDrainedSeconds: Number(drained.toFixed(1)),
      healthzP99Ms: ms(percentile(healthTimes, 99)),
      healthzMaxMs: ms(healthTimes[healthTimes.length - 1] ?? NaN),
      ...Object.fromEntries(deployment.nodes.flatMap((n) => [[`rssIdleMB_${n.name}`, megabytes(rssIdle[n.name] ?? 0)], [`rssPeakMB_${n.name}`, megabytes(n.peakRssBytes())]])),
    };
  } finally {
    for (const person of people) person.close();
    await deployment.stop();
    await deployment.storage.drop();
  }
  return results;
}
