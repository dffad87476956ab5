import type { SearchHighlight } from '../../realtime/contract';

/** A text with its matched ranges in `<mark>` (ranges outside the text or overlapping are skipped). */
export function Highlighted({
  text,
  ranges,
}: {
  text: string;
  ranges: readonly SearchHighlight[];
}) {
  const parts: Array<{ text: string; mark: boolean }> = [];
  let at = 0;
  for (const r of [...ranges].sort((a, b) => a.start - b.start)) {
    if (r.start < at || r.end > text.length || r.end <= r.start) continue;
    if (r.start > at) parts.push({ text: text.slice(at, r.start), mark: false });
    parts.push({ text: text.slice(r.start, r.end), mark: true });
    at = r.end;
  }
  if (at < text.length) parts.push({ text: text.slice(at), mark: false });
  return (
    <>
      {parts.map((p, i) =>
        p.mark ? <mark key={i}>{p.text}</mark> : <span key={i}>{p.text}</span>,
      )}
    </>
  );
}
