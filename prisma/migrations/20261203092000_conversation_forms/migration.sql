-- What a person agreed to, in the words they were shown: the hotline asks before it keeps a phone
-- number, and keeps the answer (yes or no), its wording, purpose and time, even when the number is
-- later changed or the person refuses. Append-only like ticket_event.
CREATE TABLE "contact_consent" (
    "id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "purpose" TEXT NOT NULL,
    "granted" BOOLEAN NOT NULL,
    "text" TEXT NOT NULL,
    "locale" TEXT NOT NULL,
    "message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contact_consent_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "contact_consent_contact_id_created_at_idx" ON "contact_consent"("contact_id", "created_at");
ALTER TABLE "contact_consent" ADD CONSTRAINT "contact_consent_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- Where a reported problem is: the place in the person's words and, when they shared a location
-- from Zalo or Telegram (or the widget), its coordinates.
ALTER TABLE "ticket" ADD COLUMN "place" TEXT;
ALTER TABLE "ticket" ADD COLUMN "latitude" DOUBLE PRECISION;
ALTER TABLE "ticket" ADD COLUMN "longitude" DOUBLE PRECISION;
