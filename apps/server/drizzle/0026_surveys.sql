-- Surveys (issue 18, decision 53). `survey_invitations`: one row per survey link made when a
-- mail is sent, keyed by the SHA-256 of its token (the token itself is never stored); a CSAT
-- invitation names its ticket, an NPS one its round (`2026-Q4`). `used_at` makes it single-use.
-- `survey_answers`: one CSAT per ticket and one NPS per contact and round (unique indexes),
-- with the follow-up alert a low score raised. `survey_rounds`: the quarterly NPS sample, run
-- once across nodes under a lease.
CREATE TABLE "survey_invitations" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"ticket_id" text,
	"contact_id" text NOT NULL,
	"round" text,
	"locale" text NOT NULL,
	"created_at" timestamp with time zone NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE INDEX "survey_invitations_ticket_idx" ON "survey_invitations" USING btree ("ticket_id");
--> statement-breakpoint
CREATE INDEX "survey_invitations_created_idx" ON "survey_invitations" USING btree ("kind","created_at");
--> statement-breakpoint
CREATE TABLE "survey_answers" (
	"id" text PRIMARY KEY NOT NULL,
	"kind" text NOT NULL,
	"invitation_id" text NOT NULL,
	"ticket_id" text,
	"contact_id" text NOT NULL,
	"organisation_id" text,
	"round" text,
	"score" integer NOT NULL,
	"comment" text NOT NULL,
	"follow_up" boolean NOT NULL,
	"answered_at" timestamp with time zone NOT NULL,
	"alert_claimed_at" timestamp with time zone,
	"alert_id" text
);
--> statement-breakpoint
CREATE UNIQUE INDEX "survey_answers_csat_ticket_uq" ON "survey_answers" USING btree ("ticket_id") WHERE "kind" = 'csat';
--> statement-breakpoint
CREATE UNIQUE INDEX "survey_answers_nps_round_uq" ON "survey_answers" USING btree ("contact_id","round") WHERE "kind" = 'nps';
--> statement-breakpoint
CREATE INDEX "survey_answers_answered_idx" ON "survey_answers" USING btree ("kind","answered_at");
--> statement-breakpoint
CREATE INDEX "survey_answers_org_idx" ON "survey_answers" USING btree ("organisation_id","answered_at");
--> statement-breakpoint
CREATE TABLE "survey_rounds" (
	"round" text PRIMARY KEY NOT NULL,
	"lease_owner" text,
	"lease_until" timestamp with time zone,
	"sampled" integer,
	"done_at" timestamp with time zone
);
