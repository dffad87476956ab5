import { describe, expect, it } from 'vitest';
import { documentLexemes, seqWindows } from './windows';

describe('seq windows of the search index (decision 47)', () => {
  it('cover every seq up to the head once, newest first, growing at most one size a step', () => {
    for (const head of [0, 1, 1_023, 1_024, 5_000, 65_536, 299_994, 1_234_567, 40_000_000]) {
      const windows = seqWindows(head);
      expect(windows[0]?.from).toBeLessThanOrEqual(head);
      expect(windows[0]?.to).toBeGreaterThan(head);
      expect(windows[windows.length - 1]?.from).toBe(0);
      for (let i = 1; i < windows.length; i += 1) {
        const [newer, older] = [windows[i - 1], windows[i]];
        expect(older?.to, `head ${head}, window ${i}`).toBe(newer?.from);
        const [a, b] = [
          (newer?.to ?? 0) - (newer?.from ?? 0),
          (older?.to ?? 0) - (older?.from ?? 0),
        ];
        expect(b / a).toBeLessThanOrEqual(4);
      }
      expect(windows.length).toBeLessThan(40);
    }
  });

  it("gives each document the lexeme of every window its seq falls in, and its kind's and audience's", () => {
    const lexemes = documentLexemes({ kind: 'ticket', audience: 'staff', seq: 70_000 }).split(' ');
    expect(lexemes.slice(0, 2)).toEqual(["'~k:ticket'", "'~a:staff'"]);
    for (const w of seqWindows(299_994)) {
      const inside = w.from <= 70_000 && 70_000 < w.to;
      expect(lexemes.includes(w.lexeme), `${w.lexeme} ${w.from}–${w.to}`).toBe(inside);
    }
  });
});
