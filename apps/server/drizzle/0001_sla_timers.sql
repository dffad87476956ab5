CREATE TABLE "sla_timers" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"target" text NOT NULL,
	"threshold" integer NOT NULL,
	"after_minutes" integer DEFAULT 0 NOT NULL,
	"key" text NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"fired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "sla_timers_ticket_key_idx" ON "sla_timers" USING btree ("ticket_id","key");--> statement-breakpoint
CREATE INDEX "sla_timers_due_idx" ON "sla_timers" USING btree ("fired_at","due_at");