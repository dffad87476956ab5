import type { PortalMe, PortalTicketRow, PublicTicket } from '@dutydesk/shared';
import { useCallback, useEffect, useState, type FormEvent } from 'react';
import { useLocale, useT, type Locale, type MessageKey } from '../../i18n/i18n';
import { LocaleSwitch } from '../../ui/LocaleSwitch';
import { ThemeSwitch } from '../../ui/ThemeSwitch';
import { PortalHelp } from './PortalHelp';
import {
  PortalError,
  portalApi,
  readPortalToken,
  savePortalToken,
  type PortalApi,
} from './portalApi';

/** The ticket a portal path names (`/portal/tickets/<id>` or its `/survey`), or null. */
export function ticketIdOfPath(pathname: string): string | null {
  const m = /^\/portal\/tickets\/([^/]+)(?:\/survey)?\/?$/.exec(pathname);
  return m?.[1] ? decodeURIComponent(m[1]) : null;
}

function formatTime(locale: Locale, iso: string): string {
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' }).format(
    new Date(iso),
  );
}

type View =
  | { kind: 'loading' }
  | { kind: 'login' }
  | { kind: 'refused'; message: string }
  | { kind: 'ready'; me: PortalMe };

/**
 * The customer portal (decision 52): a signed link (`?t=`, kept in sessionStorage and taken out
 * of the address bar) or a customer account's sign-in; then the link's ticket, or the
 * account's tickets. Refreshes after each of its own actions.
 */
export function PortalApp() {
  const t = useT();
  const [token, setToken] = useState<string | null>(() => {
    const url = new URL(window.location.href);
    const fromLink = url.searchParams.get('t');
    if (fromLink) {
      savePortalToken(fromLink);
      url.searchParams.delete('t');
      window.history.replaceState(null, '', url.pathname + url.search + url.hash);
      return fromLink;
    }
    return readPortalToken();
  });
  const [view, setView] = useState<View>({ kind: 'loading' });
  const [path, setPath] = useState(window.location.pathname);
  const api = portalApi(token);

  useEffect(() => {
    if (!token) {
      setView({ kind: 'login' });
      return;
    }
    let live = true;
    portalApi(token)
      .me()
      .then((me) => live && setView({ kind: 'ready', me }))
      .catch((err: unknown) => {
        if (!live) return;
        if (err instanceof PortalError && err.reason === 'expired' && !err.message.includes('link'))
          setView({ kind: 'login' });
        else
          setView({ kind: 'refused', message: err instanceof Error ? err.message : String(err) });
      });
    return () => {
      live = false;
    };
  }, [token]);

  useEffect(() => {
    const onPop = () => setPath(window.location.pathname);
    window.addEventListener('popstate', onPop);
    return () => window.removeEventListener('popstate', onPop);
  }, []);

  const go = useCallback((to: string) => {
    window.history.pushState(null, '', to);
    setPath(to);
  }, []);

  const signOut = async () => {
    await api.logout().catch(() => undefined);
    savePortalToken(null);
    setToken(null);
  };

  const me = view.kind === 'ready' ? view.me : null;
  const help = /^\/portal\/help\/?$/.test(path);
  const ticketId = help ? null : (me?.ticketId ?? ticketIdOfPath(path));
  return (
    <div className="portal">
      <header className="portal__bar">
        <h1 className="portal__title">{t('portal.title')}</h1>
        <div className="portal__tools">
          {me ? (
            <span className="portal__hello">{t('portal.hello', { name: me.contactName })}</span>
          ) : null}
          <LocaleSwitch />
          <ThemeSwitch />
          {me?.kind === 'account' ? (
            <button type="button" className="button button--quiet" onClick={() => void signOut()}>
              {t('portal.signOut')}
            </button>
          ) : null}
        </div>
      </header>
      <main className="portal__main">
        {view.kind === 'loading' ? <p role="status">{t('portal.loading')}</p> : null}
        {view.kind === 'login' ? (
          <PortalLogin onToken={(tok) => (savePortalToken(tok), setToken(tok))} />
        ) : null}
        {view.kind === 'refused' ? (
          <section className="portal__card" role="alert" data-testid="portal-refused">
            <h2>{t('portal.refused')}</h2>
            <p>{view.message}</p>
          </section>
        ) : null}
        {me ? (
          <nav className="portal__nav" aria-label={t('portal.nav')}>
            <button
              type="button"
              className="button button--quiet"
              aria-current={help ? undefined : 'page'}
              onClick={() => go('/portal')}
            >
              {t(me.ticketId ? 'portal.nav.ticket' : 'portal.nav.tickets')}
            </button>
            <button
              type="button"
              className="button button--quiet"
              aria-current={help ? 'page' : undefined}
              onClick={() => go('/portal/help')}
            >
              {t('portal.nav.help')}
            </button>
          </nav>
        ) : null}
        {me && help ? <PortalHelp /> : null}
        {me && ticketId ? (
          <PortalTicket
            api={api}
            ticketId={ticketId}
            survey={path.endsWith('/survey')}
            onBack={me.kind === 'account' ? () => go('/portal') : null}
          />
        ) : null}
        {me && !ticketId && !help ? (
          <PortalTickets api={api} onOpen={(id) => go(`/portal/tickets/${id}`)} />
        ) : null}
      </main>
    </div>
  );
}

function PortalLogin({ onToken }: { onToken: (token: string) => void }) {
  const t = useT();
  const [error, setError] = useState(false);
  const submit = async (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    try {
      const res = await portalApi(null).login(
        String(form.get('login')),
        String(form.get('password')),
      );
      onToken(res.token);
    } catch {
      setError(true);
    }
  };
  return (
    <form className="portal__card portal__form" onSubmit={(e) => void submit(e)}>
      <h2>{t('portal.signIn')}</h2>
      <p className="portal__muted">{t('portal.signInHint')}</p>
      <label className="field">
        <span>{t('portal.login')}</span>
        <input name="login" autoComplete="username" required />
      </label>
      <label className="field">
        <span>{t('portal.password')}</span>
        <input name="password" type="password" autoComplete="current-password" required />
      </label>
      {error ? <p role="alert">{t('portal.wrongLogin')}</p> : null}
      <button type="submit" className="button button--primary">
        {t('portal.signIn')}
      </button>
    </form>
  );
}

function PortalTickets({ api, onOpen }: { api: PortalApi; onOpen: (id: string) => void }) {
  const t = useT();
  const [rows, setRows] = useState<PortalTicketRow[] | null>(null);
  const [tick, setTick] = useState(0);
  useEffect(() => {
    let live = true;
    void api.tickets().then((r) => live && setRows(r.tickets));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- reload on `tick` only
  }, [tick]);
  return (
    <>
      <section className="portal__card">
        <h2>{t('portal.myTickets')}</h2>
        {rows === null ? <p role="status">{t('portal.loading')}</p> : null}
        {rows?.length === 0 ? <p>{t('portal.noTickets')}</p> : null}
        <ul className="portal__list">
          {rows?.map((r) => (
            <li key={r.id}>
              <button type="button" className="portal__row" onClick={() => onOpen(r.id)}>
                <span className="portal__number">{r.number}</span>
                <span className="portal__rowTitle">{r.title}</span>
                <span className="portal__muted">
                  {t(`portal.status.${r.status}` as MessageKey)}
                </span>
              </button>
            </li>
          ))}
        </ul>
      </section>
      <NewRequest api={api} onRaised={() => setTick((n) => n + 1)} />
    </>
  );
}

function targetName(t: ReturnType<typeof useT>, name: string): string {
  if (name === 'response' || name === 'resolve' || name === 'resolution')
    return t(`portal.target.${name}` as MessageKey);
  return t('portal.target.other', { name });
}

/**
 * A resolved or closed ticket's CSAT (decision 55): a button that mints the ticket's survey
 * link and opens `/survey#<token>`, or "answered" once it has its answer. The `/survey` path
 * of a ticket focuses the button.
 */
function PortalSurvey({
  api,
  ticketId,
  autoOpen,
}: {
  api: PortalApi;
  ticketId: string;
  autoOpen: boolean;
}) {
  const t = useT();
  const [state, setState] = useState<'unavailable' | 'open' | 'answered' | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api
      .surveyState(ticketId)
      .then((x) => live && setState(x.state))
      .catch((err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one ticket per mount
  }, [ticketId]);
  const open = async () => {
    setFailed(null);
    try {
      const res = await api.surveyLink(ticketId);
      if (res.url) window.location.assign(res.url);
      else setState(res.state);
    } catch (err) {
      setFailed(err instanceof Error ? err.message : String(err));
    }
  };
  if (state !== 'open' && state !== 'answered')
    return failed ? <p role="alert">{t('portal.failed', { message: failed })}</p> : null;
  return (
    <div className="portal__survey" data-testid="portal-survey">
      <h3>{t('portal.survey.title')}</h3>
      {state === 'answered' ? (
        <p className="portal__ok" data-testid="portal-survey-answered">
          {t('portal.survey.answered')}
        </p>
      ) : (
        <>
          <p className="portal__muted">{t('portal.survey.intro')}</p>
          <button
            type="button"
            className="button button--primary"
            autoFocus={autoOpen}
            onClick={() => void open()}
          >
            {t('portal.survey.open')}
          </button>
        </>
      )}
      {failed ? <p role="alert">{t('portal.failed', { message: failed })}</p> : null}
    </div>
  );
}

/** One ticket: status, promise, milestones, supervision log, timeline, attachments, actions. */
function PortalTicket({
  api,
  ticketId,
  survey,
  onBack,
}: {
  api: PortalApi;
  ticketId: string;
  survey: boolean;
  onBack: (() => void) | null;
}) {
  const t = useT();
  const [locale] = useLocale();
  const [ticket, setTicket] = useState<PublicTicket | null>(null);
  const [note, setNote] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    api
      .ticket(ticketId)
      .then((x) => live && setTicket(x))
      .catch((err: unknown) => live && setFailed(err instanceof Error ? err.message : String(err)));
    return () => {
      live = false;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- one ticket per mount
  }, [ticketId]);

  const send = async (body: Record<string, unknown>, form?: HTMLFormElement) => {
    setNote(null);
    setFailed(null);
    try {
      const res = await api.command({ ticketId, ...body });
      if (res.ticket) setTicket(res.ticket);
      form?.reset();
      setNote(t('portal.saved'));
    } catch (err) {
      setFailed(err instanceof Error ? err.message : String(err));
    }
  };

  if (!ticket) {
    return failed ? (
      <p role="alert">{t('portal.failed', { message: failed })}</p>
    ) : (
      <p role="status">{t('portal.loading')}</p>
    );
  }
  const time = (iso: string) => formatTime(locale, iso);
  const timeline = [
    ...ticket.statusHistory.map((s) => ({
      at: s.at,
      key: `s-${s.at}-${s.status}`,
      by: null as string | null,
      text: t('portal.statusChanged', { status: t(`portal.status.${s.status}` as MessageKey) }),
    })),
    ...ticket.comments.map((c) => ({
      at: c.at,
      key: c.id,
      by: t(c.by === 'customer' ? 'portal.by.customer' : 'portal.by.desk'),
      text: c.body,
    })),
  ].sort((a, b) => a.at.localeCompare(b.at));
  const canReopen = ticket.status === 'resolved' || ticket.status === 'follow_up';
  const signable = !['resolved', 'follow_up', 'closed'].includes(ticket.status);

  return (
    <>
      {onBack ? (
        <button type="button" className="button button--quiet" onClick={onBack}>
          ← {t('portal.back')}
        </button>
      ) : null}
      <section className="portal__card" aria-labelledby="portal-ticket-title">
        <p className="portal__number">{ticket.number}</p>
        <h2 id="portal-ticket-title">{ticket.title}</h2>
        <p className="portal__status" data-testid="portal-status">
          <strong>{t('portal.status')}:</strong> {t(`portal.status.${ticket.status}` as MessageKey)}
        </p>
        <h3>{t('portal.promise')}</h3>
        {ticket.promise.length === 0 ? <p>{t('portal.promise.none')}</p> : null}
        <ul className="portal__promise" data-testid="portal-promise">
          {ticket.promise.map((p) => {
            const target = targetName(t, p.target);
            const text = p.metAt
              ? t('portal.promise.met', { target, time: time(p.metAt) })
              : p.state === 'breached'
                ? t('portal.promise.late', { target, time: time(p.dueAt) })
                : p.state === 'paused'
                  ? t('portal.promise.paused', { target, time: time(p.dueAt) })
                  : t('portal.promise.due', { target, time: time(p.dueAt) });
            return <li key={p.target}>{text}</li>;
          })}
        </ul>
        {ticket.status === 'resolved' || ticket.status === 'closed' ? (
          <PortalSurvey api={api} ticketId={ticket.id} autoOpen={survey} />
        ) : null}
        {note ? <p role="status">{note}</p> : null}
        {failed ? <p role="alert">{t('portal.failed', { message: failed })}</p> : null}
      </section>

      <section className="portal__card" aria-labelledby="portal-milestones">
        <h3 id="portal-milestones">{t('portal.milestones')}</h3>
        {ticket.milestones.length === 0 ? <p>{t('portal.noMilestones')}</p> : null}
        <ul className="portal__list">
          {ticket.milestones.map((m) => (
            <li key={m.id} className="portal__milestone" data-testid="portal-milestone">
              <span className="portal__rowTitle">{m.title}</span>
              {m.leadConfirmedAt ? (
                <span className="portal__muted">{t('portal.leadConfirmed')}</span>
              ) : null}
              {m.customerConfirmation ? (
                <span className="portal__ok">
                  {m.customerConfirmation.onBehalf
                    ? t('portal.signedOnBehalf', { time: time(m.customerConfirmation.at) })
                    : t('portal.signedByYou', { time: time(m.customerConfirmation.at) })}
                </span>
              ) : (
                <>
                  <span className="portal__muted">{t('portal.awaitingYou')}</span>
                  {signable ? (
                    <button
                      type="button"
                      className="button button--primary"
                      onClick={() =>
                        void send({
                          type: 'ticket.milestone.confirm',
                          milestoneId: m.id,
                          side: 'customer',
                        })
                      }
                    >
                      {t('portal.sign')}
                    </button>
                  ) : null}
                </>
              )}
            </li>
          ))}
        </ul>
      </section>

      <section className="portal__card" aria-labelledby="portal-supervision">
        <h3 id="portal-supervision">{t('portal.supervision')}</h3>
        {ticket.supervisionLog.length === 0 ? <p>{t('portal.noSupervision')}</p> : null}
        <ul className="portal__list">
          {ticket.supervisionLog.map((e) => (
            <li key={e.id} className="portal__entry" data-testid="portal-supervision-entry">
              <span className="portal__muted">
                {time(e.at)} · {t(`portal.source.${e.source}` as MessageKey)}
              </span>
              {e.attitude ? (
                <span>
                  {t('portal.attitude')}: {e.attitude}
                </span>
              ) : null}
              {e.professionalism ? (
                <span>
                  {t('portal.professionalism')}: {e.professionalism}
                </span>
              ) : null}
              {e.feedback ? (
                <span>
                  {t('portal.feedback')}: {e.feedback}
                </span>
              ) : null}
            </li>
          ))}
        </ul>
        <form
          className="portal__form"
          onSubmit={(ev) => {
            ev.preventDefault();
            const f = new FormData(ev.currentTarget);
            void send(
              {
                type: 'ticket.log.supervision',
                source: 'customer',
                attitude: String(f.get('attitude') ?? ''),
                professionalism: String(f.get('professionalism') ?? ''),
                feedback: String(f.get('feedback') ?? ''),
              },
              ev.currentTarget,
            );
          }}
        >
          <p className="portal__muted">{t('portal.supervisionHint')}</p>
          <label className="field">
            <span>{t('portal.attitude')}</span>
            <input name="attitude" maxLength={2000} />
          </label>
          <label className="field">
            <span>{t('portal.professionalism')}</span>
            <input name="professionalism" maxLength={2000} />
          </label>
          <label className="field">
            <span>{t('portal.feedback')}</span>
            <textarea name="feedback" rows={3} maxLength={20000} />
          </label>
          <button type="submit" className="button button--primary">
            {t('portal.submitSupervision')}
          </button>
        </form>
      </section>

      <section className="portal__card" aria-labelledby="portal-timeline">
        <h3 id="portal-timeline">{t('portal.timeline')}</h3>
        <ol className="portal__list">
          {timeline.map((x) => (
            <li key={x.key} className="portal__entry">
              <span className="portal__muted">
                {time(x.at)}
                {x.by ? ` · ${x.by}` : ''}
              </span>
              <span className="portal__body">{x.text}</span>
            </li>
          ))}
        </ol>
        {ticket.status !== 'closed' ? (
          <form
            className="portal__form"
            onSubmit={(ev) => {
              ev.preventDefault();
              const body = String(new FormData(ev.currentTarget).get('body') ?? '').trim();
              if (body) void send({ type: 'ticket.comment', body }, ev.currentTarget);
            }}
          >
            <label className="field">
              <span>{t('portal.reply')}</span>
              <textarea name="body" rows={3} maxLength={20000} required />
            </label>
            <button type="submit" className="button">
              {t('portal.send')}
            </button>
          </form>
        ) : null}
        {canReopen ? (
          <form
            className="portal__form"
            onSubmit={(ev) => {
              ev.preventDefault();
              const reason = String(new FormData(ev.currentTarget).get('reason') ?? '').trim();
              if (reason) void send({ type: 'ticket.reopen', reason }, ev.currentTarget);
            }}
          >
            <label className="field">
              <span>{t('portal.reopenReason')}</span>
              <input name="reason" maxLength={2000} required />
            </label>
            <button type="submit" className="button">
              {t('portal.reopen')}
            </button>
          </form>
        ) : null}
      </section>

      <section className="portal__card" aria-labelledby="portal-attachments">
        <h3 id="portal-attachments">{t('portal.attachments')}</h3>
        {ticket.attachments.length === 0 ? <p>{t('portal.noAttachments')}</p> : null}
        <ul className="portal__list">
          {ticket.attachments.map((a) => (
            <li key={a.id} className="portal__milestone">
              <span className="portal__rowTitle">{a.name}</span>
              <span className="portal__muted">{Math.max(1, Math.round(a.size / 1024))} KB</span>
              <button
                type="button"
                className="button button--quiet"
                onClick={() =>
                  void api.attachmentUrl(ticket.id, a.id).then((url) => {
                    const link = document.createElement('a');
                    link.href = url;
                    link.download = a.name;
                    link.click();
                    setTimeout(() => URL.revokeObjectURL(url), 60_000);
                  })
                }
              >
                {t('portal.download')}
              </button>
            </li>
          ))}
        </ul>
      </section>
      <NewRequest api={api} onRaised={() => undefined} />
    </>
  );
}

function NewRequest({ api, onRaised }: { api: PortalApi; onRaised: () => void }) {
  const t = useT();
  const [done, setDone] = useState<string | null>(null);
  const [failed, setFailed] = useState<string | null>(null);
  return (
    <section className="portal__card" aria-labelledby="portal-new">
      <h3 id="portal-new">{t('portal.newRequest')}</h3>
      <form
        className="portal__form"
        onSubmit={(ev) => {
          ev.preventDefault();
          const form = ev.currentTarget;
          const f = new FormData(form);
          setDone(null);
          setFailed(null);
          api
            .command({
              type: 'ticket.create',
              kind: String(f.get('kind')),
              title: String(f.get('title') ?? '').trim(),
              description: String(f.get('description') ?? ''),
            })
            .then((res) => {
              form.reset();
              setDone(res.number ?? '');
              onRaised();
            })
            .catch((err: unknown) => setFailed(err instanceof Error ? err.message : String(err)));
        }}
      >
        <label className="field">
          <span>{t('portal.kind')}</span>
          <select name="kind" defaultValue="service_request">
            <option value="service_request">{t('portal.kind.service_request')}</option>
            <option value="incident">{t('portal.kind.incident')}</option>
            <option value="complaint">{t('portal.kind.complaint')}</option>
          </select>
        </label>
        <label className="field">
          <span>{t('portal.requestTitle')}</span>
          <input name="title" maxLength={200} required />
        </label>
        <label className="field">
          <span>{t('portal.requestDescription')}</span>
          <textarea name="description" rows={3} maxLength={20000} />
        </label>
        <button type="submit" className="button">
          {t('portal.submitRequest')}
        </button>
        {done !== null ? <p role="status">{t('portal.raised', { number: done })}</p> : null}
        {failed ? <p role="alert">{t('portal.failed', { message: failed })}</p> : null}
      </form>
    </section>
  );
}
