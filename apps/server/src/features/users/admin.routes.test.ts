import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  nextEvent,
  startTestServer,
  type TestServer,
} from '../../testing/harness';

const PASSWORD = 'admin-screens-1';

interface SessionRow {
  id: string;
  kind: string;
  current: boolean;
}

describe.each(DRIVERS)('account editing and sessions over REST on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let manager: string;
  let agent: string;
  const ids = new Map<string, string>();

  const create = async (username: string, roles: string[], groups?: string[]) => {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: PASSWORD, displayName: username, roles, groups },
    });
    expect(res.status, `create ${username}`).toBe(201);
    ids.set(username, (res.body as { id: string }).id);
  };
  const id = (username: string): string => ids.get(username) ?? 'missing';

  beforeAll(async () => {
    server = await startTestServer({ driver });
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const g of ['net', 'app']) {
      const res = await server.api('POST', '/api/groups', {
        token: admin,
        body: { id: g, name: g, nameZh: g, tier: 2 },
      });
      expect(res.status).toBe(201);
    }
    await create('dm', ['duty_manager']);
    await create('ag', ['agent'], ['net']);
    await create('eng', ['engineer']);
    manager = await server.login('dm', PASSWORD);
    agent = await server.login('ag', PASSWORD);
    const me = await server.api('GET', '/api/auth/me', { token: admin });
    ids.set('admin', (me.body as { user: { id: string } }).user.id);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('lets an admin change name, roles and groups, and answers the account as stored', async () => {
    const res = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { displayName: 'Engineer Wang', roles: ['engineer', 'agent'], groups: ['app', 'net'] },
    });
    expect(res.status).toBe(200);
    expect((res.body as { user: unknown }).user).toMatchObject({
      displayName: 'Engineer Wang',
      roles: ['engineer', 'agent'],
      groupIds: ['app', 'net'],
    });
    const list = await server.api('GET', '/api/users', { token: admin });
    const stored = (list.body as { users: Array<{ id: string; groupIds: string[] }> }).users.find(
      (u) => u.id === id('eng'),
    );
    expect(stored?.groupIds).toEqual(['app', 'net']);
    const cleared = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { groups: [] },
    });
    expect((cleared.body as { user: { groupIds: string[] } }).user.groupIds).toEqual([]);
  });

  it('refuses bad edits with field paths, unknown groups and the last admin losing the role', async () => {
    const bad = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { roles: ['pilot'], displayName: '' },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body as { error: { fields: Array<{ path: string }> } }).error.fields.map(
      (f) => f.path,
    );
    expect(paths).toEqual(expect.arrayContaining(['roles.0', 'displayName']));
    const unknown = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { groups: ['nope'] },
    });
    expect(unknown.status).toBe(400);
    expect(unknown.body).toMatchObject({ error: { fields: [{ path: 'groups' }] } });
    const extra = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { password: 'sneaky-password' },
    });
    expect(extra.status).toBe(400);
    const last = await server.api('PATCH', `/api/users/${id('admin')}`, {
      token: admin,
      body: { roles: ['duty_manager'] },
    });
    expect(last.status).toBe(409);
    expect(last.body).toMatchObject({ error: { code: 'conflict', fields: [{ path: 'roles' }] } });
    const missing = await server.api('PATCH', '/api/users/no-such-user', {
      token: admin,
      body: { displayName: 'x' },
    });
    expect(missing.status).toBe(404);
  });

  it('lets only admins edit accounts', async () => {
    for (const token of [manager, agent]) {
      const res = await server.api('PATCH', `/api/users/${id('ag')}`, {
        token,
        body: { roles: ['admin'] },
      });
      expect(res.status).toBe(403);
    }
    const anonymous = await server.api('PATCH', `/api/users/${id('ag')}`, {
      body: { roles: ['admin'] },
    });
    expect(anonymous.status).toBe(401);
  });

  it('drops the sockets of a user whose roles change, so they reconnect with the new rights', async () => {
    const token = await server.login('eng', PASSWORD);
    const { socket } = await server.connect(token);
    const dropped = nextEvent<string>(socket, 'disconnect');
    const res = await server.api('PATCH', `/api/users/${id('eng')}`, {
      token: admin,
      body: { roles: ['engineer'] },
    });
    expect(res.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    // The session itself stays valid.
    expect((await server.api('GET', '/api/auth/me', { token })).status).toBe(200);
  });

  it('lists a user’s live sessions without tokens and revokes one of them', async () => {
    const listIds = async (): Promise<string[]> => {
      const res = await server.api('GET', `/api/users/${id('ag')}/sessions`, { token: admin });
      expect(res.status).toBe(200);
      return (res.body as { sessions: SessionRow[] }).sessions.map((s) => s.id);
    };
    const before = await listIds();
    const first = await server.login('ag', PASSWORD);
    const withFirst = await listIds();
    const second = await server.login('ag', PASSWORD);
    const list = await server.api('GET', `/api/users/${id('ag')}/sessions`, { token: admin });
    expect(list.headers.get('cache-control')).toContain('no-store');
    const sessions = (list.body as { sessions: SessionRow[] }).sessions;
    expect(sessions).toHaveLength(before.length + 2);
    expect(JSON.stringify(list.body)).not.toContain(first);
    expect(sessions.every((s) => s.kind === 'user' && !s.current)).toBe(true);

    const { socket } = await server.connect(first);
    const dropped = nextEvent<string>(socket, 'disconnect');
    const target = { id: withFirst.find((s) => !before.includes(s)) ?? 'missing' };
    const revoke = await server.api('DELETE', `/api/users/${id('ag')}/sessions/${target.id}`, {
      token: admin,
    });
    expect(revoke.status).toBe(200);
    expect(await dropped).toBe('io server disconnect');
    expect((await server.api('GET', '/api/auth/me', { token: first })).status).toBe(401);
    expect((await server.api('GET', '/api/auth/me', { token: second })).status).toBe(200);
    const again = await server.api('DELETE', `/api/users/${id('ag')}/sessions/${target.id}`, {
      token: admin,
    });
    expect(again.status).toBe(404);
    const after = await server.api('GET', `/api/users/${id('ag')}/sessions`, { token: admin });
    expect((after.body as { sessions: SessionRow[] }).sessions.map((s) => s.id)).not.toContain(
      target.id,
    );
  });

  it('marks the caller’s own session and keeps sessions within the duty manager’s reach', async () => {
    const own = await server.api('GET', `/api/users/${id('admin')}/sessions`, { token: admin });
    expect((own.body as { sessions: SessionRow[] }).sessions.some((s) => s.current)).toBe(true);
    // A duty manager may see and revoke an agent's sessions, not an admin's.
    const agentSessions = await server.api('GET', `/api/users/${id('ag')}/sessions`, {
      token: manager,
    });
    expect(agentSessions.status).toBe(200);
    const adminSessions = await server.api('GET', `/api/users/${id('admin')}/sessions`, {
      token: manager,
    });
    expect(adminSessions.status).toBe(403);
    const adminSession = (own.body as { sessions: SessionRow[] }).sessions[0];
    const refused = await server.api(
      'DELETE',
      `/api/users/${id('admin')}/sessions/${adminSession?.id ?? ''}`,
      { token: manager },
    );
    expect(refused.status).toBe(403);
    // An agent lists nobody's sessions, not even another agent's.
    const byAgent = await server.api('GET', `/api/users/${id('ag')}/sessions`, { token: agent });
    expect(byAgent.status).toBe(403);
    // A session id of another user is not found under this user.
    const mismatch = await server.api(
      'DELETE',
      `/api/users/${id('ag')}/sessions/${adminSession?.id ?? ''}`,
      { token: admin },
    );
    expect(mismatch.status).toBe(404);
    expect((await server.api('GET', '/api/auth/me', { token: admin })).status).toBe(200);
  });
});
