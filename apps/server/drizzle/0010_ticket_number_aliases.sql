-- Tickets renumbered by a change of kind keep their earlier numbers in state.numberAliases:
-- GET /api/tickets?number= and /api/tickets/by-number/:number look them up with @>.
CREATE INDEX IF NOT EXISTS "tickets_number_aliases_idx" ON "tickets" USING gin (("state" -> 'numberAliases') jsonb_path_ops);
