// The knowledge base as the conversation asks it: answers in the person's language, from the
// in-memory index (src/knowledge), so answering a question costs no SQL.
import { isTopic } from '../classify/taxonomy';
import { entryText, type KnowledgeIndex } from '../knowledge/search';
import type { KnowledgeBase } from './engine';

export function knowledgeBase(index: KnowledgeIndex): KnowledgeBase {
  return {
    answers(query, locale, options = {}) {
      const hits = index.search(query, {
        locale,
        topic: options.topic && isTopic(options.topic) && options.topic !== 'general' ? options.topic : undefined,
        kind: options.onlineFix ? 'online_fix' : undefined,
        limit: options.limit,
      });
      // A topic the classifier got wrong must not hide the answer: search again without it.
      const found = hits.length > 0 || !options.topic ? hits : index.search(query, { locale, kind: options.onlineFix ? 'online_fix' : undefined, limit: options.limit });
      return found.map(({ entry }) => ({ slug: entry.slug, ...entryText(entry, locale) }));
    },
    entry(slug, locale) {
      const entry = index.bySlug(slug);
      return entry ? { slug: entry.slug, ...entryText(entry, locale) } : null;
    },
  };
}
