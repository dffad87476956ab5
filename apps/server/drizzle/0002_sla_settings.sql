CREATE TABLE "sla_settings" (
	"kind" text NOT NULL,
	"id" text NOT NULL,
	"body" jsonb NOT NULL,
	"version" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	"updated_by" text,
	CONSTRAINT "sla_settings_kind_id_pk" PRIMARY KEY("kind","id")
);
