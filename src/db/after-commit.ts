// What a transaction makes happen once it has committed: live updates for the console, queue jobs
// for work it stored. Code deep inside a transaction (opening a ticket, moving a status, storing a
// message) records them on its `tx`; they run only if and after the transaction commits, so
// nobody is told of a ticket that was rolled back, and no caller has to carry them up by hand.
import type { Db } from './database';

/** Something to do after commit, handled by the sinks the hotline registered (src/app.ts). */
export type CommitEffect = { kind: 'live'; event: object } | { kind: 'job'; job: { name: string; id: string } };
export type CommitSink = (effects: CommitEffect[]) => void;

interface Client {
  $transaction: (...args: never[]) => Promise<unknown>;
}

/** The effects waiting for each open interactive transaction, by its transaction client. */
const pending = new WeakMap<object, CommitEffect[]>();
/** Where each database client's committed effects go. */
const sinks = new WeakMap<object, CommitSink[]>();

/**
 * Records an effect of the transaction `tx`. Given the root client (no transaction), the write
 * it follows is already committed and the effect is handed on at once; on a client nobody
 * registered a sink for (a script, a test without a hotline) it is dropped.
 */
export function afterCommit(tx: object, effect: CommitEffect): void {
  const list = pending.get(tx);
  if (list) list.push(effect);
  else for (const sink of sinks.get(tx) ?? []) runSink(sink, [effect]);
}

/**
 * Makes `db.$transaction(async (tx) => …)` keep the effects recorded on `tx` and hand them to the
 * sinks once it resolves (a transaction that throws was rolled back: they are dropped).
 */
export function trackCommits(db: Db): void {
  const client = db as unknown as Client;
  const original = client.$transaction.bind(db) as (arg: unknown, options?: unknown) => Promise<unknown>;
  const wrapped = async (arg: unknown, options?: unknown) => {
    // The batch form ([query, query]) runs no code of ours in between: nothing to keep.
    if (typeof arg !== 'function') return original(arg, options);
    const effects: CommitEffect[] = [];
    const result = await original(async (tx: object) => {
      pending.set(tx, effects);
      return (arg as (tx: object) => Promise<unknown>)(tx);
    }, options);
    if (effects.length > 0) for (const sink of sinks.get(db) ?? []) runSink(sink, effects);
    return result;
  };
  client.$transaction = wrapped as unknown as Client['$transaction'];
}

/** Registers where the committed effects of `db` go; returns the function that removes it. */
export function onCommit(db: Db, sink: CommitSink): () => void {
  const list = sinks.get(db) ?? [];
  list.push(sink);
  sinks.set(db, list);
  return () => {
    const at = list.indexOf(sink);
    if (at >= 0) list.splice(at, 1);
  };
}

function runSink(sink: CommitSink, effects: CommitEffect[]): void {
  try {
    sink(effects);
  } catch {
    // A sink handles its own failures (the hotline's logs them); the commit itself stands.
  }
}
