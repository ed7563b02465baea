-- Platform channels (Zalo OA, Zalo Bot, Telegram).

-- Receipts: Zalo OA tells when a reply reached the phone and when it was read.
ALTER TYPE "DeliveryStatus" ADD VALUE IF NOT EXISTS 'delivered';
ALTER TYPE "DeliveryStatus" ADD VALUE IF NOT EXISTS 'seen';

-- A person who unfollows the OA (or blocks the bot) cannot be written to; the console shows it.
ALTER TABLE "contact" ADD COLUMN "unfollowed_at" TIMESTAMPTZ(3);

-- Each part of an outbound message the platform accepted, with the platform's id. A retried
-- delivery skips the parts recorded here, so it never sends twice what was already accepted;
-- receipts find the message through external_id.
CREATE TABLE "delivery_part" (
    "message_id" UUID NOT NULL,
    "part" INTEGER NOT NULL,
    "channel" "Channel" NOT NULL,
    "external_id" TEXT,
    "sent_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "delivery_part_pkey" PRIMARY KEY ("message_id", "part"),
    CONSTRAINT "delivery_part_message_id_fkey" FOREIGN KEY ("message_id") REFERENCES "message"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "delivery_part_channel_external_id_idx" ON "delivery_part"("channel", "external_id");

-- Platform credentials that rotate (Zalo OA: access token ~25 h, single-use refresh token). The
-- newest pair lives here, not in the environment; env_fingerprint tells when an operator put a
-- new pair into the environment (re-authorised the app), which then wins.
CREATE TABLE "channel_credential" (
    "channel" "Channel" NOT NULL,
    "access_token" TEXT,
    "refresh_token" TEXT,
    "access_expires_at" TIMESTAMPTZ(3),
    "env_fingerprint" TEXT NOT NULL,
    "version" INTEGER NOT NULL DEFAULT 0,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "channel_credential_pkey" PRIMARY KEY ("channel")
);
