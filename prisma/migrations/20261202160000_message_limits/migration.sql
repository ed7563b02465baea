-- Limits at the channel boundary (issue 8).

-- A platform message longer than MAX_MESSAGE_CHARS: `text` keeps the first MAX_MESSAGE_CHARS
-- characters (what the bot reads and staff see first), `full_text` the whole text as sent.
ALTER TABLE "message" ADD COLUMN "full_text" TEXT;

-- A message beyond a sender's flood limit: stored and shown to staff, but it opened no work
-- (no bot reply, no ticket of its own).
ALTER TABLE "message" ADD COLUMN "rate_limited" BOOLEAN NOT NULL DEFAULT false;
