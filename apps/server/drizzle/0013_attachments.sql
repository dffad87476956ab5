-- Attachments (decision 33): one row per uploaded file. The bytes live in the blob store,
-- addressed by sha256 (several rows may share one blob). A row is staged by the upload route
-- (attached_seq null) and attached by the `ticket.attachment.add` command in the same
-- transaction as its `ticket.attachmentAdded` event (attached_seq = that event's seq, which
-- `audit verify` compares the row with). The retention job sets purged_at (with an
-- `attachment.purged` event for attached rows) and blob_deleted once no live row needs the blob.
CREATE TABLE IF NOT EXISTS "attachments" (
	"id" text PRIMARY KEY NOT NULL,
	"owner_kind" text DEFAULT 'ticket' NOT NULL,
	"ticket_id" text,
	"log_entry_id" text,
	"sha256" text NOT NULL,
	"size" bigint NOT NULL,
	"name" text NOT NULL,
	"content_type" text NOT NULL,
	"uploaded_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"attached_seq" bigint,
	"purged_at" timestamp with time zone,
	"blob_deleted" boolean DEFAULT false NOT NULL,
	CONSTRAINT "attachments_sha256_check" CHECK ("sha256" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "attachments_size_check" CHECK ("size" >= 0)
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "attachments_ticket_idx" ON "attachments" ("ticket_id");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "attachments_sha256_idx" ON "attachments" ("sha256");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "attachments_staged_idx" ON "attachments" ("created_at") WHERE "attached_seq" IS NULL AND "purged_at" IS NULL;
