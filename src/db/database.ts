// Opens the database for either mode: PGlite in DATA_DIR (embedded default) or PostgreSQL
// (DATABASE_URL), migrates it, and hands out one Prisma client over the matching driver adapter.
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { migrate, readMigrations, type MigrationResult, type SqlSession } from './migrator';

export type Db = PrismaClient;
export type DbMode = 'pglite' | 'postgres';

export interface Database {
  mode: DbMode;
  prisma: Db;
  migration: MigrationResult;
  /** Cheap readiness probe; never throws. */
  ping(): Promise<{ ok: boolean; detail?: string }>;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  databaseUrl?: string;
  dataDir: string;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10) : openPglite(opts.dataDir);
}

async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const client = new pg.Client({ connectionString: url });
  await client.connect().catch((err: Error) => {
    throw new Error(`Cannot connect to PostgreSQL at DATABASE_URL (${redact(url)}): ${err.message}`, { cause: err });
  });
  let migration: MigrationResult;
  try {
    migration = await migrate(pgSession(client), await readMigrations());
  } finally {
    await client.end();
  }
  const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: url, max: poolSize }) });
  return wrap('postgres', prisma, migration, async () => prisma.$disconnect());
}

async function openPglite(dataDir: string): Promise<Database> {
  const dir = path.join(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    const lite = await PGlite.create(dir);
    const migration = await migrate(liteSession(lite), await readMigrations()).catch(async (err: unknown) => {
      await lite.close();
      throw err;
    });
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(lite) });
    return wrap('pglite', prisma, migration, async () => {
      await prisma.$disconnect();
      await lite.close();
      await releaseLock();
    });
  } catch (err) {
    await releaseLock();
    throw err;
  }
}

/**
 * PGlite does not lock its folder, and two processes writing one folder corrupt it. A pid file
 * refuses a second process while the first is alive, and is taken over from a crashed one.
 */
async function lockDataDir(dataDir: string): Promise<() => Promise<void>> {
  const file = path.join(dataDir, 'hotline.pid');
  for (;;) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    }
    const holder = Number(await readFile(file, 'utf8').catch(() => ''));
    if (holder && holder !== process.pid && isAlive(holder)) {
      throw new Error(
        `Another hotline process (pid ${holder}) is using the embedded database in ${dataDir}. Stop it first, or set DATA_DIR to another folder.`,
      );
    }
    await rm(file, { force: true });
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

function wrap(mode: DbMode, prisma: Db, migration: MigrationResult, close: () => Promise<void>): Database {
  return {
    mode,
    prisma,
    migration,
    async ping() {
      try {
        await prisma.$queryRaw`SELECT 1`;
        return { ok: true };
      } catch (err) {
        return { ok: false, detail: (err as Error).message };
      }
    },
    close,
  };
}

export function pgSession(client: pg.Client): SqlSession {
  return {
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await client.query(sql, params)).rows as R[] }),
    exec: (sql) => client.query(sql),
  };
}

export function liteSession(lite: PGlite): SqlSession {
  return {
    query: async <R>(sql: string, params?: unknown[]) => ({ rows: (await lite.query<R>(sql, params)).rows }),
    exec: (sql) => lite.exec(sql),
  };
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
