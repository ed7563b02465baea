// Fresh, isolated databases for tests. PGlite: a copy of a migrated template folder (initdb takes
// seconds; a copy does not). PostgreSQL (DATABASE_URL set): a new database per call, dropped after.
import { randomBytes } from 'node:crypto';
import { cp, mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

export const TEMPLATE_DIR = path.join(os.tmpdir(), 'hotline-test-pglite-template');

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

async function freshPglite(): Promise<TestDatabase> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hotline-test-'));
  const hasTemplate = await stat(path.join(TEMPLATE_DIR, 'pglite')).then(() => true, () => false);
  if (hasTemplate) await cp(TEMPLATE_DIR, dataDir, { recursive: true });
  return { env: { DATA_DIR: dataDir }, drop: () => rm(dataDir, { recursive: true, force: true }) };
}

async function freshPostgres(baseUrl: string): Promise<TestDatabase> {
  const name = `hotline_t_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
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
