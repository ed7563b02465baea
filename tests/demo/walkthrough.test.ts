// The README's walkthrough, both ways it is told: `npm run demo` (runDemo) and the copy-paste shell
// block, run as written against a hotline with the built-in classifier and the demo data. If the
// routing rules, the classifier, the API or the README change so that the story no longer holds,
// this fails.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DEMO_ANSWER, DEMO_MESSAGE, pageText, runDemo } from '../../scripts/demo';
import { createBuiltinClassifier } from '../../src/classify/builtin';
import { ChatClient, newSession, startTestHotline, type TestHotline } from '../helpers/hotline';

const README = path.join(__dirname, '../../README.md');
const README_URL_LINE = 'H=http://localhost:3000';

/** The shell block after the walkthrough marker in the README. */
function readmeBlock(): string {
  const readme = readFileSync(README, 'utf8');
  const marker = readme.indexOf('<!-- walkthrough:');
  if (marker < 0) throw new Error('README.md lost its walkthrough marker');
  const m = /```sh\n([\s\S]*?)```/.exec(readme.slice(marker));
  if (!m) throw new Error('no ```sh block after the walkthrough marker in README.md');
  return m[1]!;
}

function bash(script: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile('bash', ['-euo', 'pipefail', '-c', script], { timeout: 60_000 }, (err, stdout, stderr) =>
      resolve({ code: err ? Number((err as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('the README walkthrough', () => {
  let t: TestHotline;
  beforeAll(async () => {
    t = await startTestHotline({ classifier: await createBuiltinClassifier() });
  });
  afterAll(async () => {
    await t.stop();
  });

  it('npm run demo: triage, the operator assigns, the ward answers in the chat, the tracking page shows it', async () => {
    const printed: string[] = [];
    const result = await runDemo(t.baseUrl, (line) => printed.push(line));

    expect(result.botReply).toContain(result.trackingCode);
    expect(result.triageReason).toContain('Trật tự đô thị, chưa rõ phường');
    expect(result.assignedTo).toBe('UBND phường Bến Thành');
    expect(result.chatAnswer).toContain(DEMO_ANSWER);
    expect(result.trackingPage).toContain('UBND phường Bến Thành');
    expect(result.trackingPage).toContain(DEMO_ANSWER);
    const ticket = await t.hotline.db.prisma.ticket.findUniqueOrThrow({ where: { trackingCode: result.trackingCode }, include: { agency: true } });
    expect(ticket).toMatchObject({ status: 'answered', topic: 'urban_order' });
    expect(ticket.agency?.slug).toBe('ubnd-phuong-ben-thanh');
    // Every step is printed, in order.
    const output = printed.join('\n');
    for (const [n, what] of [[1, DEMO_MESSAGE], [2, result.trackingCode], [3, 'triage'], [4, 'assign'], [5, DEMO_ANSWER], [6, '/t/']] as const) {
      expect(output).toMatch(new RegExp(`\\n${n}\\. [\\s\\S]*${what.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    }
  });

  it('the README’s shell commands, as written, after the message is sent in the chat', async () => {
    const block = readmeBlock();
    expect(block.startsWith(`${README_URL_LINE}\n`)).toBe(true);
    const readmeMessage = /write\s+`([^`]+)`/.exec(readFileSync(README, 'utf8'))?.[1];
    expect(readmeMessage).toBe(DEMO_MESSAGE);

    const chat = await ChatClient.connect(t, (await newSession(t)).token);
    const bot = await chat.sendAndFile('readme-1', DEMO_MESSAGE);
    const code = /\b(HCM-\d{2}-[A-Z0-9]{5})\b/.exec(String(bot.text))![1]!;

    const run = await bash(block.replace(README_URL_LINE, `H=${t.baseUrl}`));
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    const lines = run.stdout.trim().split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ trackingCode: code, status: 'assigned' });
    expect(JSON.parse(lines[1]!)).toMatchObject({ status: 'answered' });
    const tracking = JSON.parse(lines[2]!) as { trackingCode: string; agency: string; answers: Array<{ text: string }> };
    expect(tracking).toMatchObject({ trackingCode: code, agency: 'UBND phường Bến Thành' });
    expect(tracking.answers.map((a) => a.text).join('\n')).toContain('Phường đã cử tổ trật tự');
    expect(lines[3]).toBe(`Tracking page: ${t.baseUrl}/t/${code}`);

    const answer = await chat.waitFor((f) => f.type === 'message' && f.from === 'agent');
    expect(String(answer.text)).toContain('Phường đã cử tổ trật tự');
    await chat.close();
  });

  it('turns a tracking page into its text, one block a line', () => {
    expect(pageText('<html><head><title>x</title></head><body><h1>A &amp; B</h1><dl><dt>Tình trạng</dt><dd>đã có trả lời</dd></dl></body></html>')).toBe(
      'A & B\nTình trạng: đã có trả lời',
    );
  });
});
