-- The log's append step in one round trip (events.repo.ts `appendEvents`): takes the append
-- lock (held to COMMIT, so seq is commit order), reads the head with a fresh snapshot (a
-- VOLATILE function's statements each take one, so what committed while it waited is seen),
-- assigns seqs and the hash chain, inserts the events, then sets the seq-dependent values
-- the caller wrote before with a placeholder: the ticket row's last_seq / state.lastSeq and
-- the stored command result (each event's seq, ticket.lastSeq). Returns the first seq.
-- Each p_events element: { id, type, ticketId, actorId, at, data, pre, post } where
-- pre || seq || post is the event's canonical JSON (canonical.ts), so
-- hash = sha256(prev_hash || pre || seq || post), exactly as `hashEvent` computes it.
CREATE OR REPLACE FUNCTION dutydesk_append(
	p_events jsonb,
	p_command_id text,
	p_ticket_id text,
	p_ticket_offset integer,
	p_result jsonb,
	p_result_actor text,
	p_result_at timestamptz
) RETURNS bigint
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	v_seq bigint;
	v_hash text;
	v_prev text;
	v_first bigint;
	v_result jsonb;
	e jsonb;
BEGIN
	PERFORM pg_advisory_xact_lock(727274002);
	SELECT seq, hash INTO v_seq, v_hash FROM events ORDER BY seq DESC LIMIT 1;
	v_seq := coalesce(v_seq, 0);
	v_hash := coalesce(v_hash, repeat('0', 64));
	v_first := v_seq + 1;
	FOR e IN SELECT t.value FROM jsonb_array_elements(p_events) WITH ORDINALITY AS t(value, ord) ORDER BY t.ord LOOP
		v_seq := v_seq + 1;
		v_prev := v_hash;
		v_hash := encode(sha256(convert_to(v_prev || (e->>'pre') || v_seq::text || (e->>'post'), 'UTF8')), 'hex');
		INSERT INTO events (seq, id, type, ticket_id, actor_id, at, data, command_id, prev_hash, hash)
		VALUES (v_seq, e->>'id', e->>'type', e->>'ticketId', e->>'actorId', (e->>'at')::timestamptz,
			e->'data', p_command_id, v_prev, v_hash);
	END LOOP;
	IF p_ticket_id IS NOT NULL AND p_ticket_offset > 0 THEN
		UPDATE tickets
		SET last_seq = v_first + p_ticket_offset - 1,
			state = jsonb_set(state, '{lastSeq}', to_jsonb(v_first + p_ticket_offset - 1))
		WHERE id = p_ticket_id;
	END IF;
	IF p_result IS NOT NULL THEN
		v_result := p_result;
		IF jsonb_typeof(v_result->'events') = 'array' THEN
			v_result := jsonb_set(v_result, '{events}', (
				SELECT coalesce(jsonb_agg(jsonb_set(t.ev, '{seq}', to_jsonb(v_first + t.ord - 1)) ORDER BY t.ord), '[]'::jsonb)
				FROM jsonb_array_elements(v_result->'events') WITH ORDINALITY AS t(ev, ord)));
		END IF;
		IF p_ticket_offset > 0 AND jsonb_typeof(v_result->'ticket') = 'object' THEN
			v_result := jsonb_set(v_result, '{ticket,lastSeq}', to_jsonb(v_first + p_ticket_offset - 1));
		END IF;
		INSERT INTO command_results (command_id, actor_id, result, created_at)
		VALUES (p_command_id, p_result_actor, v_result, p_result_at);
	END IF;
	RETURN v_first;
END;
$$;
