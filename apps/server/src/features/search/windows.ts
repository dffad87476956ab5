/**
 * Seq windows of the search index (decision 47): every document also carries, as positionless
 * lexemes of its `tsvector`, the seq range it falls in at each of {@link LEVELS} sizes
 * (`'~0:3'`: seqs 49 152–65 535; `'~1:0'`: seqs 0–65 535; …, each size 4× the one below).
 * A search asks the GIN index for its words *and* one such range, newest range first, and
 * stops when it has its candidates: the heap is read for about as many matching texts as are
 * ranked, not for every text a common word occurs in (which was the cost of a two-character
 * Chinese word at 100 000 tickets, docs/performance.md). A document also carries its kind and
 * audience (`'~k:ticket'`, `'~a:staff'`), so a search that narrows them (a device reads only
 * summaries; `kind=organisation`) narrows in the index, not row by row in the heap. The lexemes
 * cannot collide with a text's terms: no term has a `~` (terms are letters and digits).
 */

import { quote } from './terms';

/** The smallest range: 2^14 seqs (about 32 000 texts, 1 300 of them with a 4 % word). */
const SMALLEST_BITS = 14;
/** Each size is 2^2 times the one below. */
const STEP_BITS = 2;
/** Sizes of ranges: 16 384 seqs up to 2^24 (16.7 million) seqs. */
export const LEVELS = 6;

function width(level: number): number {
  return 2 ** (SMALLEST_BITS + STEP_BITS * level);
}

function lexeme(level: number, bucket: number): string {
  return `'~${level}:${bucket}'`;
}

/**
 * What a document is besides its text, as lexemes: `k` its kind, `a` its audience (both fixed
 * when it is written) and, for a ticket's texts, the ticket's `s` status, `p` priority, `g`
 * group and `o` organisation (kept as the ticket row reads by the projector: decision 47).
 */
export type Facet = 'k' | 'a' | 's' | 'p' | 'g' | 'o';

/** The ticket row's facets, refreshed on a ticket's texts when they change. */
export const TICKET_FACETS = ['s', 'p', 'g', 'o'] as const satisfies readonly Facet[];

/** The quoted lexeme of one facet value (`'~k:ticket'`, `'~s:in_progress'`). */
export function facetLexeme(facet: Facet, value: string): string {
  return quote(`~${facet}:${value}`);
}

/**
 * The lexemes a document carries besides its terms, for its `tsvector`: its kind, its audience
 * and the window of each size its `seq` falls in.
 */
export function documentLexemes(doc: { kind: string; audience: string; seq: number }): string {
  const out: string[] = [facetLexeme('k', doc.kind), facetLexeme('a', doc.audience)];
  for (let level = 0; level < LEVELS; level += 1)
    out.push(lexeme(level, Math.floor(doc.seq / width(level))));
  return out.join(' ');
}

/** One window of a search: the `tsquery` literal of its range and the seqs it covers. */
export interface SeqWindow {
  lexeme: string;
  from: number;
  /** Exclusive. */
  to: number;
}

/**
 * The windows that cover seqs 0…`head` without overlap, newest first, each one range lexeme:
 * the smallest range holding `head`, then ranges that grow by at most one size per step (so a
 * common word stops in a small window and a rare one reaches the start of the log in a few
 * dozen steps at most).
 */
export function seqWindows(head: number): SeqWindow[] {
  const top = Math.max(0, Math.floor(head));
  const first = Math.floor(top / width(0));
  const windows: SeqWindow[] = [
    { lexeme: lexeme(0, first), from: first * width(0), to: (first + 1) * width(0) },
  ];
  let at = first * width(0);
  let level = 0;
  while (at > 0) {
    let next = Math.min(level + 1, LEVELS - 1);
    while (next > 0 && (at % width(next) !== 0 || at < width(next))) next -= 1;
    const w = width(next);
    windows.push({ lexeme: lexeme(next, at / w - 1), from: at - w, to: at });
    at -= w;
    level = next;
  }
  return windows;
}
