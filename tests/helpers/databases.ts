// Fresh, isolated databases for tests, migrated and seeded with the demo data. PGlite: a copy of a
// template folder (initdb takes seconds; a copy does not). PostgreSQL (DATABASE_URL set): a new
// database per call, copied from a template database, dropped after. Templates: global-setup.ts.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { statfsSync } from 'node:fs';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { openDatabase, type Database } from '../../src/db/database';

/** Set by global-setup.ts to the migrated and seeded template folder of this run's migrations. */
export const TEMPLATE_ENV = 'HOTLINE_TEST_PGLITE_TEMPLATE';
/** Set by global-setup.ts to a folder holding an initialised, empty PGlite cluster in pglite/. */
export const EMPTY_TEMPLATE_ENV = 'HOTLINE_TEST_PGLITE_EMPTY';
/** Set by global-setup.ts (DATABASE_URL) to the name of the migrated and seeded template database. */
export const PG_TEMPLATE_ENV = 'HOTLINE_TEST_PG_TEMPLATE';
/** Written last into a finished template folder. */
export const TEMPLATE_READY = 'template-ready';

/**
 * Where test database folders go: memory (tmpfs) when it has room, since a test database is a
 * 39 MB copy that lives for one test file (copying it to disk took twice as long); else the temp
 * folder (a container's /dev/shm is often 64 MB).
 */
const SCRATCH = ((): string => {
  try {
    const fs = statfsSync('/dev/shm');
    if (fs.bavail * fs.bsize >= 2 ** 30) return '/dev/shm';
  } catch {
    // No /dev/shm here.
  }
  return os.tmpdir();
})();

export interface TestDatabase {
  /** Environment for loadConfig: DATA_DIR or DATABASE_URL. */
  env: Record<string, string>;
  drop(): Promise<void>;
}

export function usingPostgres(): boolean {
  return Boolean(process.env.DATABASE_URL);
}

export async function freshDatabase(): Promise<TestDatabase> {
  return usingPostgres() ? freshPostgres(process.env.DATABASE_URL!) : freshPglite();
}

/**
 * A fresh database opened directly (no hotline), for tests of the storage itself. `close` closes
 * it and drops it; a test that closes `database` itself can hand `testDatabase` to a hotline.
 */
/** A fresh database opened; `onStatement` hears every SQL statement the driver sends (statement-count tests). */
export async function openFreshDatabase(opts: { onStatement?: (sql: string) => void } = {}): Promise<{ database: Database; testDatabase: TestDatabase; close(): Promise<void> }> {
  const td = await freshDatabase();
  const database = await openDatabase({ databaseUrl: td.env.DATABASE_URL, dataDir: td.env.DATA_DIR ?? '', onStatement: opts.onStatement });
  return {
    database,
    testDatabase: td,
    async close() {
      await database.close();
      await td.drop();
    },
  };
}

async function freshPglite(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(SCRATCH, 'hotline-test-'));
  const template = process.env[TEMPLATE_ENV];
  const hasTemplate = template ? await stat(path.join(template, TEMPLATE_READY)).then(() => true, () => false) : false;
  // Without a template (a run without the global setup), the hotline migrates the empty folder itself.
  if (template && hasTemplate) {
    await copyFolder(template, dataDir);
    // A template is never opened by a hotline; should one have been, its lock file stays behind.
    await rm(path.join(dataDir, 'hotline.pid'), { force: true });
  }
  return { env: { DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

/**
 * An empty PGlite cluster folder (copied from the template; initdb without one), for tests of the
 * migrator. Open it with `new PGlite(dir)`.
 */
export async function emptyPgliteDir(): Promise<{ dir: string; drop(): Promise<void> }> {
  const dir = await mkdtemp(path.join(SCRATCH, 'hotline-test-empty-'));
  const template = process.env[EMPTY_TEMPLATE_ENV];
  if (template && (await stat(path.join(template, TEMPLATE_READY)).then(() => true, () => false))) {
    await copyFolder(path.join(template, 'pglite'), dir);
  }
  return { dir, drop: () => rm(dir, { recursive: true, force: true }) };
}

const execFileAsync = promisify(execFile);

/**
 * Copies the contents of folder `from` into the existing folder `to`. A cluster is about a thousand
 * files: `cp` copies them for a hundredth of the CPU time fs.cp takes (about 0.4 s for each test
 * file's database); fs.cp where there is no `cp`.
 */
async function copyFolder(from: string, to: string): Promise<void> {
  try {
    await execFileAsync('cp', ['-R', `${from}/.`, to]);
  } catch {
    await cp(from, to, { recursive: true, force: true });
  }
}

/** A new PostgreSQL database; empty (`blank`), or a copy of the run's template when there is one. */
export async function freshPostgres(baseUrl: string, opts: { blank?: boolean } = {}): Promise<TestDatabase> {
  const name = `hotline_t_${randomBytes(6).toString('hex')}`;
  const template = opts.blank ? undefined : process.env[PG_TEMPLATE_ENV];
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"${template ? ` TEMPLATE "${template}"` : ''}`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  return {
    env: { DATABASE_URL: url.toString() },
    async drop() {
      const c = new pg.Client({ connectionString: baseUrl });
      await c.connect();
      try {
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      } finally {
        await c.end();
      }
    },
  };
}
