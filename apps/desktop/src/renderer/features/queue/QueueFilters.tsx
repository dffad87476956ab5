import type { RefObject } from 'react';
import { useShallow } from 'zustand/react/shallow';
import { useLocale, useT } from '../../i18n/i18n';
import { formatGroupName } from '../directory/directory.slice';
import { MY_GROUPS } from './selectQueue';
import { Priority, TicketStatus } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { AssigneeFilter, QueueSort } from './queue.slice';

export function QueueFilters({
  groupIds,
  inputRef,
}: {
  groupIds: readonly string[];
  inputRef: RefObject<HTMLInputElement | null>;
}) {
  const t = useT();
  const [locale] = useLocale();
  const { filters, sort, setFilter, setSort, resetFilters, groups, myGroups } = useAppStore(
    useShallow((state) => ({
      groups: state.groups,
      myGroups: state.session?.user.groupIds ?? [],
      filters: state.queue.filters,
      sort: state.queue.sort,
      setFilter: state.setFilter,
      setSort: state.setSort,
      resetFilters: state.resetFilters,
    })),
  );

  return (
    <div className="queue-filters" role="search">
      <label className="field field--inline field--grow">
        <span className="field__label">{t('queue.filter.text')}</span>
        <input
          ref={inputRef}
          type="search"
          value={filters.text}
          placeholder={t('queue.filter.textPlaceholder')}
          onChange={(event) => setFilter({ text: event.target.value })}
          onKeyDown={(event) => {
            if (event.key === 'Escape') event.currentTarget.blur();
          }}
        />
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('queue.filter.group')}</span>
        <select value={filters.groupId} onChange={(e) => setFilter({ groupId: e.target.value })}>
          <option value="">{t('queue.filter.any')}</option>
          <option value={MY_GROUPS}>{t('queue.filter.myGroups')}</option>
          {[...new Set([...groups.map((g) => g.id), ...groupIds, ...myGroups])].map((id) => (
            <option key={id} value={id}>
              {formatGroupName(groups, id, locale) ?? id}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('queue.filter.priority')}</span>
        <select value={filters.priority} onChange={(e) => setFilter({ priority: e.target.value })}>
          <option value="">{t('queue.filter.any')}</option>
          {Object.values(Priority).map((p) => (
            <option key={p} value={p}>
              {t(`priority.${p}.name`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('queue.filter.status')}</span>
        <select value={filters.status} onChange={(e) => setFilter({ status: e.target.value })}>
          <option value="open">{t('queue.filter.open')}</option>
          <option value="">{t('queue.filter.any')}</option>
          {Object.values(TicketStatus).map((s) => (
            <option key={s} value={s}>
              {t(`status.${s}`)}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('queue.filter.assignee')}</span>
        <select value={filters.assignee} onChange={(e) => setFilter({ assignee: e.target.value })}>
          <option value={AssigneeFilter.any}>{t('queue.filter.any')}</option>
          <option value={AssigneeFilter.me}>{t('queue.filter.me')}</option>
          <option value={AssigneeFilter.none}>{t('queue.filter.unassigned')}</option>
        </select>
      </label>
      <label className="field field--inline">
        <span className="field__label">{t('queue.sort')}</span>
        <select
          value={sort}
          onChange={(e) => {
            const next = Object.values(QueueSort).find((s) => s === e.target.value);
            if (next) setSort(next);
          }}
        >
          <option value={QueueSort.timeLeft}>{t('queue.sort.timeLeft')}</option>
          <option value={QueueSort.priority}>{t('queue.sort.priority')}</option>
          <option value={QueueSort.newest}>{t('queue.sort.newest')}</option>
        </select>
      </label>
      <button type="button" className="button button--quiet" onClick={resetFilters}>
        {t('queue.filter.reset')}
      </button>
    </div>
  );
}
