import {
  boolean,
  customType,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
} from 'drizzle-orm/pg-core';

/** A PostgreSQL `tsvector`, written as a literal the search feature's cutter builds. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * Knowledge-base articles (migration 0022, decision 51): pointers to the latest and published
 * revisions, links, and the "this helped" counts. Written only by `kb.article.*` commands.
 */
export const kbArticles = pgTable('kb_articles', {
  id: text('id').primaryKey(),
  version: integer('version').notNull(),
  revision: integer('revision').notNull(),
  publishedRevision: integer('published_revision'),
  ticketIds: jsonb('ticket_ids').notNull(),
  attachmentIds: jsonb('attachment_ids').notNull(),
  sourceTicketId: text('source_ticket_id'),
  helped: integer('helped').notNull().default(0),
  notHelped: integer('not_helped').notNull().default(0),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull(),
});

/** An article's revisions, each with its review state and its search terms. */
export const kbRevisions = pgTable(
  'kb_revisions',
  {
    articleId: text('article_id').notNull(),
    revision: integer('revision').notNull(),
    state: text('state').notNull(),
    isLatest: boolean('is_latest').notNull(),
    isPublished: boolean('is_published').notNull(),
    title: text('title').notNull(),
    body: text('body').notNull(),
    language: text('language').notNull(),
    visibility: text('visibility').notNull(),
    category: text('category'),
    module: text('module'),
    subFunction: text('sub_function'),
    tags: jsonb('tags').notNull(),
    titleTerms: tsvector('title_terms').notNull(),
    bodyTerms: tsvector('body_terms').notNull(),
    authorId: text('author_id'),
    reviewerId: text('reviewer_id'),
    publisherId: text('publisher_id'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    reviewedAt: timestamp('reviewed_at', { withTimezone: true }),
    publishedAt: timestamp('published_at', { withTimezone: true }),
    retiredAt: timestamp('retired_at', { withTimezone: true }),
  },
  (t) => [
    primaryKey({ name: 'kb_revisions_pk', columns: [t.articleId, t.revision] }),
    index('kb_revisions_title_terms_idx').using('gin', t.titleTerms),
    index('kb_revisions_body_terms_idx').using('gin', t.bodyTerms),
    index('kb_revisions_published_idx').on(t.isPublished, t.visibility),
    index('kb_revisions_latest_idx').on(t.isLatest, t.state),
  ],
);
