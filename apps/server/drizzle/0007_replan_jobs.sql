CREATE TABLE "sla_replan_jobs" (
	"id" text PRIMARY KEY NOT NULL,
	"reason" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"total" integer DEFAULT 0 NOT NULL,
	"done" integer DEFAULT 0 NOT NULL,
	"changed" integer DEFAULT 0 NOT NULL,
	"resumed" integer DEFAULT 0 NOT NULL,
	"cursor" text,
	"owner" text,
	"heartbeat_at" timestamp with time zone,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone,
	"error" text
);
--> statement-breakpoint
CREATE INDEX "sla_replan_jobs_status_idx" ON "sla_replan_jobs" USING btree ("status","heartbeat_at");