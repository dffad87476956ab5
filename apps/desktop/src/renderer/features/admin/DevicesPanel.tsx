import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import { formatDeskTime } from '../../ui/deskTime';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import {
  AdminDialog,
  AdminField,
  FormError,
  refusedFields,
  useAdminRead,
  useAdminToken,
} from './adminUi';

interface Device {
  id: string;
  label: string | null;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string | null;
}
interface Issued {
  id: string;
  token: string;
  label: string;
  expiresAt: string;
}

/**
 * Wallboard device tokens: issue one (label, days), shown once in a dialog and never again;
 * the list of live tokens; revoke one (its wallboard drops at once).
 */
export function DevicesPanel() {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAdminToken();
  const [label, setLabel] = useState('');
  const [days, setDays] = useState('365');
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [issued, setIssued] = useState<Issued | null>(null);
  const [notice, setNotice] = useState('');
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const fields = refusedFields(outcome);

  const read = useAdminRead<{ devices: Device[] }>('/devices', round);
  const devices = read.data?.devices ?? null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await api.request<Issued>(token, 'POST', '/devices', {
      label,
      days: Number(days),
    });
    setOutcome(result);
    if (result.ok) {
      setIssued(result.body);
      setLabel('');
      reload();
    }
  };
  const revoke = async (d: Device): Promise<void> => {
    const result = await api.request(token, 'DELETE', `/devices/${encodeURIComponent(d.id)}`);
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(t('admin.devices.revoked', { label: d.label ?? d.id }));
      reload();
    }
  };
  const at = (iso: string): string => formatDeskTime(Date.parse(iso), locale, { withDate: true });

  return (
    <section className="admin-section" aria-labelledby="admin-devices-title">
      <div className="admin-section__head">
        <h2 id="admin-devices-title">{t('admin.devices.title')}</h2>
      </div>
      <p className="admin-muted">{t('admin.devices.hint')}</p>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      <form className="admin-form admin-form--inline" onSubmit={(e) => void submit(e)} noValidate>
        <FormError outcome={outcome ?? read.failed} shown={['label', 'days']} />
        <div className="field-row">
          <AdminField
            className="field field--wide"
            label={t('admin.devices.label')}
            path="label"
            fields={fields}
          >
            {(props) => (
              <input value={label} onChange={(e) => setLabel(e.target.value)} {...props} />
            )}
          </AdminField>
          <AdminField label={t('admin.devices.days')} path="days" fields={fields}>
            {(props) => (
              <input
                type="number"
                min={1}
                max={3650}
                value={days}
                onChange={(e) => setDays(e.target.value)}
                {...props}
              />
            )}
          </AdminField>
          <button type="submit" className="button button--primary">
            {t('admin.devices.issue')}
          </button>
        </div>
      </form>
      {devices === null ? (
        <p>{t('app.loading')}</p>
      ) : devices.length === 0 ? (
        <p className="admin-muted">{t('admin.devices.none')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.devices.label')}</th>
              <th scope="col">{t('admin.devices.issued')}</th>
              <th scope="col">{t('admin.sessions.expires')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {devices.map((d) => (
              <tr key={d.id}>
                <td>{d.label ?? ''}</td>
                <td>{at(d.createdAt)}</td>
                <td>{at(d.expiresAt)}</td>
                <td>
                  {d.revokedAt ? (
                    <span className="admin-tag">
                      {t('admin.devices.revokedAt', { at: at(d.revokedAt) })}
                    </span>
                  ) : (
                    <button
                      type="button"
                      className="button button--small button--danger"
                      aria-label={t('admin.devices.revokeOf', { label: d.label ?? d.id })}
                      onClick={() => void revoke(d)}
                    >
                      {t('admin.sessions.revoke')}
                    </button>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {issued && <IssuedDialog issued={issued} onClose={() => setIssued(null)} />}
    </section>
  );
}

/** The new token, once: the admin copies it to the wallboard; closing forgets it. */
function IssuedDialog({ issued, onClose }: { issued: Issued; onClose(): void }) {
  const t = useT();
  const [copied, setCopied] = useState(false);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(issued.token);
      setCopied(true);
    } catch {
      setCopied(false);
    }
  };
  return (
    <AdminDialog title={t('admin.devices.issuedTitle', { label: issued.label })} onClose={onClose}>
      <p>{t('admin.devices.onceHint')}</p>
      <label className="field">
        <span className="field__label">{t('admin.devices.token')}</span>
        <input
          className="admin-token"
          readOnly
          value={issued.token}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <p className="admin-muted">{t('admin.devices.urlHint')}</p>
      <p className="admin-notice" role="status">
        {copied ? t('admin.devices.copied') : ''}
      </p>
      <div className="admin-form__buttons">
        <button type="button" className="button" onClick={() => void copy()}>
          {t('admin.devices.copy')}
        </button>
        <button type="button" className="button button--primary" onClick={onClose}>
          {t('admin.devices.done')}
        </button>
      </div>
    </AdminDialog>
  );
}
