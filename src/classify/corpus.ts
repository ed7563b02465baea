// Labelled messages as JSON lines ({"text", "intent", "topic"}): the training corpus shipped in
// src/classify/corpus/*.jsonl, and evaluation files in the same format.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { isIntent, isTopic, type Intent, type Topic } from './taxonomy';
import { inProject } from '../project-root';

export const CORPUS_DIR = inProject('src', 'classify', 'corpus');

export interface LabeledText {
  text: string;
  intent: Intent;
  topic: Topic;
}

/** One line → a labelled text, or the reason it is not one. */
export function parseLabeledLine(line: string): LabeledText | { error: string } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return { error: 'not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { error: 'not a JSON object' };
  const { text, intent, topic } = value as Record<string, unknown>;
  if (typeof text !== 'string') return { error: '"text" must be a string' };
  if (intent === undefined && topic === undefined) return { error: 'no gold labels ("intent" and "topic" are missing)' };
  if (intent === undefined) return { error: 'no "intent" label' };
  if (!isIntent(intent)) return { error: `unknown intent ${JSON.stringify(intent)}` };
  if (topic === undefined) return { error: 'no "topic" label' };
  if (!isTopic(topic)) return { error: `unknown topic ${JSON.stringify(topic)}` };
  return { text, intent, topic };
}

export interface LabeledFile {
  examples: LabeledText[];
  /** "file:line: reason" for every line that was skipped. */
  problems: string[];
}

export function readLabeledFile(file: string): LabeledFile {
  const examples: LabeledText[] = [];
  const problems: string[] = [];
  readFileSync(file, 'utf8')
    .split('\n')
    .forEach((line, i) => {
      if (line.trim() === '') return;
      const parsed = parseLabeledLine(line);
      if ('error' in parsed) problems.push(`${path.basename(file)}:${i + 1}: ${parsed.error}`);
      else examples.push(parsed);
    });
  return { examples, problems };
}

/** The corpus files, sorted so that training sees the same order on every machine. */
export function corpusFiles(dir: string = CORPUS_DIR): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.jsonl'))
    .sort()
    .map((name) => path.join(dir, name));
}

export function readCorpus(dir: string = CORPUS_DIR): LabeledFile {
  const all: LabeledFile = { examples: [], problems: [] };
  for (const file of corpusFiles(dir)) {
    const { examples, problems } = readLabeledFile(file);
    all.examples.push(...examples);
    all.problems.push(...problems);
  }
  return all;
}
