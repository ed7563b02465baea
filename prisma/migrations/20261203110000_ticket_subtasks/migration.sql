-- A press officer asks agencies for their part of a reporter's request: one row per agency asked,
-- answered in that agency's own inbox; the officer then sends the consolidated answer on the ticket.
CREATE TABLE "ticket_subtask" (
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "agency_id" UUID NOT NULL,
    "question" TEXT NOT NULL,
    "requested_by_id" UUID NOT NULL,
    "due_at" TIMESTAMPTZ(3),
    "answer" TEXT,
    "answered_by_id" UUID,
    "answered_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_subtask_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "ticket_subtask_ticket_id_idx" ON "ticket_subtask"("ticket_id");
CREATE INDEX "ticket_subtask_agency_id_answered_at_idx" ON "ticket_subtask"("agency_id", "answered_at");
ALTER TABLE "ticket_subtask" ADD CONSTRAINT "ticket_subtask_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ticket_subtask" ADD CONSTRAINT "ticket_subtask_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ticket_subtask" ADD CONSTRAINT "ticket_subtask_requested_by_id_fkey" FOREIGN KEY ("requested_by_id") REFERENCES "staff_user"("id") ON DELETE RESTRICT ON UPDATE CASCADE;
ALTER TABLE "ticket_subtask" ADD CONSTRAINT "ticket_subtask_answered_by_id_fkey" FOREIGN KEY ("answered_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
