-- The ticket command path in one round trip, for one command or a group of them (decision 56;
-- tickets/groupCommit.ts). The caller read the ticket (or had it cached), ran the shared
-- `decide`, the reducer and the SLA plan in TypeScript on it, and sends per command: its
-- commandId and actor, the ticket id, the base it decided on (version and last_seq; null when
-- the ticket did not exist) and, unless the command was refused, what to write (the ticket
-- row's columns, the SLA timer plan when it moved, the events as `dutydesk_append` takes them,
-- the offset of the last event applied to the ticket and the placeholder result). In one
-- statement (autocommit: one transaction) this function
--   1. takes every command's idempotency lock (727274003, as dutydesk_claim_command) in hash
--      order, then locks every ticket row in id order: the same lock classes in the same order
--      as the transaction path (commandId, ticket, append lock), so batches on several nodes
--      and single commands never wait on each other in a cycle;
--   2. for each command, in the given order: a stored result of its commandId answers it
--      ('dup': the bus gives the same actor its result, another actor a conflict); a ticket
--      whose version or last_seq is not the base answers 'stale' with the row's state (the
--      caller decides again on it); a refusal answers 'same' (confirmed on the current row,
--      nothing written); otherwise the row is written, the timers replaced (unfired rows not in
--      the plan deleted, the others upserted, fired rows never touched) and the events appended
--      by dutydesk_append (append lock to COMMIT, seq in commit order, hash chain, the stored
--      result with the real seqs), the row written once with its real last_seq: 'ok' with the
--      first seq.
-- Returns one jsonb object per command, in the given order.
CREATE OR REPLACE FUNCTION dutydesk_commit_commands(p_batch jsonb)
RETURNS jsonb
LANGUAGE plpgsql VOLATILE AS $$
DECLARE
	c jsonb;
	w jsonb;
	r jsonb;
	h integer;
	v_out jsonb := '[]'::jsonb;
	v_found boolean;
	v_actor text;
	v_result jsonb;
	v_version integer;
	v_last bigint;
	v_state jsonb;
	v_first bigint;
	v_keys text[];
BEGIN
	FOR h IN SELECT DISTINCT hashtext(e->>'commandId') AS k FROM jsonb_array_elements(p_batch) e ORDER BY k LOOP
		PERFORM pg_advisory_xact_lock(727274003, h);
	END LOOP;
	PERFORM 1 FROM tickets
	WHERE id IN (SELECT e->>'ticketId' FROM jsonb_array_elements(p_batch) e)
	ORDER BY id FOR UPDATE;

	FOR c IN SELECT t.value FROM jsonb_array_elements(p_batch) WITH ORDINALITY AS t(value, ord) ORDER BY t.ord LOOP
		SELECT cr.actor_id, cr.result INTO v_actor, v_result
		FROM command_results cr WHERE cr.command_id = c->>'commandId';
		IF FOUND THEN
			v_out := v_out || jsonb_build_array(jsonb_build_object('s', 'dup', 'actorId', v_actor, 'result', v_result));
			CONTINUE;
		END IF;
		SELECT t.version, t.last_seq, t.state INTO v_version, v_last, v_state
		FROM tickets t WHERE t.id = c->>'ticketId';
		v_found := FOUND;
		IF (jsonb_typeof(c->'base') = 'object') IS DISTINCT FROM v_found
			OR (v_found AND (v_version <> (c->'base'->>'version')::integer OR v_last <> (c->'base'->>'lastSeq')::bigint)) THEN
			v_out := v_out || jsonb_build_array(jsonb_build_object('s', 'stale', 'state', CASE WHEN v_found THEN v_state ELSE 'null'::jsonb END));
			CONTINUE;
		END IF;
		w := c->'write';
		IF w IS NULL OR jsonb_typeof(w) <> 'object' THEN
			v_out := v_out || jsonb_build_array(jsonb_build_object('s', 'same'));
			CONTINUE;
		END IF;
		-- The append first (no ticket rider): the row is then written once, with its last_seq.
		IF jsonb_array_length(w->'events') > 0 THEN
			v_first := dutydesk_append(w->'events', c->>'commandId', NULL,
				(w->>'offset')::integer, w->'result', c->>'actorId', (w->>'at')::timestamptz);
		ELSE
			v_first := NULL;
			INSERT INTO command_results (command_id, actor_id, result, created_at)
			VALUES (c->>'commandId', c->>'actorId', w->'result', (w->>'at')::timestamptz);
		END IF;
		r := w->'row';
		v_state := r->'state';
		v_last := (r->>'lastSeq')::bigint;
		IF v_first IS NOT NULL AND (w->>'offset')::integer > 0 THEN
			v_last := v_first + (w->>'offset')::integer - 1;
			v_state := jsonb_set(v_state, '{lastSeq}', to_jsonb(v_last));
		END IF;
		INSERT INTO tickets (id, number, kind, status, priority, group_id, assignee_id, organisation_id,
			contact_id, major_incident, open, version, last_seq, received_at, updated_at, state)
		VALUES (c->>'ticketId', r->>'number', r->>'kind', r->>'status', r->>'priority', r->>'groupId',
			r->>'assigneeId', r->>'organisationId', r->>'contactId', (r->>'majorIncident')::boolean,
			(r->>'open')::boolean, (r->>'version')::integer, v_last,
			(r->>'receivedAt')::timestamptz, (r->>'updatedAt')::timestamptz, v_state)
		ON CONFLICT (id) DO UPDATE SET number = excluded.number, kind = excluded.kind,
			status = excluded.status, priority = excluded.priority, group_id = excluded.group_id,
			assignee_id = excluded.assignee_id, organisation_id = excluded.organisation_id,
			contact_id = excluded.contact_id, major_incident = excluded.major_incident,
			open = excluded.open, version = excluded.version, last_seq = excluded.last_seq,
			received_at = excluded.received_at, updated_at = excluded.updated_at, state = excluded.state;
		IF jsonb_typeof(w->'timers') = 'array' THEN
			SELECT coalesce(array_agg(x->>'key'), '{}') INTO v_keys FROM jsonb_array_elements(w->'timers') x;
			DELETE FROM sla_timers st
			WHERE st.ticket_id = c->>'ticketId' AND st.fired_at IS NULL AND NOT (st.key = ANY (v_keys));
			INSERT INTO sla_timers (ticket_id, target, threshold, after_minutes, key, due_at)
			SELECT c->>'ticketId', x->>'target', (x->>'threshold')::integer, (x->>'afterMinutes')::integer,
				x->>'key', (x->>'dueAt')::timestamptz
			FROM jsonb_array_elements(w->'timers') x
			ON CONFLICT (ticket_id, key) DO UPDATE SET due_at = excluded.due_at,
				threshold = excluded.threshold, after_minutes = excluded.after_minutes, target = excluded.target
			WHERE sla_timers.fired_at IS NULL;
		END IF;
		v_out := v_out || jsonb_build_array(jsonb_build_object('s', 'ok', 'first', v_first));
	END LOOP;
	RETURN v_out;
END;
$$;
