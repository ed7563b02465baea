-- Published answers are searched in the database: search_text holds the question and answer as the
-- app compares words (lower case, no diacritics, abbreviations expanded), space-separated with a
-- space at each end, so a word is found with ILIKE '% word %'. NULL until the app has indexed the
-- row (rows published before this migration are indexed when the hotline starts).
ALTER TABLE "published_answer" ADD COLUMN "search_text" TEXT;
CREATE INDEX "published_answer_locale_topic_published_at_idx" ON "published_answer"("locale", "topic", "published_at");

-- A person's agreement to the publication of one question of theirs is a contact_consent row with
-- purpose publish_answer and the ticket it is about.
ALTER TABLE "contact_consent" ADD COLUMN "ticket_id" UUID;
CREATE INDEX "contact_consent_ticket_id_purpose_created_at_idx" ON "contact_consent"("ticket_id", "purpose", "created_at");
ALTER TABLE "contact_consent" ADD CONSTRAINT "contact_consent_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;
