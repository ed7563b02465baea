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
  const builtin = lazyBuiltin();
  if (!config.llm) return builtin;
  return createLlmClassifier({ ...config.llm, fallback: builtin, logger });
}

/**
 * The built-in classifier, its model read (an 11 MB file, or trained when stale) at the first
 * message rather than at start: a restart reaches /readyz without it, and the first message waits
 * for it once.
 */
function lazyBuiltin(): Classifier {
  let loaded: Promise<Classifier> | undefined;
  return {
    inline: true,
    classify: (text) => {
      // A failed load is tried again at the next message instead of failing every one after it.
      loaded ??= createBuiltinClassifier().catch((err: unknown) => {
        loaded = undefined;
        throw err;
      });
      return loaded.then((c) => c.classify(text));
    },
  };
}
