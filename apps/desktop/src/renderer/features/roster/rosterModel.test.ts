import { describe, expect, it } from 'vitest';
import { addDays, findConflicts, listViewDays } from './rosterModel';
import type { RosterShift } from './rosterModel';

const shift = (
  id: string,
  startsAt: string,
  endsAt: string,
  people: Array<[string, string, string?]>,
): RosterShift => ({
  id,
  templateId: null,
  name: id,
  kind: 'day',
  startsAt,
  endsAt,
  assignments: people.map(([userId, duty, coverFor], i) => ({
    id: `${id}-${i}`,
    shiftId: id,
    userId,
    duty,
    coverFor: coverFor ?? null,
    from: null,
    to: null,
  })),
});

describe('the roster grid model', () => {
  it('lists a week from Monday and a whole month', () => {
    expect(listViewDays('2026-12-04', 'week')).toEqual([
      '2026-11-30',
      '2026-12-01',
      '2026-12-02',
      '2026-12-03',
      '2026-12-04',
      '2026-12-05',
      '2026-12-06',
    ]);
    const feb = listViewDays('2026-02-14', 'month');
    expect(feb).toHaveLength(28);
    expect(feb[0]).toBe('2026-02-01');
    expect(addDays('2026-12-31', 1)).toBe('2027-01-01');
  });

  it('finds double bookings and shifts without a duty manager', () => {
    const day = shift('day', '2026-12-04T00:30:00Z', '2026-12-04T10:30:00Z', [
      ['sunli', 'duty_manager'],
      ['omar', 'engineer_l2'],
    ]);
    const late = shift('late', '2026-12-04T08:00:00Z', '2026-12-04T16:00:00Z', [
      ['omar', 'engineer_l3'],
    ]);
    const night = shift('night', '2026-12-04T12:00:00Z', '2026-12-05T00:30:00Z', [
      ['sunli', 'duty_manager'],
      ['liuyang', 'duty_manager', 'sunli'],
    ]);
    const c = findConflicts([day, late, night]);
    expect([...c.doubleBooked].sort()).toEqual(['day-1', 'late-0']);
    expect([...c.uncovered]).toEqual(['late|duty_manager']);
  });
});
