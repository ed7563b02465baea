#!/usr/bin/env node
// Builds the staff console (console/, Vite) into console/dist, which the server serves at /console.
// Runs after `npm install` and before `npm start`; skips the work when nothing it is built from
// changed (its sources, the console texts, the installed Vite). `--watch` keeps rebuilding on
// every change (`npm run dev`). Offline: Vite needs nothing but node_modules.
const { createHash } = require('node:crypto');
const { closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync, statSync, unlinkSync, writeFileSync } = require('node:fs');
const { spawnSync, spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const consoleDir = path.join(root, 'console');
const outDir = path.join(consoleDir, 'dist');
const stampFile = path.join(outDir, '.source-hash');
const vite = path.join(path.dirname(require.resolve('vite/package.json', { paths: [root] })), 'bin/vite.js');
const args = [vite, 'build', '--config', path.join(consoleDir, 'vite.config.mts'), '--logLevel', 'warn'];

if (process.argv.includes('--watch')) {
  const child = spawn(process.execPath, [...args, '--watch'], { cwd: root, stdio: 'inherit' });
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
  child.on('exit', (code) => process.exit(code ?? 0));
  return;
}

function* files(dir) {
  for (const name of readdirSync(dir).sort()) {
    if (name === 'dist' || name === 'node_modules') continue;
    const full = path.join(dir, name);
    if (statSync(full).isDirectory()) yield* files(full);
    else yield full;
  }
}

const hash = createHash('sha256');
const inputs = [...files(consoleDir), path.join(root, 'locales/vi/console.json'), path.join(root, 'locales/en/console.json'), path.join(root, 'package-lock.json')];
for (const file of inputs) hash.update(path.relative(root, file)).update('\0').update(readFileSync(file)).update('\0');
const stamp = hash.digest('hex');

const upToDate = () => existsSync(stampFile) && existsSync(path.join(outDir, 'index.html')) && readFileSync(stampFile, 'utf8') === stamp;
const force = process.argv.includes('--force');
if (!force && upToDate()) process.exit(0);

// Two test files (jest runs two at a time) or a test beside `npm start` may ask at once: one
// builds, the other waits for it and then finds the build up to date.
const lockFile = path.join(root, 'node_modules/.cache/console-build.lock');
mkdirSync(path.dirname(lockFile), { recursive: true });
const STALE_MS = 5 * 60_000;
const pause = (ms) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
for (;;) {
  try {
    closeSync(openSync(lockFile, 'wx'));
    break;
  } catch (err) {
    if (err.code !== 'EEXIST') throw err;
    // A build that died (killed mid-way) leaves its lock behind: past a build's time it is ignored.
    try {
      if (Date.now() - statSync(lockFile).mtimeMs > STALE_MS) unlinkSync(lockFile);
    } catch {
      // Released meanwhile.
    }
    pause(200);
  }
}
try {
  if (force || !upToDate()) {
    const result = spawnSync(process.execPath, args, { cwd: root, stdio: 'inherit' });
    if (result.status !== 0) {
      console.error('The console build failed; see the output above.');
      process.exitCode = result.status ?? 1;
    } else {
      writeFileSync(stampFile, stamp);
      console.log('Built the staff console into console/dist.');
    }
  }
} finally {
  unlinkSync(lockFile);
}
