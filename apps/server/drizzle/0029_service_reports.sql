CREATE TABLE "service_reports" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"month" text,
	"period_from" text NOT NULL,
	"period_to" text NOT NULL,
	"scope" text NOT NULL,
	"organisation_id" text,
	"organisation_name" text,
	"locale" text NOT NULL,
	"content" jsonb NOT NULL,
	"pdf" bytea NOT NULL,
	"pdf_sha256" text NOT NULL,
	"pdf_bytes" integer NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"generated_by" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "service_reports_monthly_uq" ON "service_reports" USING btree ("month","scope") WHERE "service_reports"."kind" = 'monthly';
--> statement-breakpoint
CREATE INDEX "service_reports_generated_idx" ON "service_reports" USING btree ("generated_at");
--> statement-breakpoint
CREATE TABLE "service_report_runs" (
	"month" text PRIMARY KEY NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"reports" integer,
	"done_at" timestamp with time zone
);
