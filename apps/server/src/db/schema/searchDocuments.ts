import { bigint, customType, index, pgTable, real, text, timestamp } from 'drizzle-orm/pg-core';

/** A PostgreSQL `tsvector`, written as a literal the search feature builds (features/search/terms.ts). */
const tsvector = customType<{ data: string }>({
  dataType: () => 'tsvector',
});

/**
 * The search index (migration 0012, decision 32): one row per searchable text of a ticket (its
 * number, title, description, customer, each comment and log entry), organisation or contact.
 * `audience` says who may read the text (features/search/audience.ts); `terms` are cut in
 * TypeScript. Filled from the event log by the search projector, never by commands.
 */
export const searchDocuments = pgTable(
  'search_documents',
  {
    key: text('key').primaryKey(),
    kind: text('kind').notNull(),
    refId: text('ref_id').notNull(),
    source: text('source').notNull(),
    audience: text('audience').notNull(),
    body: text('body').notNull(),
    terms: tsvector('terms').notNull(),
    boost: real('boost').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
    seq: bigint('seq', { mode: 'number' }).notNull(),
  },
  (t) => [
    index('search_documents_terms_idx').using('gin', t.terms),
    index('search_documents_ref_idx').on(t.kind, t.refId),
  ],
);
