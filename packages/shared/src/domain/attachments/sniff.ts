/**
 * What an upload's first bytes say it is, and whether the desk takes it. The server checks the
 * sniffed type, never only the type the sender declared: a renamed executable or an HTML page
 * sent as `image/png` is refused by its content.
 */

/** Bytes of an upload's head the sniffer reads (enough for every signature below). */
export const SNIFF_BYTES = 512;

/** Media types the desk stores, by what their bytes show. */
export const ALLOWED_CONTENT_TYPES = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
  'text/plain',
  'text/csv',
  'application/json',
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
  'audio/mpeg',
  'audio/wav',
  'audio/ogg',
  'audio/mp4',
  'video/mp4',
] as const;
export type AllowedContentType = (typeof ALLOWED_CONTENT_TYPES)[number];

/** Types the console previews and the server serves `inline` (everything else downloads). */
export const INLINE_CONTENT_TYPES: readonly string[] = [
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/webp',
  'application/pdf',
];

/** Declared types a text upload keeps (anything else textual is stored as text/plain). */
const TEXT_TYPES = ['text/plain', 'text/csv', 'application/json'];
/** Declared types a zip upload keeps (office documents are zip files). */
const ZIP_TYPES = [
  'application/zip',
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document',
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
  'application/vnd.openxmlformats-officedocument.presentationml.presentation',
  'application/vnd.oasis.opendocument.text',
  'application/vnd.oasis.opendocument.spreadsheet',
];

function startsWith(head: Uint8Array, bytes: readonly number[], at = 0): boolean {
  if (head.length < at + bytes.length) return false;
  return bytes.every((b, i) => head[at + i] === b);
}

function ascii(s: string): number[] {
  return [...s].map((c) => c.charCodeAt(0));
}

/** Markup a browser would run: refused as text whatever it is declared as. */
const MARKUP =
  /^(?:\ufeff)?\s*(?:<!doctype\s+html|<html|<head|<body|<script|<iframe|<svg|<\?xml[^>]*>\s*(?:<!doctype\s+svg|<svg))/i;

/**
 * The media type an upload's first bytes show, or null when they match nothing known. Also
 * names types the desk refuses (`application/x-msdownload`, `text/html`, `image/svg+xml` …),
 * so the refusal can say what the file is.
 * @example sniffContentType(new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) // 'image/png'
 */
export function sniffContentType(head: Uint8Array): string | null {
  if (startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])) return 'image/png';
  if (startsWith(head, [0xff, 0xd8, 0xff])) return 'image/jpeg';
  if (startsWith(head, ascii('GIF87a')) || startsWith(head, ascii('GIF89a'))) return 'image/gif';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WEBP'), 8)) return 'image/webp';
  if (startsWith(head, ascii('RIFF')) && startsWith(head, ascii('WAVE'), 8)) return 'audio/wav';
  if (startsWith(head, ascii('%PDF-'))) return 'application/pdf';
  if (startsWith(head, [0x50, 0x4b, 0x03, 0x04]) || startsWith(head, [0x50, 0x4b, 0x05, 0x06]))
    return 'application/zip';
  if (startsWith(head, ascii('OggS'))) return 'audio/ogg';
  if (startsWith(head, ascii('ftyp'), 4)) {
    return startsWith(head, ascii('M4A'), 8) ? 'audio/mp4' : 'video/mp4';
  }
  if (startsWith(head, ascii('ID3'))) return 'audio/mpeg';
  if (startsWith(head, ascii('MZ'))) return 'application/x-msdownload';
  if (startsWith(head, [0x7f, 0x45, 0x4c, 0x46])) return 'application/x-executable';
  if (
    startsWith(head, [0xcf, 0xfa, 0xed, 0xfe]) ||
    startsWith(head, [0xfe, 0xed, 0xfa, 0xcf]) ||
    startsWith(head, [0xca, 0xfe, 0xba, 0xbe])
  )
    return 'application/x-mach-binary';
  if (head.length >= 2 && head[0] === 0xff && ((head[1] ?? 0) & 0xe0) === 0xe0) return 'audio/mpeg';
  if (startsWith(head, ascii('#!'))) return 'application/x-sh';
  if (isText(head)) {
    const start = new TextDecoder('utf-8', { fatal: false }).decode(head.subarray(0, 256));
    if (MARKUP.test(start)) return /<svg/i.test(start) ? 'image/svg+xml' : 'text/html';
    return 'text/plain';
  }
  return null;
}

/** No NUL and no control byte but tab, line feeds, form feed and escape (UTF-8 and GB18030 logs pass). */
function isText(head: Uint8Array): boolean {
  if (head.length === 0) return true;
  for (const b of head) {
    if (b < 0x20 && b !== 0x09 && b !== 0x0a && b !== 0x0d && b !== 0x0c && b !== 0x1b)
      return false;
    if (b === 0x7f) return false;
  }
  return true;
}

/** What the desk makes of an upload: the type it is stored and served as, or why it is refused. */
export type ContentTypeVerdict =
  | { ok: true; contentType: AllowedContentType }
  | { ok: false; sniffed: string | null; message: string };

/**
 * The type an upload is stored as: the sniffed one, or the declared one when it is a more
 * precise name for the same bytes (`text/csv` for text, a .docx type for a zip). Refused when
 * the bytes are not of an allowed type, whatever was declared.
 * @example resolveContentType('text/csv', 'text/plain') // { ok: true, contentType: 'text/csv' }
 */
export function resolveContentType(
  declared: string | null | undefined,
  sniffed: string | null,
): ContentTypeVerdict {
  const d = (declared ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  if (sniffed === null) {
    return {
      ok: false,
      sniffed,
      message: `the file's content is not of a type the desk accepts (declared ${d || 'nothing'}); allowed: images, PDF, text, office documents, zip, audio and MP4`,
    };
  }
  if (!(ALLOWED_CONTENT_TYPES as readonly string[]).includes(sniffed)) {
    return {
      ok: false,
      sniffed,
      message: `files of type ${sniffed} are not accepted (the content says so${d && d !== sniffed ? `, not the declared ${d}` : ''})`,
    };
  }
  if (sniffed === 'text/plain' && TEXT_TYPES.includes(d))
    return { ok: true, contentType: d as AllowedContentType };
  if (sniffed === 'application/zip' && ZIP_TYPES.includes(d))
    return { ok: true, contentType: d as AllowedContentType };
  return { ok: true, contentType: sniffed as AllowedContentType };
}

/**
 * Whether an attachment of this type is shown in place (images, PDF) rather than downloaded.
 * @example isInlineContentType('application/pdf') // true
 */
export function isInlineContentType(contentType: string): boolean {
  return INLINE_CONTENT_TYPES.includes(contentType);
}
