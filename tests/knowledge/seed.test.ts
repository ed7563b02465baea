// The shipped knowledge base in a migrated database: seeded once per slug however often the
// hotline starts, administrators' edits kept, and the index reading only active rows.
import type { Database } from '../../src/db/database';
import { KNOWLEDGE_ENTRIES } from '../../src/knowledge/entries';
import { loadKnowledgeIndex } from '../../src/knowledge/search';
import { seedKnowledgeBase } from '../../src/knowledge/seed';
import { openFreshDatabase } from '../helpers/databases';
import { startTestHotline } from '../helpers/hotline';

describe('knowledge base in the database', () => {
  let database: Database;
  let close: () => Promise<void>;
  beforeAll(async () => {
    ({ database, close } = await openFreshDatabase());
  });
  afterAll(async () => {
    await close();
  });

  it('seeds every entry once, however many times it runs', async () => {
    const db = database.prisma;
    expect(await db.knowledgeEntry.count()).toBe(KNOWLEDGE_ENTRIES.length); // the test template was seeded like a starting hotline
    await db.knowledgeEntry.deleteMany();
    expect(await seedKnowledgeBase(db)).toBe(KNOWLEDGE_ENTRIES.length);
    expect(await seedKnowledgeBase(db)).toBe(0);
    const rows = await db.knowledgeEntry.groupBy({ by: ['slug'], _count: { _all: true } });
    expect(rows).toHaveLength(KNOWLEDGE_ENTRIES.length);
    expect(rows.every((r) => r._count._all === 1)).toBe(true);
  });

  it('stores both languages, an https source and the agency each entry names', async () => {
    const db = database.prisma;
    const rows = await db.knowledgeEntry.findMany({ include: { agency: { select: { slug: true } } } });
    const shipped = new Map(KNOWLEDGE_ENTRIES.map((e) => [e.slug, e]));
    for (const row of rows) {
      for (const text of [row.titleVi, row.titleEn, row.answerVi, row.answerEn, row.sourceName]) expect(text.trim()).not.toBe('');
      expect(new URL(row.sourceUrl).protocol).toBe('https:');
      expect(row.keywords.length).toBeGreaterThan(0);
      expect(row.active).toBe(true);
      expect(row.agency?.slug).toBe(shipped.get(row.slug)?.agency);
    }
  });

  it('keeps an edited or switched-off entry as the administrator left it, and re-adds a deleted one', async () => {
    const db = database.prisma;
    await db.knowledgeEntry.update({ where: { slug: 'lam-ho-chieu' }, data: { answerVi: 'Đã sửa bởi quản trị viên.' } });
    await db.knowledgeEntry.update({ where: { slug: 'dang-ky-tam-tru' }, data: { active: false } });
    await db.knowledgeEntry.delete({ where: { slug: 'chu-ky-so-loi' } });
    expect(await seedKnowledgeBase(db)).toBe(1);
    expect((await db.knowledgeEntry.findUniqueOrThrow({ where: { slug: 'lam-ho-chieu' } })).answerVi).toBe('Đã sửa bởi quản trị viên.');
    expect((await db.knowledgeEntry.findUniqueOrThrow({ where: { slug: 'dang-ky-tam-tru' } })).active).toBe(false);
  });

  it('indexes only active entries and sees edits after refresh', async () => {
    const db = database.prisma;
    const index = await loadKnowledgeIndex(db);
    expect(index.size).toBe(KNOWLEDGE_ENTRIES.length - 1);
    expect(index.search('đăng ký tạm trú', { locale: 'vi' }).map((h) => h.entry.slug)).not.toContain('dang-ky-tam-tru');
    expect(index.search('làm hộ chiếu', { locale: 'vi' })[0]?.entry.answerVi).toBe('Đã sửa bởi quản trị viên.');
    await db.knowledgeEntry.update({ where: { slug: 'dang-ky-tam-tru' }, data: { active: true } });
    await index.refresh();
    expect(index.search('đăng ký tạm trú', { locale: 'vi' })[0]?.entry.slug).toBe('dang-ky-tam-tru');
  });

  it('refuses a kind other than answer and online_fix, and a second row with the same slug', async () => {
    const db = database.prisma;
    const base = { topic: 'general', titleVi: 'x', titleEn: 'x', answerVi: 'x', answerEn: 'x', sourceName: 'x', sourceUrl: 'https://example.test' };
    await expect(db.knowledgeEntry.create({ data: { ...base, slug: 'thu-faq', kind: 'faq' } })).rejects.toThrow(/knowledge_entry_kind_check/);
    await expect(db.knowledgeEntry.create({ data: { ...base, slug: 'lam-ho-chieu' } })).rejects.toMatchObject({ code: 'P2002' });
  });

  it('is seeded by a starting hotline even without the demo data', async () => {
    const { database: opened, testDatabase: own } = await openFreshDatabase();
    await opened.prisma.knowledgeEntry.deleteMany();
    await opened.close();
    const t = await startTestHotline({ database: own, env: { SEED_DEMO: 'false' } });
    try {
      expect(await t.hotline.db.prisma.knowledgeEntry.count()).toBe(KNOWLEDGE_ENTRIES.length);
    } finally {
      await t.stop();
    }
  });
});
