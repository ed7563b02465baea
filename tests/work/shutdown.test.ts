// Stopping the hotline while a browser is connected: SIGTERM tells every web chat socket "going
// away" (1001, so the widget reconnects to the next process), finishes and exits within seconds, and
// a restart on the same data at once works. Through `npm start` too, although npm does not pass
// the signal on to the script it runs.
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import path from 'node:path';
import WebSocket from 'ws';
import { freshDatabase, type TestDatabase } from '../helpers/databases';
import { freePort } from '../helpers/free-port';
import { eventually, hotlineProcessCommand, testEnv } from '../helpers/hotline';

const ROOT = path.join(__dirname, '../..');
/** Exiting takes well under a second here; the bound only keeps a hung process from passing. */
const EXIT_WITHIN_MS = 10_000;

jest.setTimeout(120_000);

interface Started {
  child: ChildProcess;
  baseUrl: string;
  exited: Promise<number | null>;
  output: () => string;
}

async function start(command: string, args: string[], env: Record<string, string>): Promise<Started> {
  const port = await freePort();
  const child = spawn(command, args, {
    cwd: ROOT,
    env: { ...process.env, ...env, PORT: String(port), LOG_LEVEL: 'info' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout!.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const baseUrl = `http://127.0.0.1:${port}`;
  await eventually(async () => {
    if (child.exitCode !== null) throw new Error(`the hotline exited (${child.exitCode}) while starting:\n${output}`);
    return fetch(`${baseUrl}/healthz`).then((r) => r.ok, () => false);
  }, 90_000);
  return { child, baseUrl, exited, output: () => output };
}

async function openChat(baseUrl: string): Promise<{ ws: WebSocket; closed: Promise<number> }> {
  const res = await fetch(`${baseUrl}/webchat/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  const { token } = (await res.json()) as { token: string };
  const ws = new WebSocket(`${baseUrl.replace('http', 'ws')}/webchat/ws?token=${token}`);
  const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
  await once(ws, 'open');
  return { ws, closed };
}

const answers = (baseUrl: string) => fetch(`${baseUrl}/healthz`).then(() => true, () => false);

describe('shutdown with browsers connected', () => {
  let db: TestDatabase;
  let env: Record<string, string>;
  const children: ChildProcess[] = [];
  beforeAll(async () => {
    db = await freshDatabase();
    env = testEnv(db);
  });
  afterAll(async () => {
    for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
    await db?.drop();
  });

  it('closes sockets with 1001, exits within seconds, and a restart on the same data works at once', async () => {
    const command = hotlineProcessCommand();
    const first = await start(process.execPath, command.args, { ...env, ...command.env });
    children.push(first.child);
    const chat = await openChat(first.baseUrl);
    first.child.kill('SIGTERM');
    expect(await chat.closed).toBe(1001);
    const code = await Promise.race([first.exited, new Promise((r) => setTimeout(() => r('still running'), EXIT_WITHIN_MS))]);
    expect(code).toBe(0);
    if (db.env.DATA_DIR) expect(existsSync(path.join(db.env.DATA_DIR, 'hotline.pid'))).toBe(false);

    const second = await start(process.execPath, command.args, { ...env, ...command.env });
    children.push(second.child);
    second.child.kill('SIGTERM');
    expect(await second.exited).toBe(0);
  });

  it('stops when npm, which ran it, is told to stop', async () => {
    const viaNpm = await start('npm', ['start', '--silent'], env);
    children.push(viaNpm.child);
    const chat = await openChat(viaNpm.baseUrl);
    viaNpm.child.kill('SIGTERM'); // npm itself; the hotline is its grandchild
    expect(await chat.closed).toBe(1001);
    await eventually(async () => !(await answers(viaNpm.baseUrl)), EXIT_WITHIN_MS);
    if (db.env.DATA_DIR) await eventually(async () => !existsSync(path.join(db.env.DATA_DIR!, 'hotline.pid')), EXIT_WITHIN_MS);
  });
});
