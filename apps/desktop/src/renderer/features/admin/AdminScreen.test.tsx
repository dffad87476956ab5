import { cleanup, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { localeStore } from '../../i18n/i18n';
import { AdminScreen } from './AdminScreen';
import { invalid, ok, renderAdmin, scriptedApi } from './adminTesting';

const users = [
  {
    id: 'admin-1',
    username: 'admin',
    displayName: 'Admin',
    roles: ['admin'],
    groupIds: [],
    disabled: false,
  },
  {
    id: 'u2',
    username: 'lina',
    displayName: 'Li Na',
    roles: ['agent'],
    groupIds: ['l1'],
    disabled: false,
  },
  {
    id: 'u3',
    username: 'wang',
    displayName: 'Wang Wei',
    roles: ['duty_manager'],
    groupIds: [],
    disabled: false,
  },
];
const groups = [{ id: 'l1', name: 'L1 Service Desk', nameZh: '一线服务台', tier: 1 }];

describe('<AdminScreen> users', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('shows the server’s refusal next to each field it names, and keeps the form', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /users': ok({ users }),
      'GET /groups': ok({ groups }),
      'POST /users': invalid([
        { path: 'username', message: '2–64 characters: letters, digits, dot, dash, underscore' },
        { path: 'password', message: 'at least 8 characters' },
        { path: 'roles.0', message: 'Invalid option' },
      ]),
    });
    renderAdmin(<AdminScreen section="users" />, api);
    await user.click(await screen.findByRole('button', { name: 'New user' }));
    const dialog = screen.getByRole('dialog', { name: 'New user' });
    await user.type(within(dialog).getByLabelText('Username'), 'X');
    await user.type(within(dialog).getByLabelText('Display name'), 'Xu');
    await user.type(within(dialog).getByLabelText('Initial password'), 'short');
    await user.click(within(dialog).getByRole('checkbox', { name: 'L1 Service Desk' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create user' }));

    const username = within(dialog).getByLabelText('Username');
    await waitFor(() => expect(username.getAttribute('aria-invalid')).toBe('true'));
    const describedBy = username.getAttribute('aria-describedby') ?? '';
    expect(document.getElementById(describedBy)?.textContent).toContain('2–64 characters');
    const password = within(dialog).getByLabelText('Initial password');
    expect(
      document.getElementById(password.getAttribute('aria-describedby') ?? '')?.textContent,
    ).toBe('at least 8 characters');
    // A nested path lands on its group of controls.
    expect(within(dialog).getByRole('group', { name: 'Roles' }).textContent).toContain(
      '0: Invalid option',
    );
    // The display name was accepted: not marked.
    expect(within(dialog).getByLabelText('Display name').getAttribute('aria-invalid')).toBeNull();
    expect(within(dialog).getByText('Not saved: check the marked fields.')).toBeTruthy();
    expect(api.calls.find((c) => c.method === 'POST')?.body).toEqual({
      username: 'X',
      password: 'short',
      displayName: 'Xu',
      roles: ['agent'],
      groups: ['l1'],
      locale: 'zh-CN',
    });
  });

  it('edits roles and groups with PATCH and reloads the list', async () => {
    const user = userEvent.setup();
    let listed = users;
    const api = scriptedApi({
      'GET /users': () => ok({ users: listed }),
      'GET /groups': ok({ groups }),
      'PATCH /users/u2': (call) => {
        listed = users.map((u) => (u.id === 'u2' ? { ...u, roles: ['agent', 'engineer'] } : u));
        return ok({ user: { ...users[1], ...(call.body as object) } });
      },
    });
    renderAdmin(<AdminScreen section="users" />, api);
    await user.click(await screen.findByRole('button', { name: 'Edit Li Na' }));
    const dialog = screen.getByRole('dialog', { name: 'Edit Li Na' });
    await user.click(within(dialog).getByRole('checkbox', { name: 'Engineer' }));
    await user.click(within(dialog).getByRole('button', { name: 'Save' }));
    await screen.findByText('Li Na saved.');
    expect(api.calls.find((c) => c.method === 'PATCH')?.body).toEqual({
      displayName: 'Li Na',
      roles: ['agent', 'engineer'],
      groups: ['l1'],
    });
    expect(screen.queryByRole('dialog')).toBeNull();
    // The notice comes first; the list is read again after it.
    const row = await screen.findByRole('row', { name: /lina.*Agent, Engineer/ });
    expect(within(row).getByText('Agent, Engineer')).toBeTruthy();
  });

  it('lists a user’s sessions and revokes one', async () => {
    const user = userEvent.setup();
    let sessions = [
      {
        id: 's1',
        kind: 'user',
        label: null,
        createdAt: '2026-03-02T01:00:00.000Z',
        expiresAt: '2026-03-03T01:00:00.000Z',
        current: false,
      },
      {
        id: 's2',
        kind: 'user',
        label: null,
        createdAt: '2026-03-02T02:00:00.000Z',
        expiresAt: '2026-03-03T02:00:00.000Z',
        current: false,
      },
    ];
    const api = scriptedApi({
      'GET /users': ok({ users }),
      'GET /groups': ok({ groups }),
      'GET /users/u2/sessions': () => ok({ sessions }),
      'DELETE /users/u2/sessions/s1': () => {
        sessions = sessions.filter((s) => s.id !== 's1');
        return ok({ revoked: 1 });
      },
    });
    renderAdmin(<AdminScreen section="users" />, api);
    await user.click(await screen.findByRole('button', { name: 'Sessions of Li Na' }));
    const dialog = screen.getByRole('dialog', { name: 'Sessions of Li Na' });
    const revokes = await within(dialog).findAllByRole('button', {
      name: /^Revoke the session started/,
    });
    expect(revokes).toHaveLength(2);
    await user.click(revokes[0]!);
    await within(dialog).findByText('Session revoked: its seat is signed out.');
    await waitFor(() =>
      expect(
        within(dialog).getAllByRole('button', { name: /^Revoke the session started/ }),
      ).toHaveLength(1),
    );
    within(dialog).getByRole('button', { name: 'Close' }).focus();
    await user.keyboard('{Escape}');
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('shows a duty manager the users, escalation and compensation sections and only the actions the server allows', async () => {
    const api = scriptedApi({ 'GET /users': ok({ users }), 'GET /groups': ok({ groups }) });
    renderAdmin(<AdminScreen section="devices" />, api, ['duty_manager']);
    const nav = screen.getByRole('navigation', { name: 'Admin sections' });
    expect(
      within(nav)
        .getAllByRole('link')
        .map((a) => a.textContent),
    ).toEqual(['Users', 'Escalation policies', 'Compensation report']);
    await screen.findByRole('button', { name: 'Sessions of Li Na' });
    expect(screen.queryByRole('button', { name: 'New user' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Edit Li Na' })).toBeNull();
    expect(screen.queryByRole('button', { name: 'Reset password for Li Na' })).toBeNull();
    // Another duty manager is out of a duty manager's reach.
    expect(screen.queryByRole('button', { name: 'Sessions of Wang Wei' })).toBeNull();
    expect(api.calls.some((c) => c.path === '/devices')).toBe(false);
  });
});

describe('<AdminScreen> groups and devices', () => {
  beforeEach(() => localeStore.getState().setLocale('en'));
  afterEach(cleanup);

  it('shows a device token once, then only its label in the list', async () => {
    const user = userEvent.setup();
    const token = 'dev_tok_9f2c1b7e';
    let devices: unknown[] = [];
    const api = scriptedApi({
      'GET /devices': () => ok({ devices }),
      'POST /devices': (call) => {
        devices = [
          {
            id: 'd1',
            label: 'Hall screen',
            createdAt: '2026-03-02T01:00:00.000Z',
            expiresAt: '2027-03-02T01:00:00.000Z',
            revokedAt: null,
          },
        ];
        expect(call.body).toEqual({ label: 'Hall screen', days: 30 });
        return ok(
          { id: 'd1', token, label: 'Hall screen', expiresAt: '2027-03-02T01:00:00.000Z' },
          201,
        );
      },
    });
    renderAdmin(<AdminScreen section="devices" />, api);
    await screen.findByText('No device tokens yet.');
    await user.type(screen.getByLabelText('Label'), 'Hall screen');
    await user.clear(screen.getByLabelText('Valid for (days)'));
    await user.type(screen.getByLabelText('Valid for (days)'), '30{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Token for Hall screen' });
    expect((within(dialog).getByLabelText('Device token') as HTMLInputElement).value).toBe(token);
    await user.click(within(dialog).getByRole('button', { name: 'I have copied it' }));
    expect(screen.queryByRole('dialog')).toBeNull();
    await screen.findByRole('button', { name: 'Revoke the token of Hall screen' });
    expect(document.body.innerHTML).not.toContain(token);
  });

  it('marks the refused device fields', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /devices': ok({ devices: [] }),
      'POST /devices': invalid([{ path: 'label', message: '1–100 characters' }], 'Invalid device'),
    });
    renderAdmin(<AdminScreen section="devices" />, api);
    await user.click(await screen.findByRole('button', { name: 'Issue token' }));
    const label = screen.getByLabelText('Label');
    await waitFor(() => expect(label.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(label.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      '1–100 characters',
    );
    expect(screen.getByLabelText('Valid for (days)').getAttribute('aria-invalid')).toBeNull();
  });

  it('creates a group and shows a taken id next to the id', async () => {
    const user = userEvent.setup();
    const api = scriptedApi({
      'GET /users': ok({ users }),
      'GET /groups': ok({ groups }),
      'POST /groups': {
        ok: false,
        status: 409,
        code: 'conflict',
        message: 'Group "l1" exists',
        fields: [{ path: 'id', message: 'taken' }],
      },
    });
    renderAdmin(<AdminScreen section="groups" />, api);
    await screen.findByText('L1 Service Desk');
    await user.type(screen.getByLabelText('Id'), 'l1');
    await user.type(screen.getByLabelText('Name (English)'), 'Again');
    await user.click(screen.getByRole('button', { name: 'Create group' }));
    const id = screen.getByLabelText('Id');
    await waitFor(() => expect(id.getAttribute('aria-invalid')).toBe('true'));
    expect(document.getElementById(id.getAttribute('aria-describedby') ?? '')?.textContent).toBe(
      'taken',
    );
  });
});
