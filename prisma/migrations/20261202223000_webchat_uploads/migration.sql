-- Files a person sends from the web chat widget (photos, PDF). The web chat has no platform to keep
-- them, so the bytes live here; the message's attachment points at the row ("webchat-upload:<id>"),
-- and staff open it through GET /api/messages/:id/attachments/:index. `session_id` is the web chat
-- session (the contact's channel_user_id) that uploaded it: only that session may attach it.
CREATE TABLE "webchat_upload" (
    "id" UUID NOT NULL,
    "session_id" TEXT NOT NULL,
    "content_type" TEXT NOT NULL,
    "size" INTEGER NOT NULL,
    "file_name" TEXT,
    "bytes" BYTEA NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "webchat_upload_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "webchat_upload_session_id_idx" ON "webchat_upload"("session_id");
