import type { MailStatus } from '@dutydesk/shared';
import { useT } from '../../i18n/i18n';
import { useAdminRead, useHasRole } from './adminUi';

/**
 * A small line under the admin sections (admins only; `GET /api/mail/status`): whether
 * outgoing mail is configured, how many mails wait, and the last send error (decision 38).
 */
export function MailStatusLine() {
  const isAdmin = useHasRole('admin');
  return isAdmin ? <MailStatusRead /> : null;
}

function MailStatusRead() {
  const t = useT();
  const { data } = useAdminRead<MailStatus>('/mail/status');
  if (!data) return null;
  return (
    <section className="admin-mail" aria-label={t('admin.mail.label')} data-testid="mail-status">
      <p className={data.configured ? 'admin-mail__on' : 'admin-mail__off'}>
        {data.configured
          ? t('admin.mail.on', { server: data.smtpServer ?? '' })
          : t('admin.mail.off')}
      </p>
      <p className="admin-muted">{t('admin.mail.queued', { count: data.queued })}</p>
      {data.lastError && (
        <p className="admin-mail__error">{t('admin.mail.lastError', { error: data.lastError })}</p>
      )}
    </section>
  );
}
