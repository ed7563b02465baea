// `npm start`: the hotline with its workers, on embedded defaults unless configured otherwise.
// `npm run start:api` / `npm run start:worker` (`--role api|worker`): one of the two production roles.
import v8 from 'node:v8';
import { createHotline, type HotlineRole } from './app';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD } from './seed/demo-data';

// Under a storm the hotline allocates fast, and by default V8 lets the heap grow to about four
// times what is live before it collects it fully (the bench's storm: a worker with ~110 MB live
// grew a 450 MB heap, 700 MB resident). Growing by at most 30% keeps each process near what it
// needs, for no throughput the bench could measure. Only code can set it: NODE_OPTIONS refuses it.
v8.setFlagsFromString('--heap-growing-percent=30');

async function main(): Promise<void> {
  let config;
  try {
    config = loadConfig();
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
  // On PostgreSQL the only WebAssembly is Prisma's query compiler, a sliver of the CPU: V8's
  // optimising tier for it kept ~60 MB of compiler memory per process (bench: an idle api node
  // 247 MB resident, 184 MB without). Embedded, PGlite is PostgreSQL in WebAssembly and needs it.
  if (config.databaseUrl) v8.setFlagsFromString('--liftoff-only');
  const hotline = await createHotline({ config, role: roleFromArgs(process.argv.slice(2)) });
  const address = await hotline.listen();
  if (!config.databaseUrl && hotline.demoAccounts.length > 0) {
    const lines = hotline.demoAccounts.map((a) => `  ${a.email.padEnd(44)} ${a.role}`).join('\n');
    console.log(`\nDemo staff accounts (embedded mode only), password "${DEMO_PASSWORD}":\n${lines}\n`);
  }
  hotline.log.info({ address, publicUrl: config.publicUrl }, `Hotline is running: open ${config.publicUrl}`);
  const stop = (signal: string) => {
    hotline.log.info({ signal }, 'shutting down');
    hotline.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // npm does not pass SIGTERM on to the script it runs (npm/cli#6684): `kill <npm pid>` ends npm
  // and its shell and leaves this process running, holding the port and the embedded database.
  // When the process that started us is gone, we stop as if we had been told to.
  if (process.env.npm_lifecycle_event) {
    const parent = process.ppid;
    const orphanWatch = setInterval(() => {
      if (process.ppid === parent) return;
      clearInterval(orphanWatch);
      stop('parent process exited');
    }, ORPHAN_CHECK_MS);
    orphanWatch.unref();
  }
}

/** How often a process started by npm checks that npm is still there. */
const ORPHAN_CHECK_MS = 1_000;

main().catch((err) => {
  console.error('Hotline failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});

function roleFromArgs(args: string[]): HotlineRole {
  const i = args.findIndex((a) => a === '--role' || a.startsWith('--role='));
  if (i < 0) return 'all';
  const value = args[i]!.includes('=') ? args[i]!.split('=')[1] : args[i + 1];
  if (value === 'all' || value === 'api' || value === 'worker') return value;
  console.error(`--role must be api, worker or all (got ${JSON.stringify(value ?? '')}).`);
  process.exit(2);
}
