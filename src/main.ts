// `npm start`: the hotline with its workers, on embedded defaults unless configured otherwise.
import { createHotline } from './app';
import { ConfigError, loadConfig } from './config';
import { DEMO_PASSWORD } from './seed/demo-data';

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
  const hotline = await createHotline({ config });
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
}

main().catch((err) => {
  console.error('Hotline failed to start:', err instanceof Error ? err.message : err);
  process.exit(1);
});
