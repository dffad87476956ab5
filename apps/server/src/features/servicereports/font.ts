/**
 * The PDF's font (decision 60). Chinese, Japanese and Korean need a CJK font the PDF embeds
 * (a subset of the glyphs used): `DUTYDESK_PDF_FONT` (a .ttf, .otf or .ttc path, optionally
 * `#PostScriptName` to pick one face of a collection), else the first system font found of
 * Debian's fonts-noto-cjk and fonts-wqy-microhei. Without one the PDF falls back to Helvetica
 * (Latin-1 only: other characters print as "?").
 */
import { existsSync } from 'node:fs';
import type { ServiceReportLocale } from '@dutydesk/shared';

export interface PdfFont {
  path: string;
  /** The face of a collection (.ttc) by PostScript name, per language; null: the file's first. */
  face: (locale: ServiceReportLocale) => string | null;
  /** The file's bytes when already read (a node reads it once). */
  bytes?: Buffer;
}

const NOTO_FACES: Record<ServiceReportLocale, string> = {
  'zh-CN': 'NotoSansCJKsc-Regular',
  en: 'NotoSansCJKsc-Regular',
  ja: 'NotoSansCJKjp-Regular',
  ko: 'NotoSansCJKkr-Regular',
};

/** System fonts looked for, in order: Debian's paths. */
export const SYSTEM_CJK_FONTS: ReadonlyArray<{ path: string; faces: PdfFont['face'] }> = [
  { path: '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc', faces: (l) => NOTO_FACES[l] },
  { path: '/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc', faces: () => null },
  { path: '/usr/share/fonts/truetype/wqy/wqy-microhei.ttc', faces: () => 'WenQuanYiMicroHei' },
  { path: '/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc', faces: () => 'WenQuanYiZenHei' },
  { path: '/usr/share/fonts/truetype/droid/DroidSansFallbackFull.ttf', faces: () => null },
];

/**
 * The font to embed: the configured one (null when its file is missing, so a typo shows as the
 * fallback rather than a crash; the caller logs it), else the first system CJK font present.
 */
export function findPdfFont(
  configured: string | undefined,
  exists: (path: string) => boolean = existsSync,
): PdfFont | null {
  if (configured) {
    const [path = '', face] = configured.split('#');
    return exists(path) ? { path, face: () => face ?? null } : null;
  }
  for (const f of SYSTEM_CJK_FONTS) if (exists(f.path)) return { path: f.path, face: f.faces };
  return null;
}
