import { describe, expect, it } from 'vitest';
import { roundMinutes, toCsv } from './compensation';

describe('the compensation CSV', () => {
  it('starts with a BOM, quotes what needs it and ends lines with CRLF', () => {
    const csv = toCsv(
      ['工单', 'Customer'],
      [
        ['INC-1', 'Acme, "East"'],
        ['INC-2', 12.5],
      ],
    );
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    expect(csv.slice(1)).toBe('工单,Customer\r\nINC-1,"Acme, ""East"""\r\nINC-2,12.5\r\n');
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(roundMinutes(12.345)).toBe(12.3);
  });
});
