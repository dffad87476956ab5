-- The customer portal (issue 18, decision 52): signed per-ticket links (token stored as its
-- SHA-256; expiring, revocable), customer accounts for contacts, and their sessions.
CREATE TABLE "portal_links" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"contact_id" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "portal_links_token_hash_idx" ON "portal_links" USING btree ("token_hash");
--> statement-breakpoint
CREATE INDEX "portal_links_ticket_idx" ON "portal_links" USING btree ("ticket_id");
--> statement-breakpoint
CREATE TABLE "portal_accounts" (
	"id" text PRIMARY KEY NOT NULL,
	"contact_id" text NOT NULL,
	"login" text NOT NULL,
	"password_hash" text NOT NULL,
	"organisation_wide" boolean DEFAULT false NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"disabled_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "portal_accounts_login_idx" ON "portal_accounts" USING btree ("login");
--> statement-breakpoint
CREATE UNIQUE INDEX "portal_accounts_contact_idx" ON "portal_accounts" USING btree ("contact_id");
--> statement-breakpoint
CREATE TABLE "portal_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"account_id" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "portal_sessions_account_idx" ON "portal_sessions" USING btree ("account_id");
