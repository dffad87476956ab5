import type { Webhook, WebhookDelivery, WebhookWithSecret } from '@dutydesk/shared';
import { useCallback, useState } from 'react';
import type { FormEvent } from 'react';
import { useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
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

const DEFAULT_EVENTS = 'ticket.*, sla.breached, alert.raised';

/** The patterns typed in one field, comma- or space-separated. */
export function splitPatterns(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((p) => p.trim())
    .filter(Boolean);
}

const OUTCOME_KEYS: Record<WebhookDelivery['outcome'], MessageKey> = {
  delivered: 'admin.webhooks.outcome.delivered',
  http_error: 'admin.webhooks.outcome.http_error',
  timeout: 'admin.webhooks.outcome.timeout',
  network: 'admin.webhooks.outcome.network',
  refused: 'admin.webhooks.outcome.refused',
};

const DONE_KEYS: Record<'pause' | 'resume' | 'delete', MessageKey> = {
  pause: 'admin.webhooks.done.pause',
  resume: 'admin.webhooks.done.resume',
  delete: 'admin.webhooks.done.delete',
};

function stateKey(w: Webhook): MessageKey {
  if (w.status === 'paused')
    return w.pausedReason === 'failing'
      ? 'admin.webhooks.state.pausedFailing'
      : 'admin.webhooks.state.paused';
  return w.failing ? 'admin.webhooks.state.failing' : 'admin.webhooks.state.active';
}

/**
 * Webhooks (admin): subscribe a URL to event types (the secret shown once), the list with each
 * subscription's state, pause / resume, its delivery log, delete.
 */
export function WebhooksPanel() {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAdminToken();
  const [url, setUrl] = useState('');
  const [events, setEvents] = useState(DEFAULT_EVENTS);
  const [description, setDescription] = useState('');
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [created, setCreated] = useState<WebhookWithSecret | null>(null);
  const [log, setLog] = useState<Webhook | null>(null);
  const [notice, setNotice] = useState('');
  const [round, setRound] = useState(0);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  const fields = refusedFields(outcome);
  const at = (iso: string): string => formatDeskTime(Date.parse(iso), locale, { withDate: true });

  const read = useAdminRead<{ webhooks: Webhook[] }>('/webhooks', round);
  const webhooks = read.data?.webhooks ?? null;

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await api.request<WebhookWithSecret>(token, 'POST', '/webhooks', {
      url: url.trim(),
      events: splitPatterns(events),
      ...(description.trim() ? { description: description.trim() } : {}),
    });
    setOutcome(result);
    if (result.ok) {
      setCreated(result.body);
      setUrl('');
      setDescription('');
      reload();
    }
  };
  const act = async (w: Webhook, action: 'pause' | 'resume' | 'delete'): Promise<void> => {
    const path = `/webhooks/${encodeURIComponent(w.id)}`;
    const result =
      action === 'delete'
        ? await api.request(token, 'DELETE', path)
        : await api.request(token, 'POST', `${path}/${action}`);
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(t(DONE_KEYS[action], { url: w.url }));
      reload();
    }
  };

  return (
    <section className="admin-section" aria-labelledby="admin-webhooks-title">
      <div className="admin-section__head">
        <h2 id="admin-webhooks-title">{t('admin.webhooks.title')}</h2>
      </div>
      <p className="admin-muted">{t('admin.webhooks.hint')}</p>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError outcome={outcome ?? read.failed} shown={['url', 'events', 'description']} />
        <div className="field-row">
          <AdminField
            className="field field--wide"
            label={t('admin.webhooks.url')}
            path="url"
            fields={fields}
          >
            {(props) => (
              <input
                type="url"
                inputMode="url"
                placeholder="https://hooks.example.com/dutydesk"
                value={url}
                onChange={(e) => setUrl(e.target.value)}
                {...props}
              />
            )}
          </AdminField>
        </div>
        <div className="field-row">
          <AdminField
            className="field field--wide"
            label={t('admin.webhooks.events')}
            path="events"
            fields={fields}
          >
            {(props) => (
              <input value={events} onChange={(e) => setEvents(e.target.value)} {...props} />
            )}
          </AdminField>
          <AdminField
            className="field field--wide"
            label={t('admin.webhooks.description')}
            path="description"
            fields={fields}
          >
            {(props) => (
              <input
                value={description}
                onChange={(e) => setDescription(e.target.value)}
                {...props}
              />
            )}
          </AdminField>
          <button type="submit" className="button button--primary">
            {t('admin.webhooks.create')}
          </button>
        </div>
        <p className="admin-muted">{t('admin.webhooks.eventsHint')}</p>
      </form>
      {webhooks === null ? (
        <p>{t('app.loading')}</p>
      ) : webhooks.length === 0 ? (
        <p className="admin-muted">{t('admin.webhooks.none')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.webhooks.url')}</th>
              <th scope="col">{t('admin.webhooks.events')}</th>
              <th scope="col">{t('admin.webhooks.state')}</th>
              <th scope="col">{t('admin.webhooks.cursor')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {webhooks.map((w) => (
              <tr key={w.id}>
                <td>
                  <code>{w.url}</code>
                  {w.description && <div className="admin-muted">{w.description}</div>}
                </td>
                <td>{w.events.join(', ')}</td>
                <td>
                  <span className="admin-tag">{t(stateKey(w))}</span>
                  {w.failing && (
                    <div className="admin-muted">
                      {t('admin.webhooks.failingSince', {
                        n: w.failing.attempts,
                        at: at(w.failing.since),
                        error: w.failing.lastError,
                      })}
                    </div>
                  )}
                </td>
                <td>{w.cursorSeq}</td>
                <td className="admin-actions">
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t('admin.webhooks.logOf', { url: w.url })}
                    onClick={() => setLog(w)}
                  >
                    {t('admin.webhooks.log')}
                  </button>
                  <button
                    type="button"
                    className="button button--small"
                    aria-label={t(
                      w.status === 'paused' ? 'admin.webhooks.resumeOf' : 'admin.webhooks.pauseOf',
                      { url: w.url },
                    )}
                    onClick={() => void act(w, w.status === 'paused' ? 'resume' : 'pause')}
                  >
                    {t(w.status === 'paused' ? 'admin.webhooks.resume' : 'admin.webhooks.pause')}
                  </button>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={t('admin.webhooks.deleteOf', { url: w.url })}
                    onClick={() => void act(w, 'delete')}
                  >
                    {t('admin.webhooks.delete')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {created && <SecretDialog created={created} onClose={() => setCreated(null)} />}
      {log && <DeliveryLogDialog webhook={log} onClose={() => setLog(null)} />}
    </section>
  );
}

/** The new subscription's secret, once: the receiver verifies signatures with it. */
function SecretDialog({ created, onClose }: { created: WebhookWithSecret; onClose(): void }) {
  const t = useT();
  return (
    <AdminDialog title={t('admin.webhooks.secretTitle')} onClose={onClose}>
      <p>{t('admin.webhooks.secretHint')}</p>
      <label className="field">
        <span className="field__label">{t('admin.webhooks.secret')}</span>
        <input
          className="admin-token"
          readOnly
          value={created.secret}
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <div className="admin-form__buttons">
        <button type="button" className="button button--primary" onClick={onClose}>
          {t('admin.devices.done')}
        </button>
      </div>
    </AdminDialog>
  );
}

/** A subscription's latest delivery attempts, newest first. */
function DeliveryLogDialog({ webhook, onClose }: { webhook: Webhook; onClose(): void }) {
  const t = useT();
  const [locale] = useLocale();
  const read = useAdminRead<{ deliveries: WebhookDelivery[] }>(
    `/webhooks/${encodeURIComponent(webhook.id)}/deliveries?limit=50`,
  );
  const rows = read.data?.deliveries ?? null;
  const outcome = read.failed;
  return (
    <AdminDialog title={t('admin.webhooks.logTitle', { url: webhook.url })} onClose={onClose} wide>
      <FormError outcome={outcome} />
      {rows === null ? (
        !outcome && <p>{t('app.loading')}</p>
      ) : rows.length === 0 ? (
        <p className="admin-muted">{t('admin.webhooks.logNone')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.webhooks.at')}</th>
              <th scope="col">{t('admin.webhooks.seq')}</th>
              <th scope="col">{t('admin.webhooks.event')}</th>
              <th scope="col">{t('admin.webhooks.attempt')}</th>
              <th scope="col">{t('admin.webhooks.outcome')}</th>
              <th scope="col">{t('admin.webhooks.ms')}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((d) => (
              <tr key={`${d.id}:${d.attempt}:${d.at}`}>
                <td>{formatDeskTime(Date.parse(d.at), locale, { withDate: true })}</td>
                <td>{d.seq}</td>
                <td>
                  <code>{d.eventType}</code>
                </td>
                <td>{d.attempt}</td>
                <td>
                  {t(OUTCOME_KEYS[d.outcome])}
                  {d.httpStatus !== null && ` (${d.httpStatus})`}
                  {d.error && d.outcome !== 'delivered' && (
                    <div className="admin-muted">{d.error}</div>
                  )}
                </td>
                <td>{d.durationMs}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="admin-form__buttons">
        <button type="button" className="button button--primary" onClick={onClose}>
          {t('admin.webhooks.close')}
        </button>
      </div>
    </AdminDialog>
  );
}
