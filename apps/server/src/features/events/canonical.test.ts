import fc from 'fast-check';
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { canonicalAroundSeq, canonicalJson, hashEvent } from './canonical';

const json = fc.jsonValue();
const event = fc.record({
  id: fc.string(),
  type: fc.string(),
  ticketId: fc.option(fc.string(), { nil: null }),
  actorId: fc.option(fc.string(), { nil: null }),
  at: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()),
  data: json,
  commandId: fc.option(fc.string(), { nil: null }),
});

describe('canonicalAroundSeq (the SQL append hashes pre || seq || post)', () => {
  it('splits the canonical JSON exactly around the seq, so both hashes agree', () => {
    fc.assert(
      fc.property(event, fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), (e, seq) => {
        const { pre, post } = canonicalAroundSeq(e);
        expect(pre + String(seq) + post).toBe(canonicalJson({ ...e, seq }));
        const prev = 'a'.repeat(64);
        const split = createHash('sha256')
          .update(prev + pre + String(seq) + post)
          .digest('hex');
        expect(split).toBe(hashEvent(prev, { ...e, seq }));
      }),
    );
  });

  it('keeps a nested "seq" in data apart from the event seq', () => {
    const e = {
      id: 'e1',
      type: 't',
      ticketId: null,
      actorId: null,
      at: '2026-01-01T00:00:00.000Z',
      data: { seq: 0, nested: { seq: 1 } },
      commandId: null,
    };
    const { pre, post } = canonicalAroundSeq(e);
    expect(pre + '42' + post).toBe(canonicalJson({ ...e, seq: 42 }));
  });
});
