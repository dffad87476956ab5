import { useEffect, useState } from 'react';
import type { OnDuty } from '../../app/api';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { selectUserName } from '../directory/directory.slice';

/** Roster duties, most senior first, as the board lists them. */
const DUTIES: ReadonlyArray<[string, MessageKey]> = [
  ['duty_manager', 'roster.duty.duty_manager'],
  ['service_director', 'roster.duty.service_director'],
  ['desk_agent', 'roster.duty.desk_agent'],
  ['engineer_l2', 'roster.duty.engineer_l2'],
  ['engineer_l3', 'roster.duty.engineer_l3'],
];

/** The roster changes at shift boundaries: read again every minute. */
export const ON_DUTY_REFRESH_MS = 60_000;

/**
 * Who is on duty now by the roster (`GET /api/roster/on-duty`): the duty manager the ladder
 * alerts, the service director above, and the desk and engineers on shift, with covers.
 */
export function OnDutyPanel() {
  const t = useT();
  const { api } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const [onDuty, setOnDuty] = useState<OnDuty[] | null>(null);
  useEffect(() => {
    if (!token) return;
    let cancelled = false;
    const load = (): void => {
      void api.listOnDuty(token).then((list) => {
        if (!cancelled) setOnDuty(list);
      });
    };
    load();
    const timer = setInterval(load, ON_DUTY_REFRESH_MS);
    return () => {
      cancelled = true;
      clearInterval(timer);
    };
  }, [api, token]);
  const known = new Set(DUTIES.map(([duty]) => duty));
  const rows: Array<[string, string, OnDuty[]]> = [
    ...DUTIES.map(([duty, key]): [string, string, OnDuty[]] => [
      duty,
      t(key),
      (onDuty ?? []).filter((o) => o.duty === duty),
    ]),
    ...[...new Set((onDuty ?? []).map((o) => o.duty).filter((d) => !known.has(d)))].map(
      (duty): [string, string, OnDuty[]] => [
        duty,
        duty,
        (onDuty ?? []).filter((o) => o.duty === duty),
      ],
    ),
  ].filter(([, , people]) => people.length > 0);
  return (
    <section className="on-duty" aria-labelledby="on-duty-title" data-testid="on-duty">
      <h3 id="on-duty-title" className="section-title">
        {t('duty.onDuty')}
      </h3>
      <a
        className="on-duty__roster"
        href="/roster"
        aria-keyshortcuts="g r"
        onClick={(event) => {
          if (event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey) return;
          event.preventDefault();
          navigate('/roster');
        }}
      >
        {t('palette.roster')}
      </a>
      {onDuty !== null && rows.length === 0 && (
        <p className="log-empty">{t('duty.nobodyOnDuty')}</p>
      )}
      {rows.length > 0 && (
        <dl className="on-duty__list">
          {rows.map(([duty, label, people]) => (
            <div key={duty} className="on-duty__row" data-duty={duty}>
              <dt>{label}</dt>
              <dd>
                {people.map((p, i) => (
                  <span key={p.userId}>
                    {i > 0 && ', '}
                    {p.displayName}
                    {p.coverFor && <CoverNote id={p.coverFor} />}
                  </span>
                ))}
              </dd>
            </div>
          ))}
        </dl>
      )}
    </section>
  );
}

function CoverNote({ id }: { id: string }) {
  const t = useT();
  const name = useAppStore((state) => selectUserName(state, id)) ?? id;
  return <span className="on-duty__cover"> ({t('duty.covering', { name })})</span>;
}
