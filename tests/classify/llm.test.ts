import { createLlmClassifier } from '../../src/classify/llm';
import { INTENTS, TOPICS } from '../../src/classify/taxonomy';
import type { ClassificationResult, Classifier } from '../../src/classify/types';
import { closedPortBaseUrl, startFakeOpenAi } from '../helpers/fake-openai';
import type { FakeOpenAi } from '../helpers/fake-openai';

const BUILTIN: ClassificationResult = {
  intent: 'question',
  topic: 'general',
  confidence: 0.42,
  intentConfidence: 0.6,
  topicConfidence: 0.7,
  entities: { trackingCodes: ['HN-24-7K3Q9'], phones: ['0901234567'], addresses: [], wards: [], language: 'vi' },
  source: 'builtin',
};

function stubFallback(): Classifier & { calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    classify: async (text) => {
      calls.push(text);
      return structuredClone(BUILTIN);
    },
  };
}

function recordingLogger(): { warn(obj: object, msg: string): void; warnings: string[] } {
  const warnings: string[] = [];
  return { warnings, warn: (_obj, msg) => void warnings.push(msg) };
}

function answer(labels: object): string {
  return JSON.stringify(labels);
}

let server: FakeOpenAi;
beforeAll(async () => {
  server = await startFakeOpenAi({ models: ['qwen2.5-7b-instruct'] });
});
afterAll(async () => {
  await server.close();
});
beforeEach(() => {
  server.requests.length = 0;
});

function classifierFor(overrides: { timeoutMs?: number; model?: string | null } = {}) {
  const fallback = stubFallback();
  const logger = recordingLogger();
  const classifier = createLlmClassifier({
    baseUrl: server.baseUrl,
    apiKey: 'sk-test-key',
    ...(overrides.model === null ? {} : { model: overrides.model ?? 'test-model' }),
    timeoutMs: overrides.timeoutMs ?? 2000,
    fallback,
    logger,
  });
  return { classifier, fallback, logger };
}

describe('createLlmClassifier', () => {
  test('uses a valid answer, keeps the fallback entities, and sends the strict schema request', async () => {
    server.respond({ content: answer({ intent: 'feedback', topic: 'water_supply', confidence: 0.91 }) });
    const { classifier, fallback, logger } = classifierFor();
    const text = 'nha em mat nuoc tu sang den gio ko ai sua, sdt 0901234567';

    const result = await classifier.classify(text);

    expect(result).toEqual({
      intent: 'feedback',
      topic: 'water_supply',
      confidence: 0.91,
      intentConfidence: 0.91,
      topicConfidence: 0.91,
      entities: BUILTIN.entities,
      source: 'llm',
    });
    expect(fallback.calls).toEqual([text]);
    expect(logger.warnings).toEqual([]);

    expect(server.requests).toHaveLength(1);
    const request = server.requests[0]!;
    expect(request.method).toBe('POST');
    expect(request.url).toBe('/v1/chat/completions');
    expect(request.headers.authorization).toBe('Bearer sk-test-key');
    expect(request.body.model).toBe('test-model');
    expect(request.body.temperature).toBe(0);
    expect(request.body.response_format).toEqual({
      type: 'json_schema',
      json_schema: {
        name: 'hotline_classification',
        strict: true,
        schema: {
          type: 'object',
          additionalProperties: false,
          required: ['intent', 'topic', 'confidence'],
          properties: {
            intent: { type: 'string', enum: [...INTENTS] },
            topic: { type: 'string', enum: [...TOPICS] },
            confidence: { type: 'number', minimum: 0, maximum: 1 },
          },
        },
      },
    });
    const [system, user] = request.body.messages;
    expect(system.role).toBe('system');
    expect(system.content).toContain('service_support');
    expect(system.content).toContain('digital_services');
    expect(user).toEqual({ role: 'user', content: text });
  });

  test('truncates a very long message before sending it', async () => {
    server.respond({ content: answer({ intent: 'feedback', topic: 'environment', confidence: 0.8 }) });
    const { classifier } = classifierFor();

    await classifier.classify('rac '.repeat(5000));

    expect(server.requests[0]!.body.messages[1].content).toHaveLength(4000);
  });

  test.each([
    ['an intent outside the taxonomy', answer({ intent: 'complaint', topic: 'transport', confidence: 0.9 })],
    ['a topic outside the taxonomy', answer({ intent: 'feedback', topic: 'traffic', confidence: 0.9 })],
    ['malformed JSON', '{"intent": "feedback", "topic": "transport", '],
    ['prose instead of JSON', 'The intent is feedback and the topic is transport.'],
    ['a confidence above 1', answer({ intent: 'feedback', topic: 'transport', confidence: 1.7 })],
    ['a confidence that is not a number', answer({ intent: 'feedback', topic: 'transport', confidence: 'high' })],
    ['a missing label', answer({ intent: 'feedback', confidence: 0.9 })],
  ])('falls back to the built-in result on %s', async (_case, content) => {
    server.respond({ content });
    const { classifier, logger } = classifierFor();

    const result = await classifier.classify('duong bi ngap sau mua');

    expect(result).toEqual(BUILTIN);
    expect(logger.warnings).toHaveLength(1);
  });

  test('forces topic general when the model says status with a subject', async () => {
    server.respond({ content: answer({ intent: 'status', topic: 'transport', confidence: 0.88 }) });
    const { classifier } = classifierFor();

    const result = await classifier.classify('ho so HN-24-7K3Q9 cua toi toi dau roi');

    expect(result).toMatchObject({ intent: 'status', topic: 'general', confidence: 0.88, source: 'llm' });
  });

  test('accepts JSON wrapped in a markdown code fence', async () => {
    server.respond({ content: '```json\n' + answer({ intent: 'press', topic: 'health', confidence: 0.7 }) + '\n```' });
    const { classifier } = classifierFor();

    const result = await classifier.classify('Phong vien bao Tuoi Tre xin thong tin ve dich sot xuat huyet');

    expect(result).toMatchObject({ intent: 'press', topic: 'health', source: 'llm' });
  });

  test('falls back when the server is slower than the timeout', async () => {
    server.respond({ content: answer({ intent: 'feedback', topic: 'transport', confidence: 0.9 }), delayMs: 1500 });
    const { classifier, logger } = classifierFor({ timeoutMs: 200 });

    const result = await classifier.classify('den giao thong hong');

    expect(result).toEqual(BUILTIN);
    expect(logger.warnings).toHaveLength(1);
  });

  test('falls back on an HTTP 500', async () => {
    server.respond({ status: 500 });
    const { classifier, logger } = classifierFor();

    await expect(classifier.classify('cup dien ca khu pho')).resolves.toEqual(BUILTIN);
    expect(logger.warnings).toHaveLength(1);
  });

  test('falls back on an HTTP 401', async () => {
    server.respond({ status: 401 });
    const { classifier } = classifierFor();

    await expect(classifier.classify('cup dien ca khu pho')).resolves.toEqual(BUILTIN);
  });

  test('falls back when the connection is refused', async () => {
    const fallback = stubFallback();
    const logger = recordingLogger();
    const classifier = createLlmClassifier({ baseUrl: await closedPortBaseUrl(), model: 'test-model', fallback, logger });

    await expect(classifier.classify('xin chao')).resolves.toEqual(BUILTIN);
    expect(logger.warnings).toHaveLength(1);
  });

  test('asks the server for its model when none is configured, once', async () => {
    server.respond({ content: answer({ intent: 'other', topic: 'general', confidence: 0.99 }) });
    const { classifier } = classifierFor({ model: null });

    await classifier.classify('cam on nhieu');
    await classifier.classify('chao ban');

    const paths = server.requests.map((r) => `${r.method} ${r.url}`);
    expect(paths).toEqual(['GET /v1/models', 'POST /v1/chat/completions', 'POST /v1/chat/completions']);
    expect(server.requests[1]!.body.model).toBe('qwen2.5-7b-instruct');
  });

  test('appends /v1 to a bare origin and sends a placeholder key when none is set', async () => {
    server.respond({ content: answer({ intent: 'other', topic: 'general', confidence: 0.99 }) });
    const classifier = createLlmClassifier({
      baseUrl: server.baseUrl.replace(/\/v1$/, ''),
      model: 'test-model',
      fallback: stubFallback(),
    });

    const result = await classifier.classify('hello');

    expect(result.source).toBe('llm');
    expect(server.requests[0]!.url).toBe('/v1/chat/completions');
    expect(server.requests[0]!.headers.authorization).toBe('Bearer not-needed');
  });
});
