-- The search index (decision 32): one row per searchable text (a ticket's number, title,
-- description, customer, each comment and log entry; later organisations and contacts), its
-- terms cut in TypeScript and stored as a tsvector literal (no text-search parser involved, so
-- PGlite and PostgreSQL store the same lexemes). Filled from the event log by the search
-- projector; `search_cursor` holds how far it has read and the version of the terms.
CREATE TABLE IF NOT EXISTS "search_documents" (
	"key" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ref_id" text NOT NULL,
	"source" text NOT NULL,
	"audience" text NOT NULL,
	"body" text NOT NULL,
	"terms" tsvector NOT NULL,
	"boost" real NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"seq" bigint NOT NULL
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "search_documents_terms_idx" ON "search_documents" USING gin ("terms");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "search_documents_ref_idx" ON "search_documents" ("kind", "ref_id");
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "search_cursor" (
	"name" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
INSERT INTO "search_cursor" ("name", "seq", "version", "updated_at") VALUES ('search', 0, 0, now()) ON CONFLICT ("name") DO NOTHING;
