-- The audit trail is append-only in the database itself, not only by convention: UPDATE, DELETE
-- and TRUNCATE on `events` (and on the signed head checkpoints that anchor it) are refused by
-- triggers, whoever runs them. Only the tables' owner can disable a trigger (ALTER TABLE), so an
-- application role that does not own the tables (docs/deploy.md, least-privilege grants) can
-- neither change history nor switch the guard off. There is no session setting that lets a
-- statement through: any role can set a custom setting, so it would guard nothing.
CREATE TABLE "audit_checkpoints" (
	"seq" bigint PRIMARY KEY NOT NULL,
	"hash" text NOT NULL,
	"at" timestamp with time zone NOT NULL,
	"key_id" text NOT NULL,
	"signature" text NOT NULL
);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION dutydesk_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION '% is append-only: % refused', TG_TABLE_NAME, TG_OP
		USING ERRCODE = '42501', HINT = 'the audit trail is never changed; corrections are new events';
END;
$$;
--> statement-breakpoint
CREATE TRIGGER "events_append_only" BEFORE UPDATE OR DELETE ON "events"
	FOR EACH ROW EXECUTE FUNCTION dutydesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "events_no_truncate" BEFORE TRUNCATE ON "events"
	FOR EACH STATEMENT EXECUTE FUNCTION dutydesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_append_only" BEFORE UPDATE OR DELETE ON "audit_checkpoints"
	FOR EACH ROW EXECUTE FUNCTION dutydesk_refuse_change();
--> statement-breakpoint
CREATE TRIGGER "audit_checkpoints_no_truncate" BEFORE TRUNCATE ON "audit_checkpoints"
	FOR EACH STATEMENT EXECUTE FUNCTION dutydesk_refuse_change();
