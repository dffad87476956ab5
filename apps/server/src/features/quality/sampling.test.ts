import { describe, expect, it } from 'vitest';
import { handMadeQa, type HandMade } from './quality.fixtures';
import {
  drawQaSample,
  monthPeriod,
  previousMonth,
  qaFindings,
  sampleSize,
  seededShuffle,
  stratumKey,
} from './sampling';

const base: HandMade = {
  id: 't-000',
  number: 'INC-000',
  priority: 'P2',
  assigneeId: 'agent-a',
  startedAt: '2026-03-10T01:00:00.000Z',
  windowHours: 8,
  stoppedPercent: 50,
  closedAt: '2026-03-11T01:00:00.000Z',
};
const made = (over: Partial<HandMade>) => handMadeQa({ ...base, ...over });

/** A population: `counts[agent|priority]` tickets per stratum. */
function population(counts: Record<string, number>) {
  let n = 0;
  return Object.entries(counts).flatMap(([key, count]) => {
    const [agent, priority] = key.split('|') as [string, HandMade['priority']];
    return Array.from({ length: count }, () => {
      n += 1;
      const id = `t-${String(n).padStart(3, '0')}`;
      return made({ id, number: `INC-${n}`, assigneeId: agent === '-' ? null : agent, priority });
    });
  });
}

describe('QA findings', () => {
  it('flags a closure 25 % past its resolve target, not 15 % or exactly 20 %', () => {
    expect(qaFindings(made({ stoppedPercent: 125 }))).toEqual([
      {
        code: 'late_closure',
        dueAt: '2026-03-10T09:00:00.000Z',
        stoppedAt: '2026-03-10T11:00:00.000Z',
        overrunPercent: 25,
      },
    ]);
    expect(qaFindings(made({ stoppedPercent: 115 }))).toEqual([]);
    expect(qaFindings(made({ stoppedPercent: 120 }))).toEqual([]);
    expect(qaFindings(made({ stoppedPercent: 100 }))).toEqual([]);
  });

  it('flags three or more missing key fields, names them, and not two', () => {
    expect(qaFindings(made({ missing: ['category', 'module', 'resolution_note'] }))).toEqual([
      { code: 'missing_fields', missing: ['category', 'module', 'resolution_note'] },
    ]);
    expect(qaFindings(made({ missing: ['category', 'module'] }))).toEqual([]);
    expect(qaFindings(made({}))).toEqual([]);
    const all = [
      'category',
      'module',
      'customer_contact',
      'resolution_note',
      'execution_log',
      'supervision_log',
      'signed_milestones',
    ] as const;
    expect(qaFindings(made({ missing: all, stoppedPercent: 130 }))).toEqual([
      expect.objectContaining({ code: 'late_closure', overrunPercent: 30 }),
      { code: 'missing_fields', missing: [...all] },
    ]);
  });

  it('counts a milestone without the customer’s signature as unsigned', () => {
    const t = made({ missing: ['category', 'module'] });
    t.milestones = [
      { leadConfirmation: { by: 'x', at: base.closedAt }, customerConfirmation: null },
    ];
    expect(qaFindings(t)).toEqual([
      { code: 'missing_fields', missing: ['category', 'module', 'signed_milestones'] },
    ]);
  });
});

describe('QA sample', () => {
  it('is 10 % rounded up', () => {
    expect([0, 1, 9, 10, 11, 23, 100, 101].map((n) => sampleSize(n))).toEqual([
      0, 1, 1, 1, 2, 3, 10, 11,
    ]);
  });

  it('allots strata by largest remainder (recomputed by hand) and draws inside each', () => {
    // 23 tickets, 3 sampled: exact quotas 0.652, 1.043, 0.783, 0.391, 0.130; floors give one
    // (a|P2), the two largest remainders (b|P2 .783, a|P1 .652) one more each.
    const pop = population({ 'a|P1': 5, 'a|P2': 8, 'b|P2': 6, 'b|P3': 3, '-|P3': 1 });
    const draw = drawQaSample(pop, 'seed-1');
    expect(draw.size).toBe(3);
    expect(Object.fromEntries(draw.strata.map((s) => [s.key, s.quota]))).toEqual({
      'a|P1': 1,
      'a|P2': 1,
      'b|P2': 1,
      'b|P3': 0,
      '-|P3': 0,
    });
    const picked = draw.items.map((i) => i.ticket);
    expect(picked.map(stratumKey).sort()).toEqual(['a|P1', 'a|P2', 'b|P2']);
    expect(draw.items.map((i) => i.stratum)).toEqual(picked.map(stratumKey));
  });

  it('keeps every stratum within one of its proportional share on a larger month', () => {
    const pop = population({
      'a|P1': 17,
      'a|P2': 93,
      'b|P1': 4,
      'b|P2': 61,
      'b|P3': 150,
      'c|P3': 77,
    });
    const draw = drawQaSample(pop, 'x');
    expect(draw.size).toBe(41);
    expect(draw.items).toHaveLength(41);
    for (const s of draw.strata) {
      const exact = (41 * s.population) / pop.length;
      expect(s.quota).toBeGreaterThanOrEqual(Math.floor(exact));
      expect(s.quota).toBeLessThanOrEqual(Math.ceil(exact));
      expect(draw.items.filter((i) => i.stratum === s.key)).toHaveLength(s.quota);
    }
    expect(new Set(draw.items.map((i) => i.ticket.id)).size).toBe(41);
  });

  it('is reproducible from its seed, whatever the order of the tickets, and moves with the seed', () => {
    const pop = population({ 'a|P1': 30, 'a|P2': 40, 'b|P2': 50 });
    const ids = (seed: string, list = pop) =>
      drawQaSample(list, seed).items.map((i) => i.ticket.id);
    const reversed = [...pop].reverse();
    expect(ids('s-42')).toEqual(ids('s-42'));
    expect(ids('s-42', reversed)).toEqual(ids('s-42'));
    const others = ['s-1', 's-2', 's-3', 's-4'].map((s) => ids(s).join());
    expect(others.some((o) => o !== ids('s-42').join())).toBe(true);
  });

  it('shuffles with every order reachable and the same order for the same seed', () => {
    const orders = new Set<string>();
    for (let i = 0; i < 400; i++) orders.add(seededShuffle(['a', 'b', 'c'], `k${i}`).join(''));
    expect(orders.size).toBe(6);
    expect(seededShuffle([1, 2, 3, 4, 5], 'q')).toEqual(seededShuffle([1, 2, 3, 4, 5], 'q'));
  });
});

describe('QA months', () => {
  it('are the desk time zone’s calendar months', () => {
    expect(monthPeriod('2026-03', 'Asia/Shanghai')).toEqual({
      period: '2026-03',
      from: new Date('2026-02-28T16:00:00.000Z'),
      to: new Date('2026-03-31T16:00:00.000Z'),
    });
    // 1 April 00:30 in Shanghai is still 31 March in UTC: the previous month is March.
    expect(previousMonth(new Date('2026-03-31T16:30:00.000Z'), 'Asia/Shanghai').period).toBe(
      '2026-03',
    );
    expect(previousMonth(new Date('2026-03-31T15:30:00.000Z'), 'Asia/Shanghai').period).toBe(
      '2026-02',
    );
    expect(previousMonth(new Date('2026-01-15T00:00:00.000Z'), 'Asia/Shanghai').period).toBe(
      '2025-12',
    );
    expect(monthPeriod('2026-03', 'Europe/Berlin').to).toEqual(
      new Date('2026-03-31T22:00:00.000Z'),
    );
  });
});
