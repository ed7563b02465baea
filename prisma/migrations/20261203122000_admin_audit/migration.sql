-- The administration's history (src/console/admin-audit.ts): every change an administrator or an
-- agency lead makes to agencies, staff accounts, routing rules, knowledge-base entries and the
-- working calendar, with who, when and the row before and after. agency_id is the agency the change
-- concerns, so a lead reads their agency's history.
CREATE TABLE "admin_audit" (
    "id" UUID NOT NULL,
    "actor_id" UUID,
    "agency_id" UUID,
    "entity" TEXT NOT NULL,
    "entity_id" TEXT NOT NULL,
    "action" TEXT NOT NULL,
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "admin_audit_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "admin_audit" ADD CONSTRAINT "admin_audit_actor_id_fkey"
    FOREIGN KEY ("actor_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "admin_audit_entity_entity_id_idx" ON "admin_audit"("entity", "entity_id");
CREATE INDEX "admin_audit_created_at_idx" ON "admin_audit"("created_at");

-- The reports read the first staff reply of each ticket and the ratings from ticket_event.
CREATE INDEX "ticket_event_kind_created_at_idx" ON "ticket_event"("kind", "created_at");
CREATE INDEX "ticket_created_at_idx" ON "ticket"("created_at");
