-- Overdue tickets and escalation (src/tickets/overdue.ts).

-- When the sweep found the ticket past its accept deadline (not yet taken by an agency) or past its
-- answer deadline (not answered): each is set once, so the person is apologised to once per deadline.
ALTER TABLE "ticket" ADD COLUMN "accept_overdue_at" TIMESTAMPTZ(3);
ALTER TABLE "ticket" ADD COLUMN "answer_overdue_at" TIMESTAMPTZ(3);
-- The time the person was given in the apology.
ALTER TABLE "ticket" ADD COLUMN "expected_at" TIMESTAMPTZ(3);

-- An agency's lead sees the agency's overdue tickets escalated to them.
ALTER TABLE "staff_user" ADD COLUMN "is_lead" BOOLEAN NOT NULL DEFAULT false;
