-- Customer records (decision 31): organisations and contacts, linked from tickets.
-- name_key / phone_digits are what lookups and de-duplication compare (normaliseName,
-- normalisePhone in packages/shared); the text_pattern_ops indexes serve prefix matches
-- (`like 'q%'`) whatever the database's collation, the reverse() one suffix matches (the last
-- digits of a number stored with its country code).
CREATE TABLE "organisations" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"business_type" text,
	"contract" text,
	"sla_policy_id" text,
	"core_needs" text,
	"special_concerns" text,
	"service_manager_id" text REFERENCES "users"("id") ON DELETE SET NULL,
	"status" text NOT NULL,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "organisations_name_key_idx" ON "organisations" USING btree ("name_key" text_pattern_ops);
--> statement-breakpoint
CREATE TABLE "contacts" (
	"id" text PRIMARY KEY NOT NULL,
	"organisation_id" text REFERENCES "organisations"("id") ON DELETE RESTRICT,
	"name" text NOT NULL,
	"name_key" text NOT NULL,
	"phone" text,
	"phone_digits" text,
	"email" text,
	"role" text,
	"preferred_language" text,
	"version" integer NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"updated_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE INDEX "contacts_organisation_idx" ON "contacts" USING btree ("organisation_id");
--> statement-breakpoint
CREATE INDEX "contacts_phone_digits_idx" ON "contacts" USING btree ("phone_digits" text_pattern_ops);
--> statement-breakpoint
CREATE INDEX "contacts_phone_digits_reverse_idx" ON "contacts" USING btree ((reverse("phone_digits")) text_pattern_ops);
--> statement-breakpoint
CREATE INDEX "contacts_name_key_idx" ON "contacts" USING btree ("name_key" text_pattern_ops);
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "organisation_id" text REFERENCES "organisations"("id") ON DELETE RESTRICT;
--> statement-breakpoint
ALTER TABLE "tickets" ADD COLUMN "contact_id" text REFERENCES "contacts"("id") ON DELETE RESTRICT;
--> statement-breakpoint
CREATE INDEX "tickets_organisation_idx" ON "tickets" USING btree ("organisation_id", "open");
--> statement-breakpoint
CREATE INDEX "tickets_contact_idx" ON "tickets" USING btree ("contact_id");
--> statement-breakpoint
-- The one-off move of existing free-text customers to records runs at the next start, in the
-- server (it appends events, whose hash chain is computed in the server): this row says it is
-- due, and keeps its place (the last ticket id done) so a stop half-way resumes.
CREATE TABLE "customer_backfills" (
	"id" text PRIMARY KEY NOT NULL,
	"cursor" text NOT NULL,
	"done_at" timestamp with time zone
);
--> statement-breakpoint
INSERT INTO "customer_backfills" ("id", "cursor", "done_at") VALUES ('free-text-customers', '', NULL);
