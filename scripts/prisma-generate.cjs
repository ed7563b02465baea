#!/usr/bin/env node
// Generates the Prisma client offline. Prisma's CLI insists on a native schema engine that it
// would download from a host these machines cannot reach; `generate` never runs it, so any
// existing file satisfies the check. Skips the work when the schema has not changed.
const { createHash } = require('node:crypto');
const { existsSync, readFileSync, writeFileSync } = require('node:fs');
const { spawnSync } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const schema = readFileSync(path.join(root, 'prisma/schema.prisma'));
const cliVersion = require(path.join(root, 'node_modules/prisma/package.json')).version;
const stamp = createHash('sha256').update(schema).update(cliVersion).digest('hex');
const stampFile = path.join(root, 'src/generated/prisma/.schema-hash');

if (existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp && !process.argv.includes('--force')) process.exit(0);

const env = {
  ...process.env,
  PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY || process.execPath,
  PRISMA_HIDE_UPDATE_MESSAGE: '1',
  CHECKPOINT_DISABLE: '1',
};
const result = spawnSync(process.execPath, [require.resolve('prisma/build/index.js', { paths: [root] }), 'generate'], {
  cwd: root,
  env,
  stdio: 'inherit',
});
if (result.status !== 0) {
  console.error('prisma generate failed; see the output above.');
  process.exit(result.status ?? 1);
}
writeFileSync(stampFile, stamp);
