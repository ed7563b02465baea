-- A delivery is claimed in the database before a worker sends it, so two workers (two nodes with
-- in-process queues, or a job handed over after a stall) never send the same reply at once.
-- claimed_by is the claim's own token; claimed_until is a lease the sending worker renews, so a
-- claim of a worker that died runs out by itself.
ALTER TABLE "outbox_job" ADD COLUMN "claimed_by" UUID;
ALTER TABLE "outbox_job" ADD COLUMN "claimed_until" TIMESTAMPTZ(3);
