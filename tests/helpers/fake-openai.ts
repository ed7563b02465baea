// A scriptable stand-in for an OpenAI-compatible server (POST /v1/chat/completions, GET /v1/models),
// so the model path of the classifier is tested over real HTTP without a model.
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface FakeReply {
  /** The assistant message content of the completion. */
  content?: string;
  /** HTTP status; anything but 200 answers with an OpenAI-style error body. */
  status?: number;
  /** Milliseconds to wait before answering. */
  delayMs?: number;
}

export interface RecordedRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined for requests without one. */
  body: any;
}

export interface FakeOpenAi {
  /** The API root to give a client, e.g. "http://127.0.0.1:41234/v1". */
  baseUrl: string;
  requests: RecordedRequest[];
  /** Sets how the following chat-completion requests are answered. */
  respond(reply: FakeReply): void;
  close(): Promise<void>;
}

export async function startFakeOpenAi(opts: { models?: string[] } = {}): Promise<FakeOpenAi> {
  const models = opts.models ?? ['fake-model'];
  const requests: RecordedRequest[] = [];
  const timers = new Set<NodeJS.Timeout>();
  let reply: FakeReply = { content: '{}' };

  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const body: unknown = raw ? JSON.parse(raw) : undefined;
      requests.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body });
      if (req.method === 'GET' && req.url === '/v1/models') return sendJson(res, 200, modelList(models));
      if (req.method !== 'POST' || req.url !== '/v1/chat/completions') return sendJson(res, 404, errorBody('Not found'));
      const current = reply;
      const timer = setTimeout(() => {
        timers.delete(timer);
        if (res.destroyed) return;
        const status = current.status ?? 200;
        if (status !== 200) return sendJson(res, status, errorBody(`Scripted status ${status}`));
        sendJson(res, 200, completion(String((body as { model?: unknown })?.model ?? ''), current.content ?? ''));
      }, current.delayMs ?? 0);
      timers.add(timer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;

  return {
    baseUrl: `http://127.0.0.1:${port}/v1`,
    requests,
    respond(next) {
      reply = next;
    },
    async close() {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
    },
  };
}

/** A base URL on which nothing listens: a port that was just open and is now closed. */
export async function closedPortBaseUrl(): Promise<string> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

function completion(model: string, content: string): object {
  return {
    id: `chatcmpl-fake-${Date.now()}`,
    object: 'chat.completion',
    created: Math.floor(Date.now() / 1000),
    model,
    choices: [{ index: 0, message: { role: 'assistant', content }, finish_reason: 'stop', logprobs: null }],
    usage: { prompt_tokens: 100, completion_tokens: 20, total_tokens: 120 },
  };
}

function modelList(ids: string[]): object {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 0, owned_by: 'fake' })) };
}

function errorBody(message: string): object {
  return { error: { message, type: 'server_error', param: null, code: null } };
}
