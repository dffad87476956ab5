import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { formatTicketNumber, parseTicketNumber } from './number';

describe('formatTicketNumber', () => {
  it.each([
    ['incident', 2026, 123, 'INC-2026-000123'],
    ['service_request', 2026, 1, 'REQ-2026-000001'],
    ['complaint', 2025, 999_999, 'CMP-2025-999999'],
    ['consultation', 2024, 1_234_567, 'CON-2024-1234567'],
  ] as const)('%s %i #%i → %s', (kind, year, n, expected) => {
    expect(formatTicketNumber(kind, year, n)).toBe(expected);
  });

  it('refuses a running number below 1, a fraction, or a year that is not four digits', () => {
    expect(() => formatTicketNumber('incident', 2026, 0)).toThrow(RangeError);
    expect(() => formatTicketNumber('incident', 2026, 1.5)).toThrow(RangeError);
    expect(() => formatTicketNumber('incident', 26, 1)).toThrow(RangeError);
  });

  it('round-trips through parseTicketNumber', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('incident', 'service_request', 'complaint', 'consultation' as const),
        fc.integer({ min: 1000, max: 9999 }),
        fc.integer({ min: 1, max: 99_999_999 }),
        (kind, year, n) => {
          expect(parseTicketNumber(formatTicketNumber(kind, year, n))).toEqual({ kind, year, n });
        },
      ),
    );
  });

  it('parseTicketNumber answers null for anything else', () => {
    for (const s of ['', 'INC-2026-123', 'XYZ-2026-000001', 'INC-2026-000000', 'inc-2026-000001']) {
      expect(parseTicketNumber(s)).toBeNull();
    }
  });
});
