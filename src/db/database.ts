// Opens the database for either mode: PGlite in DATA_DIR (embedded default) or PostgreSQL
// (DATABASE_URL), migrates it, and hands out one Prisma client over the matching driver adapter.
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaPGlite } from 'pglite-prisma-adapter';
import { PrismaClient } from '../generated/prisma/client';
import { trackCommits } from './after-commit';
import { lockDataDir } from './data-dir-lock';
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
  /** Told of connections PostgreSQL closed (a restart, a failover, an administrator). */
  log?: { warn(obj: object, msg: string): void };
  /** Told of every SQL statement sent to the database, BEGIN and COMMIT included (tests count them). */
  onStatement?: (sql: string) => void;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  return opts.databaseUrl ? openPostgres(opts.databaseUrl, opts.poolSize ?? 10, opts.log, opts.onStatement) : openPglite(opts.dataDir, opts.onStatement);
}

async function openPostgres(url: string, poolSize: number, log: DatabaseOptions['log'], onStatement?: (sql: string) => void): Promise<Database> {
  const connectionLost = (err: Error) => log?.warn({ err }, 'PostgreSQL closed a connection; it will be opened again');
  const client = new pg.Client({ connectionString: url });
  // An 'error' event without a listener would end the process; the failing query reports it anyway.
  client.on('error', connectionLost);
  await client.connect().catch((err: Error) => {
    throw new Error(`Cannot connect to PostgreSQL at DATABASE_URL (${redact(url)}): ${err.message}`, { cause: err });
  });
  let migration: MigrationResult;
  try {
    migration = await migrate(pgSession(client), await readMigrations());
  } finally {
    await client.end();
  }
  // When PostgreSQL closes connections (57P01 on a restart or failover), a pg client emits 'error';
  // one that is checked out between two queries has no listener of the pool's or Prisma's then,
  // and the event would end the process. Every client gets a listener for its whole life: the
  // query that was running fails and is retried, the pool opens a new connection.
  // JIT off: the hotline's statements are small, and where the planner misjudges one (a table
  // autovacuum has not analysed yet, in a storm) compiling it cost 250 ms and more, every time.
  // A DATABASE_URL with its own `options` parameter overrides this.
  const pool = new pg.Pool({ connectionString: url, max: poolSize, options: '-c jit=off' });
  pool.on('connect', (c) => c.on('error', connectionLost));
  if (onStatement) pool.on('connect', (c) => countStatements(c, onStatement));
  pool.on('error', connectionLost);
  const prisma = new PrismaClient({ adapter: new PrismaPg(pool, { disposeExternalPool: true, statementNameGenerator: statementNames() }) });
  return wrap('postgres', prisma, migration, async () => prisma.$disconnect());
}

async function openPglite(dataDir: string, onStatement?: (sql: string) => void): Promise<Database> {
  const dir = path.join(dataDir, 'pglite');
  await mkdir(dir, { recursive: true });
  const releaseLock = await lockDataDir(dataDir);
  try {
    // A buffer pool of 16 MB instead of PostgreSQL's 128: PGlite's pool lives in WebAssembly
    // memory, which it fills at start and never gives back, while the data files it caches are
    // in the operating system's cache anyway. Bench (embedded, storm of 10,000): 330 MB resident
    // at /readyz instead of 450, a peak of 805 instead of 946, and no slower (57 s, against 61).
    const lite = await PGlite.create(dir, { startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'] });
    const migration = await migrate(liteSession(lite), await readMigrations()).catch(async (err: unknown) => {
      await lite.close();
      throw err;
    });
    const prisma = new PrismaClient({ adapter: new PrismaPGlite(onStatement ? countedLite(lite, onStatement) : lite) });
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
 * Names the statements (up to `limit` different texts), so each connection has PostgreSQL parse
 * and plan a statement once and then only binds and runs it: the hot path's statements are long
 * CTEs whose planning costs as much as running them. The limit bounds what each session keeps
 * (statements built with a varying number of parameters, `IN ($1, $2, …)`, are many texts).
 */
function statementNames(limit = 2000): (query: { sql: string }) => string {
  const names = new Map<string, string>();
  return ({ sql }) => {
    let name = names.get(sql);
    if (name === undefined) {
      if (names.size >= limit) return ''; // unnamed: parsed and planned each time
      name = `hotline_${names.size}`;
      names.set(sql, name);
    }
    return name;
  };
}

/** Reports each statement a pg client sends (the pool's queries and transactions alike go through it). */
function countStatements(client: pg.PoolClient, onStatement: (sql: string) => void): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: unknown }).query = (...args: unknown[]) => {
    const first = args[0];
    onStatement(typeof first === 'string' ? first : String((first as { text?: unknown }).text ?? ''));
    return query(...args);
  };
}

/**
 * The PGlite instance as the Prisma adapter uses it (query, exec, transaction), reporting each
 * statement; a transaction's BEGIN and COMMIT (or ROLLBACK), which PGlite sends itself, included.
 */
function countedLite(lite: PGlite, onStatement: (sql: string) => void): PGlite {
  type Tx = Parameters<Parameters<PGlite['transaction']>[0]>[0];
  const call = (target: object, key: 'query' | 'exec') => (sql: string, ...rest: unknown[]) => {
    onStatement(sql);
    return (Reflect.get(target, key) as (...a: unknown[]) => unknown).call(target, sql, ...rest);
  };
  const passThrough = (target: object, key: string | symbol): unknown => {
    const value: unknown = Reflect.get(target, key);
    return typeof value === 'function' ? value.bind(target) : value;
  };
  return new Proxy(lite, {
    get(target, key) {
      if (key === 'query' || key === 'exec') return call(target, key);
      if (key !== 'transaction') return passThrough(target, key);
      return async <T>(fn: (tx: Tx) => Promise<T>): Promise<T> => {
        onStatement('BEGIN');
        let ended = false;
        const counted = (tx: Tx): Tx =>
          new Proxy(tx, {
            get(t, k) {
              if (k === 'query' || k === 'exec') return call(t, k);
              if (k === 'rollback') return () => ((ended = true), onStatement('ROLLBACK'), t.rollback());
              return passThrough(t, k);
            },
          });
        try {
          const result = await target.transaction((tx) => fn(counted(tx)));
          if (!ended) onStatement('COMMIT');
          return result;
        } catch (err) {
          if (!ended) onStatement('ROLLBACK');
          throw err;
        }
      };
    },
  });
}

const modes = new WeakMap<Db, DbMode>();

/** What a client opened by openDatabase runs on (undefined for one made elsewhere). */
export function dbMode(db: Db): DbMode | undefined {
  return modes.get(db);
}

function wrap(mode: DbMode, prisma: Db, migration: MigrationResult, close: () => Promise<void>): Database {
  modes.set(prisma, mode);
  // Effects recorded inside transactions (live updates, jobs) run once they commit (src/db/after-commit.ts).
  trackCommits(prisma);
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

/**
 * Whether an error means the database cannot be reached right now (connection refused or closed,
 * server shutting down or starting): the request may succeed if tried again shortly.
 */
export function isDatabaseUnavailable(err: unknown): boolean {
  for (let e: unknown = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const code = String((e as { code?: unknown }).code ?? '');
    // SQLSTATE class 08 (connection exception), 57P01–57P03 (shutdown, crash, cannot connect now).
    // Prisma's own: P1001 cannot reach the server, P1002 timed out, P1017 the server closed the connection.
    if (/^08/.test(code) || /^57P0[123]$/.test(code) || /^P10(01|02|17)$/.test(code) || code === 'ECONNREFUSED' || code === 'ECONNRESET') return true;
    const message = String((e as { message?: unknown }).message ?? '');
    if (/Connection terminated|terminating connection|closed the connection|connection (is )?closed|Can't reach database server|ECONNREFUSED/i.test(message)) return true;
  }
  return false;
}

function redact(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@');
}
