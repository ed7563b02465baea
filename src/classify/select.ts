// The classifier the hotline runs: the built-in one, with the optional OpenAI-compatible model on
// top when LLM_BASE_URL is set (it falls back to the built-in result on any failure).
import type { Config } from '../config';
import { createBuiltinClassifier } from './builtin';
import { createLlmClassifier } from './llm';
import type { Classifier } from './types';

export async function createClassifier(
  config: Pick<Config, 'llm'>,
  logger: { warn(obj: object, msg: string): void },
): Promise<Classifier> {
  const builtin = await createBuiltinClassifier();
  if (!config.llm) return builtin;
  return createLlmClassifier({ ...config.llm, fallback: builtin, logger });
}
