-- The console's live side: notifications for staff (new ticket, overdue, reopened), optionally by
-- e-mail through the outbox, and canned answers with variables.

-- An outbox row of this kind e-mails one notification; its message_id holds the notification's id.
ALTER TYPE "OutboxKind" ADD VALUE 'email_notification';

-- The language of the texts the hotline writes to this staff member (notification titles, e-mails),
-- and whether they want their notifications by e-mail as well (only offered while SMTP_URL is set).
ALTER TABLE "staff_user" ADD COLUMN "locale" TEXT NOT NULL DEFAULT 'vi';
ALTER TABLE "staff_user" ADD COLUMN "email_notifications" BOOLEAN NOT NULL DEFAULT false;

CREATE TABLE "notification" (
    "id" UUID NOT NULL,
    "staff_user_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "ticket_id" UUID NOT NULL,
    "read_at" TIMESTAMPTZ(3),
    "emailed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "notification_staff_user_id_created_at_idx" ON "notification"("staff_user_id", "created_at");
CREATE INDEX "notification_staff_user_id_read_at_idx" ON "notification"("staff_user_id", "read_at");
ALTER TABLE "notification" ADD CONSTRAINT "notification_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "staff_user"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "notification" ADD CONSTRAINT "notification_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE CASCADE ON UPDATE CASCADE;

CREATE TABLE "canned_answer" (
    "id" UUID NOT NULL,
    "title" TEXT NOT NULL,
    "body" TEXT NOT NULL,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "agency_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_by_id" UUID,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "canned_answer_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "canned_answer_agency_id_locale_idx" ON "canned_answer"("agency_id", "locale");
ALTER TABLE "canned_answer" ADD CONSTRAINT "canned_answer_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE CASCADE ON UPDATE CASCADE;
ALTER TABLE "canned_answer" ADD CONSTRAINT "canned_answer_created_by_id_fkey" FOREIGN KEY ("created_by_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE;
