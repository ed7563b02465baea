-- The staff console's sign-in (src/console/sessions.ts): one row per login, ended by logging out,
-- by its lifetime (CONSOLE_SESSION_HOURS) or by going idle; the bearer token and the browser
-- cookie both name a row, so a signed-out token no longer opens anything.
CREATE TABLE "staff_session" (
    "id" UUID NOT NULL,
    "staff_user_id" UUID NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "ended_at" TIMESTAMPTZ(3),
    CONSTRAINT "staff_session_pkey" PRIMARY KEY ("id")
);
ALTER TABLE "staff_session" ADD CONSTRAINT "staff_session_staff_user_id_fkey"
    FOREIGN KEY ("staff_user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
CREATE INDEX "staff_session_staff_user_id_idx" ON "staff_session"("staff_user_id");

-- Demo accounts seeded into a server database must get a real password before any work.
ALTER TABLE "staff_user" ADD COLUMN "must_change_password" BOOLEAN NOT NULL DEFAULT false;
ALTER TABLE "staff_user" ADD COLUMN "password_changed_at" TIMESTAMPTZ(3);

-- The person (of the ticket's agency) working on a ticket.
ALTER TABLE "ticket" ADD COLUMN "assignee_id" UUID;
ALTER TABLE "ticket" ADD CONSTRAINT "ticket_assignee_id_fkey"
    FOREIGN KEY ("assignee_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
CREATE INDEX "ticket_assignee_id_idx" ON "ticket"("assignee_id");
