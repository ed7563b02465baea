// Builds the migrated PGlite template once per run, so each test database is a folder copy.
import { rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { readMigrations } from '../../src/db/migrator';
import { TEMPLATE_DIR } from './databases';
import { writeFile, readFile } from 'node:fs/promises';
import { createHash } from 'node:crypto';

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const migrations = await readMigrations();
  const fingerprint = createHash('sha256').update(migrations.map((m) => m.checksum).join()).digest('hex');
  const stampFile = path.join(TEMPLATE_DIR, 'fingerprint');
  const current = await readFile(stampFile, 'utf8').catch(() => '');
  if (current === fingerprint && (await stat(path.join(TEMPLATE_DIR, 'pglite')).catch(() => null))) return;
  await rm(TEMPLATE_DIR, { recursive: true, force: true });
  const db = await openDatabase({ dataDir: TEMPLATE_DIR });
  await db.close();
  await writeFile(stampFile, fingerprint);
}
