// Two processes on one embedded database folder would corrupt it: the second one is refused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { openDatabase } from '../../src/db/database';
import { freshDatabase, usingPostgres } from '../helpers/databases';

(usingPostgres() ? describe.skip : describe)('embedded database folder lock', () => {
  it('refuses a folder held by a live process and takes over one left by a dead process', async () => {
    const td = await freshDatabase();
    const dataDir = td.env.DATA_DIR!;
    const pidFile = path.join(dataDir, 'hotline.pid');
    try {
      await writeFile(pidFile, String(process.ppid)); // the test runner: alive
      await expect(openDatabase({ dataDir })).rejects.toThrow(/Another hotline process \(pid \d+\) is using the embedded database/);

      const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
      await writeFile(pidFile, String(dead));
      const db = await openDatabase({ dataDir });
      expect(await readFile(pidFile, 'utf8')).toBe(String(process.pid));
      await db.close();
      expect(existsSync(pidFile)).toBe(false);
    } finally {
      await td.drop();
    }
  });
});
