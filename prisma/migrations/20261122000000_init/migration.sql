-- Initial schema: agencies, staff, contacts, conversations, messages, tickets and their audit log,
-- routing rules, the durable work outbox and application settings.

CREATE TYPE "Channel" AS ENUM ('webchat', 'zalo_oa', 'zalo_bot', 'telegram');
CREATE TYPE "StaffRole" AS ENUM ('admin', 'operator', 'agency_staff', 'press_officer');
CREATE TYPE "MessageDirection" AS ENUM ('inbound', 'outbound');
CREATE TYPE "MessageAuthor" AS ENUM ('person', 'bot', 'agent');
CREATE TYPE "TicketStatus" AS ENUM ('new', 'triage', 'assigned', 'in_progress', 'answered', 'closed', 'transferred', 'reopened', 'duplicate', 'rejected');
CREATE TYPE "TicketPriority" AS ENUM ('urgent', 'normal', 'complex');
CREATE TYPE "OutboxKind" AS ENUM ('process_inbound', 'deliver_outbound');
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'done', 'dead');
CREATE TYPE "DeliveryStatus" AS ENUM ('none', 'pending', 'sent', 'failed');

CREATE TABLE "agency" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "is_triage" BOOLEAN NOT NULL DEFAULT false,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "agency_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "agency_slug_key" ON "agency"("slug");

CREATE TABLE "staff_user" (
    "id" UUID NOT NULL,
    "email" TEXT NOT NULL,
    "display_name" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "StaffRole" NOT NULL,
    "agency_id" UUID,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "last_login_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "staff_user_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "staff_user_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "staff_user_email_key" ON "staff_user"("email");

CREATE TABLE "contact" (
    "id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "channel_user_id" TEXT NOT NULL,
    "display_name" TEXT,
    "phone" TEXT,
    "phone_consent" BOOLEAN NOT NULL DEFAULT false,
    "phone_consent_at" TIMESTAMPTZ(3),
    "locale" TEXT NOT NULL DEFAULT 'vi',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "contact_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "contact_channel_channel_user_id_key" ON "contact"("channel", "channel_user_id");

CREATE TABLE "conversation" (
    "id" UUID NOT NULL,
    "contact_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "flow" TEXT NOT NULL DEFAULT 'intake',
    "step" TEXT NOT NULL DEFAULT 'start',
    "state" JSONB NOT NULL DEFAULT '{}',
    "last_seq" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "conversation_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "conversation_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "conversation_contact_id_idx" ON "conversation"("contact_id");

CREATE TABLE "routing_rule" (
    "id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "intent" TEXT,
    "topic" TEXT,
    "area" TEXT,
    "agency_id" UUID NOT NULL,
    "priority" "TicketPriority" NOT NULL DEFAULT 'normal',
    "online_support" BOOLEAN NOT NULL DEFAULT false,
    "position" INTEGER NOT NULL DEFAULT 100,
    "active" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "routing_rule_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "routing_rule_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE RESTRICT ON UPDATE CASCADE
);
CREATE INDEX "routing_rule_active_position_idx" ON "routing_rule"("active", "position");

CREATE TABLE "ticket" (
    "id" UUID NOT NULL,
    "tracking_code" TEXT NOT NULL,
    "contact_id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "channel" "Channel" NOT NULL,
    "intent" TEXT,
    "topic" TEXT,
    "confidence" DOUBLE PRECISION,
    "priority" "TicketPriority" NOT NULL DEFAULT 'normal',
    "status" "TicketStatus" NOT NULL DEFAULT 'new',
    "agency_id" UUID,
    "routing_rule_id" UUID,
    "routing_reason" TEXT NOT NULL,
    "summary" TEXT NOT NULL,
    "accept_due_at" TIMESTAMPTZ(3) NOT NULL,
    "due_at" TIMESTAMPTZ(3) NOT NULL,
    "answered_at" TIMESTAMPTZ(3),
    "closed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ticket_contact_id_fkey" FOREIGN KEY ("contact_id") REFERENCES "contact"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ticket_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ticket_agency_id_fkey" FOREIGN KEY ("agency_id") REFERENCES "agency"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "ticket_routing_rule_id_fkey" FOREIGN KEY ("routing_rule_id") REFERENCES "routing_rule"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "ticket_tracking_code_key" ON "ticket"("tracking_code");
CREATE INDEX "ticket_agency_id_status_idx" ON "ticket"("agency_id", "status");
CREATE INDEX "ticket_status_idx" ON "ticket"("status");
CREATE INDEX "ticket_contact_id_idx" ON "ticket"("contact_id");

CREATE TABLE "message" (
    "id" UUID NOT NULL,
    "conversation_id" UUID NOT NULL,
    "seq" INTEGER NOT NULL,
    "direction" "MessageDirection" NOT NULL,
    "author" "MessageAuthor" NOT NULL,
    "channel" "Channel" NOT NULL,
    "external_id" TEXT,
    "text" TEXT NOT NULL,
    "attachments" JSONB NOT NULL DEFAULT '[]',
    "buttons" JSONB,
    "ticket_id" UUID,
    "staff_user_id" UUID,
    "delivery" "DeliveryStatus" NOT NULL DEFAULT 'none',
    "delivery_error" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "message_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "message_conversation_id_fkey" FOREIGN KEY ("conversation_id") REFERENCES "conversation"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "message_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "message_staff_user_id_fkey" FOREIGN KEY ("staff_user_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE UNIQUE INDEX "message_channel_external_id_key" ON "message"("channel", "external_id");
CREATE UNIQUE INDEX "message_conversation_id_seq_key" ON "message"("conversation_id", "seq");
CREATE INDEX "message_ticket_id_idx" ON "message"("ticket_id");

CREATE TABLE "ticket_event" (
    "id" UUID NOT NULL,
    "ticket_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "actor_id" UUID,
    "from_status" "TicketStatus",
    "to_status" "TicketStatus",
    "data" JSONB NOT NULL DEFAULT '{}',
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "ticket_event_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "ticket_event_ticket_id_fkey" FOREIGN KEY ("ticket_id") REFERENCES "ticket"("id") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "ticket_event_actor_id_fkey" FOREIGN KEY ("actor_id") REFERENCES "staff_user"("id") ON DELETE SET NULL ON UPDATE CASCADE
);
CREATE INDEX "ticket_event_ticket_id_created_at_idx" ON "ticket_event"("ticket_id", "created_at");

-- The audit log is append-only: refuse updates and deletes at the database itself.
CREATE FUNCTION "ticket_event_append_only"() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION 'ticket_event is append-only';
END;
$$ LANGUAGE plpgsql;
CREATE TRIGGER "ticket_event_no_update" BEFORE UPDATE OR DELETE ON "ticket_event"
    FOR EACH ROW EXECUTE FUNCTION "ticket_event_append_only"();

CREATE TABLE "outbox_job" (
    "id" UUID NOT NULL,
    "kind" "OutboxKind" NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "message_id" UUID NOT NULL,
    "idempotency_key" TEXT NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "run_after" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "outbox_job_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "outbox_job_idempotency_key_key" ON "outbox_job"("idempotency_key");
CREATE INDEX "outbox_job_status_run_after_idx" ON "outbox_job"("status", "run_after");

CREATE TABLE "app_setting" (
    "key" TEXT NOT NULL,
    "value" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "app_setting_pkey" PRIMARY KEY ("key")
);
