// Builds the migrated PGlite template once per set of migrations, so each test database is a folder
// copy. The folder's name carries the migrations' fingerprint and is built aside and renamed into
// place, so test runs of different checkouts on one machine never rebuild each other's template.
import { createHash } from 'node:crypto';
import { mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { readMigrations } from '../../src/db/migrator';
import { TEMPLATE_ENV, TEMPLATE_READY } from './databases';

export default async function globalSetup(): Promise<void> {
  if (process.env.DATABASE_URL) return;
  const migrations = await readMigrations();
  const fingerprint = createHash('sha256').update(migrations.map((m) => m.checksum).join()).digest('hex').slice(0, 16);
  const dir = path.join(os.tmpdir(), `hotline-test-pglite-template-${fingerprint}`);
  // Test workers are started after this and inherit the variable.
  process.env[TEMPLATE_ENV] = dir;
  if (await stat(path.join(dir, TEMPLATE_READY)).catch(() => null)) return;
  const building = await mkdtemp(`${dir}-building-`);
  try {
    const db = await openDatabase({ dataDir: building });
    await db.close();
    await writeFile(path.join(building, TEMPLATE_READY), fingerprint);
    await rm(dir, { recursive: true, force: true });
    await rename(building, dir);
  } catch (err) {
    await rm(building, { recursive: true, force: true });
    // Another run finished the same template first: use theirs.
    if (!(await stat(path.join(dir, TEMPLATE_READY)).catch(() => null))) throw err;
  }
}
