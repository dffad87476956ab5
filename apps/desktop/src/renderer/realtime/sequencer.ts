/**
 * Pure ordering logic of the socket bridge: events are applied strictly in seq
 * order, anything at or below what we hold is a harmless duplicate, and a jump
 * past the next seq is a gap that only a resync can fill.
 */

export const SeqVerdict = {
  apply: 'apply',
  duplicate: 'duplicate',
  gap: 'gap',
} as const;
export type SeqVerdict = (typeof SeqVerdict)[keyof typeof SeqVerdict];

/** What to do with one event, given the last seq applied. */
export function classifySeq(lastSeq: number, seq: number): SeqVerdict {
  if (seq <= lastSeq) return SeqVerdict.duplicate;
  return seq === lastSeq + 1 ? SeqVerdict.apply : SeqVerdict.gap;
}

export interface SequencedBatch<E extends { seq: number }> {
  /** Events to apply, in order. */
  apply: E[];
  /** The last seq after applying them. */
  lastSeq: number;
  duplicates: number;
  /** Set when an event skipped ahead: everything from it on is discarded. */
  gap: { expected: number; received: number } | null;
}

/**
 * Splits a run of incoming events into what to apply now. Stops at the first
 * gap: the events after it cannot be applied before the missing ones.
 * @example sequenceEvents(4, [{seq:4},{seq:5},{seq:7}]) // apply [5], gap {expected:6, received:7}
 */
export function sequenceEvents<E extends { seq: number }>(
  lastSeq: number,
  events: readonly E[],
): SequencedBatch<E> {
  const apply: E[] = [];
  let current = lastSeq;
  let duplicates = 0;
  for (const event of events) {
    const verdict = classifySeq(current, event.seq);
    if (verdict === SeqVerdict.duplicate) {
      duplicates += 1;
      continue;
    }
    if (verdict === SeqVerdict.gap) {
      return {
        apply,
        lastSeq: current,
        duplicates,
        gap: { expected: current + 1, received: event.seq },
      };
    }
    apply.push(event);
    current = event.seq;
  }
  return { apply, lastSeq: current, duplicates, gap: null };
}
