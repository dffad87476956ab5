-- The command bus's idempotency step in one round trip (tickets.repo.ts `claimCommand`): takes
-- the per-commandId advisory lock (held to COMMIT, so retries of one commandId run one after
-- the other), then reads the stored result with a fresh snapshot (a VOLATILE function's
-- statements each take one, so a result committed while this waited is seen).
CREATE OR REPLACE FUNCTION dutydesk_claim_command(p_command_id text)
RETURNS TABLE(actor_id text, result jsonb)
LANGUAGE plpgsql VOLATILE AS $$
BEGIN
	PERFORM pg_advisory_xact_lock(727274003, hashtext(p_command_id));
	RETURN QUERY SELECT c.actor_id, c.result FROM command_results c WHERE c.command_id = p_command_id;
END;
$$;
