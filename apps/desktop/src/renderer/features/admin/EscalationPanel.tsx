import { useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { z } from 'zod';
import { useT } from '../../i18n/i18n';
import type { MessageKey, Translate } from '../../i18n/i18n';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import {
  FieldErrors,
  FormError,
  invalidProps,
  refusedFields,
  useAdminRead,
  useAdminToken,
  useHasRole,
} from './adminUi';

const levelSchema = z.object({ notify: z.string(), ackMinutes: z.number().nullable() });
const stepSchema = z.object({
  id: z.string(),
  on: z.object({ targets: z.array(z.string()).optional(), threshold: z.number() }).optional(),
  severity: z.enum(['info', 'warning', 'critical']),
  levels: z.array(levelSchema),
});
const policySchema = z.object({
  id: z.string(),
  name: z.string(),
  appliesTo: z
    .object({
      priorities: z.array(z.string()).optional(),
      kinds: z.array(z.string()).optional(),
      majorIncident: z.boolean().optional(),
    })
    .default({}),
  steps: z.array(stepSchema),
});
const bodySchema = z.object({ policies: z.array(policySchema) });
type Policy = z.infer<typeof policySchema>;
type Step = z.infer<typeof stepSchema>;

const NOTIFY: ReadonlyArray<[string, MessageKey]> = [
  ['assignee', 'esc.notify.assignee'],
  ['duty_manager', 'roster.duty.duty_manager'],
  ['service_director', 'roster.duty.service_director'],
  ['desk_agent', 'roster.duty.desk_agent'],
  ['engineer_l2', 'roster.duty.engineer_l2'],
  ['engineer_l3', 'roster.duty.engineer_l3'],
];
const SEVERITIES: ReadonlyArray<[Step['severity'], MessageKey]> = [
  ['info', 'alert.severity.info'],
  ['warning', 'alert.severity.warning'],
  ['critical', 'alert.severity.critical'],
];
const PRIORITIES = ['P1', 'P2', 'P3'];

/**
 * Escalation policies (`GET`/`PUT /api/escalation/policies`): per policy the tickets it covers
 * and its steps — the SLA threshold that raises each (or none: raised by the server), its
 * severity and the ladder of whom to alert and how long they have to acknowledge. Admins edit
 * and save the whole list; duty managers read it. The server's refusals show at their fields.
 */
export function EscalationPanel() {
  const t = useT();
  const api = useAdminApi();
  const token = useAdminToken();
  const mayEdit = useHasRole('admin');
  const [round, setRound] = useState(0);
  const { data, failed } = useAdminRead<unknown>('/escalation/policies', round);
  const [draft, setDraft] = useState<Policy[] | null>(null);
  const [selected, setSelected] = useState(0);
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [saved, setSaved] = useState(false);
  useEffect(() => {
    const parsed = bodySchema.safeParse(data);
    if (parsed.success) setDraft(parsed.data.policies);
  }, [data]);
  const fields = refusedFields(outcome);
  if (!draft) return <FormError outcome={failed} />;
  const policy = draft[selected] ?? draft[0];
  if (!policy) return null;
  const index = draft.indexOf(policy);
  const base = `policies.${index}`;
  const change = (next: Policy): void => {
    setSaved(false);
    setDraft(draft.map((p, i) => (i === index ? next : p)));
  };
  const changeStep = (s: number, next: Step | null): void =>
    change({
      ...policy,
      steps: next
        ? policy.steps.map((x, i) => (i === s ? next : x))
        : policy.steps.filter((_, i) => i !== s),
    });
  const save = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const res = await api.request<unknown>(token, 'PUT', '/escalation/policies', {
      policies: draft,
    });
    setOutcome(res.ok ? null : res);
    if (res.ok) {
      setSaved(true);
      setRound((r) => r + 1);
    }
  };
  return (
    <section className="admin-section" aria-labelledby="esc-title" data-testid="escalation-editor">
      <div className="admin-section__head">
        <h2 id="esc-title">{t('esc.title')}</h2>
      </div>
      <p className="admin-muted">{t(mayEdit ? 'esc.hint' : 'esc.readOnly')}</p>
      <p className="admin-notice" role="status">
        {saved ? t('esc.saved') : ''}
      </p>
      <form className="admin-form" onSubmit={(e) => void save(e)}>
        <fieldset className="esc-fieldset" disabled={!mayEdit}>
          <div className="cp-row admin-form">
            <label className="field">
              <span className="field__label">{t('esc.policy')}</span>
              <select
                value={index}
                onChange={(e) => setSelected(Number(e.target.value))}
                data-testid="esc-policy"
              >
                {draft.map((p, i) => (
                  <option key={p.id} value={i}>
                    {formatPolicyName(t, p)}
                  </option>
                ))}
              </select>
            </label>
            <Text
              label={t('esc.name')}
              path={`${base}.name`}
              fields={fields}
              value={policy.name}
              onChange={(name) => change({ ...policy, name })}
            />
          </div>
          <fieldset className="admin-choices">
            <legend>{t('esc.appliesTo')}</legend>
            {PRIORITIES.map((p) => (
              <label key={p}>
                <input
                  type="checkbox"
                  checked={policy.appliesTo.priorities?.includes(p) ?? false}
                  onChange={(e) => {
                    const list = policy.appliesTo.priorities ?? [];
                    const next = e.target.checked ? [...list, p] : list.filter((x) => x !== p);
                    change({
                      ...policy,
                      appliesTo: {
                        ...policy.appliesTo,
                        priorities: next.length > 0 ? next : undefined,
                      },
                    });
                  }}
                />
                {t('esc.priority', { priority: p })}
              </label>
            ))}
            <label>
              <input
                type="checkbox"
                checked={policy.appliesTo.majorIncident === true}
                onChange={(e) =>
                  change({
                    ...policy,
                    appliesTo: {
                      ...policy.appliesTo,
                      majorIncident: e.target.checked ? true : undefined,
                    },
                  })
                }
              />
              {t('major.flag')}
            </label>
          </fieldset>
          {policy.steps.map((step, s) => (
            <StepEditor
              key={`${policy.id}-${s}`}
              n={s + 1}
              step={step}
              path={`${base}.steps.${s}`}
              fields={fields}
              onChange={(next) => changeStep(s, next)}
            />
          ))}
          <div className="admin-form__buttons">
            <button
              type="button"
              className="button"
              onClick={() =>
                change({
                  ...policy,
                  steps: [
                    ...policy.steps,
                    {
                      id: `step-${policy.steps.length + 1}`,
                      on: { threshold: 100 },
                      severity: 'warning',
                      levels: [{ notify: 'duty_manager', ackMinutes: null }],
                    },
                  ],
                })
              }
            >
              {t('esc.addStep')}
            </button>
            <button
              type="button"
              className="button"
              onClick={() => {
                setDraft(null);
                setRound((r) => r + 1);
              }}
            >
              {t('admin.sla.discard')}
            </button>
            <button type="submit" className="button button--primary" data-testid="esc-save">
              {t('esc.save')}
            </button>
          </div>
        </fieldset>
        <FormError outcome={outcome} shown={[`${base}.name`, `${base}.steps`]} />
      </form>
    </section>
  );
}

function Text({
  label,
  path,
  fields,
  value,
  onChange,
  type = 'text',
}: {
  label: string;
  path: string;
  fields: ReturnType<typeof refusedFields>;
  value: string;
  onChange(v: string): void;
  type?: string;
}) {
  const id = useId();
  return (
    <div className="field">
      <label className="field__label" htmlFor={id}>
        {label}
      </label>
      <input
        id={id}
        type={type}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        {...invalidProps(fields, path, `${id}-e`)}
      />
      <FieldErrors id={`${id}-e`} fields={fields} path={path} />
    </div>
  );
}

function StepEditor({
  n,
  step,
  path,
  fields,
  onChange,
}: {
  n: number;
  step: Step;
  path: string;
  fields: ReturnType<typeof refusedFields>;
  onChange(next: Step | null): void;
}) {
  const t = useT();
  const setLevel = (l: number, next: Step['levels'][number] | null): void =>
    onChange({
      ...step,
      levels: next
        ? step.levels.map((x, i) => (i === l ? next : x))
        : step.levels.filter((_, i) => i !== l),
    });
  return (
    <fieldset className="admin-choices esc-step" data-testid="esc-step" data-step={step.id}>
      <legend>{t('esc.step', { n, id: formatStepName(t, step.id) })}</legend>
      <Text
        label={t('esc.stepId', { n })}
        path={`${path}.id`}
        fields={fields}
        value={step.id}
        onChange={(id) => onChange({ ...step, id })}
      />
      <Text
        label={t('esc.threshold', { n })}
        path={`${path}.on.threshold`}
        fields={fields}
        type="number"
        value={step.on ? String(step.on.threshold) : ''}
        onChange={(v) =>
          onChange({ ...step, on: v === '' ? undefined : { ...step.on, threshold: Number(v) } })
        }
      />
      <Text
        label={t('esc.targets', { n })}
        path={`${path}.on.targets`}
        fields={fields}
        value={(step.on?.targets ?? []).join(', ')}
        onChange={(v) => {
          const targets = v.split(/[\s,]+/).filter(Boolean);
          onChange({
            ...step,
            on: {
              threshold: step.on?.threshold ?? 100,
              targets: targets.length > 0 ? targets : undefined,
            },
          });
        }}
      />
      <label className="field">
        <span className="field__label">{t('esc.severity', { n })}</span>
        <select
          value={step.severity}
          onChange={(e) => onChange({ ...step, severity: e.target.value as Step['severity'] })}
        >
          {SEVERITIES.map(([v, k]) => (
            <option key={v} value={v}>
              {t(k)}
            </option>
          ))}
        </select>
      </label>
      <ol className="esc-levels">
        {step.levels.map((level, l) => (
          <li key={l} className="esc-level">
            <label className="field">
              <span className="field__label">{t('esc.level', { n: l + 1 })}</span>
              <select
                value={level.notify}
                onChange={(e) => setLevel(l, { ...level, notify: e.target.value })}
              >
                {NOTIFY.map(([v, k]) => (
                  <option key={v} value={v}>
                    {t(k)}
                  </option>
                ))}
              </select>
            </label>
            <Text
              label={t('esc.ackMinutes', { n: l + 1 })}
              path={`${path}.levels.${l}.ackMinutes`}
              fields={fields}
              type="number"
              value={level.ackMinutes === null ? '' : String(level.ackMinutes)}
              onChange={(v) => setLevel(l, { ...level, ackMinutes: v === '' ? null : Number(v) })}
            />
            <button
              type="button"
              className="button button--quiet"
              disabled={step.levels.length <= 1}
              onClick={() => setLevel(l, null)}
            >
              {t('esc.removeLevel', { n: l + 1 })}
            </button>
          </li>
        ))}
      </ol>
      <FieldErrors id={`${path}-levels`} fields={fields} path={`${path}.levels`} exact />
      <div className="admin-form__buttons">
        <button
          type="button"
          className="button"
          disabled={step.levels.length >= 6}
          onClick={() =>
            onChange({
              ...step,
              levels: [...step.levels, { notify: 'service_director', ackMinutes: null }],
            })
          }
        >
          {t('esc.addLevel')}
        </button>
        <button type="button" className="button button--quiet" onClick={() => onChange(null)}>
          {t('esc.removeStep', { n })}
        </button>
      </div>
    </fieldset>
  );
}

/** The shipped policies' names (the server's defaults, in English) and their catalogue keys. */
const SHIPPED_NAMES: Record<string, [string, MessageKey]> = {
  complaint: ['Complaints: contact within 15 min, 2 h and 24 h', 'esc.default.complaint'],
  major: ['Major incidents', 'esc.default.major'],
  dispatch: ['Refused dispatches', 'esc.default.dispatch'],
  survey: ['Unhappy customers: a CSAT of 2 or less, an NPS detractor', 'esc.default.survey'],
};

/** The shipped steps' keys with a name in the catalogues; an admin's own key shows as typed. */
const SHIPPED_STEPS = new Set([
  'warning',
  'breach',
  'refused',
  'low-score',
  'contact-missed',
  'update-due',
  'clock-missed',
  'declared',
  'root-cause-overdue',
]);

function formatStepName(t: Translate, id: string): string {
  return SHIPPED_STEPS.has(id) ? t(`esc.stepName.${id}` as MessageKey) : id;
}

/**
 * A policy's name as the list shows it: a shipped policy still under its shipped (English)
 * name in the console's language; a policy an admin named keeps that name.
 */
function formatPolicyName(t: Translate, policy: { id: string; name: string }): string {
  if (/^P[1-4]$/.test(policy.id) && policy.name === `${policy.id} tickets`)
    return t('esc.default.priority', { priority: policy.id });
  const shipped = SHIPPED_NAMES[policy.id];
  return shipped && shipped[0] === policy.name ? t(shipped[1]) : policy.name;
}
