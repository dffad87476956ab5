import { formatTargetName } from '../alerts/message';
import { formatZoneLabel } from '../../ui/deskTime';
import { useEffect, useState, type ReactNode } from 'react';
import { useLocale, useT, type MessageKey, type Translate } from '../../i18n/i18n';
import { formatAge } from '../connection/formatAge';
import { formatClock, formatDuration, formatRate, formatTimeOfDay } from './format';
import type { DeskMetrics as WallboardMetrics } from '../../realtime/contract';

/** How long each page of the rotating area stays up, unless `?rotate=<seconds>` says otherwise. */
export const ROTATE_MS = 12_000;
/** Below this width/height ratio the urgent list joins the rotation (portrait, small screens). */
const WIDE_ASPECT = 1.3;

const PRIORITY_MARK: Record<string, string> = { P1: '■', P2: '▲', P3: '●' };

function targetLabel(t: Translate, name: string): string {
  if (name === 'response' || name === 'resolve' || name === 'update') {
    return t(`wallboard.target.${name}` as MessageKey);
  }
  // contact-15m, announce…: the console's names, never the raw key.
  return formatTargetName(t, name);
}

/** A duration in the board's language: "1 h 05 min" / "1 小时 05 分钟" (format.ts's rounding). */
function formatSpan(t: Translate, ms: number | null): string {
  const plain = formatDuration(ms);
  if (ms === null || !Number.isFinite(ms)) return plain;
  const seconds = Math.max(0, Math.round(ms / 1000));
  if (seconds < 60) return t('age.seconds', { n: seconds });
  const minutes = Math.floor(seconds / 60);
  if (minutes < 60) return t('age.minutes', { n: minutes });
  return `${t('age.hours', { n: Math.floor(minutes / 60) })} ${t('age.minutes', {
    n: String(minutes % 60).padStart(2, '0'),
  })}`;
}

function useAspect(): number {
  const read = (): number => window.innerWidth / Math.max(1, window.innerHeight);
  const [aspect, setAspect] = useState(read);
  useEffect(() => {
    const onResize = (): void => setAspect(window.innerWidth / Math.max(1, window.innerHeight));
    window.addEventListener('resize', onResize);
    return () => window.removeEventListener('resize', onResize);
  }, []);
  return aspect;
}

/** The index of the page to show, advancing every {@link ROTATE_MS}; no growth, one timer. */
function useRotation(count: number, intervalMs: number): number {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (count <= 1) return undefined;
    const timer = setInterval(() => setIndex((i) => (i + 1) % count), intervalMs);
    return () => clearInterval(timer);
  }, [count, intervalMs]);
  return count > 0 ? index % count : 0;
}

function Priority({ p }: { p: string }) {
  return (
    <span className={`wb-prio wb-prio--${p}`}>
      <span aria-hidden="true">{PRIORITY_MARK[p] ?? '●'}</span> {p}
    </span>
  );
}

function Value({ mark, text }: { mark: string; text: string }) {
  return (
    <>
      {mark && <span className="wb-tile__mark">{mark} </span>}
      {text}
    </>
  );
}

function Tile({
  label,
  value,
  detail,
  tone,
  testId,
}: {
  label: string;
  value: ReactNode;
  detail?: ReactNode;
  tone?: 'bad' | 'warn' | 'good';
  testId: string;
}) {
  return (
    <section className={`wb-tile${tone ? ` wb-tile--${tone}` : ''}`} data-testid={testId}>
      <h2 className="wb-tile__label">{label}</h2>
      <div className="wb-tile__value" data-testid={`${testId}-value`}>
        {value}
      </div>
      {detail !== undefined && <div className="wb-tile__detail">{detail}</div>}
    </section>
  );
}

function rateTone(rate: number | null): 'bad' | 'warn' | 'good' | undefined {
  if (rate === null) return undefined;
  if (rate < 0.8) return 'bad';
  if (rate < 0.95) return 'warn';
  return 'good';
}

function toneMark(tone: 'bad' | 'warn' | 'good' | undefined): string {
  if (tone === 'bad') return '■';
  if (tone === 'warn') return '▲';
  if (tone === 'good') return '✓';
  return '';
}

function Urgent({ m, now }: { m: WallboardMetrics; now: number }) {
  const t = useT();
  return (
    <section className="wb-panel" data-testid="wb-urgent">
      <h2 className="wb-panel__title">{t('wallboard.urgent')}</h2>
      {m.risk.urgent.length === 0 ? (
        <p className="wb-empty">{t('wallboard.urgentEmpty')}</p>
      ) : (
        <ol className="wb-urgent">
          {m.risk.urgent.map((u) => {
            const left = Date.parse(u.dueAt) - now;
            const overdue = left <= 0;
            return (
              <li
                key={`${u.ticketId}:${u.target}`}
                className={overdue ? 'wb-urgent__row wb-urgent__row--overdue' : 'wb-urgent__row'}
              >
                <Priority p={u.priority} />
                <span className="wb-urgent__number">{u.number}</span>
                <span className="wb-urgent__title">
                  {overdue && (
                    <span className="wb-urgent__flag">■ {t('wallboard.overdue')} · </span>
                  )}
                  {u.title}
                </span>
                <span className="wb-urgent__target">{targetLabel(t, u.target)}</span>
                <span className="wb-urgent__clock">
                  {overdue ? `+${formatClock(left)}` : formatClock(left)}
                </span>
              </li>
            );
          })}
        </ol>
      )}
    </section>
  );
}

function Stat({ label, value, detail }: { label: string; value: string; detail?: string }) {
  return (
    <div className="wb-stat">
      <div className="wb-stat__label">{label}</div>
      <div className="wb-stat__value">{value}</div>
      {detail && <div className="wb-stat__detail">{detail}</div>}
    </div>
  );
}

function TodayPage({ m }: { m: WallboardMetrics }) {
  const t = useT();
  const week = m.sla.week;
  return (
    <section className="wb-panel" data-testid="wb-page-today">
      <h2 className="wb-panel__title">{t('wallboard.today')}</h2>
      <div className="wb-stats">
        <Stat
          label={t('wallboard.firstResponse')}
          value={formatSpan(t, m.firstResponse.averageMs)}
        />
        <Stat
          label={t('wallboard.fcr')}
          value={formatRate(m.firstContactResolution.rate)}
          detail={t('wallboard.ofCount', {
            part: m.firstContactResolution.firstContact,
            whole: m.firstContactResolution.resolved,
          })}
        />
        <Stat
          label={t('wallboard.redispatch')}
          value={formatRate(m.redispatch.rate)}
          detail={t('wallboard.ofCount', {
            part: m.redispatch.redispatched,
            whole: m.redispatch.assigned,
          })}
        />
        <Stat
          label={t('wallboard.csat')}
          value={formatRate(m.csat.rate)}
          detail={
            m.csat.averageScore === null
              ? undefined
              : t('wallboard.csatDetail', {
                  score: m.csat.averageScore.toFixed(1),
                  count: m.csat.responses,
                })
          }
        />
        <Stat
          label={t('wallboard.slaResponseWeek')}
          value={formatRate(week.response.rate)}
          detail={t('wallboard.metBreached', {
            met: week.response.met,
            breached: week.response.breached,
          })}
        />
        <Stat
          label={t('wallboard.slaResolveWeek')}
          value={formatRate(week.resolve.rate)}
          detail={t('wallboard.metBreached', {
            met: week.resolve.met,
            breached: week.resolve.breached,
          })}
        />
      </div>
    </section>
  );
}

type SurveyFigures = NonNullable<WallboardMetrics['surveys']>['today'];

/** An NPS as the wallboard shows it: signed, "—" without answers. */
export function formatNps(score: number | null): string {
  if (score === null) return '—';
  const n = Math.round(score);
  return n > 0 ? `+${n}` : String(n);
}

/** CSAT and NPS today and this month (decision 53). */
function SurveysPage({ today, month }: { today: SurveyFigures; month: SurveyFigures }) {
  const t = useT();
  const csat = (f: SurveyFigures) => ({
    value: f.csat.average === null ? '—' : `${f.csat.average.toFixed(1)} / 5`,
    detail: t('survey.wallboard.csatDetail', {
      count: f.csat.responses,
      rate: formatRate(f.csat.responseRate),
    }),
  });
  const nps = (f: SurveyFigures) => ({
    value: formatNps(f.nps.score),
    detail: t('survey.wallboard.npsDetail', {
      count: f.nps.responses,
      promoters: f.nps.promoters,
      detractors: f.nps.detractors,
    }),
  });
  return (
    <section className="wb-panel" data-testid="wb-page-surveys">
      <h2 className="wb-panel__title">{t('survey.title')}</h2>
      <div className="wb-stats">
        <Stat label={t('survey.wallboard.csatToday')} {...csat(today)} />
        <Stat label={t('survey.wallboard.csatMonth')} {...csat(month)} />
        <Stat label={t('survey.wallboard.npsToday')} {...nps(today)} />
        <Stat label={t('survey.wallboard.npsMonth')} {...nps(month)} />
      </div>
    </section>
  );
}

function GroupsPage({ m }: { m: WallboardMetrics }) {
  const t = useT();
  const [locale] = useLocale();
  const rows = m.open.byGroup.slice(0, 8);
  return (
    <section className="wb-panel" data-testid="wb-page-groups">
      <h2 className="wb-panel__title">{t('wallboard.byGroup')}</h2>
      <table className="wb-table">
        <thead>
          <tr>
            <th scope="col" />
            <th scope="col">
              <Priority p="P1" />
            </th>
            <th scope="col">
              <Priority p="P2" />
            </th>
            <th scope="col">
              <Priority p="P3" />
            </th>
            <th scope="col">Σ</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((g) => (
            <tr key={g.groupId ?? '-'}>
              <th scope="row" className="wb-table__name">
                {g.groupId === null
                  ? t('wallboard.noGroup')
                  : locale === 'zh-CN'
                    ? g.nameZh
                    : g.name}
              </th>
              <td>{g.P1}</td>
              <td>{g.P2}</td>
              <td>{g.P3}</td>
              <td className="wb-table__total">{g.total}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  );
}

function IncidentsPage({ m, now }: { m: WallboardMetrics; now: number }) {
  const t = useT();
  return (
    <section className="wb-panel" data-testid="wb-page-incidents">
      <h2 className="wb-panel__title">
        {t('wallboard.majorIncidents')} · {m.majorIncidents.count}
      </h2>
      {m.majorIncidents.items.length === 0 ? (
        <p className="wb-empty">{t('wallboard.noMajor')}</p>
      ) : (
        <ul className="wb-list">
          {m.majorIncidents.items.slice(0, 3).map((i) => (
            <li key={i.ticketId} className="wb-list__row">
              <span className="wb-list__main">
                ■ {i.number} {i.title}
              </span>
              <span className="wb-list__side">
                {i.nextDeadline
                  ? `${targetLabel(t, i.nextDeadline.target)} ${
                      Date.parse(i.nextDeadline.dueAt) <= now ? `${t('wallboard.overdue')} +` : ''
                    }${formatClock(Date.parse(i.nextDeadline.dueAt) - now)}`
                  : t('wallboard.noDeadline')}
              </span>
            </li>
          ))}
        </ul>
      )}
      <h2 className="wb-panel__title wb-panel__title--second">
        {t('wallboard.alerts')} · {m.alerts.open}
      </h2>
      {m.alerts.oldest.length === 0 ? (
        <p className="wb-empty">{t('wallboard.noAlerts')}</p>
      ) : (
        <ul className="wb-list">
          {m.alerts.oldest.slice(0, 3).map((a) => (
            <li key={a.alertId} className="wb-list__row">
              <span className="wb-list__main">
                {a.severity === 'critical' ? '■' : '▲'}{' '}
                {t(`wallboard.severity.${a.severity}` as MessageKey)} · {a.message}
              </span>
              <span className="wb-list__side">{formatAge(t, now - Date.parse(a.raisedAt))}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}

function DutyPage({ m }: { m: WallboardMetrics }) {
  const t = useT();
  const d = m.duty;
  return (
    <section className="wb-panel" data-testid="wb-page-duty">
      <h2 className="wb-panel__title">{t('wallboard.onDuty')}</h2>
      {!d.rosterConfigured && <p className="wb-note">ⓘ {t('wallboard.rosterMissing')}</p>}
      <div className="wb-stats">
        <Stat label={t('wallboard.available')} value={String(d.available)} />
        <Stat label={t('wallboard.role.agent')} value={String(d.byRole.agent)} />
        <Stat label={t('wallboard.role.engineer')} value={String(d.byRole.engineer)} />
        <Stat label={t('wallboard.role.duty_manager')} value={String(d.byRole.duty_manager)} />
      </div>
      {d.people.length === 0 ? (
        <p className="wb-empty">
          {t(d.source === 'roster' ? 'wallboard.nobodyRostered' : 'wallboard.nobodyOnDuty')}
        </p>
      ) : (
        <p className="wb-people">
          {d.people
            .slice(0, 12)
            .map((p) => p.displayName)
            .join(' · ')}
        </p>
      )}
    </section>
  );
}

/** The board itself: pure rendering of one metrics payload at `now` (server time). */
export function WallboardBoard({
  metrics: m,
  now,
  live,
  rotateMs = ROTATE_MS,
}: {
  metrics: WallboardMetrics;
  now: number;
  live: boolean;
  rotateMs?: number;
}) {
  const t = useT();
  const aspect = useAspect();
  const wide = aspect >= WIDE_ASPECT;
  const pages: Array<{ key: string; node: ReactNode }> = [
    ...(wide ? [] : [{ key: 'urgent', node: <Urgent m={m} now={now} /> }]),
    { key: 'today', node: <TodayPage m={m} /> },
    { key: 'groups', node: <GroupsPage m={m} /> },
    { key: 'incidents', node: <IncidentsPage m={m} now={now} /> },
    { key: 'duty', node: <DutyPage m={m} /> },
    ...(m.surveys
      ? [
          {
            key: 'surveys',
            node: <SurveysPage today={m.surveys.today} month={m.surveys.month} />,
          },
        ]
      : []),
  ];
  const page = useRotation(pages.length, rotateMs);
  const current = pages[page] ?? pages[0];
  const oldestAlert = m.alerts.oldest[0];
  const respTone = rateTone(m.sla.today.response.rate);
  const resTone = rateTone(m.sla.today.resolve.rate);

  return (
    <div className={wide ? 'wb-board' : 'wb-board wb-board--narrow'}>
      <header className="wb-header">
        <h1 className="wb-header__title">{t('wallboard.title')}</h1>
        <span className={live ? 'wb-live' : 'wb-live wb-live--off'}>
          {live ? `● ${t('wallboard.status.live')}` : `○ ${t('wallboard.status.connecting')}`}
        </span>
        <span className="wb-header__clock" data-testid="wb-clock">
          {formatTimeOfDay(now, m.timeZone)}{' '}
          <span className="wb-header__zone">{formatZoneLabel(now, m.timeZone)}</span>
        </span>
      </header>
      <div className="wb-tiles">
        <Tile
          testId="wb-open"
          label={t('wallboard.open')}
          value={m.open.total}
          detail={
            <span className="wb-prios">
              {(['P1', 'P2', 'P3'] as const).map((p) => (
                <span key={p} data-testid={`wb-open-${p}`}>
                  <Priority p={p} /> <b>{m.open.byPriority[p]}</b>
                </span>
              ))}
            </span>
          }
        />
        <Tile
          testId="wb-breached"
          label={t('wallboard.breached')}
          value={<Value mark={m.risk.breached > 0 ? '■' : ''} text={String(m.risk.breached)} />}
          tone={m.risk.breached > 0 ? 'bad' : 'good'}
          detail={t('wallboard.ofOpen', { n: m.open.total })}
        />
        <Tile
          testId="wb-at-risk"
          label={t('wallboard.atRisk')}
          value={<Value mark={m.risk.atRisk > 0 ? '▲' : ''} text={String(m.risk.atRisk)} />}
          tone={m.risk.atRisk > 0 ? 'warn' : 'good'}
          detail={t('wallboard.ofOpen', { n: m.open.total })}
        />
        <Tile
          testId="wb-sla-response"
          label={t('wallboard.slaResponseToday')}
          value={<Value mark={toneMark(respTone)} text={formatRate(m.sla.today.response.rate)} />}
          tone={respTone}
          detail={t('wallboard.metBreached', {
            met: m.sla.today.response.met,
            breached: m.sla.today.response.breached,
          })}
        />
        <Tile
          testId="wb-sla-resolve"
          label={t('wallboard.slaResolveToday')}
          value={<Value mark={toneMark(resTone)} text={formatRate(m.sla.today.resolve.rate)} />}
          tone={resTone}
          detail={t('wallboard.metBreached', {
            met: m.sla.today.resolve.met,
            breached: m.sla.today.resolve.breached,
          })}
        />
        <Tile
          testId="wb-alerts"
          label={t('wallboard.alerts')}
          value={<Value mark={m.alerts.open > 0 ? '▲' : ''} text={String(m.alerts.open)} />}
          tone={m.alerts.open > 0 ? 'warn' : undefined}
          detail={
            oldestAlert
              ? t('wallboard.oldestAlert', {
                  age: formatAge(t, now - Date.parse(oldestAlert.raisedAt)),
                })
              : t('wallboard.noAlerts')
          }
        />
      </div>
      <div className="wb-main">
        {wide && <Urgent m={m} now={now} />}
        <div className="wb-rotor">
          {current?.node}
          {pages.length > 1 && (
            <div
              className="wb-dots"
              aria-label={t('wallboard.page', { n: page + 1, total: pages.length })}
            >
              {pages.map((p, i) => (
                <span key={p.key} className={i === page ? 'wb-dot wb-dot--on' : 'wb-dot'} />
              ))}
              <span className="wb-dots__text">
                {page + 1} / {pages.length}
              </span>
            </div>
          )}
        </div>
      </div>
      <footer className="wb-footer">
        {t('wallboard.updated', {
          time: `${formatTimeOfDay(Date.parse(m.generatedAt), m.timeZone, true)} ${formatZoneLabel(Date.parse(m.generatedAt), m.timeZone)}`,
        })}
      </footer>
    </div>
  );
}
