-- Outbound webhooks (decision 34): the event log is the outbox. Each subscription keeps its
-- cursor (the last seq delivered or skipped) and the lease of the node delivering it; the
-- delivery log keeps every attempt for a while.
CREATE TABLE "webhook_subscriptions" (
	"id" text PRIMARY KEY NOT NULL,
	"url" text NOT NULL,
	"events" jsonb NOT NULL,
	"group_ids" jsonb NOT NULL,
	"organisations" jsonb NOT NULL,
	"description" text NOT NULL,
	"status" text NOT NULL,
	"paused_reason" text,
	"secret" text NOT NULL,
	"previous_secret" text,
	"previous_secret_until" timestamp with time zone,
	"cursor_seq" bigint NOT NULL,
	"replay_gen" integer DEFAULT 0 NOT NULL,
	"revision" integer DEFAULT 0 NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"failing_since" timestamp with time zone,
	"next_attempt_at" timestamp with time zone,
	"last_error" text,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "webhook_subscriptions_status_idx" ON "webhook_subscriptions" USING btree ("status", "lease_until");
--> statement-breakpoint
CREATE TABLE "webhook_deliveries" (
	"subscription_id" text NOT NULL REFERENCES "webhook_subscriptions"("id") ON DELETE CASCADE,
	"n" bigserial NOT NULL,
	"message_id" text NOT NULL,
	"seq" bigint NOT NULL,
	"event_type" text NOT NULL,
	"attempt" integer NOT NULL,
	"outcome" text NOT NULL,
	"http_status" integer,
	"duration_ms" integer NOT NULL,
	"error" text,
	"at" timestamp with time zone NOT NULL,
	PRIMARY KEY ("subscription_id", "n")
);
--> statement-breakpoint
CREATE INDEX "webhook_deliveries_at_idx" ON "webhook_deliveries" USING btree ("at");
