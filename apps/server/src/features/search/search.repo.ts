import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import type { StoredEvent } from '../events';
import { SEARCH_KINDS, type SearchKind } from '@dutydesk/shared';
import { SearchAudience } from '../../realtime/visibility';
import type { SearchDocument } from './documents';
import { toTsvectorLiteral } from './terms';
import {
  documentLexemes,
  facetLexeme,
  seqWindows,
  TICKET_FACETS,
  type Facet,
  type SeqWindow,
} from './windows';

const CURSOR = 'search';

/** How far the index has read the log, the log's head, and the version of the index's terms. */
export interface IndexState {
  indexed: number;
  head: number;
  version: number;
}

/** The index's cursor and the log's head, in one round trip. */
export async function readIndexState(db: Db): Promise<IndexState> {
  const rows = await queryRows<{ indexed: string | number; version: number; head: string | null }>(
    db,
    sql`select c.seq as indexed, c.version, (select max(seq) from events) as head
        from search_cursor c where c.name = ${CURSOR}`,
  );
  const row = rows[0];
  return {
    indexed: Number(row?.indexed ?? 0),
    head: Number(row?.head ?? 0),
    version: Number(row?.version ?? 0),
  };
}

/**
 * The cursor row locked for this transaction: projectors on every node take turns here, so
 * each event is projected once at a time and the cursor only moves forward.
 */
export async function lockCursor(tx: Tx): Promise<{ seq: number; version: number }> {
  const rows = await queryRows<{ seq: string | number; version: number }>(
    tx,
    sql`select seq, version from search_cursor where name = ${CURSOR} for update`,
  );
  const row = rows[0];
  if (!row) throw new Error('search_cursor has no row (migration 0012 not applied?)');
  return { seq: Number(row.seq), version: Number(row.version) };
}

/** Committed events after `after`, in seq order (commit order, decision 3). */
export async function readEventsAfterInTx(
  tx: Tx,
  after: number,
  limit: number,
): Promise<StoredEvent[]> {
  const rows = await queryRows<{
    seq: string | number;
    id: string;
    type: string;
    ticket_id: string | null;
    actor_id: string | null;
    at: string | Date;
    data: unknown;
  }>(
    tx,
    sql`select seq, id, type, ticket_id, actor_id, at, data from events
        where seq > ${after} order by seq limit ${limit}`,
  );
  return rows.map((r) => ({
    seq: Number(r.seq),
    id: r.id,
    type: r.type,
    ticketId: r.ticket_id,
    actorId: r.actor_id,
    at: new Date(r.at).toISOString(),
    data: typeof r.data === 'string' ? (JSON.parse(r.data) as unknown) : r.data,
  }));
}

/** Rows per insert statement (10 parameters each; PostgreSQL allows 65 535 per statement). */
const INSERT_ROWS = 500;

/**
 * Writes documents (a document projected again replaces its row; one with an empty body
 * removes it) and drops every document of deleted records, in event order.
 */
export async function saveDocuments(
  tx: Tx,
  docs: readonly SearchDocument[],
  drop: ReadonlyArray<{ kind: SearchKind; refId: string }> = [],
): Promise<void> {
  // One row per key in a statement: ON CONFLICT cannot touch a row twice (the last one wins).
  const byKey = new Map(docs.map((d) => [d.key, d]));
  const empty = [...byKey.values()].filter((d) => d.body.trim() === '').map((d) => d.key);
  const list = [...byKey.values()].filter((d) => d.body.trim() !== '');
  if (empty.length > 0)
    await tx.execute(sql`delete from search_documents where key in ${keys(empty)}`);
  for (const r of drop)
    await tx.execute(
      sql`delete from search_documents where kind = ${r.kind} and ref_id = ${r.refId}`,
    );
  for (let i = 0; i < list.length; i += INSERT_ROWS) {
    const values = list
      .slice(i, i + INSERT_ROWS)
      .map(
        (d) =>
          sql`(${d.key}, ${d.kind}, ${d.refId}, ${d.source}, ${d.audience}, ${d.body}, ${`${toTsvectorLiteral(d.body)} ${documentLexemes(d)}`}::tsvector, ${d.boost}::real, ${d.at}::timestamptz, ${d.seq}::bigint)`,
      );
    // A ticket's texts carry the ticket row's facets as it reads now (decision 47).
    await tx.execute(
      sql`insert into search_documents (key, kind, ref_id, source, audience, body, terms, boost, at, seq)
          select v.key, v.kind, v.ref_id, v.source, v.audience, v.body,
            v.terms || coalesce((select array_to_tsvector(${ticketFacetsOf(sql`t`)}) from tickets t
              where v.kind = 'ticket' and t.id = v.ref_id), ''::tsvector),
            v.boost, v.at, v.seq
          from (values ${sql.join(values, sql`, `)}) as v (key, kind, ref_id, source, audience, body, terms, boost, at, seq)
          on conflict (key) do update set kind = excluded.kind, ref_id = excluded.ref_id,
            source = excluded.source, audience = excluded.audience, body = excluded.body,
            terms = excluded.terms, boost = excluded.boost, at = excluded.at, seq = excluded.seq`,
    );
  }
}

/** The facet lexemes of the ticket row `t` (unquoted, for `array_to_tsvector`). */
function ticketFacetsOf(t: SQL): SQL {
  return sql`array_remove(array['~s:' || ${t}.status, '~p:' || ${t}.priority,
    '~g:' || ${t}.group_id, '~o:' || ${t}.organisation_id], null)`;
}

/**
 * Brings the facet lexemes of these tickets' texts to what their rows read (a status,
 * priority, group or organisation changed): only texts whose facets differ are rewritten.
 * Called for every ticket a projected batch touched; its events are the only way a ticket row
 * changes, so after the batch the index's facets are those of the rows up to its seq.
 */
export async function refreshTicketFacets(tx: Tx, ticketIds: readonly string[]): Promise<void> {
  if (ticketIds.length === 0) return;
  const stale = TICKET_FACETS.map((f) => sql`l like ${`~${f}:%`}`);
  await tx.execute(
    sql`update search_documents d
        set terms = ts_delete(d.terms, array(select l from unnest(tsvector_to_array(d.terms)) l
            where ${sql.join(stale, sql` or `)})) || array_to_tsvector(f.want)
        from (select t.id, ${ticketFacetsOf(sql`t`)} as want from tickets t where t.id in ${keys(ticketIds)}) f
        where d.kind = 'ticket' and d.ref_id = f.id and not (tsvector_to_array(d.terms) @> f.want)`,
  );
}

/** Refreshes the planner's statistics of the index (PGlite runs no autovacuum). */
export async function analyzeIndex(db: Db): Promise<void> {
  await db.execute(sql`analyze search_documents`);
}

function keys(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** Moves the cursor to `seq` (inside the transaction that wrote that far). */
export async function advanceCursor(tx: Tx, seq: number, at: Date): Promise<void> {
  await tx.execute(
    sql`update search_cursor set seq = ${seq}, updated_at = ${at.toISOString()}::timestamptz
        where name = ${CURSOR}`,
  );
}

/** Empties the index for a rebuild with terms of `version`, from the start of the log. */
export async function resetIndex(tx: Tx, version: number, at: Date): Promise<void> {
  await tx.execute(sql`delete from search_documents`);
  await tx.execute(
    sql`update search_cursor set seq = 0, version = ${version}, updated_at = ${at.toISOString()}::timestamptz
        where name = ${CURSOR}`,
  );
}

/** Audiences a document can have (`summary`, `staff`, `internal`). */
const ALL_AUDIENCES = Object.keys(SearchAudience).length;

/** Windows a search asks at most before it reads the rest of the log in one part. */
const WINDOWS = 2;
/** Up to this many matching texts (the planner's estimate) a search reads them all at once. */
const PLAIN_UP_TO = 4 * 1_000;

/**
 * The newest windows a search asks one by one (decision 47): at most {@link WINDOWS}, until
 * they cover the seqs that should hold twice the candidates at the estimated frequency.
 */
function recentWindows(head: number, estimate: number): SeqWindow[] {
  const wanted = (head * 2 * CANDIDATES) / Math.max(estimate, 1);
  const out: SeqWindow[] = [];
  for (const w of seqWindows(head)) {
    if (out.length >= WINDOWS) break;
    out.push(w);
    if (head - w.from >= wanted) break;
  }
  return out;
}

/**
 * How many texts the planner expects `tsquery` to match (from the index's statistics; one
 * round trip, nothing read): the search reads few matches at once and many window by window.
 */
export async function estimateMatches(db: Db, tsquery: string): Promise<number> {
  const rows = await queryRows<Record<string, unknown>>(
    db,
    sql`explain (format json) select 1 from search_documents d where d.terms @@ ${tsquery}::tsquery`,
  );
  const cell = Object.values(rows[0] ?? {})[0];
  const plan = (typeof cell === 'string' ? JSON.parse(cell) : cell) as Array<{
    Plan?: { 'Plan Rows'?: number };
  }>;
  return Number(plan[0]?.Plan?.['Plan Rows'] ?? Number.POSITIVE_INFINITY);
}

/** Matching texts a search ranks at most: the newest ones (decision 32). */
export const CANDIDATES = 1_000;

/** Filters on the ticket a ticket result is about (the ticket row's columns). */
export interface TicketFilters {
  status?: readonly string[];
  priority?: readonly string[];
  groupId?: readonly string[];
  /** Tickets of these organisations, the organisations themselves and their contacts. */
  organisationId?: readonly string[];
  from?: Date;
  to?: Date;
}

export interface RecordSearch {
  /** `tsquery` literal any of the query's parts matches. */
  any: string;
  /** One `tsquery` literal per part: a record matches when each part matches one of its texts. */
  parts: readonly string[];
  audiences: readonly string[];
  kinds: readonly SearchKind[];
  tickets: TicketFilters;
  limit: number;
  /** The seq the index has read up to: the newest window holds it (decision 47). */
  head: number;
  /** Matching texts the planner expects ({@link estimateMatches}): windows only when many. */
  estimate: number;
}

/** A record that matched: its best text's score and its newest matching text's time. */
export interface RecordHit {
  kind: SearchKind;
  refId: string;
  score: number;
}

function list(values: readonly string[]): SQL {
  return sql`(${sql.join(
    values.map((v) => sql`${v}`),
    sql`, `,
  )})`;
}

/** The date filters on the ticket row (the other filters are facets of the index). */
function ticketConditions(f: TicketFilters): SQL[] {
  const out: SQL[] = [];
  if (f.from) out.push(sql`t.received_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) out.push(sql`t.received_at < ${f.to.toISOString()}::timestamptz`);
  return out;
}

/**
 * The ticket filters as a `tsquery` of facet lexemes (status, priority, group, organisation:
 * each an OR of its values, all ANDed), or '' when none is set.
 */
function ticketFacetQuery(f: TicketFilters): string {
  const lists: Array<[Facet, readonly string[] | undefined]> = [
    ['s', f.status],
    ['p', f.priority],
    ['g', f.groupId],
    ['o', f.organisationId],
  ];
  return lists
    .filter(([, values]) => values && values.length > 0)
    .map(([facet, values]) => `( ${(values ?? []).map((v) => facetLexeme(facet, v)).join(' | ')} )`)
    .join(' & ');
}

/** The organisation filter on customer records: the organisations and their contacts. */
function recordConditions(f: TicketFilters): SQL {
  if (!f.organisationId?.length) return sql``;
  const ids = list(f.organisationId);
  return sql`and (d.kind = 'ticket'
    or (d.kind = 'organisation' and d.ref_id in ${ids})
    or (d.kind = 'contact' and exists (select 1 from contacts ct where ct.id = d.ref_id and ct.organisation_id in ${ids})))`;
}

/**
 * The records (tickets, organisations, contacts) whose texts the caller may read match every
 * part of the query, best first: each record's score is its best matching text's weight
 * (number 4, title 3, …) plus a tenth of the weights of all its matching texts (a ticket that
 * mentions the words in its title and in three log entries ranks above one that mentions them
 * once), ties newest first. Ranked over the newest {@link CANDIDATES} matching texts.
 */
/**
 * The `tsquery` of what narrows a search besides its words (` & …`, or ''): the ticket
 * filters of a ticket's texts (the records' texts pass them), and kinds and audiences when
 * they narrow it.
 */
function searchFacets(s: Pick<RecordSearch, 'kinds' | 'audiences' | 'tickets'>): string {
  const ticketFacets = ticketFacetQuery(s.tickets);
  const kinds = ticketFacets
    ? [
        ...s.kinds.filter((k) => k !== 'ticket').map((k) => facetLexeme('k', k)),
        // Only a ticket's texts have these facets: no `'~k:ticket'` needed (a frequent entry
        // costs GIN time).
        ...(s.kinds.includes('ticket') ? [`( ${ticketFacets} )`] : []),
      ]
    : s.kinds.length < SEARCH_KINDS.length
      ? s.kinds.map((k) => facetLexeme('k', k))
      : [];
  return [
    ...(kinds.length > 0 ? [kinds] : []),
    ...(s.audiences.length < ALL_AUDIENCES ? [s.audiences.map((a) => facetLexeme('a', a))] : []),
  ]
    .map((lexemes) => ` & ( ${lexemes.join(' | ')} )`)
    .join('');
}

/** The statement of {@link searchRecords} (also explained by the bench). */
export function recordSearchSql(s: RecordSearch): SQL {
  const ticketWhere = ticketConditions(s.tickets);
  const ticketFilter =
    ticketWhere.length > 0
      ? sql`and (d.kind <> 'ticket' or d.ref_id in (select a.id from allowed a))`
      : sql``;
  // The tickets a date filter lets through, read once for every window (a lookup per matching
  // text, or a scan of the tickets per window, cost more than the search: decision 47).
  const allowed =
    ticketWhere.length > 0
      ? sql`allowed as materialized (select t.id from tickets t where ${sql.join(ticketWhere, sql` and `)}),`
      : sql``;
  const having =
    s.parts.length > 1
      ? sql`having ${sql.join(
          s.parts.map((_p, i) => sql`bool_or(m.m${sql.raw(String(i))})`),
          sql` and `,
        )}`
      : sql``;
  // The newest matching texts first, at most CANDIDATES of them, asked window by window
  // (decision 47): each part of the union asks the GIN index for the query's words within one
  // seq range, newest range first, and the limit stops the union once it has its candidates, so
  // a common word reads about CANDIDATES rows from the heap instead of every text it occurs in.
  // Then each record scores its best text's weight plus a tenth of all its matching texts'
  // (ts_rank_cd on every candidate cost more than the rest of the query: decision 32). Which
  // words matched which text is only asked of the candidates.
  const terms = s.parts.length > 1 ? sql`, d.terms` : sql``;
  const facets = searchFacets(s);
  const part = (range: { lexeme: string } | { before: number | null }): SQL =>
    sql`(select d.kind, d.ref_id, d.boost, d.seq ${terms}
          from search_documents d
          where d.terms @@ ${`( ${s.any} )${'lexeme' in range ? ` & ${range.lexeme}` : ''}${facets}`}::tsquery
            ${'before' in range && range.before !== null ? sql`and d.seq < ${range.before}` : sql``}
            and d.audience in ${list(s.audiences)}
            and d.kind in ${list(s.kinds)}
            ${ticketFilter}
            ${recordConditions(s.tickets)}
          order by d.seq desc)`;
  // A few windows, newest first, then the rest of the log in one part: a word common enough
  // to fill the candidates does so in the windows; a rarer one is cheap to read whole, and each
  // window costs an index probe (the entries of frequent words, `inc`, `2026`, are read again).
  const windows = s.estimate > PLAIN_UP_TO ? recentWindows(s.head, s.estimate) : [];
  // The rest of the log: below the last window, or all of it when the search asks no window.
  const last = windows[windows.length - 1];
  const parts = [
    ...windows.map((w) => part(w)),
    ...(last ? (last.from > 0 ? [part({ before: last.from })] : []) : [part({ before: null })]),
  ];
  const matched = s.parts.map((p, i) => sql`, c.terms @@ ${p}::tsquery as m${sql.raw(String(i))}`);
  // `current_schema()` (parallel unsafe, answered once) keeps PostgreSQL from a Parallel
  // Append, which would run the windows at once, in any order, and hand the limit any rows.
  return sql`with ${allowed} candidates as (
          select * from (${sql.join(parts, sql` union all `)}) w
          where current_schema() is not null
          limit ${CANDIDATES}
        ),
        matched as (select c.kind, c.ref_id, c.boost, c.seq ${sql.join(matched, sql``)} from candidates c)
        select m.kind, m.ref_id, max(m.boost) + 0.1 * sum(m.boost) as score, max(m.seq) as newest
        from matched m
        group by m.kind, m.ref_id
        ${s.parts.length > 1 ? having : sql``}
        order by score desc, newest desc
        limit ${s.limit}`;
}

/** The index `tsquery` of a search: its words and what narrows it. */
export function indexTsquery(
  s: Pick<RecordSearch, 'any' | 'kinds' | 'audiences' | 'tickets'>,
): string {
  return `( ${s.any} )${searchFacets(s)}`;
}

export async function searchRecords(
  db: Db,
  s: Omit<RecordSearch, 'estimate'>,
): Promise<RecordHit[]> {
  const estimate = await estimateMatches(db, indexTsquery(s));
  const rows = await queryRows<{ kind: SearchKind; ref_id: string; score: number }>(
    db,
    recordSearchSql({ ...s, estimate }),
  );
  return rows.map((r) => ({ kind: r.kind, refId: r.ref_id, score: Number(r.score) }));
}

/** A matching text of a found record (for its snippet). */
export interface MatchingText {
  kind: SearchKind;
  refId: string;
  source: string;
  body: string;
  at: string;
  score: number;
}

/** The texts of these records the caller may read that match the query, best first per record. */
export async function readMatchingTexts(
  db: Db,
  refs: readonly RecordHit[],
  any: string,
  audiences: readonly string[],
): Promise<MatchingText[]> {
  if (refs.length === 0) return [];
  const pairs = sql.join(
    refs.map((r) => sql`(${r.kind}, ${r.refId})`),
    sql`, `,
  );
  const rows = await queryRows<{
    kind: SearchKind;
    ref_id: string;
    source: string;
    body: string;
    at: string | Date;
    score: number;
  }>(
    db,
    sql`select d.kind, d.ref_id, d.source, d.body, d.at, ts_rank_cd(d.terms, q.q) * d.boost as score
        from search_documents d, (select ${any}::tsquery as q) q
        where (d.kind, d.ref_id) in (${pairs})
          and d.terms @@ q.q
          and d.audience in ${list(audiences)}
        order by score desc, d.seq desc`,
  );
  return rows.map((r) => ({
    kind: r.kind,
    refId: r.ref_id,
    source: r.source,
    body: r.body,
    at: new Date(r.at).toISOString(),
    score: Number(r.score),
  }));
}

/** What a ticket result shows beside its snippet (from the ticket row). */
export interface TicketHead {
  id: string;
  number: string;
  title: string;
  status: string;
  priority: string;
  groupId: string | null;
  receivedAt: string;
}

export async function readTicketHeads(db: Db, ids: readonly string[]): Promise<TicketHead[]> {
  if (ids.length === 0) return [];
  const rows = await queryRows<{
    id: string;
    number: string;
    title: string | null;
    status: string;
    priority: string;
    group_id: string | null;
    received_at: string | Date;
  }>(
    db,
    sql`select id, number, state ->> 'title' as title, status, priority, group_id, received_at
        from tickets where id in ${list(ids)}`,
  );
  return rows.map((r) => ({
    id: r.id,
    number: r.number,
    title: r.title ?? '',
    status: r.status,
    priority: r.priority,
    groupId: r.group_id,
    receivedAt: new Date(r.received_at).toISOString(),
  }));
}

/** What an organisation or contact result shows: its name and organisation. */
export interface RecordHead {
  kind: 'organisation' | 'contact';
  id: string;
  name: string;
  organisationId: string | null;
  organisationName: string | null;
}

export async function readRecordHeads(
  db: Db,
  organisationIds: readonly string[],
  contactIds: readonly string[],
): Promise<RecordHead[]> {
  const out: RecordHead[] = [];
  if (organisationIds.length > 0) {
    const rows = await queryRows<{ id: string; name: string }>(
      db,
      sql`select id, name from organisations where id in ${list(organisationIds)}`,
    );
    for (const r of rows)
      out.push({
        kind: 'organisation',
        id: r.id,
        name: r.name,
        organisationId: r.id,
        organisationName: r.name,
      });
  }
  if (contactIds.length > 0) {
    const rows = await queryRows<{
      id: string;
      name: string;
      org_id: string | null;
      org_name: string | null;
    }>(
      db,
      sql`select c.id, c.name, o.id as org_id, o.name as org_name
          from contacts c left join organisations o on o.id = c.organisation_id
          where c.id in ${list(contactIds)}`,
    );
    for (const r of rows)
      out.push({
        kind: 'contact',
        id: r.id,
        name: r.name,
        organisationId: r.org_id,
        organisationName: r.org_name,
      });
  }
  return out;
}
