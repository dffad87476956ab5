-- The knowledge base (issue 21, decision 51): an article and its numbered revisions. Every
-- change is a `kb.article.*` command on the bus (row and event in one transaction). A
-- revision's terms are cut in TypeScript by the search feature's cutter (decision 32) and
-- stored as tsvector literals: `title_terms` (title and tags) and `body_terms`. `is_latest`
-- marks the revision being worked on, `is_published` the one readers see.
CREATE TABLE IF NOT EXISTS "kb_articles" (
	"id" text PRIMARY KEY NOT NULL,
	"version" integer NOT NULL,
	"revision" integer NOT NULL,
	"published_revision" integer,
	"ticket_ids" jsonb NOT NULL,
	"attachment_ids" jsonb NOT NULL,
	"source_ticket_id" text,
	"helped" integer NOT NULL DEFAULT 0,
	"not_helped" integer NOT NULL DEFAULT 0,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "kb_revisions" (
	"article_id" text NOT NULL,
	"revision" integer NOT NULL,
	"state" text NOT NULL,
	"is_latest" boolean NOT NULL,
	"is_published" boolean NOT NULL,
	"title" text NOT NULL,
	"body" text NOT NULL,
	"language" text NOT NULL,
	"visibility" text NOT NULL,
	"category" text,
	"module" text,
	"sub_function" text,
	"tags" jsonb NOT NULL,
	"title_terms" tsvector NOT NULL,
	"body_terms" tsvector NOT NULL,
	"author_id" text,
	"reviewer_id" text,
	"publisher_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"reviewed_at" timestamp with time zone,
	"published_at" timestamp with time zone,
	"retired_at" timestamp with time zone,
	CONSTRAINT "kb_revisions_pk" PRIMARY KEY ("article_id", "revision")
);
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "kb_revisions_title_terms_idx" ON "kb_revisions" USING gin ("title_terms");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "kb_revisions_body_terms_idx" ON "kb_revisions" USING gin ("body_terms");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "kb_revisions_published_idx" ON "kb_revisions" ("is_published", "visibility");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "kb_revisions_latest_idx" ON "kb_revisions" ("is_latest", "state");
