import { useCallback, useEffect, useId, useState } from 'react';
import type { ChangeEvent } from 'react';
import { useT } from '../../i18n/i18n';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import { FormError, useAdminToken, useScrollIntoView } from './adminUi';
import { PreviewReport, ReplanProgress, useReplanJob } from './SlaPanel';
import type { ReplanJob } from './SlaPanel';
import type { CalendarDay, CalendarDiff, ReplanPreview } from '../../realtime/contract';

interface Calendar {
  id: string;
  name?: string;
  timeZone: string;
  alwaysOpen?: boolean;
  holidays: Array<{ date: string }>;
  workdays: Array<{ date: string }>;
}
interface ImportPreview {
  imported: { holidays: number; workdays: number };
  diff: CalendarDiff;
  preview: ReplanPreview;
}

/** JSON (holiday-cn) when the file says so or the text looks like it; else iCalendar. */
export function detectImportType(fileName: string, text: string): string {
  if (/\.json$/i.test(fileName)) return 'application/json';
  if (/\.ics$/i.test(fileName)) return 'text/calendar';
  return /^\s*[[{]/.test(text) ? 'application/json' : 'text/calendar';
}

/**
 * Business calendars: each calendar's zone and days, and the holiday import (an .ics or
 * holiday-cn .json file, or pasted text). "Preview import" shows the days it adds, removes and
 * changes, and what it does to open tickets, before "Apply import" stores it and the re-plan
 * runs.
 */
export function CalendarsPanel() {
  const t = useT();
  const api = useAdminApi();
  const token = useAdminToken();
  const selectId = useId();
  const fileId = useId();
  const textId = useId();
  const [calendars, setCalendars] = useState<Calendar[] | null>(null);
  const [selected, setSelected] = useState('');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState('');
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [preview, setPreview] = useState<{ of: string; body: ImportPreview } | null>(null);
  const [job, setJob] = useReplanJob();
  const [notice, setNotice] = useState('');
  const [busy, setBusy] = useState(false);

  const load = useCallback(async (): Promise<void> => {
    const result = await api.request<{ calendars: Calendar[] }>(token, 'GET', '/sla/calendars');
    if (result.ok) {
      setCalendars(result.body.calendars);
      setSelected((s) => s || (result.body.calendars.find((c) => !c.alwaysOpen)?.id ?? ''));
    } else setOutcome(result);
  }, [api, token]);
  useEffect(() => {
    void load();
  }, [load]);

  const calendar = calendars?.find((c) => c.id === selected);
  const contentType = detectImportType(fileName, text);
  const key = `${selected}\n${contentType}\n${text}`;
  const previewed = preview !== null && preview.of === key;

  const readFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    if (!file) return;
    setFileName(file.name);
    setText(await file.text());
  };
  const runPreview = async (): Promise<void> => {
    setBusy(true);
    const result = await api.request<ImportPreview>(
      token,
      'POST',
      `/sla/calendars/${encodeURIComponent(selected)}/import/preview`,
      text,
      contentType,
    );
    setBusy(false);
    setOutcome(result.ok ? null : result);
    setPreview(result.ok ? { of: key, body: result.body } : null);
  };
  const apply = async (): Promise<void> => {
    setBusy(true);
    const result = await api.request<{
      replan: Pick<ReplanJob, 'id' | 'status'>;
      imported: { holidays: number; workdays: number };
    }>(token, 'POST', `/sla/calendars/${encodeURIComponent(selected)}/import`, text, contentType);
    setBusy(false);
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(t('admin.calendars.applied', { ...result.body.imported, calendar: selected }));
      setPreview(null);
      setText('');
      setFileName('');
      setJob({ total: 0, done: 0, changed: 0, error: null, ...result.body.replan });
      void load();
    }
  };

  return (
    <section className="admin-section" aria-labelledby="admin-calendars-title">
      <div className="admin-section__head">
        <h2 id="admin-calendars-title">{t('admin.calendars.title')}</h2>
      </div>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      {calendars === null ? (
        <p>{t('app.loading')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.calendars.calendar')}</th>
              <th scope="col">{t('admin.calendars.zone')}</th>
              <th scope="col">{t('admin.calendars.holidays')}</th>
              <th scope="col">{t('admin.calendars.workdays')}</th>
            </tr>
          </thead>
          <tbody>
            {calendars.map((c) => (
              <tr key={c.id}>
                <td>
                  <code>{c.id}</code> {c.name ?? ''}
                </td>
                <td>{c.alwaysOpen ? t('admin.calendars.alwaysOpen') : c.timeZone}</td>
                <td>{c.holidays.length}</td>
                <td>{c.workdays.length}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      <h3>{t('admin.calendars.import')}</h3>
      <p className="admin-muted">{t('admin.calendars.importHint')}</p>
      <div className="admin-form">
        <div className="field-row">
          <div className="field">
            <label className="field__label" htmlFor={selectId}>
              {t('admin.calendars.into')}
            </label>
            <select id={selectId} value={selected} onChange={(e) => setSelected(e.target.value)}>
              {calendars?.map((c) => (
                <option key={c.id} value={c.id}>
                  {c.name ? `${c.name} (${c.id})` : c.id}
                </option>
              ))}
            </select>
          </div>
          <div className="field field--wide">
            <label className="field__label" htmlFor={fileId}>
              {t('admin.calendars.file')}
            </label>
            <input
              id={fileId}
              type="file"
              accept=".ics,.json,text/calendar,application/json"
              onChange={(e) => void readFile(e)}
            />
          </div>
        </div>
        <div className="field">
          <label className="field__label" htmlFor={textId}>
            {t('admin.calendars.text')}
          </label>
          <textarea
            id={textId}
            rows={5}
            value={text}
            spellCheck={false}
            onChange={(e) => {
              setFileName('');
              setText(e.target.value);
            }}
          />
          <span className="admin-muted">
            {text
              ? t(
                  contentType === 'text/calendar'
                    ? 'admin.calendars.asIcs'
                    : 'admin.calendars.asJson',
                  { size: text.length },
                )
              : ''}
          </span>
        </div>
        <FormError outcome={outcome} />
        <div className="admin-form__buttons admin-form__buttons--start">
          <button
            type="button"
            className="button"
            disabled={busy || !text || !calendar}
            onClick={() => void runPreview()}
          >
            {t('admin.calendars.preview')}
          </button>
          <button
            type="button"
            className="button button--primary"
            disabled={busy || !previewed}
            onClick={() => void apply()}
          >
            {t('admin.calendars.apply')}
          </button>
        </div>
        {text && !previewed && <p className="admin-muted">{t('admin.calendars.previewFirst')}</p>}
      </div>
      {preview && previewed && (
        <>
          <DiffReport diff={preview.body.diff} />
          <PreviewReport preview={preview.body.preview} />
        </>
      )}
      {job && <ReplanProgress job={job} />}
    </section>
  );
}

/** The import's effect on the calendar, day by day. */
export function DiffReport({ diff }: { diff: CalendarDiff }) {
  const t = useT();
  const kind = (d: CalendarDay): string =>
    d.kind === 'holiday' ? t('admin.calendars.kind.holiday') : t('admin.calendars.kind.workday');
  const describe = (d: CalendarDay): string =>
    [kind(d), d.name ?? '', d.hours ? d.hours.join(', ') : ''].filter(Boolean).join(' · ');
  const rows = [
    ...diff.added.map((d) => ({
      date: d.date,
      change: 'added' as const,
      before: '',
      after: describe(d),
    })),
    ...diff.removed.map((d) => ({
      date: d.date,
      change: 'removed' as const,
      before: describe(d),
      after: '',
    })),
    ...diff.changed.map((c) => ({
      date: c.date,
      change: 'changed' as const,
      before: describe(c.before),
      after: describe(c.after),
    })),
  ].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  const label = {
    added: t('admin.calendars.added'),
    removed: t('admin.calendars.removed'),
    changed: t('admin.calendars.changed'),
  };
  const ref = useScrollIntoView<HTMLDivElement>();
  return (
    <div
      className="admin-preview"
      role="region"
      aria-label={t('admin.calendars.diffTitle')}
      ref={ref}
    >
      <h3>{t('admin.calendars.diffTitle')}</h3>
      <p>
        {t('admin.calendars.diffSummary', {
          added: diff.added.length,
          removed: diff.removed.length,
          changed: diff.changed.length,
          unchanged: diff.unchanged,
        })}
      </p>
      {rows.length > 0 && (
        <div className="admin-diff">
          <table className="admin-table">
            <thead>
              <tr>
                <th scope="col">{t('admin.calendars.date')}</th>
                <th scope="col">{t('admin.calendars.change')}</th>
                <th scope="col">{t('admin.calendars.before')}</th>
                <th scope="col">{t('admin.calendars.after')}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => (
                <tr key={r.date}>
                  <td>
                    <code>{r.date}</code>
                  </td>
                  <td className={`admin-diff--${r.change}`}>{label[r.change]}</td>
                  <td>{r.before}</td>
                  <td>{r.after}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </div>
  );
}
