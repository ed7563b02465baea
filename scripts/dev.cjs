#!/usr/bin/env node
// `npm run dev`: the server under `tsx watch` (restarts on a change to its code) beside Vite
// rebuilding the console into console/dist on every change to console/ (the server serves the
// files as they are on disk: a reload of the page shows the change). Ctrl-C stops both.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const tsx = path.join(root, 'node_modules/.bin/tsx');
const children = [
  spawn(process.execPath, [path.join(__dirname, 'build-console.cjs'), '--watch'], { cwd: root, stdio: 'inherit' }),
  spawn(tsx, ['watch', '--clear-screen=false', 'src/main.ts', ...process.argv.slice(2)], {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, CHANNEL_POLLING: process.env.CHANNEL_POLLING ?? 'true' },
  }),
];
let stopping = false;
function stop(code) {
  if (stopping) return;
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill('SIGTERM');
  process.exitCode = code;
}
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => stop(0));
// One of them ending (a crash of the watcher) ends the other: a half-running dev setup misleads.
for (const child of children) child.on('exit', (code) => stop(code ?? 0));
