-- The knowledge base the bot answers from at once (src/knowledge, docs/knowledge.md): answers to
-- common questions about public procedures ('answer') and known fixes for problems with online
-- public services ('online_fix'). Seeded from src/knowledge/entries.ts by slug; administrators edit
-- the rows, and switch one off with `active` rather than deleting it (a deleted slug is seeded again).
CREATE TABLE "knowledge_entry" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "topic" TEXT NOT NULL,
    "agency_id" UUID,
    "kind" TEXT NOT NULL DEFAULT 'answer',
    "title_vi" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "answer_vi" TEXT NOT NULL,
    "answer_en" TEXT NOT NULL,
    "keywords" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "source_name" TEXT NOT NULL,
    "source_url" TEXT NOT NULL,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "knowledge_entry_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "knowledge_entry_kind_check" CHECK ("kind" IN ('answer', 'online_fix')),
    CONSTRAINT "knowledge_entry_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "knowledge_entry_slug_key" ON "knowledge_entry"("slug");
CREATE INDEX "knowledge_entry_active_idx" ON "knowledge_entry"("active");
