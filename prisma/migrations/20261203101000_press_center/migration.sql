-- The press center's public record (src/press, docs at /docs under the `press` tag): journalists'
-- profiles, press conferences and their registrations, announcements to subscribers, public
-- consultation on draft documents, and answers published on /hoi-dap and /qa.

CREATE TABLE "press_profile" (
    "id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "newsroom" TEXT NOT NULL,
    "press_card_number" TEXT NOT NULL,
    "card_photo_message_id" UUID,
    "phone" TEXT,
    "email" TEXT,
    "consent_given_at" TIMESTAMPTZ(3),
    "verified_at" TIMESTAMPTZ(3),
    "verified_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "press_profile_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "press_profile_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "press_profile_card_photo_message_id_fkey" FOREIGN KEY ("card_photo_message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "press_profile_verified_by_fkey" FOREIGN KEY ("verified_by") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "press_profile_contact_id_key" ON "press_profile"("contact_id");

CREATE TABLE "press_event" (
    "id" UUID NOT NULL,
    "title_vi" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "place" TEXT NOT NULL,
    "topic" TEXT,
    "agencies" TEXT[] NOT NULL DEFAULT ARRAY[]::TEXT[],
    "registration_deadline" TIMESTAMPTZ(3) NOT NULL,
    "capacity" INTEGER,
    "online_link" TEXT,
    "cancelled_at" TIMESTAMPTZ(3),
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "press_event_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "press_event_capacity_check" CHECK ("capacity" IS NULL OR "capacity" > 0)
);
CREATE INDEX "press_event_starts_at_idx" ON "press_event"("starts_at");

CREATE TABLE "press_registration" (
    "id" UUID NOT NULL,
    "event_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "profile_id" UUID,
    "registered_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "cancelled_at" TIMESTAMPTZ(3),
    "reminded_at" TIMESTAMPTZ(3),
    CONSTRAINT "press_registration_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "press_registration_event_id_fkey" FOREIGN KEY ("event_id") REFERENCES "press_event"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "press_registration_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "press_registration_profile_id_fkey" FOREIGN KEY ("profile_id") REFERENCES "press_profile"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "press_registration_event_id_contact_id_key" ON "press_registration"("event_id", "contact_id");

CREATE TABLE "subscription" (
    "id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "subscribed_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "unsubscribed_at" TIMESTAMPTZ(3),
    CONSTRAINT "subscription_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "subscription_topic_check" CHECK ("topic" IN ('press_releases', 'spokesperson', 'conference_schedule', 'service_outages')),
    CONSTRAINT "subscription_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "subscription_contact_id_topic_key" ON "subscription"("contact_id", "topic");
CREATE INDEX "subscription_topic_idx" ON "subscription"("topic");

CREATE TABLE "announcement" (
    "id" UUID NOT NULL,
    "topic" TEXT NOT NULL,
    "title_vi" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "body_vi" TEXT NOT NULL,
    "body_en" TEXT NOT NULL,
    "created_by" UUID,
    "published_by" UUID,
    "published_at" TIMESTAMPTZ(3),
    "fanned_out_at" TIMESTAMPTZ(3),
    "stopped_at" TIMESTAMPTZ(3),
    "stored_count" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "announcement_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "announcement_topic_check" CHECK ("topic" IN ('press_releases', 'spokesperson', 'conference_schedule', 'service_outages')),
    CONSTRAINT "announcement_created_by_fkey" FOREIGN KEY ("created_by") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "announcement_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE
);

-- One row per subscriber an announcement was stored for: the fan-out skips these, so a retry or a
-- restart never sends twice; the message it points at carries the delivery status.
CREATE TABLE "announcement_delivery" (
    "announcement_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "message_id" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "announcement_delivery_pkey" PRIMARY KEY ("announcement_id", "contact_id"),
    CONSTRAINT "announcement_delivery_announcement_id_fkey" FOREIGN KEY ("announcement_id") REFERENCES "announcement"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "announcement_delivery_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "announcement_delivery_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "announcement_delivery_message_id_key" ON "announcement_delivery"("message_id");

CREATE TABLE "draft_document" (
    "id" UUID NOT NULL,
    "title_vi" TEXT NOT NULL,
    "title_en" TEXT NOT NULL,
    "agency_id" UUID NOT NULL,
    "summary" TEXT NOT NULL,
    "full_text_url" TEXT NOT NULL,
    "opens_at" TIMESTAMPTZ(3) NOT NULL,
    "closes_at" TIMESTAMPTZ(3) NOT NULL,
    "demo" BOOLEAN NOT NULL DEFAULT false,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "draft_document_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "draft_document_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);

CREATE TABLE "draft_comment" (
    "id" UUID NOT NULL,
    "draft_id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "article" TEXT,
    "text" TEXT NOT NULL,
    "tracking_code" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "draft_comment_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "draft_comment_draft_id_fkey" FOREIGN KEY ("draft_id") REFERENCES "draft_document"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "draft_comment_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "draft_comment_tracking_code_key" ON "draft_comment"("tracking_code");
CREATE INDEX "draft_comment_draft_id_created_at_idx" ON "draft_comment"("draft_id", "created_at");

CREATE TABLE "published_answer" (
    "id" UUID NOT NULL,
    "ticket_id" UUID,
    "question" TEXT NOT NULL,
    "answer" TEXT NOT NULL,
    "topic" TEXT,
    "agency_id" UUID,
    "published_by" UUID,
    "published_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "anonymised" BOOLEAN NOT NULL DEFAULT false,
    "consent" BOOLEAN NOT NULL DEFAULT false,
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "demo" BOOLEAN NOT NULL DEFAULT false,
    CONSTRAINT "published_answer_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "published_answer_locale_check" CHECK ("locale" IN ('vi', 'en')),
    CONSTRAINT "published_answer_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "published_answer_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "published_answer_published_by_fkey" FOREIGN KEY ("published_by") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "published_answer_locale_published_at_idx" ON "published_answer"("locale", "published_at");
