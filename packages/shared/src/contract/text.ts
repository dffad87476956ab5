import { z } from 'zod';

/**
 * What the desk's database cannot store as it was sent: U+0000 (PostgreSQL's `text` and
 * `jsonb` refuse it) and a lone UTF-16 surrogate (no UTF-8 encoding exists for it; `jsonb`
 * refuses its `\uD800` escape, and a `text` column would silently get U+FFFD instead).
 * With the `u` flag `\p{Cs}` matches only surrogates that are not part of a pair, so emoji
 * and every other character outside the BMP pass.
 */
// eslint-disable-next-line no-control-regex -- U+0000 is exactly what this must find
const UNSTORABLE = /\u0000|\p{Cs}/u;

/** The field error of a string holding a character from {@link isStorableText}. */
export const UNSTORABLE_TEXT_MESSAGE =
  'must not contain a NUL character (U+0000) or a lone UTF-16 surrogate';

/**
 * Whether a string can be stored exactly as given: no U+0000 and no lone surrogate.
 * Such strings are refused (a clear `invalid` naming the field), never stripped: a silent
 * change of what someone wrote in an audited log would be worse than asking them to resend.
 * @example isStorableText('服务台 🚨') // true
 * @example isStorableText('a\u0000b') // false
 */
export function isStorableText(s: string): boolean {
  return !UNSTORABLE.test(s);
}

/**
 * A string the database can store as sent (see {@link isStorableText}). Every free-text and
 * id field of the contract starts from this one schema.
 * @example storableString().max(64)
 */
export function storableString(): z.ZodString {
  return z.string().refine(isStorableText, { message: UNSTORABLE_TEXT_MESSAGE });
}

/**
 * Required free text: trimmed, then 1 to `max` characters, storable.
 * @example requiredText(200).parse('  Printer on fire ') // 'Printer on fire'
 */
export function requiredText(max: number): z.ZodString {
  return storableString().trim().min(1, 'required').max(max);
}

/**
 * Optional free text: trimmed, at most `max` characters, storable; may be empty.
 * @example optionalText(100).optional()
 */
export function anyText(max: number): z.ZodString {
  return storableString().trim().max(max);
}
