/**
 * The search index's terms: what a text is cut into, computed here in TypeScript and stored as a
 * `tsvector` literal (lexemes quoted, positions given), so PostgreSQL's text-search parser,
 * dictionaries and locale never see the text. The same code cuts documents and queries, on
 * every node and on both databases (decision 32).
 *
 * - Text is NFKC-normalised (full-width letters and digits become ASCII) and lower-cased.
 * - Han, kana and hangul runs become overlapping character bigrams ("数据库备份" → 数据 据库 库备
 *   备份); a run of one character is that character. A phrase of bigrams at consecutive
 *   positions is a substring match, so "数据库备份" finds "今晚数据库备份失败".
 * - Other letters and digits make words ("vpn", "error", "809", "inc"); words and bigrams share
 *   one position sequence, so mixed text works as one phrase.
 * - Numbers also under their other spellings: a digit word with leading zeros also without
 *   them ("000123" → "123"), and digit groups split by `-`, `.`, `/`, spaces or brackets
 *   ("138-0013-8000", "+86 138 0013 8000") also joined from each group to the end
 *   ("13800138000", "8613800138000"), at the first group's position.
 */

/**
 * Bumped whenever the terms of a text change: the index is rebuilt from the event log.
 * 2: documents also carry their seq windows, kind and audience; 3: and a ticket's facets
 * (decision 47).
 */
export const TERMS_VERSION = 3;

/** PostgreSQL keeps positions up to this; later ones are stored as it. */
const MAX_POSITION = 16_383;
/** Lexemes are capped well under PostgreSQL's 2 kB. */
const MAX_TERM_CHARS = 64;
/** Digits a run of groups needs before its joined spellings are added (phones, long numbers). */
const MIN_JOINED_DIGITS = 6;
/** Groups looked at for joined spellings (a phone has at most a handful). */
const MAX_JOINED_GROUPS = 6;

/** One term of a text: the lexeme, its position (1-based) and where it came from in the text. */
export interface Term {
  term: string;
  position: number;
  /** Offsets into the normalised text (UTF-16 code units). */
  start: number;
  end: number;
}

const CJK = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;
const WORD = /[\p{L}\p{M}\p{N}]/u;
const DIGITS = /^\p{Nd}+$/u;
const GROUP_SEPARATOR = /^[\s\-./()+]{1,3}$/u;

/** Each non-ASCII character's NFKC, lower-cased form (texts repeat a small alphabet). */
const folded = new Map<string, string>();
/** Character class of non-ASCII characters: 2 CJK, 1 other word character, 0 neither. */
const classes = new Map<string, number>();
const CACHE_MAX = 50_000;

function fold(ch: string): string {
  let n = folded.get(ch);
  if (n === undefined) {
    n = ch.normalize('NFKC').toLowerCase();
    if (folded.size > CACHE_MAX) folded.clear();
    folded.set(ch, n);
  }
  return n;
}

function classOf(ch: string): number {
  const c = ch.charCodeAt(0);
  if (c < 128) {
    return (c >= 48 && c <= 57) || (c >= 97 && c <= 122) || (c >= 65 && c <= 90) ? 1 : 0;
  }
  let k = classes.get(ch);
  if (k === undefined) {
    k = CJK.test(ch) ? 2 : WORD.test(ch) ? 1 : 0;
    if (classes.size > CACHE_MAX) classes.clear();
    classes.set(ch, k);
  }
  return k;
}

/**
 * The text as terms are cut from it: NFC, then each character NFKC and lower-cased (full-width
 * letters and digits become ASCII). Offsets of {@link Term} point into it.
 */
export function normalizeText(text: string): string {
  const display = text.normalize('NFC');
  const parts: string[] = [];
  for (const ch of display) parts.push(ch.charCodeAt(0) < 128 ? ch.toLowerCase() : fold(ch));
  return parts.join('');
}

/**
 * {@link normalizeText} with, for each UTF-16 offset of the normalised text, the offset of the
 * character it came from in `display` (the NFC text), so matches found in the normalised text
 * are highlighted in the text as written.
 */
export function normalizeWithMap(text: string): { display: string; norm: string; map: number[] } {
  const display = text.normalize('NFC');
  const parts: string[] = [];
  const map: number[] = [];
  let i = 0;
  for (const ch of display) {
    const n = ch.charCodeAt(0) < 128 ? ch.toLowerCase() : fold(ch);
    for (let k = 0; k < n.length; k += 1) map.push(i);
    parts.push(n);
    i += ch.length;
  }
  map.push(i);
  return { display, norm: parts.join(''), map };
}

interface Run {
  cjk: boolean;
  start: number;
  end: number;
}

/** Runs of word characters (CJK runs apart), as offsets into `text`. */
function cutRuns(text: string): Run[] {
  const runs: Run[] = [];
  let current: Run | null = null;
  let i = 0;
  for (const ch of text) {
    const at = i;
    i += ch.length;
    const k = classOf(ch);
    if (k === 0) {
      current = null;
      continue;
    }
    const cjk = k === 2;
    if (current && current.cjk === cjk) {
      current.end = i;
      continue;
    }
    current = { cjk, start: at, end: i };
    runs.push(current);
  }
  return runs;
}

/**
 * The terms of an already normalised text ({@link normalizeText}), in order. `alternatives`
 * adds the other spellings of numbers (documents: yes; queries: they are asked as either).
 */
export function cutTerms(text: string, alternatives = true): Term[] {
  const out: Term[] = [];
  let position = 0;
  const push = (term: string, start: number, end: number, at?: number): void => {
    if (at === undefined) position += 1;
    out.push({
      term: term.slice(0, MAX_TERM_CHARS),
      position: Math.min(at ?? position, MAX_POSITION),
      start,
      end,
    });
  };
  const runs = cutRuns(text);
  for (const [r, run] of runs.entries()) {
    if (run.cjk) {
      const chars = [...text.slice(run.start, run.end)];
      if (chars.length === 1) {
        push(chars[0] ?? '', run.start, run.end);
        continue;
      }
      let offset = run.start;
      for (let c = 0; c + 1 < chars.length; c += 1) {
        const a = chars[c] ?? '';
        const b = chars[c + 1] ?? '';
        push(a + b, offset, offset + a.length + b.length);
        offset += a.length;
      }
      continue;
    }
    const word = text.slice(run.start, run.end);
    push(word, run.start, run.end);
    if (!alternatives || !DIGITS.test(word)) continue;
    const at = position;
    const stripped = word.replace(/^0+(?=\d)/u, '');
    if (stripped !== word) push(stripped, run.start, run.end, at);
    if (r > 0 && isGroupedAfter(text, runs, r - 1)) continue;
    for (const joined of joinedSpellings(text, runs, r))
      push(joined.term, joined.start, joined.end, at);
  }
  return out;
}

/** Whether run `r + 1` continues a digit group started at or before run `r`. */
function isGroupedAfter(text: string, runs: readonly Run[], r: number): boolean {
  const a = runs[r];
  const b = runs[r + 1];
  if (!a || !b || a.cjk) return false;
  return (
    DIGITS.test(text.slice(a.start, a.end)) && GROUP_SEPARATOR.test(text.slice(a.end, b.start))
  );
}

/**
 * For the digit groups starting at run `r` (the first of its group run): the groups joined from
 * each group to the end, when the joined number has enough digits. Added at the first group's
 * position so a phrase query over the text still lines up.
 */
function joinedSpellings(
  text: string,
  runs: readonly Run[],
  r: number,
): Array<{ term: string; start: number; end: number }> {
  const groups: string[] = [];
  const starts: number[] = [];
  let last = runs[r];
  for (let i = r; i < runs.length && groups.length < MAX_JOINED_GROUPS; i += 1) {
    const run = runs[i];
    if (!run || run.cjk) break;
    const word = text.slice(run.start, run.end);
    if (!DIGITS.test(word)) break;
    if (i > r && !GROUP_SEPARATOR.test(text.slice(runs[i - 1]?.end ?? 0, run.start))) break;
    groups.push(word);
    starts.push(run.start);
    last = run;
  }
  if (groups.length < 2 || !last) return [];
  const end = last.end;
  const out: Array<{ term: string; start: number; end: number }> = [];
  for (let g = 0; g + 1 < groups.length; g += 1) {
    const joined = groups.slice(g).join('');
    if (joined.length >= MIN_JOINED_DIGITS) out.push({ term: joined, start: starts[g] ?? 0, end });
  }
  return out;
}

/** A lexeme as a quoted `tsvector` / `tsquery` literal. */
/** A lexeme quoted for a `tsvector` or `tsquery` literal. */
export function quote(term: string): string {
  return `'${term.replace(/\\/g, '\\\\').replace(/'/g, "''")}'`;
}

/**
 * The `tsvector` literal of a text: each distinct term with its positions. Cast with
 * `::tsvector`, it is stored as given, the same on PGlite and PostgreSQL.
 */
export function toTsvectorLiteral(text: string): string {
  const positions = new Map<string, Set<number>>();
  for (const t of cutTerms(normalizeText(text))) {
    const set = positions.get(t.term) ?? new Set<number>();
    set.add(t.position);
    positions.set(t.term, set);
  }
  const parts: string[] = [];
  for (const [term, set] of positions) {
    // PostgreSQL keeps at most 256 positions per lexeme.
    const list = [...set].sort((a, b) => a - b).slice(0, 256);
    parts.push(`${quote(term)}:${list.join(',')}`);
  }
  return parts.join(' ');
}

/** One word of a query (text between spaces): its terms, asked as a phrase. */
export interface QueryPart {
  /** The part as typed (normalised). */
  text: string;
  terms: string[];
  /** The part's last term is asked as a prefix (the word is still being typed). */
  prefix: boolean;
  /** For digit groups: the joined number, asked as well as the groups. */
  joined: string | null;
}

/** A parsed query: its parts, all of which must match (each in some document of a result). */
export interface ParsedQuery {
  parts: QueryPart[];
}

/** At most this many parts are asked; a longer query keeps its first ones. */
export const MAX_QUERY_PARTS = 8;
/** At most this many terms per part. */
const MAX_PART_TERMS = 24;

/**
 * Cuts what a user typed into parts (space-separated), each a phrase of terms. The last part is
 * asked as a prefix when the query does not end with a space and it ends in a word of two
 * characters or more or a single CJK character (typing "vpn erro" finds "error"). Empty when
 * nothing searchable was typed.
 * @example parseQuery('VPN 无法连接').parts.map((p) => p.terms) // [['vpn'], ['无法', '法连', '连接']]
 */
export function parseQuery(raw: string): ParsedQuery {
  const normalized = normalizeText(raw);
  const chunks = normalized.split(/\s+/u).filter(Boolean);
  const parts: QueryPart[] = [];
  for (const chunk of chunks) {
    const terms = cutTerms(chunk, false).map((t) => t.term);
    if (terms.length === 0) continue;
    const digitTerms = terms.every((t) => DIGITS.test(t));
    const joined = digitTerms && terms.length > 1 ? terms.join('') : null;
    parts.push({ text: chunk, terms: terms.slice(0, MAX_PART_TERMS), prefix: false, joined });
    if (parts.length === MAX_QUERY_PARTS) break;
  }
  const last = parts[parts.length - 1];
  if (last && !/\s$/u.test(raw) && parts.length <= MAX_QUERY_PARTS) {
    const lastChar = [...last.text].pop() ?? '';
    const lastTerm = last.terms[last.terms.length - 1] ?? '';
    // A word being typed (two characters at least: one letter would expand to half the
    // index), or a lone CJK character (no bigram to match yet).
    const length = [...lastTerm].length;
    last.prefix = WORD.test(lastChar) && (CJK.test(lastChar) ? length === 1 : length >= 2);
  }
  return { parts };
}

/** The `tsquery` literal of one part: its terms as a phrase (`<->`), its joined number or'ed. */
export function partTsquery(part: QueryPart): string {
  const phrase = part.terms
    .map((t, i) => quote(t) + (part.prefix && i === part.terms.length - 1 ? ':*' : ''))
    .join(' <-> ');
  const inner = part.terms.length > 1 ? `( ${phrase} )` : phrase;
  return part.joined ? `( ${inner} | ${quote(part.joined)}${part.prefix ? ':*' : ''} )` : inner;
}

/** The `tsquery` literal that any part matches (the candidates' filter). */
export function anyTsquery(query: ParsedQuery): string {
  return query.parts.map(partTsquery).join(' | ');
}

/** A highlighted range of a snippet, in UTF-16 offsets. */
export interface Highlight {
  start: number;
  end: number;
}

/** Where in `text` (normalised) the query's parts occur: merged, sorted ranges. */
export function findMatches(text: string, query: ParsedQuery): Highlight[] {
  const terms = cutTerms(text, false);
  const ranges: Highlight[] = [];
  for (const part of query.parts) {
    const n = part.terms.length;
    for (let i = 0; i + n <= terms.length; i += 1) {
      let ok = true;
      for (let k = 0; k < n && ok; k += 1) {
        const have = terms[i + k]?.term ?? '';
        const want = part.terms[k] ?? '';
        ok = part.prefix && k === n - 1 ? have.startsWith(want) : have === want;
      }
      if (ok) {
        const first = terms[i] as Term;
        const lastTerm = terms[i + n - 1] as Term;
        // A prefix highlights what was typed, not the whole word.
        const end =
          part.prefix && lastTerm.term !== part.terms[n - 1]
            ? lastTerm.start + (part.terms[n - 1]?.length ?? 0)
            : lastTerm.end;
        ranges.push({ start: first.start, end });
      }
    }
    // A number asked as written elsewhere: digit groups joined, or without its leading zeros.
    const only = part.terms.length === 1 ? (part.terms[0] ?? '') : '';
    const spelled = part.joined ?? (DIGITS.test(only) ? only : null);
    if (spelled) ranges.push(...findJoined(text, spelled));
  }
  return mergeRanges(ranges);
}

/** Where digits spelling `joined` occur with separators between them (a phone written apart). */
function findJoined(text: string, joined: string): Highlight[] {
  const out: Highlight[] = [];
  for (const t of cutTerms(text, true)) {
    if (t.term === joined) out.push({ start: t.start, end: t.end });
  }
  return out;
}

function mergeRanges(ranges: Highlight[]): Highlight[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start || b.end - a.end);
  const out: Highlight[] = [];
  for (const r of sorted) {
    const prev = out[out.length - 1];
    if (prev && r.start <= prev.end) prev.end = Math.max(prev.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

/** A snippet of a document's text around its first match, with the matches in it. */
export interface Snippet {
  text: string;
  highlights: Highlight[];
}

/**
 * About `width` characters of `body` (as written, runs of white space made one space) around the
 * first match of the query, with `…` where it was cut, and the matches inside it as offsets into
 * the returned text.
 */
export function makeSnippet(body: string, query: ParsedQuery, width = 120): Snippet {
  const { display, norm, map } = normalizeWithMap(body.replace(/\s+/gu, ' ').trim());
  const matches = findMatches(norm, query).map((m) => ({
    start: map[m.start] ?? display.length,
    end: map[m.end] ?? display.length,
  }));
  const first = matches[0];
  const lead = Math.floor(width / 3);
  let from = first ? Math.max(0, first.start - lead) : 0;
  // Never cut a surrogate pair.
  if (from > 0 && /[\uDC00-\uDFFF]/u.test(display[from] ?? '')) from -= 1;
  let to = Math.min(display.length, from + width);
  if (to < display.length && /[\uDC00-\uDFFF]/u.test(display[to] ?? '')) to += 1;
  const head = from > 0 ? '…' : '';
  const tail = to < display.length ? '…' : '';
  const highlights = matches
    .filter((m) => m.end > from && m.start < to)
    .map((m) => ({
      start: Math.max(m.start, from) - from + head.length,
      end: Math.min(m.end, to) - from + head.length,
    }));
  return { text: head + display.slice(from, to) + tail, highlights };
}
