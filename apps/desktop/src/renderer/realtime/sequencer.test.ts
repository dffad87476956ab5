import { describe, expect, it } from 'vitest';
import { classifySeq, createReorderBuffer, sequenceEvents } from './sequencer';

const ev = (...seqs: number[]) => seqs.map((seq) => ({ seq }));

describe('classifySeq', () => {
  it.each([
    [5, 6, 'apply'],
    [5, 5, 'duplicate'],
    [5, 2, 'duplicate'],
    [5, 7, 'gap'],
    [0, 1, 'apply'],
  ])('last %i, incoming %i → %s', (last, seq, verdict) => {
    expect(classifySeq(last, seq)).toBe(verdict);
  });
});

describe('sequenceEvents', () => {
  it('applies a contiguous run in order', () => {
    expect(sequenceEvents(3, ev(4, 5, 6))).toEqual({
      apply: ev(4, 5, 6),
      lastSeq: 6,
      duplicates: 0,
      gap: null,
    });
  });

  it('drops duplicates, including ones inside the run', () => {
    const batch = sequenceEvents(3, ev(2, 3, 4, 4, 5));
    expect(batch.apply).toEqual(ev(4, 5));
    expect(batch.duplicates).toBe(3);
    expect(batch.lastSeq).toBe(5);
  });

  it('stops at a gap and reports what is missing', () => {
    const batch = sequenceEvents(3, ev(4, 6, 7));
    expect(batch.apply).toEqual(ev(4));
    expect(batch.lastSeq).toBe(4);
    expect(batch.gap).toEqual({ expected: 5, received: 6 });
  });

  it('never moves lastSeq backwards and never applies a seq twice', () => {
    let last = 0;
    const applied: number[] = [];
    for (const run of [ev(1, 2), ev(2, 3), ev(1), ev(4, 5, 5, 6)]) {
      const batch = sequenceEvents(last, run);
      applied.push(...batch.apply.map((e) => e.seq));
      expect(batch.lastSeq).toBeGreaterThanOrEqual(last);
      last = batch.lastSeq;
    }
    expect(applied).toEqual([1, 2, 3, 4, 5, 6]);
  });
});

describe('createReorderBuffer', () => {
  it('holds early events, releases them in order once the gap fills, drops old ones', () => {
    const buffer = createReorderBuffer<{ seq: number }>();
    expect(buffer.push(4, [{ seq: 4 }, { seq: 6 }, { seq: 7 }])).toEqual({
      apply: [],
      lastSeq: 4,
      held: 2,
      missing: 5,
    });
    expect(buffer.push(4, [{ seq: 5 }])).toEqual({
      apply: [{ seq: 5 }, { seq: 6 }, { seq: 7 }],
      lastSeq: 7,
      held: 0,
      missing: null,
    });
    buffer.push(7, [{ seq: 9 }]);
    buffer.clear();
    expect(buffer.size).toBe(0);
  });
});
