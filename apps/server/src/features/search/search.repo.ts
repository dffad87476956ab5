import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Db, type Tx } from '../../db/client';
import type { StoredEvent } from '../events';
import { SEARCH_KINDS, type SearchKind } from '@dutydesk/shared';
import { SearchAudience } from '../../realtime/visibility';
import type { SearchDocument } from './documents';
import { toTsvectorLiteral } from './terms';
import { documentLexemes, facetLexeme, seqWindows } from './windows';

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
          sql`(${d.key}, ${d.kind}, ${d.refId}, ${d.source}, ${d.audience}, ${d.body}, ${`${toTsvectorLiteral(d.body)} ${documentLexemes(d)}`}::tsvector, ${d.boost}, ${d.at}::timestamptz, ${d.seq})`,
      );
    await tx.execute(
      sql`insert into search_documents (key, kind, ref_id, source, audience, body, terms, boost, at, seq)
          values ${sql.join(values, sql`, `)}
          on conflict (key) do update set kind = excluded.kind, ref_id = excluded.ref_id,
            source = excluded.source, audience = excluded.audience, body = excluded.body,
            terms = excluded.terms, boost = excluded.boost, at = excluded.at, seq = excluded.seq`,
    );
  }
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

function ticketConditions(f: TicketFilters): SQL[] {
  const out: SQL[] = [];
  if (f.status?.length) out.push(sql`t.status in ${list(f.status)}`);
  if (f.priority?.length) out.push(sql`t.priority in ${list(f.priority)}`);
  if (f.groupId?.length) out.push(sql`t.group_id in ${list(f.groupId)}`);
  if (f.from) out.push(sql`t.received_at >= ${f.from.toISOString()}::timestamptz`);
  if (f.to) out.push(sql`t.received_at < ${f.to.toISOString()}::timestamptz`);
  if (f.organisationId?.length) out.push(sql`t.organisation_id in ${list(f.organisationId)}`);
  return out;
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
/** The statement of {@link searchRecords} (also explained by the bench). */
export function recordSearchSql(s: RecordSearch): SQL {
  const ticketWhere = ticketConditions(s.tickets);
  const ticketFilter =
    ticketWhere.length > 0
      ? sql`and (d.kind <> 'ticket' or d.ref_id in (select a.id from allowed a))`
      : sql``;
  // The tickets the filters let through, read once for every window (a lookup per matching
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
  // Kinds and audiences are asked of the index too when they narrow the search.
  const facets = [
    ...(s.kinds.length < SEARCH_KINDS.length ? [s.kinds.map((k) => facetLexeme('k', k))] : []),
    ...(s.audiences.length < ALL_AUDIENCES ? [s.audiences.map((a) => facetLexeme('a', a))] : []),
  ]
    .map((lexemes) => ` & ( ${lexemes.join(' | ')} )`)
    .join('');
  const windows = seqWindows(s.head).map(
    (w) => sql`(select d.kind, d.ref_id, d.boost, d.seq ${terms}
          from search_documents d
          where d.terms @@ ${`( ${s.any} ) & ${w.lexeme}${facets}`}::tsquery
            and d.audience in ${list(s.audiences)}
            and d.kind in ${list(s.kinds)}
            ${ticketFilter}
            ${recordConditions(s.tickets)}
          order by d.seq desc)`,
  );
  const matched = s.parts.map((p, i) => sql`, c.terms @@ ${p}::tsquery as m${sql.raw(String(i))}`);
  return sql`with ${allowed} candidates as (
          select * from (${sql.join(windows, sql` union all `)}) w limit ${CANDIDATES}
        ),
        matched as (select c.kind, c.ref_id, c.boost, c.seq ${sql.join(matched, sql``)} from candidates c)
        select m.kind, m.ref_id, max(m.boost) + 0.1 * sum(m.boost) as score, max(m.seq) as newest
        from matched m
        group by m.kind, m.ref_id
        ${s.parts.length > 1 ? having : sql``}
        order by score desc, newest desc
        limit ${s.limit}`;
}

export async function searchRecords(db: Db, s: RecordSearch): Promise<RecordHit[]> {
  const rows = await queryRows<{ kind: SearchKind; ref_id: string; score: number }>(
    db,
    recordSearchSql(s),
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
