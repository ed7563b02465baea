-- A message's work record is found from the message: the waiting list of a conversation and the
-- batch claim (src/db/work-sql.ts) join outbox_job on message_id, which without this index scans
-- every row of the table (a storm's backlog is a hundred thousand of them). The partial index is
-- the batch claim's own order: the untried messages waiting to be understood, oldest first.
CREATE INDEX "outbox_job_message_id_idx" ON "outbox_job"("message_id");
CREATE INDEX "outbox_job_inbound_waiting_idx" ON "outbox_job"("run_after") WHERE "status" = 'pending' AND "kind" = 'process_inbound';
