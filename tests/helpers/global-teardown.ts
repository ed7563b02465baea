// Drops this run's PostgreSQL template database (see global-setup.ts).
import pg from 'pg';
import { PG_TEMPLATE_ENV } from './databases';

export default async function globalTeardown(): Promise<void> {
  const name = process.env[PG_TEMPLATE_ENV];
  if (!process.env.DATABASE_URL || !name) return;
  const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
