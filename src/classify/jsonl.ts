// The classify command's JSON-lines mode: every input line comes back with intent, topic and
// confidence added; a bad line is reported on the error stream and the rest still goes through.
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { ClassificationResult } from './types';

async function writeLine(stream: Writable, value: unknown): Promise<void> {
  if (!stream.write(`${JSON.stringify(value)}\n`)) await once(stream, 'drain');
}

const EXPECTED = 'expected one JSON object per line with a "text" string, e.g. {"text": "Mất nước từ sáng"}';

type ParsedLine = { ok: true; fields: Record<string, unknown>; text: string } | { ok: false; error: string };

function parseInputLine(line: string): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { ok: false, error: `not valid JSON; ${EXPECTED}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { ok: false, error: `not a JSON object; ${EXPECTED}` };
  const fields = value as Record<string, unknown>;
  return typeof fields.text === 'string' ? { ok: true, fields, text: fields.text } : { ok: false, error: `no "text" string; ${EXPECTED}` };
}

export interface JsonLinesOutcome {
  /** Lines labelled and written out. */
  classified: number;
  /** Lines reported on the error stream. */
  failed: number;
}

/** Blank lines are skipped. */
export async function classifyJsonLines(
  input: Readable,
  output: Writable,
  errors: Writable,
  classify: (text: string) => ClassificationResult,
): Promise<JsonLinesOutcome> {
  let lineNumber = 0;
  let failed = 0;
  let classified = 0;
  for await (const line of createInterface({ input, crlfDelay: Infinity })) {
    lineNumber++;
    if (line.trim() === '') continue;
    const parsed = parseInputLine(line);
    if (!parsed.ok) {
      failed++;
      await writeLine(errors, { line: lineNumber, error: parsed.error });
      continue;
    }
    const result = classify(parsed.text);
    const { intent, topic } = result;
    await writeLine(output, { ...parsed.fields, intent, topic, confidence: Number(result.confidence.toFixed(4)) });
    classified++;
  }
  return { classified, failed };
}
