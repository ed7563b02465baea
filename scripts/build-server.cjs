#!/usr/bin/env node
// Bundles the server (src/main.ts and everything it imports from src/, bots/ and flows/) into
// dist/main.js, which `npm start`, `npm run start:api` and `npm run start:worker` run with plain
// node. Running the TypeScript through tsx in production cost ~50 MB of memory per process (its
// loader thread, the sources and their maps kept in memory) and a slower start. jest and `npm run
// dev` run the sources; the bench and the tests that start hotline processes run this bundle
// (scripts/hotline-command.ts). Packages stay in node_modules (not bundled). The bundle sits one
// folder below the project's root, as src/ does, so src/project-root.ts finds the project's files
// from either. It takes a fraction of a second, so it runs before every start.
const path = require('node:path');
const esbuild = require('esbuild');

const root = path.resolve(__dirname, '..');
try {
  esbuild.buildSync({
    absWorkingDir: root,
    entryPoints: ['src/main.ts'],
    outfile: 'dist/main.js',
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    packages: 'external',
    // For readable stack traces: NODE_OPTIONS=--enable-source-maps (README, Deploying).
    sourcemap: 'linked',
    logLevel: 'warning',
  });
} catch {
  // esbuild has printed what failed and where.
  console.error('Building the server into dist/main.js failed; see the errors above.');
  process.exit(1);
}
