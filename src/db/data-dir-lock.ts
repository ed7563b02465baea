// PGlite does not lock its folder, and two processes writing one folder corrupt it. The lock is a
// pid file that appears atomically (written aside, then hard-linked into place, so no reader ever
// sees it half-written) and refuses a second process while the first is alive. Taking over the file
// of a process that died is done under a second, short-lived lock, so two starts at the same instant
// cannot both decide the old file is stale, both remove it and both go on.
import { link, readFile, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';

/** A takeover lock older than this was left by a process that died in the middle of a takeover. */
const TAKEOVER_STALE_MS = 10_000;
const RETRY_MS = 20;
const MAX_TRIES = 500;

export class DataDirBusyError extends Error {
  override name = 'DataDirBusyError';
  constructor(
    readonly holder: number,
    readonly dataDir: string,
  ) {
    super(
      `Another hotline process (pid ${holder}) is using the embedded database in ${dataDir}. Stop it first, or set DATA_DIR to another folder.`,
    );
  }
}

/** Takes the folder's lock; resolves to its release. Throws DataDirBusyError while a live process holds it. */
export async function lockDataDir(dataDir: string, pid = process.pid): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'hotline.pid');
  const release = () => rm(file, { force: true });
  for (let i = 0; i < MAX_TRIES; i++) {
    if (await createExclusive(file, String(pid))) return release;
    const holder = await readPid(file);
    if (holder === pid) return release;
    if (holder !== null && isAlive(holder)) throw new DataDirBusyError(holder, dataDir);
    await removeStale(file, holder);
    await sleep(RETRY_MS);
  }
  throw new Error(`Could not lock the embedded database folder ${dataDir}: its lock file ${file} keeps changing.`);
}

/** Creates `file` with `content` only if it does not exist; the content is complete when it appears. */
async function createExclusive(file: string, content: string): Promise<boolean> {
  const aside = `${file}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(aside, content);
  try {
    await link(aside, file);
    return true;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EEXIST') return false;
    throw err;
  } finally {
    await rm(aside, { force: true });
  }
}

/** The pid in the lock file; null when the file is gone or holds no pid (left by an older version). */
async function readPid(file: string): Promise<number | null> {
  const text = await readFile(file, 'utf8').catch((err: NodeJS.ErrnoException) => {
    if (err.code === 'ENOENT') return '';
    throw err;
  });
  const pid = Number(text.trim());
  return Number.isInteger(pid) && pid > 0 ? pid : null;
}

/** Removes the lock file of a dead process, unless someone else replaced it meanwhile. */
async function removeStale(file: string, stalePid: number | null): Promise<void> {
  const takeover = `${file}.takeover`;
  if (!(await createExclusive(takeover, String(process.pid)))) {
    const age = await stat(takeover).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age > TAKEOVER_STALE_MS) await rm(takeover, { force: true });
    return;
  }
  try {
    // Under the takeover lock nobody else removes the file; it may only have been created anew.
    if ((await readPid(file)) === stalePid) await rm(file, { force: true });
  } finally {
    await rm(takeover, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
