import type { KbHit, KbLanguage } from '@dutydesk/shared';
import type { Db } from '../../db/client';
import {
  anyTsquery,
  cutTerms,
  makeSnippet,
  normalizeText,
  partTsquery,
  titleHighlights,
  type ParsedQuery,
} from '../search';
import { searchRevisions, type KbMatch, type KbSearch } from './kb.repo';

/** Terms a suggestion asks at most (the first distinct ones of what was typed). */
const MAX_SUGGEST_TERMS = 48;

/** English words too common to say what a ticket is about. */
const STOP_WORDS = new Set(
  'the a an and or of to in on at for is are was were be been it this that with from by as not no can cannot could please hi hello thanks my our we i you he she they have has had do does did will would should'.split(
    ' ',
  ),
);

/**
 * The text of a Markdown body as a reader sees it, for snippets: headings' and lists' marks,
 * emphasis, code fences, images and links' targets left out (a link keeps its text).
 */
export function plainText(markdown: string): string {
  return markdown
    .replace(/```[^\n]*\n?/gu, ' ')
    .replace(/!\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/\[([^\]]*)\]\([^)]*\)/gu, '$1')
    .replace(/^\s{0,3}(#{1,6}|>|[-*+]|\d+[.)])\s+/gmu, '')
    .replace(/(\*\*|__|\*|`|~~)/gu, '')
    .replace(/<!--[\s\S]*?-->/gu, ' ');
}

function toHits(matches: readonly KbMatch[], query: ParsedQuery): KbHit[] {
  return matches.map((m) => {
    const snippet = makeSnippet(plainText(m.revision.body), query, 160);
    return {
      id: m.articleId,
      revision: m.revision.revision,
      state: m.revision.state,
      title: m.revision.title,
      titleHighlights: titleHighlights(m.revision.title, query),
      snippet: snippet.text,
      highlights: snippet.highlights,
      language: m.revision.language,
      visibility: m.revision.visibility,
      category: m.revision.category,
      module: m.revision.module,
      subFunction: m.revision.subFunction,
      helped: m.helped,
      rank: Math.round(m.rank * 10_000) / 10_000,
    };
  });
}

/** Who reads: staff see internal and public articles; the portal only public published ones. */
export interface KbReader {
  publicOnly: boolean;
  scope: 'published' | 'latest';
}

/**
 * A search as typed (the ticket search's parser, decision 32: every word must match the title,
 * a tag or the body; Chinese as substrings), ranked, with highlights.
 */
export async function searchKb(
  db: Db,
  reader: KbReader,
  query: ParsedQuery,
  opts: { language?: KbLanguage; limit: number },
): Promise<KbHit[]> {
  if (query.parts.length === 0) return [];
  const s: KbSearch = {
    any: anyTsquery(query),
    parts: query.parts.length > 1 ? query.parts.map(partTsquery) : [],
    scope: reader.scope,
    publicOnly: reader.publicOnly,
    language: opts.language,
    limit: opts.limit,
  };
  return toHits(await searchRevisions(db, s), query);
}

/**
 * The query of a suggestion: the distinct terms of what the agent typed (the search feature's
 * cutter: CJK bigrams, words), any of which may match; common English words left out.
 */
export function suggestionQuery(text: string): ParsedQuery {
  const seen = new Set<string>();
  const parts: ParsedQuery['parts'] = [];
  for (const t of cutTerms(normalizeText(text), false)) {
    if (seen.has(t.term) || STOP_WORDS.has(t.term)) continue;
    if (/^[a-z]$/u.test(t.term)) continue;
    seen.add(t.term);
    parts.push({ text: t.term, terms: [t.term], prefix: false, joined: null });
    if (parts.length === MAX_SUGGEST_TERMS) break;
  }
  return { parts };
}

/** Published articles that fit what the agent is typing (title and description), best first. */
export async function suggestKb(
  db: Db,
  reader: KbReader,
  text: string,
  opts: { language?: KbLanguage; limit: number },
): Promise<KbHit[]> {
  const query = suggestionQuery(text);
  if (query.parts.length === 0) return [];
  return toHits(
    await searchRevisions(db, {
      any: anyTsquery(query),
      parts: [],
      scope: 'published',
      publicOnly: reader.publicOnly,
      language: opts.language,
      limit: opts.limit,
    }),
    query,
  );
}
