// Two processes on one embedded database folder would corrupt it: the second one is refused.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { DataDirBusyError, lockDataDir } from '../../src/db/data-dir-lock';
import { openDatabase } from '../../src/db/database';
import { freshDatabase } from '../helpers/databases';
import { describeIf, REQUIRES } from '../helpers/requires';

describeIf(REQUIRES.embedded, 'embedded database folder lock', () => {
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

describe('embedded database folder lock under a race', () => {
  // Two processes are played by two live pids: this one and the test runner's.
  const racers = [process.pid, process.ppid];

  it.each([
    ['a stale pid file', true],
    ['a fresh folder', false],
  ])('lets exactly one of two starts at the same instant in, on %s', async (_, stale) => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hotline-lock-'));
    const pidFile = path.join(dataDir, 'hotline.pid');
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    try {
      for (let round = 0; round < 20; round++) {
        if (stale) await writeFile(pidFile, String(dead));
        const results = await Promise.allSettled(racers.map((pid) => lockDataDir(dataDir, pid)));
        const won = results.filter((r) => r.status === 'fulfilled');
        const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
        expect(won).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(DataDirBusyError);
        // The file names the winner, complete.
        const holder = Number(await readFile(pidFile, 'utf8'));
        expect(racers).toContain(holder);
        await (won[0] as PromiseFulfilledResult<() => Promise<void>>).value();
        expect(existsSync(pidFile)).toBe(false);
      }
      // Nothing is left behind but what the folder had.
      expect((await readdir(dataDir)).filter((f) => f.startsWith('hotline.pid'))).toEqual([]);
    } finally {
      await rm(dataDir, { recursive: true, force: true });
    }
  });
});
