import { useCallback, useEffect, useId, useState } from 'react';
import type { ReactNode } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { formatDeskTime } from '../../ui/deskTime';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import {
  AdminField,
  FieldErrors,
  FormError,
  refusedFields,
  useAdminToken,
  useScrollIntoView,
} from './adminUi';
import type { ReplanJobView, ReplanPreview } from '../../realtime/contract';

/** The parts of an SLA policy (`slaPolicySchema`) this editor changes; the rest is kept as is. */
interface Threshold {
  percent: number;
  afterMinutes?: number;
  colour: 'green' | 'amber' | 'red';
}
interface PauseRule {
  status: string;
  reason?: string | null;
}
interface Due {
  kind: 'duration' | 'nextWorkingDayAt' | 'earlierOf';
  calendar: string;
  minutes?: number;
  time?: string;
}
interface TargetDef {
  name: string;
  due: Due;
  [other: string]: unknown;
}
interface PriorityRule {
  targets: TargetDef[];
  compensationPercent: number;
  [other: string]: unknown;
}
export interface Policy {
  id: string;
  name?: string;
  customerIds?: string[];
  pauseWhen: PauseRule[];
  thresholds: Threshold[];
  priorities: Record<'P1' | 'P2' | 'P3', PriorityRule>;
  [other: string]: unknown;
}
/** The part of a re-plan job (`GET /api/sla/replans/:id`) this screen shows. */
export type ReplanJob = Pick<
  ReplanJobView,
  'id' | 'status' | 'total' | 'done' | 'changed' | 'error'
>;

const PRIORITIES = ['P1', 'P2', 'P3'] as const;
const COLOURS = ['green', 'amber', 'red'] as const;
const COLOUR_KEYS = {
  green: 'admin.sla.colour.green',
  amber: 'admin.sla.colour.amber',
  red: 'admin.sla.colour.red',
} as const;
/** How often the re-plan's progress is read while it runs. */
export const REPLAN_POLL_MS = 500;

/** A number typed into a field: an empty field stays NaN so the server names it. */
function readNumber(value: string): number {
  return value.trim() === '' ? Number.NaN : Number(value);
}
function showNumber(n: number | undefined): string {
  return n === undefined || Number.isNaN(n) ? '' : String(n);
}

/**
 * SLA policies: each priority's targets (business minutes or time of day), compensation share,
 * the policy's thresholds and pause rules. "Preview" asks the server's dry run what the change
 * does to the open tickets; "Save and re-plan" (enabled once the draft shown was previewed)
 * stores it and follows the background re-plan to its end.
 */
export function SlaPanel() {
  const t = useT();
  const api = useAdminApi();
  const token = useAdminToken();
  const [stored, setStored] = useState<Policy[] | null>(null);
  const [draft, setDraft] = useState<Policy[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [preview, setPreview] = useState<{ of: string; body: ReplanPreview } | null>(null);
  const [job, setJob] = useReplanJob();
  const [busy, setBusy] = useState(false);
  const selectId = useId();

  const load = useCallback(async (): Promise<void> => {
    const result = await api.request<{ policies: Policy[] }>(token, 'GET', '/sla/policies');
    if (result.ok) {
      setStored(result.body.policies);
      setDraft(structuredClone(result.body.policies));
    } else setOutcome(result);
  }, [api, token]);
  useEffect(() => {
    void load();
  }, [load]);

  if (!draft || !stored) {
    return (
      <section className="admin-section">
        <FormError outcome={outcome} />
        <p>{t('app.loading')}</p>
      </section>
    );
  }
  const current = JSON.stringify(draft);
  const dirty = current !== JSON.stringify(stored);
  const previewed = preview !== null && preview.of === current;
  const fields = refusedFields(outcome);
  const policy = draft[selected] ?? draft[0];
  const index = draft[selected] ? selected : 0;
  const edit = (change: (p: Policy) => void): void => {
    const next = structuredClone(draft);
    const target = next[index];
    if (target) change(target);
    setDraft(next);
  };

  const runPreview = async (): Promise<void> => {
    setBusy(true);
    const result = await api.request<{ preview: ReplanPreview }>(
      token,
      'POST',
      '/sla/policies/preview',
      { policies: draft },
    );
    setBusy(false);
    setOutcome(result.ok ? null : result);
    setPreview(result.ok ? { of: current, body: result.body.preview } : null);
  };
  const save = async (): Promise<void> => {
    setBusy(true);
    const result = await api.request<{
      policies: Policy[];
      replan: Pick<ReplanJob, 'id' | 'status'>;
    }>(token, 'PUT', '/sla/policies', { policies: draft });
    setBusy(false);
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setStored(result.body.policies);
      setDraft(structuredClone(result.body.policies));
      setPreview(null);
      setJob({ total: 0, done: 0, changed: 0, error: null, ...result.body.replan });
    }
  };

  const base = `policies.${index}`;
  const shownPaths: string[] = [`${base}.thresholds`];
  const numberField = (
    label: string,
    path: string,
    value: number | undefined,
    onChange: (n: number) => void,
    extra: { min?: number; max?: number; step?: number } = {},
  ): ReactNode => {
    shownPaths.push(path);
    return (
      <AdminField label={label} path={path} fields={fields}>
        {(props) => (
          <input
            {...props}
            className="admin-number"
            type="number"
            inputMode="numeric"
            value={showNumber(value)}
            onChange={(e) => onChange(readNumber(e.target.value))}
            {...extra}
          />
        )}
      </AdminField>
    );
  };

  return (
    <section className="admin-section" aria-labelledby="admin-sla-title">
      <div className="admin-section__head">
        <h2 id="admin-sla-title">{t('admin.sla.title')}</h2>
        {draft.length > 1 && (
          <div className="field field--inline">
            <label className="field__label" htmlFor={selectId}>
              {t('admin.sla.policy')}
            </label>
            <select
              id={selectId}
              value={index}
              onChange={(e) => setSelected(Number(e.target.value))}
            >
              {draft.map((p, i) => (
                <option key={p.id} value={i}>
                  {p.name ?? p.id}
                </option>
              ))}
            </select>
          </div>
        )}
      </div>
      <p className="admin-muted">
        {t('admin.sla.policyOf', { name: policy?.name ?? policy?.id ?? '' })}
      </p>
      {policy && (
        <>
          <h3>{t('admin.sla.targets')}</h3>
          <div className="admin-grid">
            {PRIORITIES.map((priority) => {
              const rule = policy.priorities[priority];
              const rulePath = `${base}.priorities.${priority}`;
              shownPaths.push(`${rulePath}.targets`, rulePath);
              return (
                <fieldset key={priority} className="admin-card">
                  <legend>{t('admin.sla.priority', { priority })}</legend>
                  {rule.targets.map((target, j) => {
                    const duePath = `${rulePath}.targets.${j}.due`;
                    shownPaths.push(duePath);
                    const name = targetName(t, target.name);
                    return (
                      <div key={`${target.name}-${j}`} className="admin-target">
                        {(target.due.kind === 'duration' || target.due.kind === 'earlierOf') &&
                          numberField(
                            t('admin.sla.minutes', { target: name, priority }),
                            `${duePath}.minutes`,
                            target.due.minutes,
                            (n) =>
                              edit((p) => {
                                const due = p.priorities[priority].targets[j]?.due;
                                if (due) due.minutes = n;
                              }),
                            { min: 1 },
                          )}
                        {(target.due.kind === 'nextWorkingDayAt' ||
                          target.due.kind === 'earlierOf') && (
                          <AdminField
                            label={t('admin.sla.time', { target: name, priority })}
                            path={`${duePath}.time`}
                            fields={fields}
                          >
                            {(props) => (
                              <input
                                {...props}
                                type="time"
                                value={target.due.time ?? ''}
                                onChange={(e) =>
                                  edit((p) => {
                                    const due = p.priorities[priority].targets[j]?.due;
                                    if (due) due.time = e.target.value;
                                  })
                                }
                              />
                            )}
                          </AdminField>
                        )}
                        <FieldErrors id={`${duePath}-error`} fields={fields} path={duePath} exact />
                      </div>
                    );
                  })}
                  {numberField(
                    t('admin.sla.compensation', { priority }),
                    `${rulePath}.compensationPercent`,
                    rule.compensationPercent,
                    (n) =>
                      edit((p) => {
                        p.priorities[priority].compensationPercent = n;
                      }),
                    { min: 0, max: 1000 },
                  )}
                  <FieldErrors
                    id={`${rulePath}-error`}
                    fields={fields}
                    path={`${rulePath}.targets`}
                    exact
                  />
                  <FieldErrors
                    id={`${rulePath}-rule-error`}
                    fields={fields}
                    path={rulePath}
                    exact
                  />
                </fieldset>
              );
            })}
          </div>

          <h3>{t('admin.sla.thresholds')}</h3>
          <p className="admin-muted">{t('admin.sla.thresholdsHint')}</p>
          {policy.thresholds.map((th, k) => {
            const path = `${base}.thresholds.${k}`;
            shownPaths.push(path, `${path}.colour`);
            return (
              <div key={k} className="field-row admin-row">
                {numberField(
                  t('admin.sla.percent', { n: k + 1 }),
                  `${path}.percent`,
                  th.percent,
                  (n) =>
                    edit((p) => {
                      const x = p.thresholds[k];
                      if (x) x.percent = n;
                    }),
                  { min: 1, max: 1000 },
                )}
                {numberField(
                  t('admin.sla.after', { n: k + 1 }),
                  `${path}.afterMinutes`,
                  th.afterMinutes ?? 0,
                  (n) =>
                    edit((p) => {
                      const x = p.thresholds[k];
                      if (x) x.afterMinutes = n;
                    }),
                  { min: 0 },
                )}
                <AdminField
                  label={t('admin.sla.colour', { n: k + 1 })}
                  path={`${path}.colour`}
                  fields={fields}
                >
                  {(props) => (
                    <select
                      {...props}
                      value={th.colour}
                      onChange={(e) =>
                        edit((p) => {
                          const x = p.thresholds[k];
                          if (x) x.colour = e.target.value as Threshold['colour'];
                        })
                      }
                    >
                      {COLOURS.map((c) => (
                        <option key={c} value={c}>
                          {t(COLOUR_KEYS[c])}
                        </option>
                      ))}
                    </select>
                  )}
                </AdminField>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('admin.sla.removeThreshold', { n: k + 1 })}
                  onClick={() => edit((p) => void p.thresholds.splice(k, 1))}
                >
                  {t('admin.remove')}
                </button>
                <FieldErrors id={`${path}-error`} fields={fields} path={path} exact />
              </div>
            );
          })}
          <FieldErrors
            id={`${base}-thresholds-error`}
            fields={fields}
            path={`${base}.thresholds`}
            exact
          />
          <button
            type="button"
            className="button button--small"
            onClick={() =>
              edit((p) => void p.thresholds.push({ percent: 100, afterMinutes: 30, colour: 'red' }))
            }
          >
            {t('admin.sla.addThreshold')}
          </button>

          <h3>{t('admin.sla.pauses')}</h3>
          <p className="admin-muted">{t('admin.sla.pausesHint')}</p>
          {policy.pauseWhen.map((rule, k) => {
            const path = `${base}.pauseWhen.${k}`;
            shownPaths.push(`${path}.status`, `${path}.reason`, path);
            return (
              <div key={k} className="field-row admin-row">
                <AdminField
                  label={t('admin.sla.pauseStatus', { n: k + 1 })}
                  path={`${path}.status`}
                  fields={fields}
                >
                  {(props) => (
                    <input
                      {...props}
                      value={rule.status}
                      onChange={(e) =>
                        edit((p) => {
                          const x = p.pauseWhen[k];
                          if (x) x.status = e.target.value;
                        })
                      }
                    />
                  )}
                </AdminField>
                <AdminField
                  label={t('admin.sla.pauseReason', { n: k + 1 })}
                  path={`${path}.reason`}
                  fields={fields}
                >
                  {(props) => (
                    <input
                      {...props}
                      value={rule.reason ?? ''}
                      placeholder={t('admin.sla.anyReason')}
                      onChange={(e) =>
                        edit((p) => {
                          const x = p.pauseWhen[k];
                          if (!x) return;
                          if (e.target.value === '') delete x.reason;
                          else x.reason = e.target.value;
                        })
                      }
                    />
                  )}
                </AdminField>
                <button
                  type="button"
                  className="button button--small"
                  aria-label={t('admin.sla.removePause', { n: k + 1 })}
                  onClick={() => edit((p) => void p.pauseWhen.splice(k, 1))}
                >
                  {t('admin.remove')}
                </button>
              </div>
            );
          })}
          <button
            type="button"
            className="button button--small"
            onClick={() => edit((p) => void p.pauseWhen.push({ status: 'pending' }))}
          >
            {t('admin.sla.addPause')}
          </button>
        </>
      )}

      <FormError outcome={outcome} shown={shownPaths} exact />
      <div className="admin-form__buttons admin-form__buttons--start">
        <button
          type="button"
          className="button"
          disabled={busy || !dirty}
          onClick={() => {
            setDraft(structuredClone(stored));
            setOutcome(null);
            setPreview(null);
          }}
        >
          {t('admin.sla.discard')}
        </button>
        <button
          type="button"
          className="button"
          disabled={busy || !dirty}
          onClick={() => void runPreview()}
        >
          {t('admin.sla.preview')}
        </button>
        <button
          type="button"
          className="button button--primary"
          disabled={busy || !previewed}
          onClick={() => void save()}
        >
          {t('admin.sla.save')}
        </button>
      </div>
      {dirty && !previewed && <p className="admin-muted">{t('admin.sla.previewFirst')}</p>}
      {preview && previewed && <PreviewReport preview={preview.body} />}
      {job && <ReplanProgress job={job} />}
    </section>
  );
}

/**
 * A re-plan job to follow: once set from a save's 202, it is read again every
 * {@link REPLAN_POLL_MS} until it is no longer running.
 */
export function useReplanJob(): [ReplanJob | null, (job: ReplanJob | null) => void] {
  const api = useAdminApi();
  const token = useAdminToken();
  const [job, setJob] = useState<ReplanJob | null>(null);
  useEffect(() => {
    if (!job || job.status !== 'running') return;
    const timer = window.setTimeout(() => {
      void api
        .request<ReplanJob>(token, 'GET', `/sla/replans/${encodeURIComponent(job.id)}`)
        .then((result) => {
          if (result.ok) setJob(result.body);
        });
    }, REPLAN_POLL_MS);
    return () => window.clearTimeout(timer);
  }, [api, job, token]);
  return [job, setJob];
}

export function targetName(t: ReturnType<typeof useT>, name: string): string {
  if (name === 'response') return t('admin.sla.target.response');
  if (name === 'resolve') return t('admin.sla.target.resolve');
  if (name === 'update') return t('admin.sla.target.update');
  return name;
}

/** What the dry run found: how many tickets move, and which become overdue at once. */
export function PreviewReport({ preview }: { preview: ReplanPreview }) {
  const t = useT();
  const [locale] = useLocale();
  const at = (iso: string | null): string =>
    iso ? formatDeskTime(Date.parse(iso), locale, { withDate: true }) : '—';
  const ref = useScrollIntoView<HTMLDivElement>();
  return (
    <div className="admin-preview" role="region" aria-label={t('admin.preview.title')} ref={ref}>
      <h3>{t('admin.preview.title')}</h3>
      <p>
        {t('admin.preview.summary', {
          moved: preview.moved,
          total: preview.total,
          earlier: preview.earlier,
          later: preview.later,
        })}
      </p>
      <p className={preview.becomeOverdue > 0 ? 'admin-preview__overdue' : 'admin-muted'}>
        {preview.becomeOverdue > 0
          ? t('admin.preview.overdue', { count: preview.becomeOverdue })
          : t('admin.preview.noneOverdue')}
      </p>
      {preview.moves.length > 0 && (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.preview.ticket')}</th>
              <th scope="col">{t('admin.preview.target')}</th>
              <th scope="col">{t('admin.preview.due')}</th>
              <th scope="col">{t('admin.preview.newDue')}</th>
              <th scope="col">{t('admin.preview.effect')}</th>
            </tr>
          </thead>
          <tbody>
            {preview.moves.map((m) => (
              <tr key={`${m.ticketId}:${m.target}`}>
                <td>
                  <code>{m.number}</code> {m.title}
                </td>
                <td>{targetName(t, m.target)}</td>
                <td>{at(m.dueAt)}</td>
                <td>{at(m.newDueAt)}</td>
                <td>
                  {m.becomesOverdue ? (
                    <strong className="admin-preview__overdue">
                      {t('admin.preview.becomesOverdue')}
                    </strong>
                  ) : m.dueAt && m.newDueAt && m.newDueAt < m.dueAt ? (
                    t('admin.preview.earlier')
                  ) : (
                    t('admin.preview.later')
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {preview.truncated && <p className="admin-muted">{t('admin.preview.truncated')}</p>}
    </div>
  );
}

/** The background re-plan after a save, read until it ends. */
export function ReplanProgress({ job }: { job: ReplanJob }) {
  const t = useT();
  const label =
    job.status === 'running'
      ? t('admin.replan.running', { done: job.done, total: job.total })
      : job.status === 'done'
        ? t('admin.replan.done', { done: job.done, changed: job.changed })
        : job.status === 'superseded'
          ? t('admin.replan.superseded')
          : t('admin.replan.failed', { error: job.error ?? '' });
  const ref = useScrollIntoView<HTMLDivElement>();
  return (
    <div className="admin-replan" ref={ref}>
      <h3>{t('admin.replan.title')}</h3>
      <progress
        className="admin-progress"
        max={Math.max(job.total, 1)}
        value={job.status === 'running' ? job.done : Math.max(job.total, 1)}
        aria-label={t('admin.replan.title')}
      />
      <p role="status">{label}</p>
    </div>
  );
}
