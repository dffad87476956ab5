import { useCallback, useEffect, useState } from 'react';
import type { FormEvent } from 'react';
import type { Ticket } from '@dutydesk/shared';
import { navigate } from '../../app/router';
import { useNow } from '../../clock/useNow';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { useAdminApi } from '../admin/adminApi';
import type { AdminOutcome } from '../admin/adminApi';
import { FormError } from '../admin/adminUi';
import { formatTargetName } from '../alerts/message';
import { selectUserName } from '../directory/directory.slice';
import { formatInstant } from '../ticket/labels';
import { MAJOR_CLOCKS, majorIncidentSchema, minutesLeft, resolveTicketNumbers } from './majorApi';
import type { MajorIncident } from './majorApi';
import './major.css';

const POST_KINDS = ['announcement', 'update', 'restored'] as const;
type PostKind = (typeof POST_KINDS)[number];
const POST_LABEL: Record<PostKind, MessageKey> = {
  announcement: 'mi.kind.announcement',
  update: 'mi.kind.update',
  restored: 'mi.kind.restored',
};
const TIMELINE_LABEL: Record<string, MessageKey> = {
  declared: 'mi.kind.declared',
  announcement: 'mi.kind.announcement',
  update: 'mi.kind.update',
  restored: 'mi.kind.restored',
  linked: 'mi.kind.linked',
  unlinked: 'mi.kind.unlinked',
  closed: 'mi.kind.closed',
  root_cause: 'mi.kind.rootCause',
};

/**
 * The major incident of a ticket in its workspace (issue 23): the cadence clocks (announce
 * within 1 h, update hourly, restore in 4 h) from the ticket's SLA targets, posting an
 * announcement / update / restored, the child tickets (link by number, unlink), closing, and
 * the 48 h root-cause task with its form; the incident's timeline below. Shown when the
 * ticket is (or was) a major incident; the server decides who may act.
 */
export function MajorIncidentPanel({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const api = useAdminApi();
  const token = useAppStore((state) => state.session?.token ?? '');
  const roles = useAppStore((state) => state.session?.user.roles ?? []);
  const manager = roles.includes('duty_manager') || roles.includes('admin');
  const [major, setMajor] = useState<MajorIncident | null>(null);
  const [failed, setFailed] = useState<AdminOutcome<unknown> | null>(null);
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (): Promise<void> => {
    const res = await api.request<unknown>(
      token,
      'GET',
      `/major-incidents/${encodeURIComponent(ticket.id)}`,
    );
    if (res.ok) {
      const parsed = majorIncidentSchema.safeParse(res.body);
      setMajor(parsed.success ? parsed.data : null);
    } else if (res.status === 404) setMajor(null);
  }, [api, token, ticket.id]);

  // Again whenever the ticket changes (an announcement is a comment: a new version).
  useEffect(() => {
    void load();
  }, [load, ticket.version, ticket.majorIncident]);

  const act = async (method: string, path: string, body?: unknown): Promise<boolean> => {
    setBusy(true);
    const res = await api.request<unknown>(
      token,
      method,
      `/major-incidents/${encodeURIComponent(ticket.id)}${path}`,
      body,
    );
    setBusy(false);
    if (!res.ok) {
      setFailed(res);
      return false;
    }
    setFailed(null);
    const parsed = majorIncidentSchema.safeParse(res.body);
    if (parsed.success) setMajor(parsed.data);
    else await load();
    return true;
  };

  if (!major) return null;
  const open = major.status === 'open';
  return (
    <section className="major-panel" aria-labelledby="major-panel-title" data-testid="major-panel">
      <header className="major-panel__head">
        <h3 id="major-panel-title" className="section-title">
          {t('mi.title')}
        </h3>
        <span className={`major-panel__status major-panel__status--${major.status}`}>
          {t(open ? 'mi.status.open' : 'mi.status.closed')}
        </span>
      </header>
      {open && <CadenceClocks ticket={ticket} />}
      <FormError outcome={failed} />
      {open && manager && <PostForm busy={busy} act={act} />}
      <Children major={major} manager={manager && open} busy={busy} act={act} />
      {open && manager && <CloseForm busy={busy} act={act} />}
      {major.rootCause && <RootCause major={major} busy={busy} act={act} />}
      <MajorTimeline major={major} />
    </section>
  );
}

type Act = (method: string, path: string, body?: unknown) => Promise<boolean>;

function CadenceClocks({ ticket }: { ticket: Ticket }) {
  const t = useT();
  const [locale] = useLocale();
  const now = useNow(15_000);
  return (
    <ul className="major-clocks" aria-label={t('mi.clocks')} data-testid="major-clocks">
      {MAJOR_CLOCKS.map((name) => {
        const target = ticket.sla.targets.find((x) => x.name === name);
        const left = target?.state === 'running' ? minutesLeft(target.dueAt, now) : null;
        const state = !target
          ? 'none'
          : target.state === 'met'
            ? 'met'
            : target.state === 'breached' || (left !== null && left < 0)
              ? 'overdue'
              : target.state === 'paused'
                ? 'paused'
                : 'running';
        return (
          <li key={name} className={`major-clock major-clock--${state}`} data-clock={name}>
            <span className="major-clock__name">
              <span>{formatTargetName(t, name)}</span> · <span>{t(`mi.cadence.${name}`)}</span>
            </span>
            <span className="major-clock__value">
              {state === 'none'
                ? t('countdown.none')
                : state === 'met'
                  ? t('countdown.met')
                  : state === 'paused'
                    ? t('countdown.paused')
                    : state === 'overdue'
                      ? t('mi.overdueBy', { n: Math.abs(left ?? 0) })
                      : t('mi.dueIn', { n: left ?? 0 })}
            </span>
            {target?.dueAt && state !== 'met' && (
              <span className="major-clock__due">{formatInstant(target.dueAt, locale)}</span>
            )}
          </li>
        );
      })}
    </ul>
  );
}

function PostForm({ busy, act }: { busy: boolean; act: Act }) {
  const t = useT();
  const [kind, setKind] = useState<PostKind>('announcement');
  const [text, setText] = useState('');
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (await act('POST', '/announcements', { kind, text })) setText('');
  };
  return (
    <form className="major-form" onSubmit={(e) => void submit(e)} data-testid="major-post">
      <label className="field">
        <span className="field__label">{t('mi.postKind')}</span>
        <select value={kind} onChange={(e) => setKind(e.target.value as PostKind)}>
          {POST_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(POST_LABEL[k])}
            </option>
          ))}
        </select>
      </label>
      <label className="field field--wide">
        <span className="field__label">{t('mi.postText')}</span>
        <textarea rows={2} required value={text} onChange={(e) => setText(e.target.value)} />
      </label>
      <button type="submit" className="button button--primary" disabled={busy || !text.trim()}>
        {t('mi.post')}
      </button>
    </form>
  );
}

function Children({
  major,
  manager,
  busy,
  act,
}: {
  major: MajorIncident;
  manager: boolean;
  busy: boolean;
  act: Act;
}) {
  const t = useT();
  const tickets = useAppStore((state) => state.tickets);
  const [numbers, setNumbers] = useState('');
  const [unknown, setUnknown] = useState<string[]>([]);
  const link = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const found = resolveTicketNumbers(numbers, tickets);
    setUnknown(found.unknown);
    if (found.unknown.length > 0 || found.ids.length === 0) return;
    if (await act('POST', '/children', { childTicketIds: found.ids })) setNumbers('');
  };
  return (
    <div className="major-children" data-testid="major-children">
      <h4 className="major-panel__sub">{t('mi.children', { n: major.childTicketIds.length })}</h4>
      {major.childTicketIds.length === 0 ? (
        <p className="log-empty">{t('mi.noChildren')}</p>
      ) : (
        <ul className="major-children__list">
          {major.childTicketIds.map((id) => {
            const child = tickets[id];
            return (
              <li key={id} data-child={child?.number ?? id}>
                <a
                  href={`/tickets/${encodeURIComponent(id)}`}
                  onClick={(e) => {
                    e.preventDefault();
                    navigate(`/tickets/${encodeURIComponent(id)}`);
                  }}
                >
                  {child ? `${child.number} ${child.title}` : id}
                </a>
                {child && (
                  <span className="major-children__status">{t(`status.${child.status}`)}</span>
                )}
                {manager && (
                  <button
                    type="button"
                    className="button button--quiet"
                    disabled={busy}
                    aria-label={t('mi.unlinkOne', { number: child?.number ?? id })}
                    onClick={() => void act('DELETE', `/children/${encodeURIComponent(id)}`)}
                  >
                    {t('mi.unlink')}
                  </button>
                )}
              </li>
            );
          })}
        </ul>
      )}
      {manager && (
        <form className="major-form major-form--inline" onSubmit={(e) => void link(e)}>
          <label className="field">
            <span className="field__label">{t('mi.linkNumbers')}</span>
            <input
              value={numbers}
              onChange={(e) => setNumbers(e.target.value)}
              aria-invalid={unknown.length > 0 ? true : undefined}
              aria-describedby={unknown.length > 0 ? 'major-link-unknown' : undefined}
            />
          </label>
          <button type="submit" className="button" disabled={busy || !numbers.trim()}>
            {t('mi.link')}
          </button>
          {unknown.length > 0 && (
            <span id="major-link-unknown" className="admin-field-error" role="alert">
              {t('mi.unknownNumbers', { numbers: unknown.join(', ') })}
            </span>
          )}
        </form>
      )}
    </div>
  );
}

function CloseForm({ busy, act }: { busy: boolean; act: Act }) {
  const t = useT();
  const [summary, setSummary] = useState('');
  return (
    <form
      className="major-form"
      data-testid="major-close"
      onSubmit={(e) => {
        e.preventDefault();
        void act('POST', '/close', { summary });
      }}
    >
      <label className="field field--wide">
        <span className="field__label">{t('mi.closeSummary')}</span>
        <textarea rows={2} required value={summary} onChange={(e) => setSummary(e.target.value)} />
      </label>
      <button type="submit" className="button" disabled={busy || !summary.trim()}>
        {t('mi.close')}
      </button>
    </form>
  );
}

function RootCause({ major, busy, act }: { major: MajorIncident; busy: boolean; act: Act }) {
  const t = useT();
  const [locale] = useLocale();
  const now = useNow(60_000);
  const rc = major.rootCause;
  const [summary, setSummary] = useState(rc?.summary ?? '');
  if (!rc) return null;
  const left = minutesLeft(rc.dueAt, now) ?? 0;
  return (
    <div className="major-rootcause" data-testid="major-rootcause">
      <h4 className="major-panel__sub">{t('mi.rootCause')}</h4>
      {rc.doneAt ? (
        <p data-testid="major-rootcause-done">
          {t('mi.rootCauseDone', { at: formatInstant(rc.doneAt, locale) })}
        </p>
      ) : (
        <p
          className={
            left < 0 ? 'major-rootcause__due major-rootcause__due--late' : 'major-rootcause__due'
          }
        >
          {t('mi.rootCauseDue', { at: formatInstant(rc.dueAt, locale) })} ·{' '}
          {left < 0
            ? t('mi.overdueBy', { n: Math.abs(left) })
            : t('mi.dueInHours', { n: Math.floor(left / 60) })}
        </p>
      )}
      <form
        className="major-form"
        onSubmit={(e) => {
          e.preventDefault();
          void act('POST', '/root-cause', { summary });
        }}
      >
        <label className="field field--wide">
          <span className="field__label">{t('mi.rootCauseText')}</span>
          <textarea
            rows={3}
            required
            value={summary}
            onChange={(e) => setSummary(e.target.value)}
          />
        </label>
        <button type="submit" className="button button--primary" disabled={busy || !summary.trim()}>
          {t('mi.rootCauseSave')}
        </button>
      </form>
    </div>
  );
}

function MajorTimeline({ major }: { major: MajorIncident }) {
  const t = useT();
  const [locale] = useLocale();
  return (
    <ol className="major-timeline" aria-label={t('mi.timeline')} data-testid="major-timeline">
      {[...major.timeline].reverse().map((e, i) => (
        <li key={`${e.at}-${i}`} data-kind={e.kind}>
          <span className="major-timeline__kind">
            {t(TIMELINE_LABEL[e.kind] ?? 'mi.kind.update')}
          </span>
          <span className="major-timeline__at">
            {formatInstant(e.at, locale)} · <UserName id={e.by} />
          </span>
          <span className="major-timeline__text">{e.text}</span>
        </li>
      ))}
    </ol>
  );
}

function UserName({ id }: { id: string | null }) {
  const name = useAppStore((state) => selectUserName(state, id));
  return <>{name ?? '—'}</>;
}
