import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../cli';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  nextEvent,
  startTestServer,
  type TestServer,
} from '../../testing/harness';

const PASSWORD = 'accounts-pass-1';
const ROLES = ['admin', 'duty_manager', 'agent', 'engineer', 'wallboard'] as const;
type Role = (typeof ROLES)[number];
type Action = 'revoke' | 'disable' | 'enable' | 'password';

/**
 * Who may act on whom, written out (not computed from the code under test): admins on anyone;
 * a duty manager revokes, disables and enables agents and engineers; nobody else anything;
 * only admins reset passwords.
 */
const MAY: Record<Role, Record<Action, readonly Role[]>> = {
  admin: {
    revoke: ROLES,
    disable: ROLES,
    enable: ROLES,
    password: ROLES,
  },
  duty_manager: {
    revoke: ['agent', 'engineer'],
    disable: ['agent', 'engineer'],
    enable: ['agent', 'engineer'],
    password: [],
  },
  agent: { revoke: [], disable: [], enable: [], password: [] },
  engineer: { revoke: [], disable: [], enable: [], password: [] },
  wallboard: { revoke: [], disable: [], enable: [], password: [] },
};

describe.each(DRIVERS)('user accounts on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  const ids = new Map<string, string>();

  const create = async (username: string, role: Role): Promise<string> => {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: PASSWORD, displayName: username, roles: [role] },
    });
    expect(res.status, `create ${username}`).toBe(201);
    const id = (res.body as { id: string }).id;
    ids.set(username, id);
    return id;
  };
  const post = (token: string, path: string, body?: unknown) =>
    server.api('POST', path, { token, ...(body === undefined ? {} : { body }) });

  beforeAll(async () => {
    server = await startTestServer({ driver });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('the role matrix: who may revoke, disable, enable and reset whose password', async () => {
    const cells: string[] = [];
    for (const actorRole of ROLES) {
      const actorName = `actor-${actorRole}`;
      await create(actorName, actorRole);
      const actor = await server.login(actorName, PASSWORD);
      for (const targetRole of ROLES) {
        const targetName = `t-${actorRole}-${targetRole}`;
        const targetId = await create(targetName, targetRole);
        for (const action of ['revoke', 'disable', 'enable', 'password'] as const) {
          const res = await post(
            actor,
            `/api/users/${targetId}/${action}`,
            action === 'password' ? { password: 'a-new-pass-42' } : undefined,
          );
          const allowed = MAY[actorRole][action].includes(targetRole);
          cells.push(`${actorRole} ${action} ${targetRole}: ${res.status}`);
          expect(res.status, `${actorRole} ${action} ${targetRole}`).toBe(allowed ? 200 : 403);
          if (!allowed) expect(res.body).toMatchObject({ error: { code: 'forbidden' } });
        }
      }
    }
    expect(cells).toHaveLength(ROLES.length * ROLES.length * 4);
  });

  it('nobody disables themselves, admins included', async () => {
    await create('self-dm', 'duty_manager');
    const dm = await server.login('self-dm', PASSWORD);
    const dmSelf = await post(dm, `/api/users/${ids.get('self-dm')}/disable`);
    expect(dmSelf.status).toBe(403);
    expect(dmSelf.body).toMatchObject({ error: { message: expect.stringMatching(/own account/) } });
    const me = (await server.api('GET', '/api/auth/me', { token: admin })).body as {
      user: { id: string };
    };
    expect((await post(admin, `/api/users/${me.user.id}/disable`)).status).toBe(403);
  });

  it('disable: no sign-in, every session and socket ends at once; enable lets them back', async () => {
    const id = await create('leaver', 'engineer');
    const tokens = [await server.login('leaver', PASSWORD), await server.login('leaver', PASSWORD)];
    const sockets = await Promise.all(tokens.map((t) => server.connect(t)));
    const dropped = Promise.all(sockets.map((s) => nextEvent(s.socket, 'disconnect')));
    await create('dm-disabler', 'duty_manager');
    const dm = await server.login('dm-disabler', PASSWORD);
    const res = await post(dm, `/api/users/${id}/disable`);
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ user: { disabled: true }, revoked: 2 });
    await dropped;
    for (const t of tokens)
      expect((await server.api('GET', '/api/auth/me', { token: t })).status).toBe(401);
    const refused = await server.api('POST', '/api/auth/login', {
      body: { username: 'leaver', password: PASSWORD },
    });
    expect(refused.status).toBe(401);
    const list = (await server.api('GET', '/api/users', { token: dm })).body as {
      users: Array<{ username: string; disabled: boolean }>;
    };
    expect(list.users.find((u) => u.username === 'leaver')?.disabled).toBe(true);
    const staff = (await server.api('GET', '/api/staff', { token: dm })).body as {
      staff: Array<{ id: string }>;
    };
    expect(staff.staff.some((s) => s.id === id)).toBe(false);
    expect((await post(dm, `/api/users/${id}/enable`)).status).toBe(200);
    expect(await server.login('leaver', PASSWORD)).toEqual(expect.any(String));
  });

  it("disabling a wallboard account ends its device tokens' sessions", async () => {
    const device = await post(admin, '/api/devices', { label: 'Hall 2', days: 30 });
    expect(device.status).toBe(201);
    const deviceToken = (device.body as { token: string }).token;
    const { socket } = await server.connect(deviceToken);
    const dropped = nextEvent(socket, 'disconnect');
    const users = (await server.api('GET', '/api/users', { token: admin })).body as {
      users: Array<{ id: string; roles: string[]; username: string }>;
    };
    const account = users.users.find((u) => u.username === 'wallboard-devices');
    expect(account).toBeDefined();
    expect((await post(admin, `/api/users/${account?.id}/disable`)).status).toBe(200);
    await dropped;
    expect((await server.api('GET', '/api/auth/me', { token: deviceToken })).status).toBe(401);
    expect((await post(admin, `/api/users/${account?.id}/enable`)).status).toBe(200);
  });

  it('admin password reset: the old password and every session end; the policy applies', async () => {
    const id = await create('forgetful', 'agent');
    const old = await server.login('forgetful', PASSWORD);
    const { socket } = await server.connect(old);
    const dropped = nextEvent(socket, 'disconnect');
    const weak = await post(admin, `/api/users/${id}/password`, { password: 'password' });
    expect(weak.status).toBe(400);
    expect(weak.body).toMatchObject({ error: { code: 'invalid', fields: [{ path: 'password' }] } });
    const res = await post(admin, `/api/users/${id}/password`, { password: 'fresh-start-77' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ revoked: 1 });
    await dropped;
    expect((await server.api('GET', '/api/auth/me', { token: old })).status).toBe(401);
    const oldLogin = await server.api('POST', '/api/auth/login', {
      body: { username: 'forgetful', password: PASSWORD },
    });
    expect(oldLogin.status).toBe(401);
    expect(await server.login('forgetful', 'fresh-start-77')).toEqual(expect.any(String));
  });

  it('change own password: needs the current one, ends the other sessions, keeps this one', async () => {
    await create('mover', 'engineer');
    const here = await server.login('mover', PASSWORD);
    const elsewhere = await server.login('mover', PASSWORD);
    const { socket } = await server.connect(elsewhere);
    const dropped = nextEvent(socket, 'disconnect');
    const wrong = await post(here, '/api/auth/password', {
      currentPassword: 'not-my-password',
      newPassword: 'my-new-pass-9',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { fields: [{ path: 'currentPassword' }] } });
    const spaces = await post(here, '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: '          ',
    });
    expect(spaces.status).toBe(400);
    expect(spaces.body).toMatchObject({ error: { fields: [{ path: 'newPassword' }] } });
    const ok = await post(here, '/api/auth/password', {
      currentPassword: PASSWORD,
      newPassword: 'my-new-pass-9',
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect(ok.body).toEqual({ revoked: 1 });
    await dropped;
    expect((await server.api('GET', '/api/auth/me', { token: here })).status).toBe(200);
    expect((await server.api('GET', '/api/auth/me', { token: elsewhere })).status).toBe(401);
    expect(await server.login('mover', 'my-new-pass-9')).toEqual(expect.any(String));
    const device = await post(admin, '/api/devices', { label: 'Hall 3', days: 1 });
    const deviceToken = (device.body as { token: string }).token;
    const byDevice = await post(deviceToken, '/api/auth/password', {
      currentPassword: 'x',
      newPassword: 'my-new-pass-10',
    });
    expect(byDevice.status).toBe(403);
  });
});

describe('the last enabled admin', () => {
  it('cannot be disabled, also not from the CLI; a second admin can be', async () => {
    const server = await startTestServer({ driver: 'postgres' });
    const saved = { ...process.env };
    try {
      const admin = await server.login('admin', ADMIN_PASSWORD);
      const second = await server.api('POST', '/api/users', {
        token: admin,
        body: { username: 'admin2', password: PASSWORD, displayName: 'A2', roles: ['admin'] },
      });
      expect(second.status).toBe(201);
      const id2 = (second.body as { id: string }).id;
      process.env.DATABASE_URL = server.databaseUrl;
      let out = '';
      expect(await runCli(['user', 'disable', 'admin2'], (s) => (out += s))).toBe(0);
      expect(out).toContain('disabled admin2');
      out = '';
      expect(await runCli(['user', 'disable', 'admin'], (s) => (out += s))).toBe(1);
      expect(out).toMatch(/last enabled admin/);
      expect(await server.login('admin', ADMIN_PASSWORD)).toEqual(expect.any(String));
      expect(await runCli(['user', 'enable', 'admin2'], () => {})).toBe(0);
      out = '';
      expect(
        await runCli(
          ['user', 'reset-password', 'admin2', '--password', 'password'],
          (s) => (out += s),
        ),
      ).toBe(1);
      expect(out).toMatch(/common/);
      expect(
        await runCli(
          ['user', 'reset-password', 'admin2', '--password', 'second-admin-77'],
          () => {},
        ),
      ).toBe(0);
      expect(await server.login('admin2', 'second-admin-77')).toEqual(expect.any(String));
      // Over REST, two admins: one disables the other, and then cannot disable itself.
      const a2 = await server.login('admin2', 'second-admin-77');
      const me = (await server.api('GET', '/api/auth/me', { token: admin })).body as {
        user: { id: string };
      };
      expect(
        (await server.api('POST', `/api/users/${me.user.id}/disable`, { token: a2 })).status,
      ).toBe(200);
      expect((await server.api('POST', `/api/users/${id2}/disable`, { token: a2 })).status).toBe(
        403,
      );
    } finally {
      process.env = saved;
      await server.dispose();
    }
  });
});
