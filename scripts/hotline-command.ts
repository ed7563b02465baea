// The command that runs the hotline as `npm start` does (package.json's start script: the bundle
// scripts/build-server.cjs makes), for the bench and the tests that start hotlines in processes of
// their own: read from package.json, so they run what production runs. The bundle is built from
// the sources as they are now, once per process that asks (about a third of a second).
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { HotlineRole } from '../src/app';

const ROOT = path.resolve(__dirname, '..');
let built = false;

export interface HotlineCommand {
  /** The node arguments (after `node`), with `--role <role>` when given. */
  args: string[];
  /** The variables the script sets before `node` (e.g. MALLOC_ARENA_MAX). */
  env: Record<string, string>;
}

/** `npm start` as package.json's start script has it: `[NAME=value …] node <args>`. */
export function hotlineCommand(role?: HotlineRole): HotlineCommand {
  const start = (JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts.start!;
  const words = start.trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0]!)) {
    const [name, ...value] = words.shift()!.split('=');
    env[name!] = value.join('=');
  }
  if (words.shift() !== 'node') throw new Error(`package.json's start script should run node (it is "${start}")`);
  if (!built) {
    const build = spawnSync(process.execPath, [path.join(ROOT, 'scripts/build-server.cjs')], { cwd: ROOT, encoding: 'utf8' });
    if (build.status !== 0) throw new Error(`scripts/build-server.cjs failed:\n${build.stderr}`);
    built = true;
  }
  return { args: role ? [...words, '--role', role] : words, env };
}
