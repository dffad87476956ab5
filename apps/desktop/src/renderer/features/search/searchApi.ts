import { searchResponseSchema } from '../../realtime/contract';
import type { SearchResponse } from '../../realtime/contract';

/** What the search box asks: the words and the filters, as `GET /api/search` takes them. */
export interface SearchParams {
  q: string;
  kind?: string;
  status?: string;
  priority?: string;
  groupId?: string;
  /** ISO-8601 instants on the ticket's `receivedAt`, `to` exclusive. */
  from?: string;
  to?: string;
}

export const SearchFailure = {
  rateLimited: 'rateLimited',
  failed: 'failed',
} as const;
export type SearchFailure = (typeof SearchFailure)[keyof typeof SearchFailure];

export type SearchOutcome =
  { ok: true; response: SearchResponse } | { ok: false; reason: SearchFailure };

/** The query string of a search; empty filters are left out. */
export function searchQueryString(params: SearchParams): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (typeof value === 'string' && value.trim() !== '') query.set(key, value);
  }
  return query.toString();
}

/**
 * `GET /api/search` with the session's token, the answer parsed with the shared schema. Errors
 * are values; an aborted request (a newer search replaced it) rejects with the AbortError.
 */
export async function searchEverything(
  token: string,
  params: SearchParams,
  signal?: AbortSignal,
  fetchImpl: typeof fetch = fetch,
): Promise<SearchOutcome> {
  let res: Response;
  try {
    res = await fetchImpl(`/api/search?${searchQueryString(params)}`, {
      headers: { authorization: `Bearer ${token}` },
      signal,
    });
  } catch (err) {
    if (signal?.aborted) throw err;
    return { ok: false, reason: SearchFailure.failed };
  }
  if (res.status === 429) return { ok: false, reason: SearchFailure.rateLimited };
  if (!res.ok) return { ok: false, reason: SearchFailure.failed };
  const parsed = searchResponseSchema.safeParse(await res.json());
  return parsed.success
    ? { ok: true, response: parsed.data }
    : { ok: false, reason: SearchFailure.failed };
}

/** A query worth sending: two characters, or one Chinese, Japanese or Korean character. */
export function isSearchable(query: string): boolean {
  const q = query.trim();
  return (
    [...q].length >= 2 ||
    /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u.test(q)
  );
}

/**
 * Where a result opens: a ticket in its workspace, an organisation on its page, a contact on
 * its organisation's page (a contact of none opens nothing).
 */
export function resultPath(r: {
  kind: string;
  id: string;
  organisationId?: string | null;
}): string | null {
  if (r.kind === 'ticket') return `/tickets/${encodeURIComponent(r.id)}`;
  if (r.kind === 'organisation') return `/organisations/${encodeURIComponent(r.id)}`;
  if (r.kind === 'contact' && r.organisationId)
    return `/organisations/${encodeURIComponent(r.organisationId)}`;
  return null;
}
