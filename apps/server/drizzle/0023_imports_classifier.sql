-- Historical import and the classifier (issue 21, decision 50).
-- `import_jobs`: one row per `POST /api/import/tickets`, its progress written by the node that
-- runs it after every batch, so any node answers `GET /api/import/jobs/:id`; `errors` holds the
-- first rows refused ({ line, message }).
CREATE TABLE "import_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"total" integer NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"failed" integer DEFAULT 0 NOT NULL,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"created_by" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone
);
--> statement-breakpoint
-- `classifier_models`: every trained model, newest version in force on every node. `model` is
-- the packed weights (base64 of little-endian float32), `meta` the fields, classes, hashing
-- and per-field cross-validated accuracy.
CREATE TABLE "classifier_models" (
	"version" integer PRIMARY KEY NOT NULL,
	"trained_at" timestamp with time zone NOT NULL,
	"examples" integer NOT NULL,
	"meta" jsonb NOT NULL,
	"model" text NOT NULL
);
--> statement-breakpoint
-- `classifier_jobs`: training runs (`key` unique: `nightly:<date>` is claimed by one node).
CREATE TABLE "classifier_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"key" text NOT NULL,
	"reason" text NOT NULL,
	"status" text NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"version" integer,
	"error" text,
	CONSTRAINT "classifier_jobs_key_unique" UNIQUE("key")
);
--> statement-breakpoint
-- `classifier_feedback`: what the create dialog suggested and what the agent kept, per field.
CREATE TABLE "classifier_feedback" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text,
	"field" text NOT NULL,
	"suggested" text,
	"confidence" real,
	"kept" text,
	"model_version" integer,
	"actor_id" text NOT NULL,
	"at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "classifier_feedback_at_idx" ON "classifier_feedback" USING btree ("at");
