import type {
  KbArticle,
  KbArticleSummary,
  KbLanguage,
  KbRevision,
  KbState,
  KbUnhelpful,
  KbVisibility,
} from '@dutydesk/shared';
import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import { toTsvectorLiteral } from '../search';

/** An article's row: pointers, links and counts (its revisions are apart). */
export interface KbArticleHead {
  id: string;
  version: number;
  revision: number;
  publishedRevision: number | null;
  ticketIds: string[];
  attachmentIds: string[];
  sourceTicketId: string | null;
  helped: number;
  notHelped: number;
  createdAt: string;
  updatedAt: string;
}

type Row = Record<string, unknown>;

const iso = (v: unknown): string => new Date(v as string).toISOString();
const isoOrNull = (v: unknown): string | null => (v === null || v === undefined ? null : iso(v));
const json = (v: unknown): string[] =>
  (typeof v === 'string' ? (JSON.parse(v) as string[]) : (v as string[] | null)) ?? [];

function headOf(r: Row): KbArticleHead {
  return {
    id: String(r.id),
    version: Number(r.version),
    revision: Number(r.revision),
    publishedRevision: r.published_revision === null ? null : Number(r.published_revision),
    ticketIds: json(r.ticket_ids),
    attachmentIds: json(r.attachment_ids),
    sourceTicketId: (r.source_ticket_id as string | null) ?? null,
    helped: Number(r.helped),
    notHelped: Number(r.not_helped),
    createdAt: iso(r.created_at),
    updatedAt: iso(r.updated_at),
  };
}

function revisionOf(r: Row): KbRevision {
  return {
    revision: Number(r.revision),
    state: r.state as KbState,
    title: String(r.title),
    body: String(r.body),
    language: r.language as KbLanguage,
    visibility: r.visibility as KbVisibility,
    category: (r.category as string | null) ?? null,
    module: (r.module as string | null) ?? null,
    subFunction: (r.sub_function as string | null) ?? null,
    tags: json(r.tags),
    authorId: (r.author_id as string | null) ?? null,
    reviewerId: (r.reviewer_id as string | null) ?? null,
    publisherId: (r.publisher_id as string | null) ?? null,
    createdAt: iso(r.created_at),
    reviewedAt: isoOrNull(r.reviewed_at),
    publishedAt: isoOrNull(r.published_at),
    retiredAt: isoOrNull(r.retired_at),
  };
}

/** The article row locked for this transaction (a command's read-modify-write). */
export async function lockArticle(tx: Tx, id: string): Promise<KbArticleHead | null> {
  const rows = await queryRows<Row>(tx, sql`select * from kb_articles where id = ${id} for update`);
  return rows[0] ? headOf(rows[0]) : null;
}

/** One revision of an article. */
export async function readRevision(
  db: Db | Tx,
  id: string,
  revision: number,
): Promise<KbRevision | null> {
  const rows = await queryRows<Row>(
    db,
    sql`select * from kb_revisions where article_id = ${id} and revision = ${revision}`,
  );
  return rows[0] ? revisionOf(rows[0]) : null;
}

/** Every revision of an article, newest first. */
export async function readRevisions(db: Db, id: string): Promise<KbRevision[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select * from kb_revisions where article_id = ${id} order by revision desc`,
  );
  return rows.map(revisionOf);
}

/** An article with its latest and published revisions. */
export async function readArticle(db: Db | Tx, id: string): Promise<KbArticle | null> {
  const rows = await queryRows<Row>(db, sql`select * from kb_articles where id = ${id}`);
  if (!rows[0]) return null;
  const head = headOf(rows[0]);
  const latest = await readRevision(db, id, head.revision);
  if (!latest) return null;
  const published =
    head.publishedRevision === null
      ? null
      : head.publishedRevision === head.revision
        ? latest
        : await readRevision(db, id, head.publishedRevision);
  return {
    id: head.id,
    version: head.version,
    latest,
    published,
    ticketIds: head.ticketIds,
    attachmentIds: head.attachmentIds,
    sourceTicketId: head.sourceTicketId,
    helped: head.helped,
    notHelped: head.notHelped,
    createdAt: head.createdAt,
    updatedAt: head.updatedAt,
  };
}

/** The text a revision's title terms are cut from: its title and tags. */
export function titleText(r: Pick<KbRevision, 'title' | 'tags'>): string {
  return [r.title, ...r.tags].join(' \n ');
}

/** Writes the article row and one revision, then marks which revision is latest and published. */
export async function saveArticle(tx: Tx, head: KbArticleHead, rev: KbRevision): Promise<void> {
  await tx.execute(
    sql`insert into kb_articles (id, version, revision, published_revision, ticket_ids, attachment_ids,
          source_ticket_id, helped, not_helped, created_at, updated_at)
        values (${head.id}, ${head.version}, ${head.revision}, ${head.publishedRevision},
          ${JSON.stringify(head.ticketIds)}::jsonb, ${JSON.stringify(head.attachmentIds)}::jsonb,
          ${head.sourceTicketId}, ${head.helped}, ${head.notHelped},
          ${head.createdAt}::timestamptz, ${head.updatedAt}::timestamptz)
        on conflict (id) do update set version = excluded.version, revision = excluded.revision,
          published_revision = excluded.published_revision, ticket_ids = excluded.ticket_ids,
          attachment_ids = excluded.attachment_ids, helped = excluded.helped,
          not_helped = excluded.not_helped, updated_at = excluded.updated_at`,
  );
  await tx.execute(
    sql`insert into kb_revisions (article_id, revision, state, is_latest, is_published, title, body,
          language, visibility, category, module, sub_function, tags, title_terms, body_terms,
          author_id, reviewer_id, publisher_id, created_at, reviewed_at, published_at, retired_at)
        values (${head.id}, ${rev.revision}, ${rev.state}, false, false, ${rev.title}, ${rev.body},
          ${rev.language}, ${rev.visibility}, ${rev.category}, ${rev.module}, ${rev.subFunction},
          ${JSON.stringify(rev.tags)}::jsonb, ${toTsvectorLiteral(titleText(rev))}::tsvector,
          ${toTsvectorLiteral(rev.body)}::tsvector, ${rev.authorId}, ${rev.reviewerId},
          ${rev.publisherId}, ${rev.createdAt}::timestamptz, ${rev.reviewedAt}::timestamptz,
          ${rev.publishedAt}::timestamptz, ${rev.retiredAt}::timestamptz)
        on conflict (article_id, revision) do update set state = excluded.state,
          title = excluded.title, body = excluded.body, language = excluded.language,
          visibility = excluded.visibility, category = excluded.category, module = excluded.module,
          sub_function = excluded.sub_function, tags = excluded.tags,
          title_terms = excluded.title_terms, body_terms = excluded.body_terms,
          author_id = excluded.author_id, reviewer_id = excluded.reviewer_id,
          publisher_id = excluded.publisher_id, reviewed_at = excluded.reviewed_at,
          published_at = excluded.published_at, retired_at = excluded.retired_at`,
  );
  await tx.execute(
    sql`update kb_revisions set is_latest = (revision = ${head.revision}),
          is_published = (revision = ${head.publishedRevision ?? 0})
        where article_id = ${head.id}
          and (is_latest <> (revision = ${head.revision}) or is_published <> (revision = ${head.publishedRevision ?? 0}))`,
  );
}

/** Marks an older revision retired (a newer one was published over it). */
export async function retireRevision(
  tx: Tx,
  id: string,
  revision: number,
  at: string,
): Promise<void> {
  await tx.execute(
    sql`update kb_revisions set state = 'retired', retired_at = ${at}::timestamptz
        where article_id = ${id} and revision = ${revision}`,
  );
}

/** Which of these ids are not tickets / attachments. */
export async function findMissing(
  tx: Tx,
  table: 'tickets' | 'attachments',
  ids: readonly string[],
): Promise<string[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{ id: string }>(
    tx,
    sql`select id from ${sql.raw(table)} where id in ${list(ids)}`,
  );
  const found = new Set(rows.map((r) => r.id));
  return ids.filter((id) => !found.has(id));
}

function list(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** What a list asks. */
export interface KbListFilter {
  state?: readonly KbState[];
  language?: KbLanguage;
  visibility?: KbVisibility;
  category?: string;
  module?: string;
  subFunction?: string;
  limit: number;
}

/** Articles by their latest revision, most recently changed first. */
export async function listArticles(db: Db, f: KbListFilter): Promise<KbArticleSummary[]> {
  const where: SQL[] = [sql`r.is_latest`];
  if (f.state?.length) where.push(sql`r.state in ${list(f.state)}`);
  if (f.language) where.push(sql`r.language = ${f.language}`);
  if (f.visibility) where.push(sql`r.visibility = ${f.visibility}`);
  if (f.category) where.push(sql`r.category = ${f.category}`);
  if (f.module) where.push(sql`r.module = ${f.module}`);
  if (f.subFunction) where.push(sql`r.sub_function = ${f.subFunction}`);
  const rows = await queryRows<Row>(
    db,
    sql`select a.id, a.version, a.revision, a.published_revision, a.helped, a.not_helped,
          a.updated_at, r.state, r.title, r.language, r.visibility, r.category, r.module,
          r.sub_function, r.tags
        from kb_revisions r join kb_articles a on a.id = r.article_id
        where ${sql.join(where, sql` and `)}
        order by a.updated_at desc, a.id
        limit ${f.limit}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    version: Number(r.version),
    revision: Number(r.revision),
    publishedRevision: r.published_revision === null ? null : Number(r.published_revision),
    state: r.state as KbState,
    title: String(r.title),
    language: r.language as KbLanguage,
    visibility: r.visibility as KbVisibility,
    category: (r.category as string | null) ?? null,
    module: (r.module as string | null) ?? null,
    subFunction: (r.sub_function as string | null) ?? null,
    tags: json(r.tags),
    helped: Number(r.helped),
    notHelped: Number(r.not_helped),
    updatedAt: iso(r.updated_at),
  }));
}

/** What a search over revisions asks (tsquery literals from the search feature's cutter). */
export interface KbSearch {
  /** Any of the query's parts (the index's filter and the rank). */
  any: string;
  /** Each part, all of which must match the title or the body. */
  parts: readonly string[];
  /** `published`: the revisions readers see; `latest`: the ones being worked on. */
  scope: 'published' | 'latest';
  publicOnly: boolean;
  language?: KbLanguage;
  limit: number;
}

/** A revision that matched, with its article's counts and its rank. */
export interface KbMatch {
  revision: KbRevision;
  articleId: string;
  helped: number;
  rank: number;
}

/** Title (and tag) matches a search ranks at most. */
export const TITLE_CANDIDATES = 200;
/** Body matches a search ranks at most (after the title matches). */
export const BODY_CANDIDATES = 500;

/**
 * Revisions matching the query, best first: a title (or tag) match weighs three times a body
 * match (`ts_rank` of each), and "this helped" lifts an article by a log of its count (a
 * "did not help" lowers it a little), ties newest first. Ranked over at most
 * {@link TITLE_CANDIDATES} title matches and {@link BODY_CANDIDATES} body matches, as the GIN
 * indexes find them (as decision 32 caps ticket search: a word in half the articles would
 * otherwise rank thousands of rows per keystroke).
 */
export function kbSearchSql(s: KbSearch): SQL {
  const filters: SQL[] = [
    s.scope === 'published' ? sql`r.is_published` : sql`r.is_latest and r.state <> 'retired'`,
  ];
  if (s.publicOnly) filters.push(sql`r.visibility = 'public'`);
  if (s.language) filters.push(sql`r.language = ${s.language}`);
  const scope = sql.join(filters, sql` and `);
  const parts = s.parts.map(
    (p) => sql`and (r.title_terms @@ ${p}::tsquery or r.body_terms @@ ${p}::tsquery)`,
  );
  return sql`with q as (select ${s.any}::tsquery as q),
        c as (
          (select r.article_id, r.revision from kb_revisions r, q
            where r.title_terms @@ q.q and ${scope} limit ${TITLE_CANDIDATES})
          union
          (select r.article_id, r.revision from kb_revisions r, q
            where r.body_terms @@ q.q and ${scope} limit ${BODY_CANDIDATES})
        )
        select r.*, a.helped,
          3 * ts_rank(r.title_terms, q.q) + ts_rank(r.body_terms, q.q)
            + 0.05 * ln(1 + a.helped) - 0.02 * ln(1 + a.not_helped) as rank
        from c
          join kb_revisions r on r.article_id = c.article_id and r.revision = c.revision
          join kb_articles a on a.id = r.article_id,
          q
        where true ${sql.join(parts, sql` `)}
        order by rank desc, r.created_at desc, r.article_id
        limit ${s.limit}`;
}

export async function searchRevisions(db: Db, s: KbSearch): Promise<KbMatch[]> {
  const rows = await queryRows<Row>(db, kbSearchSql(s));
  return rows.map((r) => ({
    revision: revisionOf(r),
    articleId: String(r.article_id),
    helped: Number(r.helped),
    rank: Number(r.rank),
  }));
}

/** Published articles no one said helped, published at or before `before`, most "did not help" first. */
export async function listUnhelpful(db: Db, before: Date, limit: number): Promise<KbUnhelpful[]> {
  const rows = await queryRows<Row>(
    db,
    sql`select a.id, r.title, r.language, r.visibility, r.published_at, a.helped, a.not_helped
        from kb_articles a join kb_revisions r on r.article_id = a.id and r.is_published
        where a.helped = 0 and r.published_at <= ${before.toISOString()}::timestamptz
        order by a.not_helped desc, r.published_at, a.id
        limit ${limit}`,
  );
  return rows.map((r) => ({
    id: String(r.id),
    title: String(r.title),
    language: r.language as KbLanguage,
    visibility: r.visibility as KbVisibility,
    publishedAt: iso(r.published_at),
    helped: Number(r.helped),
    notHelped: Number(r.not_helped),
  }));
}

/** Published public revisions, newest first (the customer portal's list). */
export async function listPublic(
  db: Db,
  language: KbLanguage | undefined,
  limit: number,
): Promise<Array<KbRevision & { articleId: string }>> {
  const rows = await queryRows<Row>(
    db,
    sql`select * from kb_revisions r
        where r.is_published and r.visibility = 'public'
          ${language ? sql`and r.language = ${language}` : sql``}
        order by r.published_at desc, r.article_id
        limit ${limit}`,
  );
  return rows.map((r) => ({ ...revisionOf(r), articleId: String(r.article_id) }));
}

/** Refreshes the planner's statistics of the knowledge base (PGlite runs no autovacuum). */
export async function analyzeKb(db: Db): Promise<void> {
  await db.execute(sql`analyze kb_revisions`);
  await db.execute(sql`analyze kb_articles`);
}
