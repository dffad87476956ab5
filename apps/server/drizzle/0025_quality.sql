-- QA sampling (issue 22, decision 48): the monthly job's one sample per month (unique on `period`
-- among the job's samples: the first node to draw it wins) and extra samples drawn by hand, each
-- with its sampled tickets, their automatic findings and the reviewer's verdict.
CREATE TABLE IF NOT EXISTS "qa_samples" (
	"id" text PRIMARY KEY NOT NULL,
	"period" text NOT NULL,
	"seed" text NOT NULL,
	"period_from" timestamp with time zone NOT NULL,
	"period_to" timestamp with time zone NOT NULL,
	"population" integer NOT NULL,
	"size" integer NOT NULL,
	"strata" jsonb NOT NULL,
	"drawn_at" timestamp with time zone NOT NULL,
	"drawn_by" text
);
--> statement-breakpoint
CREATE TABLE IF NOT EXISTS "qa_items" (
	"id" text PRIMARY KEY NOT NULL,
	"sample_id" text NOT NULL REFERENCES "qa_samples"("id") ON DELETE cascade,
	"ticket_id" text NOT NULL,
	"ticket_number" text NOT NULL,
	"agent_id" text,
	"priority" text NOT NULL,
	"stratum" text NOT NULL,
	"position" integer NOT NULL,
	"closed_at" timestamp with time zone NOT NULL,
	"findings" jsonb NOT NULL,
	"verdict" jsonb,
	"reviewed_by" text,
	"reviewed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX IF NOT EXISTS "qa_samples_monthly_idx" ON "qa_samples" USING btree ("period") WHERE "drawn_by" IS NULL;
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "qa_samples_period_idx" ON "qa_samples" USING btree ("period","drawn_at");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "qa_items_sample_idx" ON "qa_items" USING btree ("sample_id","position");
--> statement-breakpoint
CREATE INDEX IF NOT EXISTS "qa_items_agent_idx" ON "qa_items" USING btree ("agent_id","closed_at");
