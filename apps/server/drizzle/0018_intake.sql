-- Intake (issue 19, decision 41): integration tokens (stored hashed), the intake settings,
-- Alertmanager alerts by fingerprint, monitored devices with their thresholds and each
-- device metric's health state, and hotline calls / chats by their source's id.
CREATE TABLE "integrations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"kind" text NOT NULL,
	"token_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "integrations_token_hash_idx" ON "integrations" USING btree ("token_hash");
--> statement-breakpoint
CREATE TABLE "intake_settings" (
	"id" text PRIMARY KEY NOT NULL,
	"data" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "intake_alerts" (
	"fingerprint" text PRIMARY KEY NOT NULL,
	"ticket_id" text NOT NULL,
	"status" text NOT NULL,
	"starts_at" text NOT NULL,
	"last_key" text NOT NULL,
	"count" integer NOT NULL,
	"last_seen_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "monitored_devices" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"organisation_id" text REFERENCES "organisations"("id") ON DELETE restrict,
	"lead_contact_id" text REFERENCES "contacts"("id") ON DELETE restrict,
	"thresholds" jsonb NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "device_metric_states" (
	"device_id" text NOT NULL,
	"metric" text NOT NULL,
	"state" jsonb NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "device_metric_states_pk" PRIMARY KEY("device_id","metric")
);
--> statement-breakpoint
CREATE TABLE "intake_calls" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" text,
	"caller" text,
	"queued_at" timestamp with time zone,
	"answered_at" timestamp with time zone,
	"ended_at" timestamp with time zone,
	"last_key" text NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "intake_calls_queued_idx" ON "intake_calls" USING btree ("kind", "queued_at");
