import type { Presence } from '@dutydesk/shared';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readConfig } from '../config';
import { PRESENCE_INTERVAL_MS } from '../features/tickets/presence.socket';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../testing/harness';

const PASSWORD = 'password-123';

async function createUser(server: TestServer, admin: string, username: string): Promise<string> {
  const res = await server.api('POST', '/api/users', {
    token: admin,
    body: { username, password: PASSWORD, displayName: username, roles: ['agent'] },
  });
  expect(res.status).toBe(201);
  return server.login(username, PASSWORD);
}

/** Resolves with the first `presence` of a ticket that satisfies `test`; rejects after 10 s. */
function presenceWhere(
  socket: Socket,
  ticketId: string,
  what: string,
  test: (p: Presence) => boolean,
): Promise<Presence> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off('presence', on);
      reject(new Error(`timed out after 10 s awaiting presence on ${ticketId}: ${what}`));
    }, 10_000);
    const on = (p: Presence) => {
      if (p.ticketId !== ticketId || !test(p)) return;
      clearTimeout(timer);
      socket.off('presence', on);
      resolve(p);
    };
    socket.on('presence', on);
  });
}

describe('floods on the socket layer', () => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({
      driver: 'pglite',
      env: { DUTYDESK_MAX_SOCKETS_PER_USER: '5' },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('3 000 presence.watch from one seat reach another viewer a few times, not 3 001', async () => {
    const [flooder, viewer] = await Promise.all([
      createUser(server, admin, 'flooder'),
      createUser(server, admin, 'viewer'),
    ]);
    const a = (await server.connect(flooder)).socket;
    const b = (await server.connect(viewer)).socket;
    const ticketId = 'presence-flood-1';
    const own = presenceWhere(b, ticketId, 'the viewer itself', (p) => p.viewers.length === 1);
    b.emit('presence.watch', { ticketId });
    await own;

    let seen = 0;
    b.on('presence', (p: Presence) => {
      if (p.ticketId === ticketId) seen += 1;
    });
    const flooderTyping = presenceWhere(b, ticketId, 'the flooder typing', (p) =>
      p.viewers.some((v) => v.displayName === 'flooder' && v.typing),
    );
    for (let i = 0; i < 3_000; i += 1) a.emit('presence.watch', { ticketId });
    a.emit('presence.watch', { ticketId, typing: true });
    await flooderTyping;
    // The first watch (the flooder arrives) and the typing change; the 2 999 repeats are nothing.
    expect(seen).toBeLessThanOrEqual(3);

    // Typing toggled 1 000 times: at most one presence per interval, and the last state wins.
    seen = 0;
    const started = performance.now();
    for (let i = 0; i < 1_000; i += 1) a.emit('presence.watch', { ticketId, typing: i % 2 === 0 });
    a.emit('presence.leave', { ticketId });
    await presenceWhere(b, ticketId, 'the flooder gone', (p) =>
      p.viewers.every((v) => v.displayName !== 'flooder'),
    );
    const elapsed = performance.now() - started;
    expect(seen).toBeLessThanOrEqual(Math.ceil(elapsed / PRESENCE_INTERVAL_MS) + 2);
    expect(seen).toBeLessThan(50);
    a.disconnect();
    b.disconnect();
  });

  it('one user gets at most DUTYDESK_MAX_SOCKETS_PER_USER sockets, even 60 at once; the rest a clear connect_error', async () => {
    const token = await createUser(server, admin, 'many-tabs');
    const attempts = await Promise.allSettled(
      Array.from({ length: 60 }, () => server.connect(token)),
    );
    const opened = attempts.flatMap((r) => (r.status === 'fulfilled' ? [r.value.socket] : []));
    const refused = attempts.flatMap((r) =>
      r.status === 'rejected' ? [String((r.reason as Error).message)] : [],
    );
    expect(opened).toHaveLength(5);
    expect(refused).toHaveLength(55);
    for (const message of refused) {
      expect(message).toMatch(/^rate_limited: this user already has 5 connections open/);
    }
    // Another user is not affected.
    const other = await createUser(server, admin, 'one-tab');
    const single = await server.connect(other);
    single.socket.disconnect();

    // Closing one frees its place (once the server has seen it go).
    opened[0]?.disconnect();
    let again: Socket | undefined;
    for (let i = 0; i < 50 && !again; i += 1) {
      again = await server.connect(token).then(
        (r) => r.socket,
        () => undefined,
      );
    }
    expect(again, 'a sixth socket after one of five closed').toBeDefined();
    for (const s of [...opened, again]) s?.disconnect();
  });

  it('wallboard devices share one account but each device token has its own allowance', async () => {
    const devices: string[] = [];
    for (const label of ['Hall north', 'Hall south']) {
      const made = await server.api('POST', '/api/devices', { token: admin, body: { label } });
      expect(made.status).toBe(201);
      devices.push((made.body as { token: string }).token);
    }
    const sockets = await Promise.all(
      devices.flatMap((t) => Array.from({ length: 5 }, () => server.connect(t))),
    );
    expect(sockets).toHaveLength(10);
    await expect(server.connect(devices[0] ?? '')).rejects.toThrow(/^rate_limited/);
    for (const s of sockets) s.socket.disconnect();
  });

  it('defaults to 20 sockets per user', () => {
    expect(readConfig({}).maxSocketsPerUser).toBe(20);
    expect(() => readConfig({ DUTYDESK_MAX_SOCKETS_PER_USER: '0' })).toThrow(
      /DUTYDESK_MAX_SOCKETS_PER_USER/,
    );
  });
});
