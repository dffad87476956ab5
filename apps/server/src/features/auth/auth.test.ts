import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  nextEvent,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { findUserByUsername, updatePassword } from './auth.repo';
import { USER_BACKOFF } from './auth.service';
import { hashPasswordScryptForTests } from './passwords';

const ROLES = ['agent', 'engineer', 'duty_manager', 'wallboard'] as const;

describe.each(DRIVERS)('accounts and sessions on %s', (driver) => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ driver });
    adminToken = await server.login('admin', ADMIN_PASSWORD);
    for (const role of ROLES) {
      const res = await server.api('POST', '/api/users', {
        token: adminToken,
        body: { username: `u-${role}`, password: 'password-123', displayName: role, roles: [role] },
      });
      expect(res.status).toBe(201);
    }
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('serves /healthz with the database kind, and Prometheus /metrics', async () => {
    const h = await server.api('GET', '/healthz');
    expect(h.status).toBe(200);
    expect(h.body).toMatchObject({ ok: true, db: driver });
    const m = await server.api('GET', '/metrics');
    expect(m.status).toBe(200);
    expect(String(m.body)).toContain('dutydesk_logins_total');
  });

  it('logs in with the right password and answers 401 JSON with a wrong one', async () => {
    const ok = await server.api('POST', '/api/auth/login', {
      body: { username: 'u-agent', password: 'password-123' },
    });
    expect(ok.status).toBe(200);
    expect(ok.body).toMatchObject({
      token: expect.any(String),
      user: { username: 'u-agent', roles: ['agent'] },
    });
    expect(JSON.stringify(ok.body)).not.toMatch(/scrypt|argon2|passwordHash/);
    const bad = await server.api('POST', '/api/auth/login', {
      body: { username: 'u-agent', password: 'nope-nope' },
    });
    expect(bad.status).toBe(401);
    expect(bad.body).toEqual({ error: { code: 'unauthorized', message: expect.any(String) } });
    const unknown = await server.api('POST', '/api/auth/login', {
      body: { username: 'ghost', password: 'nope-nope' },
    });
    expect(unknown.status).toBe(401);
  });

  it('answers 429 with Retry-After after the free failures for one user, also to the right password from a new device', async () => {
    await server.api('POST', '/api/users', {
      token: adminToken,
      body: { username: 'victim', password: 'password-123', displayName: 'V', roles: ['agent'] },
    });
    for (let i = 0; i < USER_BACKOFF.free; i += 1) {
      const r = await server.api('POST', '/api/auth/login', {
        body: { username: 'victim', password: `wrong-${i}` },
      });
      expect(r.status).toBe(401);
    }
    const limited = await server.api('POST', '/api/auth/login', {
      body: { username: 'victim', password: 'password-123' },
    });
    expect(limited.status).toBe(429);
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
    expect(Number(limited.headers.get('retry-after'))).toBeLessThanOrEqual(2);
    expect(limited.headers.get('cache-control')).toBe('no-store');
    expect(limited.body).toMatchObject({ error: { code: 'rate_limited' } });
  });

  it('hashes new passwords with argon2id and rehashes a legacy scrypt hash at login', async () => {
    await server.api('POST', '/api/users', {
      token: adminToken,
      body: { username: 'legacy', password: 'legacy-pass-1', displayName: 'L', roles: ['agent'] },
    });
    const db = server.ctx.database.db;
    const created = await findUserByUsername(db, 'legacy');
    expect(created?.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    await updatePassword(db, created?.id ?? '', await hashPasswordScryptForTests('legacy-pass-1'));
    expect((await findUserByUsername(db, 'legacy'))?.passwordHash).toMatch(/^scrypt\$/);
    const ok = await server.api('POST', '/api/auth/login', {
      body: { username: 'legacy', password: 'legacy-pass-1' },
    });
    expect(ok.status).toBe(200);
    expect(ok.headers.get('cache-control')).toBe('no-store');
    expect((await findUserByUsername(db, 'legacy'))?.passwordHash).toMatch(/^\$argon2id\$/);
    expect(await server.login('legacy', 'legacy-pass-1')).toEqual(expect.any(String));
  });

  it.each([
    ['        ', /spaces/],
    ['password', /common/],
    ['Password1', /common/],
    ['12345678', /common/],
    ['aaaaaaaaaa', /different characters/],
    ['weakling', /username/],
    ['weakling42', /username/],
  ])('refuses the new password %j with a clear 400', async (password, message) => {
    const res = await server.api('POST', '/api/users', {
      token: adminToken,
      body: { username: 'weakling', password, displayName: 'W', roles: ['agent'] },
    });
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({
      error: {
        code: 'invalid',
        fields: [{ path: 'password', message: expect.stringMatching(message) }],
      },
    });
  });

  it('refuses a socket without a token, with a bad token and with a revoked token', async () => {
    await expect(server.connect(undefined)).rejects.toThrow(/unauthorized/);
    await expect(server.connect('not-a-real-token')).rejects.toThrow(/unknown, expired or revoked/);
    const token = await server.login('u-engineer', 'password-123');
    const logout = await server.api('POST', '/api/auth/logout', { token });
    expect(logout.status).toBe(200);
    await expect(server.connect(token)).rejects.toThrow(/revoked/);
    const me = await server.api('GET', '/api/auth/me', { token });
    expect(me.status).toBe(401);
  });

  it('sends hello with protocol version, server time and seq', async () => {
    const token = await server.login('u-agent', 'password-123');
    const { socket, hello } = await server.connect(token);
    expect(hello).toMatchObject({
      protocolVersion: 1,
      seq: expect.any(Number),
      user: { username: 'u-agent' },
    });
    expect(Number.isNaN(Date.parse((hello as { serverTime: string }).serverTime))).toBe(false);
    socket.disconnect();
  });

  it('drops a live socket within 1 s of logout', async () => {
    const token = await server.login('u-agent', 'password-123');
    const { socket } = await server.connect(token);
    const t0 = performance.now();
    const dropped = nextEvent(socket, 'disconnect');
    await server.api('POST', '/api/auth/logout', { token });
    await dropped;
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it('drops every socket of a user within 1 s when a duty manager revokes them', async () => {
    const token1 = await server.login('u-engineer', 'password-123');
    const token2 = await server.login('u-engineer', 'password-123');
    const a = await server.connect(token1);
    const b = await server.connect(token2);
    const dm = await server.login('u-duty_manager', 'password-123');
    const users = await server.api('GET', '/api/users', { token: dm });
    const target = (users.body as { users: Array<{ id: string; username: string }> }).users.find(
      (u) => u.username === 'u-engineer',
    );
    const t0 = performance.now();
    const dropped = Promise.all([
      nextEvent(a.socket, 'disconnect'),
      nextEvent(b.socket, 'disconnect'),
    ]);
    const res = await server.api('POST', `/api/users/${target?.id}/revoke`, { token: dm });
    expect(res.status).toBe(200);
    expect((res.body as { revoked: number }).revoked).toBeGreaterThanOrEqual(2);
    await dropped;
    expect(performance.now() - t0).toBeLessThan(1000);
  });

  it.each(ROLES)('gives %s 403 on admin-only endpoints', async (role) => {
    const token = await server.login(`u-${role}`, 'password-123');
    const u = await server.api('POST', '/api/users', {
      token,
      body: { username: `x-${role}`, password: 'password-123', displayName: 'x', roles: ['admin'] },
    });
    expect(u.status).toBe(403);
    expect(u.body).toMatchObject({ error: { code: 'forbidden' } });
    const g = await server.api('POST', '/api/groups', {
      token,
      body: { id: 'g-x', name: 'X', nameZh: 'X', tier: 1 },
    });
    expect(g.status).toBe(403);
  });

  it('lists staff names for every seat without credentials or wallboards', async () => {
    const token = await server.login('u-agent', 'password-123');
    const res = await server.api('GET', '/api/staff', { token });
    expect(res.status).toBe(200);
    const staff = (res.body as { staff: Array<Record<string, unknown>> }).staff;
    expect(staff.map((s) => s.displayName)).toEqual(
      expect.arrayContaining(['agent', 'engineer', 'duty_manager']),
    );
    expect(staff.some((s) => (s.roles as string[]).includes('wallboard'))).toBe(false);
    expect(JSON.stringify(staff)).not.toMatch(/password|scrypt|argon2|username/);
  });

  it('validates user creation with field paths and refuses a taken username', async () => {
    const bad = await server.api('POST', '/api/users', {
      token: adminToken,
      body: { username: 'A B', password: 'short', displayName: '', roles: ['pilot'] },
    });
    expect(bad.status).toBe(400);
    const paths = (bad.body as { error: { fields: Array<{ path: string }> } }).error.fields
      .map((f) => f.path)
      .sort();
    expect(paths).toEqual(['displayName', 'password', 'roles.0', 'username']);
    const dup = await server.api('POST', '/api/users', {
      token: adminToken,
      body: { username: 'u-agent', password: 'password-123', displayName: 'dup', roles: ['agent'] },
    });
    expect(dup.status).toBe(409);
  });

  it('answers malformed JSON with 400 JSON, 2 MB with 413 JSON, unknown routes with 404 JSON', async () => {
    const malformed = await server.api('POST', '/api/auth/login', { raw: '{"username": ' });
    expect(malformed.status).toBe(400);
    expect(malformed.body).toMatchObject({ error: { code: 'invalid' } });
    const big = await server.api('POST', '/api/auth/login', {
      raw: JSON.stringify({ username: 'x', password: 'y'.repeat(2 * 1024 * 1024) }),
    });
    expect(big.status).toBe(413);
    expect(big.body).toMatchObject({ error: { code: 'payload_too_large' } });
    const missing = await server.api('GET', '/api/no-such-thing');
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'not_found' } });
  });

  it('sends helmet headers with a strict CSP', async () => {
    const res = await server.api('GET', '/healthz');
    expect(res.headers.get('content-security-policy')).toContain("default-src 'self'");
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('x-powered-by')).toBeNull();
  });
});

describe.each(DRIVERS)('restart on %s', (driver) => {
  it('keeps users and refuses old revoked tokens after a restart', async () => {
    const first = await startTestServer({ driver });
    const admin = await first.login('admin', ADMIN_PASSWORD);
    await first.api('POST', '/api/users', {
      token: admin,
      body: {
        username: 'keeper',
        password: 'password-123',
        displayName: 'Keeper',
        roles: ['agent'],
      },
    });
    const live = await first.login('keeper', 'password-123');
    await first.close();
    const second = await startTestServer({
      driver,
      reuse: { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
    });
    try {
      const me = await second.api('GET', '/api/auth/me', { token: live });
      expect(me.status).toBe(200);
      expect(await second.login('keeper', 'password-123')).toEqual(expect.any(String));
      const users = await second.api('GET', '/api/users', { token: admin });
      expect((users.body as { users: unknown[] }).users).toHaveLength(2);
    } finally {
      await second.dispose();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
