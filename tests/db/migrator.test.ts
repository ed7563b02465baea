// The migrator: from empty, re-run, edited migration, failing migration, and two nodes at once.
import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { liteSession, pgSession } from '../../src/db/database';
import { migrate, readMigrations, type Migration, type SqlSession } from '../../src/db/migrator';
import { emptyPgliteDir, freshPostgres, usingPostgres, type TestDatabase } from '../helpers/databases';
import { itIf, REQUIRES } from '../helpers/requires';

async function scratchMigrations(files: Record<string, string>): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'hotline-migrations-'));
  for (const [name, sql] of Object.entries(files)) {
    await mkdir(path.join(dir, name));
    await writeFile(path.join(dir, name, 'migration.sql'), sql);
  }
  return dir;
}

interface Target {
  session: SqlSession;
  second(): Promise<SqlSession & { end(): Promise<void> }>;
  end(): Promise<void>;
}

/** An empty database of the kind under test (a copy of an empty PGlite cluster, or a new PostgreSQL database). */
async function emptyTarget(): Promise<Target & { db?: TestDatabase }> {
  if (usingPostgres()) {
    const db = await freshPostgres(process.env.DATABASE_URL!, { blank: true });
    const connect = async () => {
      const c = new pg.Client({ connectionString: db.env.DATABASE_URL });
      await c.connect();
      return Object.assign(pgSession(c), { end: () => c.end() });
    };
    const first = await connect();
    return { db, session: first, second: connect, end: async () => (await first.end(), await db.drop()) };
  }
  const folder = await emptyPgliteDir();
  const lite = await PGlite.create(folder.dir);
  return {
    session: liteSession(lite),
    second: () => Promise.reject(new Error('PGlite has a single connection')),
    end: async () => (await lite.close(), await folder.drop()),
  };
}

describe('migrator', () => {
  let target: Target;
  let migrations: Migration[];
  beforeAll(async () => {
    migrations = await readMigrations();
  });
  beforeEach(async () => {
    target = await emptyTarget();
  });
  afterEach(async () => {
    await target.end();
  });

  it('applies every migration to an empty database, then nothing on a re-run', async () => {
    expect(migrations.length).toBeGreaterThan(0);
    const first = await migrate(target.session, migrations);
    expect(first.applied).toEqual(migrations.map((m) => m.name));
    const tables = await target.session.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() ORDER BY 1`,
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual(
      expect.arrayContaining(['agency', 'staff_user', 'contact', 'conversation', 'message', 'ticket', 'ticket_event', 'routing_rule', 'outbox_job', '_hotline_migrations']),
    );
    const again = await migrate(target.session, migrations);
    expect(again).toEqual({ applied: [], alreadyApplied: migrations.map((m) => m.name) });
  });

  it('refuses to run when an applied migration was edited', async () => {
    await migrate(target.session, migrations);
    const edited = migrations.map((m, i) => (i === 0 ? { ...m, checksum: 'changed' } : m));
    await expect(migrate(target.session, edited)).rejects.toThrow(/was changed after it was applied/);
  });

  it('rolls a failing migration back whole and records nothing for it', async () => {
    const dir = await scratchMigrations({
      '20990101000000_good': 'CREATE TABLE good_one (id int);',
      '20990101000001_bad': 'CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;',
    });
    try {
      await expect(migrate(target.session, await readMigrations(dir))).rejects.toThrow(/20990101000001_bad failed and was rolled back/);
      const tables = await target.session.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_name IN ('good_one', 'half_done')`,
      );
      expect(tables.rows.map((r) => r.table_name)).toEqual(['good_one']);
      const recorded = await target.session.query<{ name: string }>('SELECT name FROM "_hotline_migrations"');
      expect(recorded.rows.map((r) => r.name)).toEqual(['20990101000000_good']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  // Only PostgreSQL has several nodes; an embedded PGlite folder belongs to one process.
  itIf(REQUIRES.postgres, 'lets two nodes start together: each migration is applied exactly once', async () => {
    const other = await target.second();
    try {
      const [a, b] = await Promise.all([migrate(target.session, migrations), migrate(other, migrations)]);
      expect([...a.applied, ...b.applied].sort()).toEqual(migrations.map((m) => m.name).sort());
      expect([...a.alreadyApplied, ...b.alreadyApplied].sort()).toEqual(migrations.map((m) => m.name).sort());
    } finally {
      await other.end();
    }
  });
});
