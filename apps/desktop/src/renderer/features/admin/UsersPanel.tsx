import { useCallback, useEffect, useId, useState } from 'react';
import type { FormEvent } from 'react';
import { LOCALE_NAMES, LOCALES, useLocale, useT } from '../../i18n/i18n';
import type { MessageKey } from '../../i18n/i18n';
import { formatDeskTime } from '../../ui/deskTime';
import { useAdminApi } from './adminApi';
import type { AdminOutcome } from './adminApi';
import {
  AdminDialog,
  AdminField,
  FieldErrors,
  FormError,
  invalidProps,
  refusedFields,
  useAdminRead,
  useAdminToken,
  useHasRole,
} from './adminUi';

export const ROLES = ['agent', 'engineer', 'duty_manager', 'admin', 'wallboard'] as const;
export const ROLE_KEYS: Record<string, MessageKey> = {
  agent: 'admin.role.agent',
  engineer: 'admin.role.engineer',
  duty_manager: 'admin.role.duty_manager',
  admin: 'admin.role.admin',
  wallboard: 'admin.role.wallboard',
};

export interface AdminUser {
  id: string;
  username: string;
  displayName: string;
  roles: string[];
  groupIds: string[];
  locale?: string;
  disabled: boolean;
}
export interface AdminGroup {
  id: string;
  name: string;
  nameZh?: string;
  tier?: number;
}
interface SessionRow {
  id: string;
  kind: 'user' | 'device';
  label: string | null;
  createdAt: string;
  expiresAt: string;
  current: boolean;
}

/** Users and groups as the admin screens read them; `reload` after a change. */
export function useDirectoryLists(): {
  users: AdminUser[] | null;
  groups: AdminGroup[];
  failed: AdminOutcome<unknown> | null;
  reload(): void;
} {
  const api = useAdminApi();
  const token = useAdminToken();
  const [users, setUsers] = useState<AdminUser[] | null>(null);
  const [groups, setGroups] = useState<AdminGroup[]>([]);
  const [failed, setFailed] = useState<AdminOutcome<unknown> | null>(null);
  const [round, setRound] = useState(0);
  useEffect(() => {
    let live = true;
    void Promise.all([
      api.request<{ users: AdminUser[] }>(token, 'GET', '/users'),
      api.request<{ groups: AdminGroup[] }>(token, 'GET', '/groups'),
    ]).then(([u, g]) => {
      if (!live) return;
      if (u.ok) setUsers(u.body.users);
      else setFailed(u);
      if (g.ok) setGroups(g.body.groups);
    });
    return () => {
      live = false;
    };
  }, [api, token, round]);
  const reload = useCallback(() => setRound((r) => r + 1), []);
  return { users, groups, failed, reload };
}

export function groupName(group: AdminGroup, locale: string): string {
  return locale === 'zh-CN' && group.nameZh ? group.nameZh : group.name;
}

type Dialog =
  | { kind: 'none' }
  | { kind: 'create' }
  | { kind: 'edit'; user: AdminUser }
  | { kind: 'password'; user: AdminUser }
  | { kind: 'sessions'; user: AdminUser };

/**
 * Accounts: the list, a new user, name / roles / groups, disable and enable, a password reset
 * and the user's sessions (revoke one or all). Admins see every action; a duty manager the
 * ones the server allows them (sessions, disable, enable), on agents and engineers.
 */
export function UsersPanel() {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAdminToken();
  const isAdmin = useHasRole('admin');
  const { users, groups, failed, reload } = useDirectoryLists();
  const [dialog, setDialog] = useState<Dialog>({ kind: 'none' });
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [notice, setNotice] = useState('');
  const close = useCallback(() => setDialog({ kind: 'none' }), []);
  const mayManage = (u: AdminUser): boolean =>
    isAdmin || u.roles.every((r) => r === 'agent' || r === 'engineer');

  const toggle = async (u: AdminUser): Promise<void> => {
    const result = await api.request(
      token,
      'POST',
      `/users/${encodeURIComponent(u.id)}/${u.disabled ? 'enable' : 'disable'}`,
    );
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(
        t(u.disabled ? 'admin.users.enabled' : 'admin.users.disabled', { name: u.displayName }),
      );
      reload();
    }
  };

  return (
    <section className="admin-section" aria-labelledby="admin-users-title">
      <div className="admin-section__head">
        <h2 id="admin-users-title">{t('admin.users.title')}</h2>
        {isAdmin && (
          <button
            type="button"
            className="button button--primary"
            onClick={() => setDialog({ kind: 'create' })}
          >
            {t('admin.users.create')}
          </button>
        )}
      </div>
      <p className="admin-notice" role="status">
        {notice}
      </p>
      <FormError outcome={outcome ?? failed} />
      {users === null ? (
        <p>{t('app.loading')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.users.username')}</th>
              <th scope="col">{t('admin.users.displayName')}</th>
              <th scope="col">{t('admin.users.roles')}</th>
              <th scope="col">{t('admin.users.groups')}</th>
              <th scope="col">{t('admin.users.status')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className={u.disabled ? 'admin-row--disabled' : undefined}>
                <td>
                  <code>{u.username}</code>
                </td>
                <td>{u.username === DEVICE_ACCOUNT ? t('admin.devices.title') : u.displayName}</td>
                <td>{u.roles.map((r) => (ROLE_KEYS[r] ? t(ROLE_KEYS[r]) : r)).join(', ')}</td>
                <td>
                  {u.groupIds
                    .map((g) => {
                      const group = groups.find((x) => x.id === g);
                      return group ? groupName(group, locale) : g;
                    })
                    .join(', ')}
                </td>
                <td>
                  {u.disabled ? t('admin.users.statusDisabled') : t('admin.users.statusActive')}
                </td>
                <td>
                  {mayManage(u) && (
                    <div className="admin-actions">
                      {isAdmin && (
                        <button
                          type="button"
                          className="button button--small"
                          aria-label={t('admin.users.editOf', { name: u.displayName })}
                          onClick={() => setDialog({ kind: 'edit', user: u })}
                        >
                          {t('admin.edit')}
                        </button>
                      )}
                      <button
                        type="button"
                        className="button button--small"
                        aria-label={t('admin.users.sessionsOf', { name: u.displayName })}
                        onClick={() => setDialog({ kind: 'sessions', user: u })}
                      >
                        {t('admin.users.sessions')}
                      </button>
                      {isAdmin && (
                        <button
                          type="button"
                          className="button button--small"
                          aria-label={t('admin.users.passwordOf', { name: u.displayName })}
                          onClick={() => setDialog({ kind: 'password', user: u })}
                        >
                          {t('admin.users.password')}
                        </button>
                      )}
                      <button
                        type="button"
                        className={
                          u.disabled
                            ? 'button button--small'
                            : 'button button--small button--danger'
                        }
                        aria-label={t(
                          u.disabled ? 'admin.users.enableOf' : 'admin.users.disableOf',
                          { name: u.displayName },
                        )}
                        onClick={() => void toggle(u)}
                      >
                        {u.disabled ? t('admin.users.enable') : t('admin.users.disable')}
                      </button>
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {(dialog.kind === 'create' || dialog.kind === 'edit') && (
        <UserFormDialog
          user={dialog.kind === 'edit' ? dialog.user : null}
          groups={groups}
          onClose={close}
          onSaved={(name) => {
            setNotice(
              t(dialog.kind === 'create' ? 'admin.users.created' : 'admin.users.saved', { name }),
            );
            close();
            reload();
          }}
        />
      )}
      {dialog.kind === 'password' && (
        <PasswordDialog
          user={dialog.user}
          onClose={close}
          onSaved={(revoked) => {
            setNotice(
              t('admin.users.passwordDone', { name: dialog.user.displayName, count: revoked }),
            );
            close();
          }}
        />
      )}
      {dialog.kind === 'sessions' && <SessionsDialog user={dialog.user} onClose={close} />}
    </section>
  );
}

/** The server's account of the wallboard devices (named in English by the server). */
const DEVICE_ACCOUNT = 'wallboard-devices';

const USER_FIELDS = ['username', 'password', 'displayName', 'roles', 'groups', 'locale'];

function UserFormDialog({
  user,
  groups,
  onClose,
  onSaved,
}: {
  user: AdminUser | null;
  groups: AdminGroup[];
  onClose(): void;
  onSaved(name: string): void;
}) {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAdminToken();
  const id = useId();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [displayName, setDisplayName] = useState(user?.displayName ?? '');
  const [roles, setRoles] = useState<string[]>(user?.roles ?? ['agent']);
  const [groupIds, setGroupIds] = useState<string[]>(user?.groupIds ?? []);
  const [userLocale, setUserLocale] = useState('zh-CN');
  const [busy, setBusy] = useState(false);
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const fields = refusedFields(outcome);

  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    setBusy(true);
    const result = user
      ? await api.request(token, 'PATCH', `/users/${encodeURIComponent(user.id)}`, {
          displayName,
          roles,
          groups: groupIds,
        })
      : await api.request(token, 'POST', '/users', {
          username,
          password,
          displayName,
          roles,
          groups: groupIds,
          locale: userLocale,
        });
    setBusy(false);
    setOutcome(result);
    if (result.ok) onSaved(displayName);
  };
  const flip = (list: string[], value: string): string[] =>
    list.includes(value) ? list.filter((v) => v !== value) : [...list, value];

  return (
    <AdminDialog
      title={
        user ? t('admin.users.editTitle', { name: user.displayName }) : t('admin.users.createTitle')
      }
      onClose={onClose}
    >
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <FormError outcome={outcome} shown={USER_FIELDS} />
        {!user && (
          <AdminField label={t('admin.users.username')} path="username" fields={fields}>
            {(props) => (
              <input
                {...props}
                value={username}
                autoComplete="off"
                required
                onChange={(e) => setUsername(e.target.value)}
              />
            )}
          </AdminField>
        )}
        <AdminField label={t('admin.users.displayName')} path="displayName" fields={fields}>
          {(props) => (
            <input
              {...props}
              value={displayName}
              required
              onChange={(e) => setDisplayName(e.target.value)}
            />
          )}
        </AdminField>
        {!user && (
          <AdminField label={t('admin.users.initialPassword')} path="password" fields={fields}>
            {(props) => (
              <input
                {...props}
                type="password"
                value={password}
                autoComplete="new-password"
                required
                onChange={(e) => setPassword(e.target.value)}
              />
            )}
          </AdminField>
        )}
        <fieldset className="admin-choices" {...invalidProps(fields, 'roles', `${id}-roles`)}>
          <legend>{t('admin.users.roles')}</legend>
          {ROLES.map((r) => (
            <label key={r}>
              <input
                type="checkbox"
                checked={roles.includes(r)}
                onChange={() => setRoles(flip(roles, r))}
              />
              {t(ROLE_KEYS[r] ?? 'admin.role.agent')}
            </label>
          ))}
          <FieldErrors id={`${id}-roles`} fields={fields} path="roles" />
        </fieldset>
        <fieldset className="admin-choices" {...invalidProps(fields, 'groups', `${id}-groups`)}>
          <legend>{t('admin.users.groups')}</legend>
          {groups.length === 0 && <span className="admin-muted">{t('admin.groups.none')}</span>}
          {groups.map((g) => (
            <label key={g.id}>
              <input
                type="checkbox"
                checked={groupIds.includes(g.id)}
                onChange={() => setGroupIds(flip(groupIds, g.id))}
              />
              {groupName(g, locale)}
            </label>
          ))}
          <FieldErrors id={`${id}-groups`} fields={fields} path="groups" />
        </fieldset>
        {!user && (
          <AdminField label={t('admin.users.locale')} path="locale" fields={fields}>
            {(props) => (
              <select {...props} value={userLocale} onChange={(e) => setUserLocale(e.target.value)}>
                {LOCALES.map((l) => (
                  <option key={l} value={l} lang={l}>
                    {LOCALE_NAMES[l]}
                  </option>
                ))}
              </select>
            )}
          </AdminField>
        )}
        <div className="admin-form__buttons">
          <button type="submit" className="button button--primary" disabled={busy}>
            {user ? t('admin.save') : t('admin.users.createSubmit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </AdminDialog>
  );
}

function PasswordDialog({
  user,
  onClose,
  onSaved,
}: {
  user: AdminUser;
  onClose(): void;
  onSaved(revoked: number): void;
}) {
  const t = useT();
  const api = useAdminApi();
  const token = useAdminToken();
  const [password, setPassword] = useState('');
  const [outcome, setOutcome] = useState<AdminOutcome<{ revoked: number }> | null>(null);
  const fields = refusedFields(outcome);
  const submit = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    const result = await api.request<{ revoked: number }>(
      token,
      'POST',
      `/users/${encodeURIComponent(user.id)}/password`,
      { password },
    );
    setOutcome(result);
    if (result.ok) onSaved(result.body.revoked);
  };
  return (
    <AdminDialog
      title={t('admin.users.passwordTitle', { name: user.displayName })}
      onClose={onClose}
    >
      <form className="admin-form" onSubmit={(e) => void submit(e)} noValidate>
        <p className="admin-muted">{t('admin.users.passwordHint')}</p>
        <FormError outcome={outcome} shown={['password']} />
        <AdminField label={t('admin.users.newPassword')} path="password" fields={fields}>
          {(props) => (
            <input
              {...props}
              type="password"
              autoComplete="new-password"
              value={password}
              onChange={(e) => setPassword(e.target.value)}
            />
          )}
        </AdminField>
        <div className="admin-form__buttons">
          <button type="submit" className="button button--primary">
            {t('admin.users.passwordSubmit')}
          </button>
          <button type="button" className="button" onClick={onClose}>
            {t('admin.cancel')}
          </button>
        </div>
      </form>
    </AdminDialog>
  );
}

function SessionsDialog({ user, onClose }: { user: AdminUser; onClose(): void }) {
  const t = useT();
  const [locale] = useLocale();
  const api = useAdminApi();
  const token = useAdminToken();
  const [outcome, setOutcome] = useState<AdminOutcome<unknown> | null>(null);
  const [notice, setNotice] = useState('');
  const [round, setRound] = useState(0);
  const read = useAdminRead<{ sessions: SessionRow[] }>(
    `/users/${encodeURIComponent(user.id)}/sessions`,
    round,
  );
  const sessions = read.data?.sessions ?? null;
  const revoke = async (s: SessionRow): Promise<void> => {
    const result = await api.request(
      token,
      'DELETE',
      `/users/${encodeURIComponent(user.id)}/sessions/${encodeURIComponent(s.id)}`,
    );
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(t('admin.sessions.revoked'));
      setRound((r) => r + 1);
    }
  };
  const revokeAll = async (): Promise<void> => {
    const result = await api.request<{ revoked: number }>(
      token,
      'POST',
      `/users/${encodeURIComponent(user.id)}/revoke`,
    );
    setOutcome(result.ok ? null : result);
    if (result.ok) {
      setNotice(t('admin.sessions.revokedAll', { count: result.body.revoked }));
      setRound((r) => r + 1);
    }
  };
  const at = (iso: string): string => formatDeskTime(Date.parse(iso), locale, { withDate: true });
  return (
    <AdminDialog
      title={t('admin.sessions.title', { name: user.displayName })}
      onClose={onClose}
      wide
    >
      <p className="admin-notice" role="status">
        {notice}
      </p>
      <FormError outcome={outcome ?? read.failed} />
      {sessions === null ? (
        <p>{t('app.loading')}</p>
      ) : sessions.length === 0 ? (
        <p className="admin-muted">{t('admin.sessions.none')}</p>
      ) : (
        <table className="admin-table">
          <thead>
            <tr>
              <th scope="col">{t('admin.sessions.kind')}</th>
              <th scope="col">{t('admin.sessions.started')}</th>
              <th scope="col">{t('admin.sessions.expires')}</th>
              <th scope="col">{t('admin.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {sessions.map((s) => (
              <tr key={s.id}>
                <td>
                  {s.kind === 'device'
                    ? t('admin.sessions.device', { label: s.label ?? '' })
                    : t('admin.sessions.signIn')}
                  {s.current && <span className="admin-tag">{t('admin.sessions.current')}</span>}
                </td>
                <td>{at(s.createdAt)}</td>
                <td>{at(s.expiresAt)}</td>
                <td>
                  <button
                    type="button"
                    className="button button--small button--danger"
                    aria-label={t('admin.sessions.revokeOne', { started: at(s.createdAt) })}
                    onClick={() => void revoke(s)}
                  >
                    {t('admin.sessions.revoke')}
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <div className="admin-form__buttons">
        <button
          type="button"
          className="button button--danger"
          disabled={!sessions || sessions.length === 0}
          onClick={() => void revokeAll()}
        >
          {t('admin.sessions.revokeAll')}
        </button>
        <button type="button" className="button" onClick={onClose}>
          {t('admin.close')}
        </button>
      </div>
    </AdminDialog>
  );
}
