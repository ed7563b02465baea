// The optional model path of the classifier: asks an OpenAI-compatible chat-completions endpoint
// (vLLM, llama.cpp server, Ollama, or a cloud API) for intent, topic and confidence, and keeps the
// built-in classifier as the fallback and as the source of entities. The model can only choose among
// the taxonomy's labels: anything else, a timeout or an HTTP error gives the built-in result unchanged.
import OpenAI from 'openai';
import { INTENTS, TOPICS, isIntent, isTopic } from './taxonomy';
import type { Intent, Topic } from './taxonomy';
import type { ClassificationResult, Classifier } from './types';

export interface LlmClassifierOptions {
  /** The API root, e.g. "http://llm.internal:8000/v1"; a bare origin gets "/v1" appended. */
  baseUrl: string;
  /** Sent as a bearer token; self-hosted servers usually need none. */
  apiKey?: string;
  /** The served model name; when omitted, the first model the server lists at GET /models. */
  model?: string;
  /** Budget for the whole model call, in milliseconds. */
  timeoutMs?: number;
  /** The built-in classifier: always run, for entities and whenever the model's answer is unusable. */
  fallback: Classifier;
  logger?: { warn(obj: object, msg: string): void };
}

const DEFAULT_TIMEOUT_MS = 4000;
const MAX_TEXT_CHARS = 4000;
const LABELS_WITHOUT_SUBJECT: readonly Intent[] = ['status', 'other'];

export const CLASSIFICATION_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['intent', 'topic', 'confidence'],
  properties: {
    intent: { type: 'string', enum: [...INTENTS] },
    topic: { type: 'string', enum: [...TOPICS] },
    confidence: { type: 'number', minimum: 0, maximum: 1 },
  },
};

export const SYSTEM_PROMPT = `You classify messages that citizens send to a Vietnamese city government hotline.
Messages are usually Vietnamese, often written without diacritics ("mat nuoc tu sang" = "mất nước từ sáng"), with teencode and abbreviations ("ko", "k", "hok" = không; "dc" = được; "j" = gì; "bn" = bao nhiêu; "sdt" = số điện thoại), typos, and sometimes in English.
Answer with one JSON object only: {"intent": ..., "topic": ..., "confidence": ...}, where confidence is your probability from 0 to 1 that both labels are right.

Intents:
- question: asks about a policy, procedure, fee, deadline, requirement or schedule.
- feedback: reports a problem on the ground or in a public service, or proposes something; formal complaints and denunciations (khiếu nại, tố cáo) are feedback too.
- service_support: trouble using an ONLINE public service: the portal, an account, VNeID login, online payment, a dossier submitted online that is stuck.
- press: a reporter or newsroom asks for information, an interview or an official response, or registers for a press conference.
- status: asks about an existing request or ticket, often quoting a tracking code such as HN-24-7K3Q9.
- other: greetings, thanks, small talk, spam, abuse, anything unrelated.

Topics:
- transport: damaged roads and bridges, traffic lights, congestion, buses, parking, vehicle inspection.
- urban_infrastructure: flooding, drains and manholes, street lights, trees, broken sidewalks, public toilets.
- urban_order: sidewalk or road encroachment, illegal construction, street vendors, construction or karaoke noise.
- environment: rubbish collection, illegal dumping, air or water pollution, smoke, dead animals, canals.
- land_housing: land-use certificates, land disputes, planning (quy hoạch), compensation, social housing.
- public_security: theft, fights, street racing, drugs, scams and fraud, gambling, threats.
- residence_identity: residence registration (cư trú), ID cards (CCCD), VNeID, passports, vehicle registration.
- electricity: power cuts, electricity bills, dangerous wires, meters.
- water_supply: no water, dirty water, water bills, pipe leaks.
- health: hospitals, health insurance cards, epidemics, food safety, medicines, clinics.
- education: schools, enrolment, fees, teachers, exams, kindergartens.
- labor_social: jobs, labour contracts, unemployment and social insurance, pensions, social allowances, people with merit, child protection.
- civil_justice: birth, marriage and death registration, judicial records, certified copies, notaries, legal aid.
- business_tax: business registration, investment, household businesses, taxes, invoices, public budget.
- commerce_consumer: prices, counterfeit goods, markets, shops, consumer rights, e-commerce.
- culture_media: festivals, tourism, sports, advertising, press and publications, fake news, websites.
- digital_services: the public-service portal itself, digital signatures, internet and telecoms, e-government apps.
- general: none of the above, or not about a subject.

Rules: status and other always take topic general. press takes the topic of its subject, or general. Use only the identifiers listed above.`;

type Logger = NonNullable<LlmClassifierOptions['logger']>;
type ModelLabels = Pick<ClassificationResult, 'intent' | 'topic' | 'confidence'>;

export function createLlmClassifier(opts: LlmClassifierOptions): Classifier {
  const timeoutMs = Math.max(1, Math.round(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS));
  const logger: Logger = opts.logger ?? { warn: () => undefined };
  const client = new OpenAI({
    baseURL: apiRoot(opts.baseUrl),
    // The client refuses to start without a key, and an empty string counts as none.
    apiKey: opts.apiKey || 'not-needed',
    // Explicit nulls, so OPENAI_ORG_ID / OPENAI_PROJECT_ID meant for another tool are not sent here.
    organization: null,
    project: null,
    timeout: timeoutMs,
    maxRetries: 0,
  });
  const resolveModel = modelResolver(client, opts.model);

  async function askModel(text: string): Promise<ModelLabels | undefined> {
    const controller = new AbortController();
    const timer = setTimeout(() => controller.abort(), timeoutMs);
    try {
      return await untilAborted(controller.signal, async () => {
        const model = await resolveModel(controller.signal);
        const completion = await client.chat.completions.create(
          {
            model,
            temperature: 0,
            messages: [
              { role: 'system', content: SYSTEM_PROMPT },
              { role: 'user', content: truncate(text, MAX_TEXT_CHARS) },
            ],
            response_format: {
              type: 'json_schema',
              json_schema: { name: 'hotline_classification', strict: true, schema: CLASSIFICATION_SCHEMA },
            },
          },
          { signal: controller.signal },
        );
        // Typed as a completion, but a misconfigured server can answer anything with status 200.
        const content: unknown = (completion as Partial<typeof completion> | undefined)?.choices?.[0]?.message?.content;
        return parseLabels(content, logger);
      });
    } catch (err) {
      logger.warn(describeError(err, controller.signal.aborted, timeoutMs), 'LLM classifier failed; using the built-in result');
      return undefined;
    } finally {
      clearTimeout(timer);
    }
  }

  return {
    async classify(text) {
      const [builtin, labels] = await Promise.all([opts.fallback.classify(text), askModel(text)]);
      if (!labels) return builtin;
      return {
        ...builtin,
        ...labels,
        // The model gives one probability for both labels, a lower bound for each of them.
        intentConfidence: labels.confidence,
        topicConfidence: labels.confidence,
        source: 'llm',
      };
    },
  };
}

/** The labels in the model's answer, or undefined (with a warning) when they are not usable. */
export function parseLabels(content: unknown, logger: Logger): ModelLabels | undefined {
  if (typeof content !== 'string') {
    logger.warn({ contentType: typeof content }, 'LLM answer has no text content; using the built-in result');
    return undefined;
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(stripCodeFence(content));
  } catch {
    logger.warn({ contentLength: content.length }, 'LLM answer is not valid JSON; using the built-in result');
    return undefined;
  }
  const { intent, topic, confidence } = (typeof parsed === 'object' && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const validConfidence = typeof confidence === 'number' && confidence >= 0 && confidence <= 1;
  if (!isIntent(intent) || !isTopic(topic) || !validConfidence) {
    logger.warn(
      { intent: preview(intent), topic: preview(topic), confidence: preview(confidence) },
      'LLM answer is outside the taxonomy or has an invalid confidence; using the built-in result',
    );
    return undefined;
  }
  return { intent, topic: LABELS_WITHOUT_SUBJECT.includes(intent) ? 'general' : topic, confidence };
}

/** Uses the configured model, or asks the server once for the model it serves (retrying after a failure). */
function modelResolver(client: OpenAI, configured: string | undefined): (signal: AbortSignal) => Promise<string> {
  let discovered: string | undefined;
  return async (signal) => {
    if (configured) return configured;
    if (discovered) return discovered;
    const page = await client.models.list({ signal });
    const first = page.data[0]?.id;
    if (!first) throw new Error('The model server lists no models; set the model name (LLM_MODEL).');
    discovered = first;
    return first;
  };
}

/** Runs work, rejecting as soon as signal aborts even if the work ignores it (e.g. a stalled response body). */
async function untilAborted<T>(signal: AbortSignal, work: () => Promise<T>): Promise<T> {
  let onAbort = (): void => undefined;
  const aborted = new Promise<never>((_, reject) => {
    onAbort = () => reject(new Error('aborted'));
    signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([work(), aborted]);
  } finally {
    signal.removeEventListener('abort', onAbort);
  }
}

function describeError(err: unknown, timedOut: boolean, timeoutMs: number): object {
  if (timedOut) return { reason: 'timeout', timeoutMs };
  if (err instanceof OpenAI.APIError) return { reason: 'http', status: err.status, error: err.message };
  return { reason: 'error', error: err instanceof Error ? err.message : String(err) };
}

/** OpenAI-compatible servers mount the API under /v1; a bare origin almost always means that. */
function apiRoot(baseUrl: string): string {
  const url = new URL(baseUrl);
  if (url.pathname === '/' || url.pathname === '') url.pathname = '/v1';
  return url.toString().replace(/\/$/, '');
}

/** Models without constrained decoding often wrap JSON in a markdown fence. */
function stripCodeFence(content: string): string {
  const fenced = /^\s*```(?:json)?\s*([\s\S]*?)\s*```\s*$/i.exec(content);
  return fenced?.[1] ?? content;
}

function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  const cut = text.slice(0, max);
  // Do not leave half of a surrogate pair (an emoji) at the end.
  return /[\uD800-\uDBFF]$/.test(cut) ? cut.slice(0, -1) : cut;
}

function preview(value: unknown): unknown {
  return typeof value === 'string' ? value.slice(0, 40) : value;
}
