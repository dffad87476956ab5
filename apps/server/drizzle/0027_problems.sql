-- Problem records and change requests (issue 22, decision 58). Each row holds the whole record
-- in `record` (the same object its `problem.*` / `change.*` events carry, so the audit chain
-- covers every change); the columns beside it are what lists and the 48 h job query.
-- `escalated_at` / `report_escalated_at`: the missed root-cause and fault-report targets were
-- escalated, once across nodes.
CREATE TABLE "problems" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"organisation_id" text,
	"root_cause_due_at" timestamp with time zone NOT NULL,
	"root_cause_at" timestamp with time zone,
	"escalated_at" timestamp with time zone,
	"report_escalated_at" timestamp with time zone,
	"record" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "problems_status_idx" ON "problems" USING btree ("status","updated_at");
--> statement-breakpoint
CREATE INDEX "problems_org_idx" ON "problems" USING btree ("organisation_id");
--> statement-breakpoint
CREATE INDEX "problems_due_idx" ON "problems" USING btree ("root_cause_due_at");
--> statement-breakpoint
CREATE TABLE "change_requests" (
	"id" text PRIMARY KEY NOT NULL,
	"number" text NOT NULL,
	"version" integer NOT NULL,
	"status" text NOT NULL,
	"problem_id" text,
	"record" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "change_requests_status_idx" ON "change_requests" USING btree ("status","updated_at");
--> statement-breakpoint
CREATE INDEX "change_requests_problem_idx" ON "change_requests" USING btree ("problem_id");
