import { describe, expect, it } from 'vitest';
import { makeTicket } from '../../test/fixtures';
import { DEFAULT_FILTERS, QueueSort, defaultFiltersFor } from './queue.slice';
import { MY_GROUPS, selectQueueRows } from './selectQueue';

describe('queue filters for the shift (issue 13 points 6 and 11)', () => {
  const mine = makeTicket({ id: 't-1', number: 'INC-2026-000001', groupId: 'l2-network' });
  const other = makeTicket({ id: 't-2', number: 'INC-2026-000002', groupId: 'l2-apps' });
  const assigned = makeTicket({
    id: 't-3',
    number: 'INC-2026-000003',
    groupId: 'l3',
    assigneeId: 'u-eng',
  });
  const closed = makeTicket({
    id: 't-4',
    number: 'CMP-2026-000004',
    numberAliases: ['INC-2026-000009'],
    status: 'closed',
    customer: { org: 'ACME Bank', contact: 'Li Lei', phone: '13800000000', email: null },
  });
  const all = [mine, other, assigned, closed];
  const ids = (list: Array<{ id: string }>) => list.map((t) => t.id).sort();

  it('opens an engineer’s queue on their groups and their own tickets', () => {
    expect(defaultFiltersFor({ roles: ['engineer'] }).groupId).toBe(MY_GROUPS);
    expect(defaultFiltersFor({ roles: ['agent'] })).toEqual(DEFAULT_FILTERS);
    expect(defaultFiltersFor({ roles: ['engineer', 'duty_manager'] })).toEqual(DEFAULT_FILTERS);
    const rows = selectQueueRows(
      all,
      defaultFiltersFor({ roles: ['engineer'] }),
      QueueSort.timeLeft,
      'u-eng',
      ['l2-network'],
    );
    expect(ids(rows)).toEqual(['t-1', 't-3']);
  });

  it('finds a caller and a closed ticket by a number it had, whatever the status filter', () => {
    const find = (text: string) =>
      ids(selectQueueRows(all, { ...DEFAULT_FILTERS, text }, QueueSort.timeLeft, null, []));
    expect(find('INC-2026-000009')).toEqual(['t-4']);
    expect(find('cmp-2026-000004')).toEqual(['t-4']);
    expect(
      ids(
        selectQueueRows(
          all,
          { ...DEFAULT_FILTERS, status: '', text: 'li lei' },
          QueueSort.timeLeft,
          null,
          [],
        ),
      ),
    ).toEqual(['t-4']);
    expect(
      ids(
        selectQueueRows(
          all,
          { ...DEFAULT_FILTERS, status: 'closed', text: '138000' },
          QueueSort.timeLeft,
          null,
          [],
        ),
      ),
    ).toEqual(['t-4']);
  });
});
