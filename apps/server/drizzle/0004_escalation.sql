CREATE TABLE "alerts" (
	"id" text PRIMARY KEY NOT NULL,
	"ticket_id" text,
	"kind" text NOT NULL,
	"step_key" text NOT NULL,
	"level" integer NOT NULL,
	"severity" text NOT NULL,
	"message" text NOT NULL,
	"targets" jsonb NOT NULL,
	"status" text NOT NULL,
	"outcome" text,
	"count" integer DEFAULT 1 NOT NULL,
	"parent_id" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_raised_at" timestamp with time zone NOT NULL,
	"climb_at" timestamp with time zone,
	"acknowledged_by" text,
	"acknowledged_at" timestamp with time zone,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "escalation_policies" (
	"id" text PRIMARY KEY NOT NULL,
	"body" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text
);
--> statement-breakpoint
CREATE TABLE "escalation_cursors" (
	"id" text PRIMARY KEY NOT NULL,
	"seq" bigint NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_templates" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"start_time" text NOT NULL,
	"duration_minutes" integer NOT NULL,
	"time_zone" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_shifts" (
	"id" text PRIMARY KEY NOT NULL,
	"template_id" text,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"starts_at" timestamp with time zone NOT NULL,
	"ends_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "roster_assignments" (
	"id" text PRIMARY KEY NOT NULL,
	"shift_id" text NOT NULL,
	"user_id" text NOT NULL,
	"duty" text NOT NULL,
	"cover_for" text,
	"from_at" timestamp with time zone,
	"to_at" timestamp with time zone,
	"created_at" timestamp with time zone NOT NULL,
	"created_by" text,
	"removed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "roster_handovers" (
	"shift_id" text PRIMARY KEY NOT NULL,
	"generated_at" timestamp with time zone NOT NULL,
	"report" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "major_incidents" (
	"ticket_id" text PRIMARY KEY NOT NULL,
	"status" text NOT NULL,
	"declared_at" timestamp with time zone NOT NULL,
	"declared_by" text NOT NULL,
	"child_ticket_ids" jsonb NOT NULL,
	"timeline" jsonb NOT NULL,
	"closed_at" timestamp with time zone,
	"root_cause_due_at" timestamp with time zone,
	"root_cause_done_at" timestamp with time zone,
	"root_cause_summary" text,
	"root_cause_alerted_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "alerts_open_ticket_step_idx" ON "alerts" USING btree ("ticket_id","step_key") WHERE status = 'open' and ticket_id is not null;--> statement-breakpoint
CREATE INDEX "alerts_climb_idx" ON "alerts" USING btree ("status","climb_at");--> statement-breakpoint
CREATE INDEX "alerts_parent_idx" ON "alerts" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "roster_shifts_time_idx" ON "roster_shifts" USING btree ("starts_at","ends_at");--> statement-breakpoint
CREATE INDEX "roster_assignments_shift_idx" ON "roster_assignments" USING btree ("shift_id");