// Builds the test database templates once, so each test database is a copy instead of an initdb,
// a migration run and a seeding (argon2 hashes of every demo account) of its own.
// Embedded: two PGlite folders, kept in the temp folder across runs: an empty initialised cluster
// (for the migrator's tests) and a migrated and seeded one. Their names carry a fingerprint of
// PGlite's version, the migrations and the seed data, and each is built aside and renamed into
// place, so test runs of different checkouts on one machine never rebuild each other's template.
// PostgreSQL (DATABASE_URL): a migrated and seeded template database for this run, dropped by
// global-teardown.ts; fresh databases are created from it.
import { createHash, randomBytes } from 'node:crypto';
import { appendFile, cp, mkdtemp, readFile, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { openDatabase } from '../../src/db/database';
import { readMigrations } from '../../src/db/migrator';
import { seedKnowledgeBase } from '../../src/knowledge/seed';
import { seedAgenciesAndRules, seedDemoStaff } from '../../src/seed/seed';
import { EMPTY_TEMPLATE_ENV, PG_TEMPLATE_ENV, TEMPLATE_ENV, TEMPLATE_READY } from './databases';

const ROOT = path.resolve(__dirname, '../..');
const SEED_DIR = path.join(ROOT, 'src/seed');
/** Seed data outside SEED_DIR that the template holds too. */
const OTHER_SEED_FILES = ['src/knowledge/entries.ts', 'src/knowledge/seed.ts'].map((f) => path.join(ROOT, f));
/**
 * Settings of every test cluster. A test database holds a few MB, and PostgreSQL sets up (and
 * PGlite, in WebAssembly, clears) all of its shared buffers at each start: 128 MB by default made
 * opening a test database take 0.4 s of CPU, 16 MB about 0.25 s.
 */
const TEST_SETTINGS = '\n# Test clusters (tests/helpers/global-setup.ts)\nshared_buffers = 16MB\n';

export default async function globalSetup(): Promise<void> {
  // Test workers are started after this and inherit the variables.
  if (process.env.DATABASE_URL) {
    process.env[PG_TEMPLATE_ENV] = await buildPostgresTemplate(process.env.DATABASE_URL);
    return;
  }
  const pgliteVersion = JSON.parse(await readFile(path.join(ROOT, 'node_modules/@electric-sql/pglite/package.json'), 'utf8')).version as string;
  const empty = await buildOnce(path.join(os.tmpdir(), `hotline-test-pglite-empty-${fingerprint([pgliteVersion, TEST_SETTINGS])}`), async (dir) => {
    const lite = await PGlite.create(path.join(dir, 'pglite'));
    await lite.close();
    await appendFile(path.join(dir, 'pglite', 'postgresql.conf'), TEST_SETTINGS);
  });
  process.env[EMPTY_TEMPLATE_ENV] = empty;

  const migrations = await readMigrations();
  const seedFiles = (await readdir(SEED_DIR)).filter((f) => f.endsWith('.ts')).sort();
  const seeds = await Promise.all([...seedFiles.map((f) => path.join(SEED_DIR, f)), ...OTHER_SEED_FILES].map((f) => readFile(f, 'utf8')));
  const print = fingerprint([pgliteVersion, TEST_SETTINGS, ...migrations.map((m) => m.checksum), ...seeds]);
  process.env[TEMPLATE_ENV] = await buildOnce(path.join(os.tmpdir(), `hotline-test-pglite-template-${print}`), async (dir) => {
    await cp(empty, dir, { recursive: true, filter: (src) => path.basename(src) !== TEMPLATE_READY });
    const db = await openDatabase({ dataDir: dir });
    try {
      await seedAgenciesAndRules(db.prisma);
      await seedDemoStaff(db.prisma);
      await seedKnowledgeBase(db.prisma);
    } finally {
      await db.close();
    }
  });
}

function fingerprint(parts: string[]): string {
  return createHash('sha256').update(parts.join('\n')).digest('hex').slice(0, 16);
}

/** Builds the folder `dir` with `build` unless a finished one is there; returns `dir`. */
async function buildOnce(dir: string, build: (building: string) => Promise<void>): Promise<string> {
  if (await stat(path.join(dir, TEMPLATE_READY)).catch(() => null)) return dir;
  const building = await mkdtemp(`${dir}-building-`);
  try {
    await build(building);
    await writeFile(path.join(building, TEMPLATE_READY), path.basename(dir));
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    // Another run finished the same template first: use theirs.
    if (!(await stat(path.join(dir, TEMPLATE_READY)).catch(() => null))) throw err;
  }
  return dir;
}

async function buildPostgresTemplate(baseUrl: string): Promise<string> {
  const name = `hotline_tpl_${randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: baseUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE "${name}"`);
  } finally {
    await admin.end();
  }
  const url = new URL(baseUrl);
  url.pathname = `/${name}`;
  const db = await openDatabase({ databaseUrl: url.toString(), dataDir: '', poolSize: 1 });
  try {
    await seedAgenciesAndRules(db.prisma);
    await seedDemoStaff(db.prisma);
    await seedKnowledgeBase(db.prisma);
  } finally {
    // CREATE DATABASE ... TEMPLATE refuses a template with open connections.
    await db.close();
  }
  return name;
}
