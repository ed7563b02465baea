// `npm run demo`: plays the README walkthrough through the real HTTP API and a real web chat socket
// and prints each step: a person writes, the ticket lands in the operators' triage inbox, the
// operator assigns it to a ward, the ward answers, the answer arrives in the chat, the tracking page
// shows it.
//   npm run demo                          on a throwaway embedded database (deleted afterwards)
//   npm run demo -- http://localhost:3000 against a running hotline (seeded with the demo data)
// tests/demo/walkthrough.test.ts runs the same function, so the README cannot drift from the code.
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { createHotline } from '../src/app';
import { loadConfig } from '../src/config';

/** Urban order without a ward: the routing rules send it to the operators, who know the streets. */
export const DEMO_MESSAGE = 'Quán karaoke trong hẻm 45 Lê Thánh Tôn hát ồn đến nửa đêm, cả xóm không ngủ được';
export const DEMO_WARD = 'ubnd-phuong-ben-thanh';
export const DEMO_ANSWER =
  'UBND phường Bến Thành đã cử tổ trật tự đến kiểm tra, lập biên bản và yêu cầu quán karaoke chấm dứt gây ồn sau 22 giờ.';
const PASSWORD = 'demo1022';
const TRACKING_CODE = /\b([A-Z]{2,4}-\d{2}-[23456789ABCDEFGHJKMNPQRSTVWXYZ]{5})\b/;
const WAIT_MS = 30_000;

export interface DemoResult {
  trackingCode: string;
  /** The bot's first answer in the chat. */
  botReply: string;
  triageReason: string;
  assignedTo: string;
  /** The agency's answer as it arrived in the chat. */
  chatAnswer: string;
  /** The public tracking page as text. */
  trackingPage: string;
}

type Frame = Record<string, unknown>;

/** Stops with a message naming the step, the status and the server's answer. */
async function call<T>(baseUrl: string, step: string, method: string, route: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(`${baseUrl}${route}`, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${step}: ${method} ${route} answered ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/** The person's side: a web chat socket that keeps every frame and can wait for one. */
class Chat {
  private frames: Frame[] = [];
  private waiters = new Set<() => void>();
  private constructor(private readonly ws: WebSocket) {
    ws.on('message', (data) => {
      this.frames.push(JSON.parse(String(data)) as Frame);
      for (const wake of this.waiters) wake();
    });
  }

  static open(url: string): Promise<Chat> {
    const ws = new WebSocket(url);
    return new Promise((resolve, reject) => {
      ws.once('open', () => resolve(new Chat(ws)));
      ws.once('unexpected-response', (_req, res) => reject(new Error(`web chat socket refused: HTTP ${res.statusCode}`)));
      ws.once('error', reject);
    });
  }

  send(frame: Frame): void {
    this.ws.send(JSON.stringify(frame));
  }

  waitFor(what: string, match: (f: Frame) => boolean): Promise<Frame> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const found = this.frames.find(match);
        if (!found) return;
        done();
        resolve(found);
      };
      const timer = setTimeout(() => {
        done();
        reject(new Error(`waited ${WAIT_MS / 1000} s for ${what} in the chat; frames so far: ${JSON.stringify(this.frames)}`));
      }, WAIT_MS);
      const done = () => {
        clearTimeout(timer);
        this.waiters.delete(check);
      };
      this.waiters.add(check);
      check();
    });
  }

  close(): void {
    this.ws.close();
  }
}

/** Text of an HTML page, one line per block, for printing. */
export function pageText(html: string): string {
  return html
    .replace(/<(head|style|script)[^>]*>[\s\S]*?<\/\1>/gi, '')
    .replace(/<\/dt>\s*<dd[^>]*>/gi, ': ')
    .replace(/<\/?(p|div|h\d|dt|dd|dl|nav|li|br|main)[^>]*>/gi, '\n')
    .replace(/<[^>]+>/g, ' ')
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#39;/g, "'")
    .replace(/&amp;/g, '&')
    .split('\n')
    .map((line) => line.replace(/\s+/g, ' ').trim())
    .filter(Boolean)
    .join('\n');
}

/**
 * The taps that take a report or a question straight to its ticket: no place known, no photo, no
 * phone number, send the summary, "this did not answer me". The walkthrough (and tests that only
 * need the ticket) answer the bot's questions with them.
 */
export const FILE_TAPS = [
  'report:no_place', 'report:no_photo', 'consent:no', 'form:confirm', 'online:other', 'online:no_dossier', 'online:problem_error', 'kb:no',
  'press:no_deadline', 'press:interview_no', 'press:no_card',
];

/** The tap among a reply's buttons that moves the request towards its ticket, if it has one. */
export function fileTap(frame: { buttons?: unknown }): { label: string; value: string } | null {
  const buttons = Array.isArray(frame.buttons) ? (frame.buttons as Array<{ label: string; value: string }>) : [];
  for (const value of FILE_TAPS) {
    const button = buttons.find((b) => b.value === value);
    if (button) return button;
  }
  return null;
}

/** Plays the walkthrough against a hotline seeded with the demo data; `print` gets each step. */
export async function runDemo(baseUrl: string, print: (line: string) => void = console.log): Promise<DemoResult> {
  const step = (n: number, title: string, detail: string) => print(`\n${n}. ${title}\n   ${detail.replace(/\n/g, '\n   ')}`);

  const session = await call<{ token: string }>(baseUrl, 'open a web chat session', 'POST', '/webchat/sessions', { locale: 'vi' });
  const chat = await Chat.open(`${baseUrl.replace(/^http/, 'ws')}/webchat/ws?token=${encodeURIComponent(session.token)}`);
  try {
    chat.send({ type: 'message', clientMsgId: 'demo-1', text: DEMO_MESSAGE });
    const ack = await chat.waitFor('the acknowledgement of the message', (f) => f.type === 'ack' && f.clientMsgId === 'demo-1');
    let bot = await chat.waitFor('the bot’s answer', (f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > Number(ack.seq));
    // The bot asks what a report needs (a photo, a phone number with consent) and shows a summary.
    const dialogue = [`👤 ${DEMO_MESSAGE}`];
    for (let n = 2; n < 10 && !TRACKING_CODE.test(String(bot.text)); n++) {
      const tap = fileTap(bot);
      if (!tap) break;
      dialogue.push(`🤖 ${String(bot.text).split('\n')[0]}`, `👤 [${tap.label}]`);
      chat.send({ type: 'message', clientMsgId: `demo-${n}`, text: tap.value });
      const tapped = await chat.waitFor('the acknowledgement of the answer', (f) => f.type === 'ack' && f.clientMsgId === `demo-${n}`);
      bot = await chat.waitFor('the bot’s next question', (f) => f.type === 'message' && f.from === 'bot' && Number(f.seq) > Number(tapped.seq));
    }
    step(1, 'A person writes in the web chat (POST /webchat/sessions, then the /webchat/ws socket) and answers the bot', dialogue.join('\n'));
    const botReply = String(bot.text);
    const trackingCode = TRACKING_CODE.exec(botReply)?.[1];
    if (!trackingCode) throw new Error(`the bot's answer carries no tracking code: ${botReply}`);
    step(2, `The bot answers with the tracking code ${trackingCode}`, botReply);

    const operator = await call<{ token: string }>(baseUrl, 'operator login', 'POST', '/api/auth/login', {
      email: 'operator@hotline.local',
      password: PASSWORD,
    });
    const triage = await call<{ items: Array<{ trackingCode: string; routingReason: string; agency: { name: string } | null }> }>(
      baseUrl,
      'triage inbox',
      'GET',
      `/api/tickets?status=triage&q=${trackingCode}`,
      undefined,
      operator.token,
    );
    const ticket = triage.items.find((t) => t.trackingCode === trackingCode);
    if (!ticket) throw new Error(`${trackingCode} is not in the triage inbox; the routing rules sent it elsewhere`);
    step(3, 'The ticket waits in the operators’ triage inbox (GET /api/tickets?status=triage)', `${ticket.agency?.name}: ${ticket.routingReason}`);

    const agencies = await call<Array<{ id: string; slug: string; name: string }>>(baseUrl, 'agencies', 'GET', '/api/agencies', undefined, operator.token);
    const ward = agencies.find((a) => a.slug === DEMO_WARD);
    if (!ward) throw new Error(`no agency ${DEMO_WARD}: the hotline was not seeded with the demo data (SEED_DEMO=true)`);
    const reason = 'Hẻm 45 Lê Thánh Tôn thuộc phường Bến Thành';
    await call(baseUrl, 'assign', 'POST', `/api/tickets/${trackingCode}/assign`, { agencyId: ward.id, reason }, operator.token);
    step(4, `The operator assigns it to ${ward.name} (POST /api/tickets/${trackingCode}/assign)`, reason);

    const staff = await call<{ token: string }>(baseUrl, 'ward login', 'POST', '/api/auth/login', {
      email: `${DEMO_WARD}@hotline.local`,
      password: PASSWORD,
    });
    await call(baseUrl, 'reply', 'POST', `/api/tickets/${trackingCode}/replies`, { text: DEMO_ANSWER }, staff.token);
    const answer = await chat.waitFor('the ward’s answer', (f) => f.type === 'message' && f.from === 'agent');
    const chatAnswer = String(answer.text);
    step(5, `${ward.name} answers (POST /api/tickets/${trackingCode}/replies); the answer arrives in the chat`, chatAnswer);

    const res = await fetch(`${baseUrl}/t/${trackingCode}`);
    if (!res.ok) throw new Error(`tracking page: GET /t/${trackingCode} answered ${res.status}`);
    const trackingPage = pageText(await res.text());
    step(6, `The public tracking page ${baseUrl}/t/${trackingCode}`, trackingPage);
    return { trackingCode, botReply, triageReason: ticket.routingReason, assignedTo: ward.name, chatAnswer, trackingPage };
  } finally {
    chat.close();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/** A hotline of its own on an embedded database in a temporary folder, removed afterwards. */
export async function withThrowawayHotline<T>(fn: (baseUrl: string) => Promise<T>): Promise<T> {
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'hotline-demo-'));
  const port = await freePort();
  const config = loadConfig({
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://127.0.0.1:${port}`,
    DATA_DIR: dataDir,
    SEED_DEMO: 'true',
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
  });
  console.error(`Starting a throwaway hotline on http://127.0.0.1:${port} (embedded database in ${dataDir})…`);
  const hotline = await createHotline({ config });
  try {
    await hotline.listen();
    return await fn(`http://127.0.0.1:${port}`);
  } finally {
    await hotline.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

async function main(): Promise<number> {
  const target = process.argv[2];
  if (target !== undefined && !/^https?:\/\/[^/]+/.test(target)) {
    console.error(`demo: "${target}" is not a hotline address; give one such as http://localhost:3000, or nothing for a throwaway hotline`);
    return 2;
  }
  const base = target?.replace(/\/+$/, '');
  await (base ? runDemo(base) : withThrowawayHotline((url) => runDemo(url)));
  console.log('\nDone.');
  return 0;
}

if (require.main === module) {
  main().then(
    (code) => (process.exitCode = code),
    (err: unknown) => {
      console.error(`demo failed: ${err instanceof Error ? err.message : String(err)}`);
      process.exitCode = 1;
    },
  );
}
