import { cutTerms, normalizeText } from '../search';

/** How texts become hashed features (stored with each model, so every node cuts the same). */
export interface FeatureOptions {
  /** log2 of the hashed space. */
  bits: number;
  /** Word bigrams (terms next to each other). */
  bigrams: boolean;
  /** Character n-grams of Latin words, within the word (`[3, 5]`); null: none. */
  charNgrams: [number, number] | null;
}

/**
 * The ensemble's feature sets: words with bigrams (2^22 buckets: the it-tickets history has
 * 411 000 distinct bigrams), and words with character 2–5-grams (2^20). Only the buckets a
 * history has are stored (decision 62). On the it-tickets history, 5-fold CV with each fold's
 * own idf: words + bigrams 0.8588 at 2^18, 0.8604 at 2^22; the two summed at 2^18 0.8622.
 */
export const DEFAULT_FEATURES: FeatureOptions[] = [
  { bits: 22, bigrams: true, charNgrams: null },
  { bits: 20, bigrams: false, charNgrams: [2, 5] },
];

const CJK_CHAR = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}\p{Script=Hangul}]/u;

/** 32-bit FNV-1a of a string (UTF-16 code units), seeded by the feature's kind. */
function hash(s: string, seed: number): number {
  let h = (0x811c9dc5 ^ seed) >>> 0;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/**
 * The hashed features of a text with their counts, sorted by index: the search feature's
 * terms (words; CJK as character bigrams, a lone character as itself), each term's neighbour
 * (word bigrams), CJK characters alone, and character n-grams inside Latin words.
 */
export function hashFeatures(text: string, opts: FeatureOptions): Map<number, number> {
  const mask = (1 << opts.bits) - 1;
  const out = new Map<number, number>();
  const add = (s: string, seed: number): void => {
    const i = hash(s, seed) & mask;
    out.set(i, (out.get(i) ?? 0) + 1);
  };
  const terms = cutTerms(normalizeText(text), false).map((t) => t.term);
  let prev: string | null = null;
  for (const term of terms) {
    add(term, 1);
    if (opts.bigrams && prev !== null) add(`${prev} ${term}`, 2);
    prev = term;
    if (CJK_CHAR.test(term)) {
      if (term.length > 1) for (const ch of term) add(ch, 3);
    } else if (opts.charNgrams && term.length >= 3) {
      const [lo, hi] = opts.charNgrams;
      const w = ` ${term} `;
      for (let n = lo; n <= hi; n++) {
        if (n > w.length) break;
        for (let k = 0; k + n <= w.length; k++) add(w.slice(k, k + n), 10 + n);
      }
    }
  }
  return out;
}
