import { useCallback, useEffect, useMemo, useState } from 'react';
import './customers.css';
import { navigate } from '../../app/router';
import { useServices } from '../../app/services';
import { Countdown } from '../../clock/Countdown';
import { useLocale, useT } from '../../i18n/i18n';
import type { Translate } from '../../i18n/i18n';
import { summarizeTicket } from '../../realtime/contract';
import type { OrganisationOverview, Ticket, TicketSummary } from '../../realtime/contract';
import { useAppStore } from '../../store/StoreContext';
import { PriorityBadge } from '../../ui/PriorityBadge';
import { selectUserName } from '../directory/directory.slice';
import { formatInstant } from '../ticket/labels';
import { SurveyFollowUps } from './SurveyFollowUps';

type Attainment = OrganisationOverview['sla']['response'];

function formatAttainment(t: Translate, a: Attainment): string {
  if (a.rate === null) return t('org.attainmentNone');
  return t('org.attainment', {
    rate: `${Math.round(a.rate * 1000) / 10}%`,
    met: String(a.met),
    total: String(a.met + a.breached),
  });
}

function openTicket(id: string): void {
  navigate(`/tickets/${encodeURIComponent(id)}`);
}

/**
 * An organisation's page (`/organisations/:id`, a chunk of its own): the record, its contacts,
 * its open tickets with their live countdowns (from the seat's store, so they tick and move as
 * every seat's do), its history (closed tickets), SLA attainment this month and the
 * compensation owed for it (`GET /api/organisations/:id/overview`, the reports' figures).
 */
export function OrganisationPage({ organisationId }: { organisationId: string }) {
  const t = useT();
  const [locale] = useLocale();
  const { api, store } = useServices();
  const token = useAppStore((state) => state.session?.token ?? null);
  const [overview, setOverview] = useState<OrganisationOverview | null>(null);
  const [state, setState] = useState<'loading' | 'ready' | 'missing' | 'failed'>('loading');
  const [refreshed, setRefreshed] = useState(0);
  const live = useAppStore((s) => s.tickets);
  const cached = useAppStore((s) => s.organisations[organisationId]);
  const managerName = useAppStore((s) =>
    overview?.organisation.serviceManagerId
      ? selectUserName(s, overview.organisation.serviceManagerId)
      : null,
  );

  const load = useCallback(() => {
    if (!token) return () => undefined;
    let cancelled = false;
    setRefreshed((n) => n + 1);
    api
      .getOrganisationOverview(token, organisationId)
      .then((o) => {
        if (cancelled) return;
        if (!o) {
          setState('missing');
          return;
        }
        store.getState().rememberOrganisation(o.organisation);
        setOverview(o);
        setState('ready');
      })
      .catch(() => {
        if (!cancelled) setState('failed');
      });
    return () => {
      cancelled = true;
    };
  }, [api, organisationId, store, token]);
  useEffect(() => load(), [load]);

  // Open tickets as the store holds them (live), plus any the overview knows the store lacks.
  const open = useMemo((): Array<{ summary: TicketSummary; ticket: Ticket | undefined }> => {
    const inStore = Object.values(live).filter(
      (x) => x.organisationId === organisationId && x.status !== 'closed',
    );
    const ids = new Set(inStore.map((x) => x.id));
    const rest = (overview?.openTickets ?? []).filter((s) => !ids.has(s.id) && !live[s.id]);
    return [
      ...inStore.map((ticket) => ({ summary: summarizeTicket(ticket), ticket })),
      ...rest.map((summary) => ({ summary, ticket: undefined })),
    ].sort((a, b) =>
      a.summary.priority === b.summary.priority
        ? a.summary.receivedAt.localeCompare(b.summary.receivedAt)
        : a.summary.priority.localeCompare(b.summary.priority),
    );
  }, [live, organisationId, overview]);

  if (state === 'missing')
    return (
      <section className="org-page" aria-labelledby="org-title">
        <h1 id="org-title">{t('org.notFound')}</h1>
        <button type="button" className="button" onClick={() => navigate('/')}>
          {t('app.backToQueue')}
        </button>
      </section>
    );
  if (state === 'failed')
    return (
      <section className="org-page">
        <p className="banner banner--error" role="alert">
          {t('org.loadFailed')}
        </p>
        <button type="button" className="button" onClick={load}>
          {t('app.retry')}
        </button>
      </section>
    );
  if (!overview)
    return (
      <p className="org-page" role="status">
        {t('app.loading')}
      </p>
    );
  const org = cached ?? overview.organisation;
  return (
    <section className="org-page" aria-labelledby="org-title">
      <header className="org-page__header">
        <h1 id="org-title">{org.name}</h1>
        <span className={`org-status org-status--${org.status}`}>
          {t(`org.status.${org.status}`)}
        </span>
        <button type="button" className="button button--quiet" onClick={load}>
          {t('org.refresh')}
        </button>
      </header>
      <dl className="org-page__facts">
        <dt>{t('org.businessType')}</dt>
        <dd>{org.businessType ?? '—'}</dd>
        <dt>{t('org.contract')}</dt>
        <dd>{org.contract ?? '—'}</dd>
        <dt>{t('org.slaPolicy')}</dt>
        <dd>{org.slaPolicyId ?? t('org.defaultPolicy')}</dd>
        <dt>{t('org.serviceManager')}</dt>
        <dd>{managerName ?? org.serviceManagerId ?? '—'}</dd>
        <dt>{t('org.coreNeeds')}</dt>
        <dd className="org-page__text">{org.coreNeeds ?? '—'}</dd>
        <dt>{t('org.specialConcerns')}</dt>
        <dd className="org-page__text">{org.specialConcerns ?? '—'}</dd>
      </dl>

      <section className="org-page__figures" aria-labelledby="org-sla">
        <h2 id="org-sla">{t('org.slaThisMonth')}</h2>
        <dl>
          <dt>{t('org.response')}</dt>
          <dd data-testid="org-response">{formatAttainment(t, overview.sla.response)}</dd>
          <dt>{t('org.resolve')}</dt>
          <dd data-testid="org-resolve">{formatAttainment(t, overview.sla.resolve)}</dd>
          <dt>{t('org.compensation')}</dt>
          <dd data-testid="org-compensation">
            {t('org.compensationValue', {
              minutes: String(overview.compensation.compensationMinutes),
              tickets: String(overview.compensation.breachedTickets),
            })}
          </dd>
        </dl>
      </section>

      <SurveyFollowUps organisationId={organisationId} token={token} version={refreshed} />

      <section aria-labelledby="org-contacts">
        <h2 id="org-contacts">{t('org.contacts')}</h2>
        {overview.contacts.length === 0 ? (
          <p>{t('org.noContacts')}</p>
        ) : (
          <table className="org-table">
            <thead>
              <tr>
                <th scope="col">{t('contact.name')}</th>
                <th scope="col">{t('contact.role')}</th>
                <th scope="col">{t('contact.phone')}</th>
                <th scope="col">{t('contact.email')}</th>
                <th scope="col">{t('contact.language')}</th>
              </tr>
            </thead>
            <tbody>
              {overview.contacts.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td>{c.role ?? '—'}</td>
                  <td>{c.phone ?? '—'}</td>
                  <td>{c.email ?? '—'}</td>
                  <td>{c.preferredLanguage ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="org-open">
        <h2 id="org-open">{t('org.openTickets', { count: String(open.length) })}</h2>
        {open.length === 0 ? (
          <p>{t('org.noOpen')}</p>
        ) : (
          <ul className="org-tickets">
            {open.map(({ summary, ticket }) => (
              <li key={summary.id} className="org-tickets__row">
                <PriorityBadge priority={summary.priority} />
                <button
                  type="button"
                  className="link-button"
                  onClick={() => openTicket(summary.id)}
                >
                  {summary.number}
                </button>
                <span className="org-tickets__title" title={summary.title}>
                  {summary.title}
                </span>
                <span className="org-tickets__status">{t(`status.${summary.status}`)}</span>
                {ticket && <Countdown targets={ticket.sla.targets} />}
              </li>
            ))}
          </ul>
        )}
      </section>

      <section aria-labelledby="org-history">
        <h2 id="org-history">{t('org.history')}</h2>
        {overview.history.length === 0 ? (
          <p>{t('org.noHistory')}</p>
        ) : (
          <ul className="org-tickets">
            {overview.history.map((h) => (
              <li key={h.id} className="org-tickets__row">
                <PriorityBadge priority={h.priority} />
                <button type="button" className="link-button" onClick={() => openTicket(h.id)}>
                  {h.number}
                </button>
                <span className="org-tickets__title" title={h.title}>
                  {h.title}
                </span>
                <span>{formatInstant(h.closedAt, locale)}</span>
                <span className="org-tickets__resolution">{h.resolution?.summary ?? ''}</span>
              </li>
            ))}
          </ul>
        )}
        {overview.historyMore && <p>{t('org.historyMore')}</p>}
      </section>
    </section>
  );
}
