/**
 * `GET /api/search`: one search over tickets (number, title, description, customer, comments,
 * log entries), organisations and contacts, ranked, with highlights, as the caller may read
 * them. docs/protocol.md describes it; decision 32 the index behind it.
 */
import { z } from 'zod';
import { instantSchema, prioritySchema, ticketStatusSchema } from './ticket';

/** What a result is. */
export const SEARCH_KINDS = ['ticket', 'organisation', 'contact'] as const;
export type SearchKind = (typeof SEARCH_KINDS)[number];
export const searchKindSchema = z.enum(SEARCH_KINDS);

/** Longest query accepted (characters). */
export const SEARCH_QUERY_MAX = 200;
/** Most results one search answers. */
export const SEARCH_LIMIT_MAX = 50;

/**
 * The query string of `GET /api/search`, as parsed by the server (lists are comma-separated
 * or repeated). `from` and `to` (ISO-8601 instants, `to` exclusive) bound a ticket's
 * `receivedAt`; the server reads them with its one date reader, beside this schema.
 */
export const searchQuerySchema = z
  .object({
    q: z.string().trim().min(1).max(SEARCH_QUERY_MAX),
    kind: z.array(searchKindSchema).max(SEARCH_KINDS.length).optional(),
    status: z.array(ticketStatusSchema).max(16).optional(),
    priority: z.array(prioritySchema).max(3).optional(),
    groupId: z.array(z.string().min(1).max(64)).max(32).optional(),
    organisationId: z.array(z.string().min(1).max(64)).max(32).optional(),
    limit: z.coerce.number().int().min(1).max(SEARCH_LIMIT_MAX).default(20),
  })
  .strict();
export type SearchQuery = z.infer<typeof searchQuerySchema>;

/** A matched range of a snippet or a title: UTF-16 offsets, `end` exclusive. */
export const searchHighlightSchema = z.object({
  start: z.number().int().nonnegative(),
  end: z.number().int().nonnegative(),
});
export type SearchHighlight = z.infer<typeof searchHighlightSchema>;

/**
 * One result. `kind`, `id`, `title` and `snippet` are the fixed interface; `highlights` are
 * the matches in `snippet`, `titleHighlights` those in `title`, `source` which text the
 * snippet is from (`number`, `title`, `description`, `customer`, `comment`, `execution`,
 * `supervision`, `resolution`, `contact`, `milestone`, `note`, …), `rank` the score (higher
 * first). Tickets add their `number`, `status`, `priority`, `groupId`, `receivedAt`;
 * organisations and contacts their `organisationId` and `organisationName` (a contact's own).
 */
export const searchResultSchema = z.object({
  kind: searchKindSchema,
  id: z.string(),
  title: z.string(),
  snippet: z.string(),
  highlights: z.array(searchHighlightSchema),
  titleHighlights: z.array(searchHighlightSchema),
  source: z.string(),
  rank: z.number(),
  number: z.string().optional(),
  status: ticketStatusSchema.optional(),
  priority: prioritySchema.optional(),
  groupId: z.string().nullable().optional(),
  receivedAt: instantSchema.optional(),
  organisationId: z.string().nullable().optional(),
  organisationName: z.string().nullable().optional(),
});
export type SearchResult = z.infer<typeof searchResultSchema>;

/**
 * The answer: results best first; `indexedSeq` the event seq the index had read when the
 * search ran (every event committed before the request was made is in it when `complete`).
 */
export const searchResponseSchema = z.object({
  results: z.array(searchResultSchema),
  indexedSeq: z.number().int().nonnegative(),
  complete: z.boolean(),
});
export type SearchResponse = z.infer<typeof searchResponseSchema>;
