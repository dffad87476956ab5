-- Outgoing e-mail (decision 38). Every mail is one row of the outbox, keyed by a dedupe key
-- (`ticket:<id>:receipt:<contact>`, `event:<seq>:update`, …): a mail is enqueued once however
-- often the event behind it is processed, on however many nodes. A node's sender claims due rows
-- under a lease (`FOR UPDATE SKIP LOCKED`), sends, and records each attempt in `mail_attempts`
-- (the log of what was sent). `mail_cursor` is how far the event log was turned into mails; it
-- starts at the head, so history sends nothing. Staff get an e-mail address (`users.email`).
CREATE TABLE "mail_outbox" (
	"dedupe_key" text PRIMARY KEY NOT NULL,
	"to_address" text NOT NULL,
	"template" text NOT NULL,
	"locale" text NOT NULL,
	"params" jsonb NOT NULL,
	"status" text DEFAULT 'queued' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"next_attempt_at" timestamp with time zone NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"last_error" text,
	"message_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"sent_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "mail_outbox_due_idx" ON "mail_outbox" USING btree ("status", "next_attempt_at");
--> statement-breakpoint
CREATE TABLE "mail_attempts" (
	"n" bigserial PRIMARY KEY NOT NULL,
	"dedupe_key" text NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"to_address" text NOT NULL,
	"template" text NOT NULL,
	"message_id" text,
	"error" text,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "mail_attempts_at_idx" ON "mail_attempts" USING btree ("at");
--> statement-breakpoint
CREATE INDEX "mail_attempts_key_idx" ON "mail_attempts" USING btree ("dedupe_key");
--> statement-breakpoint
CREATE TABLE "mail_cursor" (
	"id" integer PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
INSERT INTO "mail_cursor" ("id", "seq") SELECT 1, coalesce(max("seq"), 0) FROM "events";
--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "email" text;
