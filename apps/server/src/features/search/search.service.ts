import {
  SEARCH_KINDS,
  type SearchKind,
  type SearchResponse,
  type SearchResult,
  type TicketStatus,
  type Priority,
} from '@dutydesk/shared';
import type { Db } from '../../db/client';
import { searchAudiencesOf, type Viewer } from '../../realtime/visibility';
import type { SearchProjector } from './projector';
import {
  readIndexState,
  readMatchingTexts,
  readRecordHeads,
  readTicketHeads,
  searchRecords,
  type MatchingText,
  type TicketFilters,
} from './search.repo';
import {
  TERMS_VERSION,
  anyTsquery,
  findMatches,
  makeSnippet,
  normalizeWithMap,
  partTsquery,
  type Highlight,
  type ParsedQuery,
} from './terms';

/** What a search asks, after its parameters were read and checked. */
export interface SearchRequest {
  query: ParsedQuery;
  kinds?: readonly SearchKind[];
  tickets: TicketFilters;
  limit: number;
}

/** How long a search waits for the index to catch up with events committed before it. */
export const CATCH_UP_BUDGET_MS = 2_000;

/** Snippets come from these texts only when nothing else of the record matched. */
const HEADLINE_SOURCES = new Set(['number', 'title', 'name']);

/** Matches of the query in a title, as offsets into the title as written. */
export function titleHighlights(title: string, query: ParsedQuery): Highlight[] {
  const { norm, map } = normalizeWithMap(title);
  return findMatches(norm, query).map((m) => ({
    start: map[m.start] ?? title.length,
    end: map[m.end] ?? title.length,
  }));
}

/**
 * Runs one search for a viewer: the index is first brought up to the log's head (within
 * {@link CATCH_UP_BUDGET_MS}; `complete` says whether it got there), then the records whose
 * texts the viewer may read match, best first, each with a snippet of its best matching text
 * the viewer may read (never of another text: a snippet cannot show what the viewer may not).
 */
export async function runSearch(
  db: Db,
  projector: SearchProjector,
  viewer: Viewer,
  req: SearchRequest,
): Promise<SearchResponse> {
  const state = await readIndexState(db);
  const from = state.version === TERMS_VERSION ? state.indexed : 0;
  const indexedSeq =
    from < state.head ? await projector.catchUp(state.head, from, CATCH_UP_BUDGET_MS) : from;
  const audiences = searchAudiencesOf(viewer);
  const kinds = req.kinds?.length ? req.kinds : SEARCH_KINDS;
  const any = anyTsquery(req.query);
  const hits =
    audiences.length === 0
      ? []
      : await searchRecords(db, {
          any,
          parts: req.query.parts.length > 1 ? req.query.parts.map(partTsquery) : [],
          audiences,
          kinds,
          tickets: req.tickets,
          limit: req.limit,
          head: Math.max(indexedSeq, state.indexed),
        });
  const idsOf = (kind: string): string[] => hits.filter((h) => h.kind === kind).map((h) => h.refId);
  const [texts, heads, records] = await Promise.all([
    readMatchingTexts(db, hits, any, audiences),
    readTicketHeads(db, idsOf('ticket')),
    readRecordHeads(db, idsOf('organisation'), idsOf('contact')),
  ]);
  const recordOf = new Map(records.map((r) => [`${r.kind}:${r.id}`, r]));
  const textsOf = new Map<string, MatchingText[]>();
  for (const t of texts) {
    const key = `${t.kind}:${t.refId}`;
    textsOf.set(key, [...(textsOf.get(key) ?? []), t]);
  }
  const headOf = new Map(heads.map((h) => [h.id, h]));
  const results: SearchResult[] = [];
  for (const hit of hits) {
    const matching = textsOf.get(`${hit.kind}:${hit.refId}`) ?? [];
    const best = matching.find((t) => !HEADLINE_SOURCES.has(t.source)) ?? matching[0];
    if (!best) continue;
    const snippet = makeSnippet(best.body, req.query);
    if (hit.kind === 'ticket') {
      const head = headOf.get(hit.refId);
      if (!head) continue;
      results.push({
        kind: 'ticket',
        id: head.id,
        title: head.title,
        snippet: snippet.text,
        highlights: snippet.highlights,
        titleHighlights: titleHighlights(head.title, req.query),
        source: best.source,
        rank: Math.round(hit.score * 10_000) / 10_000,
        number: head.number,
        status: head.status as TicketStatus,
        priority: head.priority as Priority,
        groupId: head.groupId,
        receivedAt: head.receivedAt,
      });
    } else {
      const record = recordOf.get(`${hit.kind}:${hit.refId}`);
      if (!record) continue;
      results.push({
        kind: hit.kind,
        id: record.id,
        title: record.name,
        snippet: snippet.text,
        highlights: snippet.highlights,
        titleHighlights: titleHighlights(record.name, req.query),
        source: best.source,
        rank: Math.round(hit.score * 10_000) / 10_000,
        organisationId: record.organisationId,
        organisationName: record.organisationName,
      });
    }
  }
  return { results, indexedSeq, complete: indexedSeq >= state.head };
}
