-- E-mail intake (decision 42): one row per mail the desk took in, keyed by its Message-ID
-- (lower case, without the angle brackets; `sha256:<hex>` of the raw message when it has
-- none). The row is claimed before the mail's commands run and marked `done` or `ignored`
-- after, so a mail delivered twice, retried after a restart, or fetched by several nodes has
-- its effect once. `ticket_id` maps a Message-ID to its ticket for replies (In-Reply-To /
-- References).
CREATE TABLE "mail_messages" (
	"key" text PRIMARY KEY NOT NULL,
	"state" text NOT NULL,
	"outcome" text,
	"source" text NOT NULL,
	"ticket_id" text,
	"claimed_by" text NOT NULL,
	"claimed_at" timestamp with time zone NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "mail_messages_ticket_idx" ON "mail_messages" USING btree ("ticket_id");
