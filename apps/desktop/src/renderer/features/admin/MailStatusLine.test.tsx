import { cleanup, screen } from '@testing-library/react';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { AdminScreen } from './AdminScreen';
import { ok, renderAdmin, scriptedApi } from './adminTesting';

const status = {
  configured: false,
  smtpServer: null,
  from: 'Dutydesk <dutydesk@localhost>',
  queued: 3,
  sent: 0,
  failed: 0,
  lastError: null,
  lastErrorAt: null,
  lastSentAt: null,
};

describe('<MailStatusLine> in the admin area', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('says mail is not configured and how many mails wait', async () => {
    const api = scriptedApi({ 'GET /mail/status': ok(status), 'GET /groups': ok({ groups: [] }) });
    renderAdmin(<AdminScreen section="groups" />, api);
    const line = await screen.findByRole('region', { name: 'Outgoing mail' });
    expect(line.textContent).toContain('Mail is not configured: nothing is sent');
    expect(line.textContent).toContain('Waiting to be sent: 3');
  });

  it('names the SMTP server and the last error, in Chinese too', async () => {
    localeStore.getState().setLocale('zh-CN');
    const api = scriptedApi({
      'GET /mail/status': ok({
        ...status,
        configured: true,
        smtpServer: 'mail.example.com:587',
        queued: 1,
        lastError: 'ECONNREFUSED',
      }),
      'GET /groups': ok({ groups: [] }),
    });
    renderAdmin(<AdminScreen section="groups" />, api);
    const line = await screen.findByRole('region', { name: '外发邮件' });
    expect(line.textContent).toContain('邮件经 mail.example.com:587 发出');
    expect(line.textContent).toContain('最近错误：ECONNREFUSED');
  });

  it('is not asked for by a duty manager (the route is the admins’)', async () => {
    const api = scriptedApi({ 'GET /users': ok({ users: [] }), 'GET /groups': ok({ groups: [] }) });
    renderAdmin(<AdminScreen section="users" />, api, ['duty_manager']);
    await screen.findByRole('navigation');
    expect(api.calls.some((c) => c.path === '/mail/status')).toBe(false);
  });
});
