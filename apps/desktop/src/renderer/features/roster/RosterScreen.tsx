import { useCallback, useEffect, useMemo, useState } from 'react';
import type { FormEvent } from 'react';
import { useNow } from '../../clock/useNow';
import { readDeskCalendars } from '../../clock/calendars';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { useAppStore } from '../../store/StoreContext';
import { DESK_TIME_ZONE, formatDeskTime, readDeskDay, readDeskDayStart } from '../../ui/deskTime';
import { useAdminApi } from '../admin/adminApi';
import type { AdminOutcome } from '../admin/adminApi';
import { AdminDialog, AdminField, FormError, refusedFields } from '../admin/adminUi';
import { selectUserName } from '../directory/directory.slice';
import { HandoverReportDialog } from '../handover/HandoverReportDialog';
import {
  addDays,
  findConflicts,
  listViewDays,
  REQUIRED_DUTIES,
  ROSTER_DUTIES,
  shiftsBodySchema,
  templatesBodySchema,
} from './rosterModel';
import type { RosterAssignment, RosterShift, ShiftTemplate } from './rosterModel';
import '../admin/admin.css';
import './roster.css';

const DUTY_LABEL: Record<string, MessageKey> = {
  duty_manager: 'roster.duty.duty_manager',
  service_director: 'roster.duty.service_director',
  desk_agent: 'roster.duty.desk_agent',
  engineer_l2: 'roster.duty.engineer_l2',
  engineer_l3: 'roster.duty.engineer_l3',
};

type Dialog =
  | { kind: 'none' }
  | { kind: 'template' }
  | { kind: 'generate' }
  | { kind: 'assign'; shiftId?: string; duty?: string }
  | { kind: 'assignment'; shift: RosterShift; assignment: RosterAssignment }
  | { kind: 'handover'; shiftId: string };

const onDutySchemaList = (
  body: unknown,
): Array<{ userId: string; displayName: string; duty: string }> => {
  const list = (body as { onDuty?: unknown } | null)?.onDuty;
  return Array.isArray(list)
    ? (list as Array<{ userId: string; displayName: string; duty: string }>)
    : [];
};

/** The desk holidays of the shipped (or, for admins, the server's) calendars, by date. */
function useHolidays(): Map<string, string> {
  return useMemo(() => {
    const out = new Map<string, string>();
    for (const cal of Object.values(readDeskCalendars()))
      for (const h of cal.holidays ?? []) if (!out.has(h.date)) out.set(h.date, h.name ?? '');
    return out;
  }, []);
}

/**
 * `/roster` (duty managers and admins): a week or month grid of the shifts by duty with the
 * desk holidays, conflicts marked (someone booked twice at once, a shift without a duty
 * manager); templates, generating shifts from them, assigning, swapping and covering; who is on
 * duty now and whom escalations reach; and each duty-manager shift's handover report.
 */
export function RosterScreen() {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAppStore((state) => state.session?.token ?? '');
  const now = useNow(60_000);
  const [view, setView] = useState<'week' | 'month'>('week');
  const [anchor, setAnchor] = useState(() => readDeskDay(Date.now()));
  const [shifts, setShifts] = useState<RosterShift[]>([]);
  const [templates, setTemplates] = useState<ShiftTemplate[]>([]);
  const [onDuty, setOnDuty] = useState<
    Array<{ userId: string; displayName: string; duty: string }>
  >([]);
  const [round, setRound] = useState(0);
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const holidays = useHolidays();
  const days = listViewDays(anchor, view);
  const from = readDeskDayStart(days[0] ?? anchor) ?? 0;
  const to = readDeskDayStart(days[days.length - 1] ?? anchor, 1) ?? 0;

  useEffect(() => {
    let live = true;
    const q = `from=${encodeURIComponent(new Date(from).toISOString())}&to=${encodeURIComponent(new Date(to).toISOString())}`;
    void Promise.all([
      api.request<unknown>(token, 'GET', `/roster/shifts?${q}`),
      api.request<unknown>(token, 'GET', '/roster/templates'),
      api.request<unknown>(token, 'GET', '/roster/on-duty'),
    ]).then(([s, tp, od]) => {
      if (!live) return;
      if (s.ok) setShifts(shiftsBodySchema.safeParse(s.body).data?.shifts ?? []);
      if (tp.ok) setTemplates(templatesBodySchema.safeParse(tp.body).data?.templates ?? []);
      if (od.ok) setOnDuty(onDutySchemaList(od.body));
    });
    return () => {
      live = false;
    };
  }, [api, token, from, to, round]);

  const reload = useCallback(() => setRound((r) => r + 1), []);
  const conflicts = useMemo(() => findConflicts(shifts), [shifts]);
  const byDay = useMemo(() => {
    const map = new Map<string, RosterShift[]>();
    for (const s of shifts) {
      const day = readDeskDay(Date.parse(s.startsAt));
      map.set(day, [...(map.get(day) ?? []), s]);
    }
    return map;
  }, [shifts]);
  const managersNow = onDuty.filter((o) => o.duty === 'duty_manager');
  const currentManagerShift = shifts.find(
    (s) =>
      Date.parse(s.startsAt) <= now &&
      now < Date.parse(s.endsAt) &&
      s.assignments.some((a) => a.duty === 'duty_manager'),
  );
  const conflictCount = conflicts.doubleBooked.size + conflicts.uncovered.size;
  const dayLabel = (day: string): string =>
    new Intl.DateTimeFormat(locale, {
      timeZone: 'UTC',
      weekday: 'short',
      month: '2-digit',
      day: '2-digit',
    }).format(Date.parse(`${day}T00:00:00Z`));
  const time = (iso: string): string =>
    new Intl.DateTimeFormat(locale, {
      timeZone: DESK_TIME_ZONE,
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
    }).format(Date.parse(iso));

  return (
    <div className="roster" data-testid="roster">
      <header className="roster__head">
        <h2 className="roster__title">{t('rs.title')}</h2>
        <div className="roster__views" role="group" aria-label={t('rs.view')}>
          {(['week', 'month'] as const).map((v) => (
            <button
              key={v}
              type="button"
              className={view === v ? 'button button--primary' : 'button'}
              aria-pressed={view === v}
              onClick={() => setView(v)}
            >
              {t(v === 'week' ? 'rs.week' : 'rs.month')}
            </button>
          ))}
        </div>
        <div className="roster__nav" role="group" aria-label={t('rs.period')}>
          <button
            type="button"
            className="button"
            aria-label={t('rs.previous')}
            onClick={() => setAnchor(addDays(anchor, view === 'week' ? -7 : -28))}
          >
            ←
          </button>
          <button
            type="button"
            className="button"
            onClick={() => setAnchor(readDeskDay(Date.now()))}
          >
            {t('rs.today')}
          </button>
          <button
            type="button"
            className="button"
            aria-label={t('rs.next')}
            onClick={() => setAnchor(addDays(anchor, view === 'week' ? 7 : 31))}
          >
            →
          </button>
          <span className="roster__range" data-testid="roster-range">
            {dayLabel(days[0] ?? anchor)} – {dayLabel(days[days.length - 1] ?? anchor)}
          </span>
        </div>
        <div className="roster__actions">
          <button type="button" className="button" onClick={() => setDialog({ kind: 'template' })}>
            {t('rs.newTemplate')}
          </button>
          <button type="button" className="button" onClick={() => setDialog({ kind: 'generate' })}>
            {t('rs.generate')}
          </button>
          <button
            type="button"
            className="button button--primary"
            onClick={() => setDialog({ kind: 'assign' })}
          >
            {t('rs.assign')}
          </button>
        </div>
      </header>
      <div className="roster__body">
        <div className="roster__grid-wrap">
          <p
            className={
              conflictCount > 0 ? 'roster__conflicts roster__conflicts--some' : 'roster__conflicts'
            }
            data-testid="roster-conflicts"
          >
            {conflictCount > 0
              ? t('rs.conflicts', {
                  double: conflicts.doubleBooked.size,
                  uncovered: conflicts.uncovered.size,
                })
              : t('rs.noConflicts')}
          </p>
          {view === 'week' ? (
            <table className="roster-grid" data-testid="roster-grid">
              <caption className="visually-hidden">{t('rs.gridCaption')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('rs.duty')}</th>
                  {days.map((day) => (
                    <th
                      key={day}
                      scope="col"
                      className={
                        holidays.has(day)
                          ? 'roster-grid__day roster-grid__day--holiday'
                          : 'roster-grid__day'
                      }
                      data-day={day}
                    >
                      <span>{dayLabel(day)}</span>
                      {holidays.has(day) && (
                        <span className="roster-grid__holiday" data-testid="roster-holiday">
                          {t('rs.holiday')}
                          {holidays.get(day) ? ` · ${holidays.get(day)}` : ''}
                        </span>
                      )}
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody>
                {ROSTER_DUTIES.map((duty) => (
                  <tr key={duty} data-duty={duty}>
                    <th scope="row">{t(DUTY_LABEL[duty] ?? 'rs.duty')}</th>
                    {days.map((day) => (
                      <td key={day}>
                        {(byDay.get(day) ?? []).map((s) => {
                          const people = s.assignments.filter((a) => a.duty === duty);
                          const missing =
                            REQUIRED_DUTIES.includes(duty) &&
                            conflicts.uncovered.has(`${s.id}|${duty}`);
                          if (people.length === 0 && !missing) return null;
                          return (
                            <div key={s.id} className="roster-cell" data-shift={s.id}>
                              <span className="roster-cell__shift">
                                {s.name} {time(s.startsAt)}
                              </span>
                              {people.map((a) => (
                                <AssignmentChip
                                  key={a.id}
                                  assignment={a}
                                  conflict={conflicts.doubleBooked.has(a.id)}
                                  onOpen={() =>
                                    setDialog({ kind: 'assignment', shift: s, assignment: a })
                                  }
                                />
                              ))}
                              {missing && (
                                <button
                                  type="button"
                                  className="roster-chip roster-chip--uncovered"
                                  data-testid="roster-uncovered"
                                  onClick={() => setDialog({ kind: 'assign', shiftId: s.id, duty })}
                                >
                                  {t('rs.uncovered')}
                                </button>
                              )}
                            </div>
                          );
                        })}
                      </td>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <ol
              className="roster-month"
              data-testid="roster-month"
              aria-label={t('rs.gridCaption')}
            >
              {days.map((day) => {
                const list = byDay.get(day) ?? [];
                return (
                  <li
                    key={day}
                    className={
                      holidays.has(day)
                        ? 'roster-month__day roster-month__day--holiday'
                        : 'roster-month__day'
                    }
                  >
                    <span className="roster-month__date">{dayLabel(day)}</span>
                    {holidays.has(day) && (
                      <span className="roster-grid__holiday">
                        {t('rs.holiday')}
                        {holidays.get(day) ? ` · ${holidays.get(day)}` : ''}
                      </span>
                    )}
                    {list.map((s) => {
                      const flagged =
                        s.assignments.some((a) => conflicts.doubleBooked.has(a.id)) ||
                        REQUIRED_DUTIES.some((d) => conflicts.uncovered.has(`${s.id}|${d}`));
                      return (
                        <span
                          key={s.id}
                          className={
                            flagged
                              ? 'roster-month__shift roster-month__shift--conflict'
                              : 'roster-month__shift'
                          }
                        >
                          {s.name} {time(s.startsAt)} ·{' '}
                          {t('rs.people', { n: s.assignments.length })}
                          {flagged ? ` · ${t('rs.conflict')}` : ''}
                        </span>
                      );
                    })}
                  </li>
                );
              })}
            </ol>
          )}
        </div>
        <aside className="roster__side">
          <section
            className="panel roster-now"
            aria-labelledby="roster-now-title"
            data-testid="roster-on-duty"
          >
            <h3 id="roster-now-title" className="section-title">
              {t('duty.onDuty')}
            </h3>
            {onDuty.length === 0 ? (
              <p className="log-empty">{t('duty.nobodyOnDuty')}</p>
            ) : (
              <dl className="on-duty__list">
                {ROSTER_DUTIES.filter((d) => onDuty.some((o) => o.duty === d)).map((d) => (
                  <div key={d} className="on-duty__row" data-duty={d}>
                    <dt>{t(DUTY_LABEL[d] ?? 'rs.duty')}</dt>
                    <dd>
                      {onDuty
                        .filter((o) => o.duty === d)
                        .map((o) => o.displayName)
                        .join(', ')}
                    </dd>
                  </div>
                ))}
              </dl>
            )}
            <p className="roster-now__target" data-testid="roster-escalation-target">
              {managersNow.length > 0
                ? t('rs.escalationTarget', {
                    names: managersNow.map((m) => m.displayName).join(', '),
                  })
                : t('rs.escalationNobody')}
            </p>
            {currentManagerShift && (
              <button
                type="button"
                className="button"
                onClick={() => setDialog({ kind: 'handover', shiftId: currentManagerShift.id })}
              >
                {t('rs.openHandover')}
              </button>
            )}
          </section>
          <section className="panel" aria-labelledby="roster-templates-title">
            <h3 id="roster-templates-title" className="section-title">
              {t('rs.templates')}
            </h3>
            {templates.length === 0 ? (
              <p className="log-empty">{t('rs.noTemplates')}</p>
            ) : (
              <ul className="roster-templates" data-testid="roster-templates">
                {templates.map((tp) => (
                  <li key={tp.id}>
                    <strong>{tp.name}</strong> {tp.startTime} ·{' '}
                    {t('rs.hours', { n: Math.round((tp.durationMinutes / 60) * 10) / 10 })}
                  </li>
                ))}
              </ul>
            )}
          </section>
          <p className="roster__zone">
            {t('rs.zone', { zone: formatDeskTime(now, locale).split(' ').pop() ?? '' })}
          </p>
        </aside>
      </div>
      {dialog.kind === 'template' && (
        <TemplateDialog onClose={() => setDialog({ kind: 'none' })} onSaved={reload} />
      )}
      {dialog.kind === 'generate' && (
        <GenerateDialog
          templates={templates}
          from={days[0] ?? anchor}
          onClose={() => setDialog({ kind: 'none' })}
          onSaved={reload}
        />
      )}
      {dialog.kind === 'assign' && (
        <AssignDialog
          shifts={shifts}
          shiftId={dialog.shiftId}
          duty={dialog.duty}
          label={(s) =>
            `${dayLabel(readDeskDay(Date.parse(s.startsAt)))} ${s.name} ${time(s.startsAt)}`
          }
          onClose={() => setDialog({ kind: 'none' })}
          onSaved={reload}
        />
      )}
      {dialog.kind === 'assignment' && (
        <AssignmentDialog
          shift={dialog.shift}
          assignment={dialog.assignment}
          shifts={shifts}
          now={now}
          label={(s) =>
            `${dayLabel(readDeskDay(Date.parse(s.startsAt)))} ${s.name} ${time(s.startsAt)}`
          }
          onClose={() => setDialog({ kind: 'none' })}
          onSaved={reload}
          onHandover={(shiftId) => setDialog({ kind: 'handover', shiftId })}
        />
      )}
      {dialog.kind === 'handover' && (
        <HandoverReportDialog
          shiftId={dialog.shiftId}
          onClose={() => setDialog({ kind: 'none' })}
        />
      )}
    </div>
  );
}

function AssignmentChip({
  assignment,
  conflict,
  onOpen,
}: {
  assignment: RosterAssignment;
  conflict: boolean;
  onOpen(): void;
}) {
  const t = useT();
  const name = useAppStore((state) => selectUserName(state, assignment.userId)) ?? '';
  const covered = useAppStore((state) => selectUserName(state, assignment.coverFor));
  return (
    <button
      type="button"
      className={conflict ? 'roster-chip roster-chip--conflict' : 'roster-chip'}
      data-testid="roster-chip"
      data-user={assignment.userId}
      onClick={onOpen}
      title={conflict ? t('rs.doubleBooked') : undefined}
    >
      {name}
      {covered ? ` (${t('duty.covering', { name: covered })})` : ''}
      {conflict ? ` · ${t('rs.doubleBooked')}` : ''}
    </button>
  );
}

function useUsers(): Array<{ id: string; displayName: string }> {
  const users = useAppStore((state) => state.users);
  return useMemo(
    () =>
      Object.values(users)
        .filter((u) => !u.disabled && !u.roles.includes('wallboard'))
        .sort((a, b) => a.displayName.localeCompare(b.displayName)),
    [users],
  );
}

function useSend(onSaved: () => void, onClose: () => void) {
  const api = useAdminApi();
  const token = useAppStore((state) => state.session?.token ?? '');
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [busy, setBusy] = useState(false);
  const send = async (
    method: string,
    path: string,
    body?: unknown,
    close = true,
  ): Promise<boolean> => {
    setBusy(true);
    const res = await api.request<unknown>(token, method, path, body);
    setBusy(false);
    setOutcome(res.ok ? null : res);
    if (res.ok) {
      onSaved();
      if (close) onClose();
    }
    return res.ok;
  };
  return { send, outcome, busy, fields: refusedFields(outcome) };
}

function TemplateDialog({ onClose, onSaved }: { onClose(): void; onSaved(): void }) {
  const t = useT();
  const { send, outcome, busy, fields } = useSend(onSaved, onClose);
  const [id, setId] = useState('');
  const [name, setName] = useState('');
  const [kind, setKind] = useState('day');
  const [startTime, setStartTime] = useState('08:30');
  const [hours, setHours] = useState('12');
  const submit = (event: FormEvent): void => {
    event.preventDefault();
    void send('PUT', `/roster/templates/${encodeURIComponent(id)}`, {
      name,
      kind,
      startTime,
      durationMinutes: Math.round(Number(hours) * 60),
      timeZone: DESK_TIME_ZONE,
    });
  };
  return (
    <AdminDialog title={t('rs.newTemplate')} onClose={onClose}>
      <form className="admin-form" onSubmit={submit}>
        <AdminField label={t('rs.templateId')} path="id" fields={fields}>
          {(p) => <input {...p} required value={id} onChange={(e) => setId(e.target.value)} />}
        </AdminField>
        <AdminField label={t('rs.templateName')} path="name" fields={fields}>
          {(p) => <input {...p} required value={name} onChange={(e) => setName(e.target.value)} />}
        </AdminField>
        <AdminField label={t('rs.kind')} path="kind" fields={fields}>
          {(p) => (
            <select {...p} value={kind} onChange={(e) => setKind(e.target.value)}>
              <option value="day">{t('rs.kind.day')}</option>
              <option value="night">{t('rs.kind.night')}</option>
              <option value="custom">{t('rs.kind.custom')}</option>
            </select>
          )}
        </AdminField>
        <AdminField label={t('rs.startTime')} path="startTime" fields={fields}>
          {(p) => (
            <input
              {...p}
              type="time"
              required
              value={startTime}
              onChange={(e) => setStartTime(e.target.value)}
            />
          )}
        </AdminField>
        <AdminField label={t('rs.lengthHours')} path="durationMinutes" fields={fields}>
          {(p) => (
            <input
              {...p}
              type="number"
              min="0.25"
              max="48"
              step="0.25"
              required
              value={hours}
              onChange={(e) => setHours(e.target.value)}
            />
          )}
        </AdminField>
        <FormError
          outcome={outcome}
          shown={['id', 'name', 'kind', 'startTime', 'durationMinutes']}
        />
        <div className="admin-form__buttons">
          <button type="button" className="button" onClick={onClose}>
            {t('rs.cancel')}
          </button>
          <button type="submit" className="button button--primary" disabled={busy}>
            {t('rs.save')}
          </button>
        </div>
      </form>
    </AdminDialog>
  );
}

function GenerateDialog({
  templates,
  from: initialFrom,
  onClose,
  onSaved,
}: {
  templates: ShiftTemplate[];
  from: string;
  onClose(): void;
  onSaved(): void;
}) {
  const t = useT();
  const { send, outcome, busy, fields } = useSend(onSaved, onClose);
  const [chosen, setChosen] = useState<string[]>(templates.map((x) => x.id));
  const [from, setFrom] = useState(initialFrom);
  const [days, setDays] = useState('7');
  return (
    <AdminDialog title={t('rs.generate')} onClose={onClose}>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send('POST', '/roster/shifts/generate', {
            templateIds: chosen,
            from,
            days: Number(days),
          });
        }}
      >
        <fieldset className="admin-choices">
          <legend>{t('rs.templates')}</legend>
          {templates.length === 0 && <p className="log-empty">{t('rs.noTemplates')}</p>}
          {templates.map((tp) => (
            <label key={tp.id}>
              <input
                type="checkbox"
                checked={chosen.includes(tp.id)}
                onChange={(e) =>
                  setChosen(
                    e.target.checked ? [...chosen, tp.id] : chosen.filter((x) => x !== tp.id),
                  )
                }
              />
              {tp.name} {tp.startTime}
            </label>
          ))}
        </fieldset>
        <AdminField label={t('rs.fromDay')} path="from" fields={fields}>
          {(p) => (
            <input
              {...p}
              type="date"
              required
              value={from}
              onChange={(e) => setFrom(e.target.value)}
            />
          )}
        </AdminField>
        <AdminField label={t('rs.days')} path="days" fields={fields}>
          {(p) => (
            <input
              {...p}
              type="number"
              min="1"
              max="366"
              required
              value={days}
              onChange={(e) => setDays(e.target.value)}
            />
          )}
        </AdminField>
        <FormError outcome={outcome} shown={['from', 'days']} />
        <div className="admin-form__buttons">
          <button type="button" className="button" onClick={onClose}>
            {t('rs.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || chosen.length === 0}
          >
            {t('rs.generateNow')}
          </button>
        </div>
      </form>
    </AdminDialog>
  );
}

function AssignDialog({
  shifts,
  shiftId,
  duty: initialDuty,
  label,
  onClose,
  onSaved,
}: {
  shifts: RosterShift[];
  shiftId?: string;
  duty?: string;
  label(s: RosterShift): string;
  onClose(): void;
  onSaved(): void;
}) {
  const t = useT();
  const users = useUsers();
  const { send, outcome, busy, fields } = useSend(onSaved, onClose);
  const [shift, setShift] = useState(shiftId ?? shifts[0]?.id ?? '');
  const [duty, setDuty] = useState(initialDuty ?? 'duty_manager');
  const [userId, setUserId] = useState('');
  return (
    <AdminDialog title={t('rs.assign')} onClose={onClose}>
      <form
        className="admin-form"
        onSubmit={(e) => {
          e.preventDefault();
          void send('POST', '/roster/assignments', { shiftId: shift, duty, userId });
        }}
      >
        <AdminField label={t('rs.shift')} path="shiftId" fields={fields}>
          {(p) => (
            <select {...p} required value={shift} onChange={(e) => setShift(e.target.value)}>
              {shifts.map((s) => (
                <option key={s.id} value={s.id}>
                  {label(s)}
                </option>
              ))}
            </select>
          )}
        </AdminField>
        <AdminField label={t('rs.duty')} path="duty" fields={fields}>
          {(p) => (
            <select {...p} value={duty} onChange={(e) => setDuty(e.target.value)}>
              {ROSTER_DUTIES.map((d) => (
                <option key={d} value={d}>
                  {t(DUTY_LABEL[d] ?? 'rs.duty')}
                </option>
              ))}
            </select>
          )}
        </AdminField>
        <AdminField label={t('rs.person')} path="userId" fields={fields}>
          {(p) => (
            <select {...p} required value={userId} onChange={(e) => setUserId(e.target.value)}>
              <option value="">{t('rs.choosePerson')}</option>
              {users.map((u) => (
                <option key={u.id} value={u.id}>
                  {u.displayName}
                </option>
              ))}
            </select>
          )}
        </AdminField>
        <FormError outcome={outcome} shown={['shiftId', 'duty', 'userId']} />
        <div className="admin-form__buttons">
          <button type="button" className="button" onClick={onClose}>
            {t('rs.cancel')}
          </button>
          <button
            type="submit"
            className="button button--primary"
            disabled={busy || !shift || !userId}
          >
            {t('rs.assign')}
          </button>
        </div>
      </form>
    </AdminDialog>
  );
}

/** One assignment: swap it with another, have someone cover it, remove it; its handover. */
function AssignmentDialog({
  shift,
  assignment,
  shifts,
  now,
  label,
  onClose,
  onSaved,
  onHandover,
}: {
  shift: RosterShift;
  assignment: RosterAssignment;
  shifts: RosterShift[];
  now: number;
  label(s: RosterShift): string;
  onClose(): void;
  onSaved(): void;
  onHandover(shiftId: string): void;
}) {
  const t = useT();
  const users = useUsers();
  const { send, outcome, busy, fields } = useSend(onSaved, onClose);
  const name = useAppStore((state) => selectUserName(state, assignment.userId)) ?? '';
  const userName = useAppStore((state) => state.users);
  const others = shifts.flatMap((s) =>
    s.assignments
      .filter((a) => a.id !== assignment.id && a.userId !== assignment.userId)
      .map((a) => ({ a, s })),
  );
  const [swapWith, setSwapWith] = useState('');
  const [coverBy, setCoverBy] = useState('');
  return (
    <AdminDialog title={t('rs.assignmentTitle', { name, shift: label(shift) })} onClose={onClose}>
      <p>
        {t(DUTY_LABEL[assignment.duty] ?? 'rs.duty')} · {label(shift)}
      </p>
      <form
        className="admin-form roster-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send('POST', '/roster/swaps', {
            assignmentId: assignment.id,
            withAssignmentId: swapWith,
          });
        }}
      >
        <AdminField label={t('rs.swapWith')} path="withAssignmentId" fields={fields}>
          {(p) => (
            <select {...p} value={swapWith} onChange={(e) => setSwapWith(e.target.value)}>
              <option value="">{t('rs.chooseAssignment')}</option>
              {others.map(({ a, s }) => (
                <option key={a.id} value={a.id}>
                  {label(s)} · {t(DUTY_LABEL[a.duty] ?? 'rs.duty')} ·{' '}
                  {userName[a.userId]?.displayName ?? a.userId}
                </option>
              ))}
            </select>
          )}
        </AdminField>
        <button type="submit" className="button" disabled={busy || !swapWith}>
          {t('rs.swap')}
        </button>
      </form>
      <form
        className="admin-form roster-inline"
        onSubmit={(e) => {
          e.preventDefault();
          void send('POST', '/roster/assignments', {
            shiftId: shift.id,
            duty: assignment.duty,
            userId: coverBy,
            coverFor: assignment.userId,
          });
        }}
      >
        <AdminField label={t('rs.coverBy')} path="userId" fields={fields}>
          {(p) => (
            <select {...p} value={coverBy} onChange={(e) => setCoverBy(e.target.value)}>
              <option value="">{t('rs.choosePerson')}</option>
              {users
                .filter((u) => u.id !== assignment.userId)
                .map((u) => (
                  <option key={u.id} value={u.id}>
                    {u.displayName}
                  </option>
                ))}
            </select>
          )}
        </AdminField>
        <button type="submit" className="button" disabled={busy || !coverBy}>
          {t('rs.cover')}
        </button>
      </form>
      <FormError outcome={outcome} shown={['withAssignmentId', 'userId']} />
      <div className="admin-form__buttons">
        {assignment.duty === 'duty_manager' && Date.parse(shift.startsAt) <= now && (
          <button type="button" className="button" onClick={() => onHandover(shift.id)}>
            {t('rs.openHandover')}
          </button>
        )}
        <button
          type="button"
          className="button button--danger"
          disabled={busy}
          onClick={() =>
            void send('DELETE', `/roster/assignments/${encodeURIComponent(assignment.id)}`)
          }
        >
          {t('rs.remove')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('rs.close')}
        </button>
      </div>
    </AdminDialog>
  );
}
