// Applies prisma/migrations/<timestamp>_<name>/migration.sql in order, one transaction per file,
// recorded in a tracking table, under an advisory lock so nodes starting together do not race.
// (`prisma migrate` needs a schema engine that cannot be downloaded on offline machines.)
import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { inProject } from '../project-root';

/** The smallest surface both drivers share: pg.Client and PGlite. */
export interface SqlSession {
  query<R = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<{ rows: R[] }>;
  /** Runs a script of several statements. */
  exec(sql: string): Promise<unknown>;
}

export interface Migration {
  name: string;
  sql: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: string[];
}

export const DEFAULT_MIGRATIONS_DIR = inProject('prisma', 'migrations');
// Any constant works; it only has to be the same on every node of one deployment.
const LOCK_KEY = 1022_2026;

export async function readMigrations(dir = DEFAULT_MIGRATIONS_DIR): Promise<Migration[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const names = entries
    .filter((e) => e.isDirectory() && /^\d{14}_[a-z0-9_]+$/.test(e.name))
    .map((e) => e.name)
    .sort();
  return Promise.all(
    names.map(async (name) => {
      const sql = await readFile(path.join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    }),
  );
}

export async function migrate(session: SqlSession, migrations: Migration[]): Promise<MigrationResult> {
  await session.query('SELECT pg_advisory_lock($1)', [LOCK_KEY]);
  try {
    await session.exec(`CREATE TABLE IF NOT EXISTS "_hotline_migrations" (
      "name" TEXT PRIMARY KEY,
      "checksum" TEXT NOT NULL,
      "applied_at" TIMESTAMPTZ NOT NULL DEFAULT now()
    )`);
    const { rows } = await session.query<{ name: string; checksum: string }>(
      'SELECT name, checksum FROM "_hotline_migrations"',
    );
    const done = new Map(rows.map((r) => [r.name, r.checksum]));
    const result: MigrationResult = { applied: [], alreadyApplied: [] };
    for (const m of migrations) {
      const recorded = done.get(m.name);
      if (recorded !== undefined) {
        if (recorded !== m.checksum) {
          throw new Error(
            `Migration ${m.name} was changed after it was applied. Never edit an applied migration: add a new one.`,
          );
        }
        result.alreadyApplied.push(m.name);
        continue;
      }
      await applyOne(session, m);
      result.applied.push(m.name);
    }
    return result;
  } finally {
    await session.query('SELECT pg_advisory_unlock($1)', [LOCK_KEY]);
  }
}

async function applyOne(session: SqlSession, m: Migration): Promise<void> {
  await session.exec('BEGIN');
  try {
    await session.exec(m.sql);
    await session.query('INSERT INTO "_hotline_migrations" (name, checksum) VALUES ($1, $2)', [m.name, m.checksum]);
    await session.exec('COMMIT');
  } catch (err) {
    await session.exec('ROLLBACK');
    throw new Error(`Migration ${m.name} failed and was rolled back: ${(err as Error).message}`, { cause: err });
  }
}
