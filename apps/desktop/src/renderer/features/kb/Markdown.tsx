import { micromark } from 'micromark';
import { useMemo } from 'react';

/**
 * An article's Markdown as HTML. micromark (CommonMark) escapes raw HTML and drops
 * `javascript:`-like link protocols by default (`allowDangerousHtml` and
 * `allowDangerousProtocol` stay off), so what an author writes cannot run in a reader's console.
 */
export function Markdown({ source, className }: { source: string; className?: string }) {
  const html = useMemo(() => micromark(source), [source]);
  return (
    <div
      className={`kb-markdown${className ? ` ${className}` : ''}`}
      // Sanitised by micromark's defaults (above); no raw HTML reaches the page.
      dangerouslySetInnerHTML={{ __html: html }}
    />
  );
}
