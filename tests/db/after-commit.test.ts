// Effects recorded inside a transaction (live updates, queue jobs) are handed on once it commits,
// in the order recorded, and never for a transaction that was rolled back.
import { afterCommit, onCommit, type CommitEffect } from '../../src/db/after-commit';
import { openDatabase, type Database } from '../../src/db/database';
import { freshDatabase, type TestDatabase } from '../helpers/databases';

describe('after-commit effects', () => {
  let td: TestDatabase;
  let database: Database;
  const seen: CommitEffect[][] = [];
  let stop: () => void;
  beforeAll(async () => {
    td = await freshDatabase();
    database = await openDatabase({ databaseUrl: td.env.DATABASE_URL, dataDir: td.env.DATA_DIR ?? '' });
    stop = onCommit(database.prisma, (effects) => seen.push(effects));
  });
  afterAll(async () => {
    stop();
    await database.close();
    await td.drop();
  });
  beforeEach(() => {
    seen.length = 0;
  });

  const live = (n: number): CommitEffect => ({ kind: 'live', event: { n } });

  it('hands a committed transaction’s effects on after the commit, in order', async () => {
    const result = await database.prisma.$transaction(async (tx) => {
      await tx.appSetting.create({ data: { key: 'after-commit-1', value: 'x' } });
      afterCommit(tx, live(1));
      afterCommit(tx, { kind: 'job', job: { name: 'deliver_outbound', id: 'j' } });
      afterCommit(tx, live(2));
      // Not yet: the row is not visible to anyone else until the commit.
      expect(seen).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(seen).toEqual([[live(1), { kind: 'job', job: { name: 'deliver_outbound', id: 'j' } }, live(2)]]);
  });

  it('drops the effects of a transaction that was rolled back', async () => {
    await expect(
      database.prisma.$transaction(async (tx) => {
        await tx.appSetting.create({ data: { key: 'after-commit-2', value: 'x' } });
        afterCommit(tx, live(3));
        throw new Error('rolled back');
      }),
    ).rejects.toThrow('rolled back');
    expect(seen).toEqual([]);
    expect(await database.prisma.appSetting.findUnique({ where: { key: 'after-commit-2' } })).toBeNull();
  });

  it('hands an effect recorded outside a transaction on at once, and leaves batch transactions alone', async () => {
    afterCommit(database.prisma, live(4));
    expect(seen).toEqual([[live(4)]]);
    await database.prisma.$transaction([database.prisma.appSetting.create({ data: { key: 'after-commit-3', value: 'x' } })]);
    expect(seen).toEqual([[live(4)]]);
  });
});
