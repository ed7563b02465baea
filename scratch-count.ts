import { mkdtempSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from './src/db/database';
import { storeInbound as after } from './src/messages/store';
import { storeInbound as before } from '/tmp/ingest-before/src/messages/store';

async function main() {
  const statements: string[] = [];
  const database = await openDatabase({ databaseUrl: process.env.COUNT_DB, dataDir: mkdtempSync(path.join(os.tmpdir(), 'count-')), onStatement: (s) => statements.push(s) });
  const db = database.prisma;
  let n = 0;
  const msg = (user: string) => ({ channel: 'telegram' as const, channelUserId: user, externalId: `c-${++n}`, text: 'xin chào', attachments: [], sentAt: new Date(), displayName: 'Lan' });
  for (const [label, store] of [['before', before], ['after', after]] as const) {
    const measure = async (what: string, count: number, users: (i: number) => string) => {
      const from = statements.length;
      await Promise.all(Array.from({ length: count }, (_, i) => store(db as never, msg(users(i)) as never)));
      const sql = statements.slice(from);
      console.log(`${label.padEnd(7)} ${what.padEnd(40)} statements ${String(sql.length).padStart(4)}  per message ${(sql.length / count).toFixed(2)}  transactions ${sql.filter((s) => /^BEGIN/i.test(s.trim())).length}`);
    };
    await measure('1 message, new person', 1, () => `${label}-solo`);
    await measure('1 message, known person', 1, () => `${label}-solo`);
    await measure('50 at once, 50 new people', 50, (i) => `${label}-p${i}`);
    await measure('50 at once, same 50 people', 50, (i) => `${label}-p${i}`);
    await measure('50 at once, 5 people', 50, (i) => `${label}-q${i % 5}`);
  }
  await database.close();
}
main();
