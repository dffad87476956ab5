/**
 * What bench/search.ts does to a database directly (the bench package does not reach the
 * database on its own): writes a generated desk's tickets and events without the command bus,
 * reads the index's size, and runs the `pg_trgm` baseline it compares against.
 */
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { SEARCH_KINDS } from '@dutydesk/shared';
import { queryRows, type Database } from '../db/client';
import { estimateMatches, indexTsquery, recordSearchSql } from '../features/search/search.repo';
import { anyTsquery, partTsquery, type ParsedQuery } from '../features/search/terms';

export interface BenchTicket {
  id: string;
  number: string;
  title: string;
  status: string;
  priority: string;
  group: string;
  at: string;
}

export interface BenchEvent {
  ticketId: string;
  type: string;
  at: string;
  data: Record<string, unknown>;
}

const ROWS_PER_INSERT = 500;
const CLOSED = new Set(['resolved', 'follow_up', 'closed']);

/**
 * Inserts ticket rows (the columns the search filters and result heads read; `state` holds
 * only id, number and title) and events with seqs 1… (placeholder hashes: the audit chain is
 * not what is measured).
 */
export async function insertBenchDesk(
  database: Database,
  tickets: readonly BenchTicket[],
  events: readonly BenchEvent[],
): Promise<void> {
  const db = database.db;
  for (let i = 0; i < tickets.length; i += ROWS_PER_INSERT) {
    const rows = tickets
      .slice(i, i + ROWS_PER_INSERT)
      .map(
        (t) =>
          sql`(${t.id}, ${t.number}, 'incident', ${t.status}, ${t.priority}, ${t.group}, null, false, ${!CLOSED.has(t.status)}, 1, 0, ${t.at}::timestamptz, ${t.at}::timestamptz, ${JSON.stringify({ id: t.id, number: t.number, title: t.title })}::jsonb)`,
      );
    await db.execute(
      sql`insert into tickets (id, number, kind, status, priority, group_id, assignee_id, major_incident, open, version, last_seq, received_at, updated_at, state) values ${sql.join(rows, sql`, `)}`,
    );
  }
  for (let i = 0; i < events.length; i += ROWS_PER_INSERT) {
    const rows = events
      .slice(i, i + ROWS_PER_INSERT)
      .map(
        (e, k) =>
          sql`(${i + k + 1}, ${randomUUID()}, ${e.type}, ${e.ticketId}, null, ${e.at}::timestamptz, ${JSON.stringify(e.data)}::jsonb, null, 'bench', 'bench')`,
      );
    await db.execute(
      sql`insert into events (seq, id, type, ticket_id, actor_id, at, data, command_id, prev_hash, hash) values ${sql.join(rows, sql`, `)}`,
    );
  }
}

/** Documents in the index and its size on disk (table, TOAST and indexes). */
export async function readIndexSize(
  database: Database,
): Promise<{ documents: number; bytes: number }> {
  const [row] = await queryRows<{ n: string | number; bytes: string | number }>(
    database.db,
    sql`select count(*) as n, pg_total_relation_size('search_documents') as bytes from search_documents`,
  );
  return { documents: Number(row?.n ?? 0), bytes: Number(row?.bytes ?? 0) };
}

/** The baseline's index: `pg_trgm` over the same texts (PostgreSQL only). */
export async function createTrigramIndex(database: Database): Promise<void> {
  await database.db.execute(sql`create extension if not exists pg_trgm`);
  await database.db.execute(
    sql`create index if not exists search_bench_trgm on search_documents using gin (body gin_trgm_ops)`,
  );
}

/** The baseline's query: every word as a case-insensitive substring of one text, 20 records. */
export async function searchByTrigrams(
  database: Database,
  words: readonly string[],
): Promise<number> {
  const like = sql.join(
    words.map((w) => sql`body ilike ${`%${w.replace(/[%_\\]/g, (c) => `\\${c}`)}%`}`),
    sql` and `,
  );
  const rows = await queryRows<{ ref_id: string }>(
    database.db,
    sql`select ref_id, max(boost) as b from search_documents where ${like} group by ref_id order by b desc limit 20`,
  );
  return rows.length;
}

/**
 * The record search as decision 32 wrote it, the bench's same-run baseline for decision 47:
 * every matching text fetched and sorted by seq for the newest 1 000, the ticket filters an
 * `exists` per matching text. Every kind and audience; status and priority filters only.
 */
export async function searchAsDecision32(
  database: Database,
  query: ParsedQuery,
  tickets: { status?: readonly string[]; priority?: readonly string[] },
): Promise<number> {
  const parts = query.parts.length > 1 ? query.parts.map(partTsquery) : [];
  const list = (values: readonly string[]) =>
    sql`(${sql.join(
      values.map((v) => sql`${v}`),
      sql`, `,
    )})`;
  const where = [
    ...(tickets.status?.length ? [sql`t.status in ${list(tickets.status)}`] : []),
    ...(tickets.priority?.length ? [sql`t.priority in ${list(tickets.priority)}`] : []),
  ];
  const ticketFilter =
    where.length > 0
      ? sql`and (d.kind <> 'ticket' or exists (select 1 from tickets t where t.id = d.ref_id and ${sql.join(where, sql` and `)}))`
      : sql``;
  const matched = parts.map((p, i) => sql`, c.terms @@ ${p}::tsquery as m${sql.raw(String(i))}`);
  const having =
    parts.length > 1
      ? sql`having ${sql.join(
          parts.map((_p, i) => sql`bool_or(m.m${sql.raw(String(i))})`),
          sql` and `,
        )}`
      : sql``;
  const rows = await queryRows<{ ref_id: string }>(
    database.db,
    sql`with candidates as (
          select d.kind, d.ref_id, d.terms, d.boost, d.seq
          from search_documents d
          where d.terms @@ ${anyTsquery(query)}::tsquery
            and d.audience in ('summary', 'staff', 'internal')
            and d.kind in ('ticket', 'organisation', 'contact')
            ${ticketFilter}
          order by d.seq desc
          limit 1000
        ),
        matched as (select c.kind, c.ref_id, c.boost, c.seq ${sql.join(matched, sql``)} from candidates c)
        select m.kind, m.ref_id, max(m.boost) + 0.1 * sum(m.boost) as score, max(m.seq) as newest
        from matched m
        group by m.kind, m.ref_id
        ${having}
        order by score desc, newest desc
        limit 20`,
  );
  return rows.length;
}

/** EXPLAIN ANALYZE of the record search (development aid for the bench). */
export async function explainSearch(
  database: Database,
  query: ParsedQuery,
  filtered: boolean,
  head: number,
): Promise<string> {
  const search = {
    any: anyTsquery(query),
    parts: query.parts.length > 1 ? query.parts.map(partTsquery) : [],
    audiences: ['summary', 'staff', 'internal'],
    kinds: [...SEARCH_KINDS],
    tickets: filtered ? { status: ['in_progress'], priority: ['P1'] } : {},
    limit: 20,
    head,
  };
  const estimate = await estimateMatches(database.db, indexTsquery(search));
  const rows = await queryRows<Record<string, string>>(
    database.db,
    sql`explain (analyze, buffers) ${recordSearchSql({ ...search, estimate })}`,
  );
  return [`estimate ${estimate}`, ...rows.map((r) => Object.values(r)[0])].join('\n');
}
