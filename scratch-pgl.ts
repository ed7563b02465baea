import { PGlite } from '/work/wt-speed/node_modules/@electric-sql/pglite/dist/index.cjs';
import { migrate, readMigrations } from '/work/wt-speed/src/db/migrator';
import { liteSession } from '/work/wt-speed/src/db/database';
async function main() {
  let t = performance.now();
  const a = await PGlite.create();
  console.log('create', performance.now() - t); t = performance.now();
  const b = await PGlite.create();
  console.log('create2', performance.now() - t); t = performance.now();
  const c = await a.clone();
  console.log('clone', performance.now() - t); t = performance.now();
  await migrate(liteSession(b), await readMigrations());
  console.log('migrate', performance.now() - t); t = performance.now();
  const d = await b.clone();
  console.log('clone migrated', performance.now() - t); t = performance.now();
  const blob = await a.dumpDataDir('none');
  console.log('dump', performance.now() - t); t = performance.now();
  const e = await PGlite.create({ loadDataDir: blob });
  console.log('load', performance.now() - t); t = performance.now();
  const f = await PGlite.create(process.env.HOTLINE_TPL!);
  console.log('open template dir', performance.now() - t); t = performance.now();
}
main();
