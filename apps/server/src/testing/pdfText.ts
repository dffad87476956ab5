/**
 * Reads a PDF back for tests (no PDF library): its objects, inflated streams, embedded fonts and
 * the text of its content streams decoded through the fonts' ToUnicode maps, so a test sees
 * what a reader would copy out of the page (and that CJK text is really embedded, not "?").
 */
import { inflateSync } from 'node:zlib';

export interface PdfRead {
  version: string;
  pages: number;
  /** BaseFont names of the fonts (`/Type /Font`), subset prefix kept (`ABCDEF+NotoSansCJKsc-Regular`). */
  fonts: string[];
  /** Kinds of embedded font programs: `FontFile2` (TrueType), `FontFile3` (CFF/OpenType). */
  embedded: string[];
  /** The pages' text, one line per text object (BT … ET). */
  text: string;
  info: Record<string, string>;
}

interface PdfObject {
  dict: string;
  stream: Buffer | null;
}

function readObjects(bin: string): PdfObject[] {
  const out: PdfObject[] = [];
  const re = /\d+ \d+ obj\b([\s\S]*?)endobj/g;
  for (const m of bin.matchAll(re)) {
    const body = m[1] ?? '';
    const s = body.search(/stream\r?\n/);
    if (s < 0) {
      out.push({ dict: body, stream: null });
      continue;
    }
    const dict = body.slice(0, s);
    const start = s + (body[s + 6] === '\r' ? 8 : 7);
    const end = body.lastIndexOf('endstream');
    let raw = Buffer.from(body.slice(start, end), 'latin1');
    const length = /\/Length (\d+)\b/.exec(dict);
    if (length) raw = raw.subarray(0, Number(length[1]));
    let stream: Buffer = raw;
    if (/\/FlateDecode/.test(dict)) {
      try {
        stream = inflateSync(raw);
      } catch {
        stream = raw;
      }
    }
    out.push({ dict, stream });
  }
  return out;
}

/** A ToUnicode CMap: code (hex) → text. */
function readCmap(cmap: string): Map<string, string> {
  const map = new Map<string, string>();
  const hexText = (hex: string): string => {
    let s = '';
    for (let i = 0; i + 4 <= hex.length; i += 4)
      s += String.fromCharCode(parseInt(hex.slice(i, i + 4), 16));
    return s;
  };
  for (const block of cmap.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
    for (const m of (block[1] ?? '').matchAll(/<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>/g))
      map.set((m[1] ?? '').toLowerCase(), hexText(m[2] ?? ''));
  for (const block of cmap.matchAll(/beginbfrange([\s\S]*?)endbfrange/g)) {
    for (const m of (block[1] ?? '').matchAll(
      /<([0-9a-fA-F]+)>\s*<([0-9a-fA-F]+)>\s*(\[[^\]]*\]|<[0-9a-fA-F]+>)/g,
    )) {
      const lo = parseInt(m[1] ?? '0', 16);
      const hi = parseInt(m[2] ?? '0', 16);
      const width = (m[1] ?? '').length;
      const dst = m[3] ?? '';
      if (dst.startsWith('[')) {
        const items = [...dst.matchAll(/<([0-9a-fA-F]+)>/g)].map((x) => x[1] ?? '');
        items.forEach((hex, i) =>
          map.set((lo + i).toString(16).padStart(width, '0'), hexText(hex)),
        );
      } else {
        const base = parseInt(dst.slice(1, -1), 16);
        for (let c = lo; c <= hi; c++)
          map.set(c.toString(16).padStart(width, '0'), String.fromCharCode(base + c - lo));
      }
    }
  }
  return map;
}

/** Parses what a test needs of a PDF (pdfkit's output: one CID font, or standard fonts). */
export function readPdf(bytes: Buffer): PdfRead {
  const bin = bytes.toString('latin1');
  if (!bin.startsWith('%PDF-')) throw new Error('not a PDF: no %PDF- header');
  if (!/%%EOF\s*$/.test(bin)) throw new Error('not a whole PDF: no %%EOF at the end');
  const objects = readObjects(bin);
  const fonts = objects
    .filter((o) => /\/Type\s*\/Font\b/.test(o.dict))
    .map((o) => /\/BaseFont\s*\/([^\s/<>[\]]+)/.exec(o.dict)?.[1] ?? '?');
  const embedded = objects.flatMap((o) =>
    [...o.dict.matchAll(/\/(FontFile[23]?)\b/g)].map((m) => m[1] ?? ''),
  );
  const cmaps = objects
    .filter((o) => o.stream && o.stream.toString('latin1').includes('begincmap'))
    .map((o) => readCmap(o.stream?.toString('latin1') ?? ''));
  const cmap = cmaps.length === 1 ? cmaps[0] : undefined;
  const lines: string[] = [];
  for (const o of objects) {
    const content = o.stream?.toString('latin1') ?? '';
    if (!/\bBT\b/.test(content) || content.includes('begincmap')) continue;
    for (const bt of content.matchAll(/\bBT\b([\s\S]*?)\bET\b/g)) {
      let line = '';
      for (const h of (bt[1] ?? '').matchAll(/<([0-9a-fA-F]*)>/g)) {
        const hex = (h[1] ?? '').toLowerCase();
        if (cmap)
          for (let i = 0; i + 4 <= hex.length; i += 4)
            line += cmap.get(hex.slice(i, i + 4)) ?? '\ufffd';
        else
          for (let i = 0; i + 2 <= hex.length; i += 2)
            line += String.fromCharCode(parseInt(hex.slice(i, i + 2), 16));
      }
      for (const p of (bt[1] ?? '').matchAll(/\(((?:[^()\\]|\\.)*)\)\s*T[jJ]/g)) line += p[1] ?? '';
      lines.push(line);
    }
  }
  const pages = objects.filter((o) => /\/Type\s*\/Page\b(?!s)/.test(o.dict)).length;
  const info: Record<string, string> = {};
  const infoObj = objects.find((o) => /\/Producer|\/Creator/.test(o.dict));
  for (const m of infoObj?.dict.matchAll(/\/(\w+)\s*\(((?:[^()\\]|\\.)*)\)/g) ?? [])
    info[m[1] ?? ''] = m[2] ?? '';
  return { version: bin.slice(5, 8), pages, fonts, embedded, text: lines.join('\n'), info };
}
