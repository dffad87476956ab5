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

/** The result of pushing events into a {@link ReorderBuffer}. */
export interface ReorderResult<E extends { seq: number }> {
  /** Events now applicable, in seq order. */
  apply: E[];
  /** The last seq after applying them. */
  lastSeq: number;
  /** Events held back because an earlier seq is missing. */
  held: number;
  /** The first missing seq while something is held, else null. */
  missing: number | null;
}

/**
 * Holds events that arrive ahead of a missing seq. Two commands committing
 * close together can be published in either order, so a jump is not yet a
 * loss: the buffer keeps the later event until the missing one arrives (or
 * the bridge gives up waiting and asks the server with `sync`).
 */
export interface ReorderBuffer<E extends { seq: number }> {
  push(lastSeq: number, events: readonly E[]): ReorderResult<E>;
  clear(): void;
  readonly size: number;
}

/** Most events held before the bridge stops waiting and repairs at once. */
export const MAX_HELD_EVENTS = 5_000;

export function createReorderBuffer<E extends { seq: number }>(): ReorderBuffer<E> {
  const held = new Map<number, E>();
  return {
    push(lastSeq, events) {
      for (const event of events) if (event.seq > lastSeq) held.set(event.seq, event);
      for (const seq of held.keys()) if (seq <= lastSeq) held.delete(seq);
      const apply: E[] = [];
      let current = lastSeq;
      for (let next = held.get(current + 1); next; next = held.get(current + 1)) {
        held.delete(next.seq);
        apply.push(next);
        current = next.seq;
      }
      return {
        apply,
        lastSeq: current,
        held: held.size,
        missing: held.size > 0 ? current + 1 : null,
      };
    },
    clear() {
      held.clear();
    },
    get size() {
      return held.size;
    },
  };
}
