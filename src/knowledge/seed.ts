// Seeds the shipped knowledge base (entries.ts) into the database. Idempotent by slug: an entry
// already there is kept as an administrator left it (edited or switched off), a missing one is
// added. Not demo data: every hotline needs it, so it is seeded whether or not SEED_DEMO is set.
import type { Db } from '../db/database';
import { KNOWLEDGE_ENTRIES, type KnowledgeEntrySeed } from './entries';

/** Adds the shipped entries that are not in the database yet; returns how many were added. */
export async function seedKnowledgeBase(db: Db, entries: readonly KnowledgeEntrySeed[] = KNOWLEDGE_ENTRIES): Promise<number> {
  // Every start runs this; once all shipped slugs are there (the usual case), one count answers it
  // instead of sending the whole knowledge base to be skipped row by row.
  const shipped = [...new Set(entries.map((e) => e.slug))];
  if ((await db.knowledgeEntry.count({ where: { slug: { in: shipped } } })) === shipped.length) return 0;
  const slugs = [...new Set(entries.map((e) => e.agency).filter((s): s is string => s !== undefined))];
  const agencies = new Map((await db.agency.findMany({ where: { slug: { in: slugs } }, select: { id: true, slug: true } })).map((a) => [a.slug, a.id]));
  const { count } = await db.knowledgeEntry.createMany({
    data: entries.map((e) => ({
      slug: e.slug,
      topic: e.topic,
      agencyId: e.agency ? agencies.get(e.agency) ?? null : null,
      kind: e.kind,
      titleVi: e.titleVi,
      titleEn: e.titleEn,
      answerVi: e.answerVi,
      answerEn: e.answerEn,
      keywords: e.keywords,
      sourceName: e.sourceName,
      sourceUrl: e.sourceUrl,
    })),
    skipDuplicates: true,
  });
  return count;
}
