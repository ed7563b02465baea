-- Merging duplicates (src/tickets/lifecycle.ts): a ticket marked `duplicate` points at the ticket
-- it was merged into, whose code the person was given.
ALTER TABLE "ticket" ADD COLUMN "duplicate_of_id" UUID;
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_duplicate_of_id_fkey"
    FOREIGN KEY ("duplicate_of_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "ticket_duplicate_of_id_idx" ON "ticket"("duplicate_of_id");
