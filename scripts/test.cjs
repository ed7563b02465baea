#!/usr/bin/env node
// `npm test`: the type checks (server and console) and the jest suites, side by side. The type
// checks take about 20 s on a fresh clone, one core; jest's first seconds build the template
// databases, so neither waits for the other. The run fails when either fails; the checks' output
// is printed after jest's, so it is not lost between test results. Arguments go to jest.
const { spawn } = require('node:child_process');
const path = require('node:path');

const root = path.resolve(__dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);

function run(command, args, opts = {}) {
  return new Promise((resolve) => {
    const child = spawn(command, args, { cwd: root, stdio: opts.capture ? ['ignore', 'pipe', 'pipe'] : 'inherit' });
    let output = '';
    if (opts.capture) {
      child.stdout.on('data', (d) => (output += d));
      child.stderr.on('data', (d) => (output += d));
    }
    child.on('error', (err) => resolve({ code: 1, output: `${output}${command}: ${err.message}\n` }));
    child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 1 : 0), output }));
  });
}

const tsc = (project, cacheName) =>
  run(bin('tsc'), ['--noEmit', '-p', project, '--incremental', '--tsBuildInfoFile', `node_modules/.cache/${cacheName}.tsbuildinfo`], { capture: true });

async function main() {
  const typeChecks = Promise.all([tsc('tsconfig.json', 'hotline-tsc'), tsc('console', 'console-tsc')]);
  const jest = run(process.execPath, [
    '--experimental-vm-modules',
    '--disable-warning=ExperimentalWarning',
    // Baseline WebAssembly code only: each test file starts its own PGlite, and re-optimising its
    // PostgreSQL cost more CPU than the tests then ran it (about 7% of the suite's CPU).
    '--liftoff-only',
    path.join(root, 'node_modules', 'jest', 'bin', 'jest.js'),
    ...process.argv.slice(2),
  ]);
  const [[server, consoleApp], tests] = await Promise.all([typeChecks, jest]);
  let failed = tests.code !== 0;
  for (const [name, check] of [['tsc (server)', server], ['tsc (console)', consoleApp]]) {
    if (check.code !== 0) {
      failed = true;
      process.stderr.write(`\n${name} failed:\n${check.output}\n`);
    }
  }
  if (!failed) process.stdout.write('\nType checks passed (server and console).\n');
  process.exit(failed ? 1 : 0);
}

main();
