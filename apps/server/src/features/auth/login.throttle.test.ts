import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { ADDRESS_BACKOFF, DEVICE_COOKIE, USER_BACKOFF } from './auth.service';

const PASSWORD = 'throttle-pass-1';

interface Answer {
  status: number;
  retryAfter: number | null;
  cacheControl: string | null;
  deviceCookie: string | null;
}

async function attempt(
  server: TestServer,
  username: string,
  password: string,
  cookie?: string,
): Promise<Answer> {
  const res = await fetch(`${server.url}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(cookie ? { cookie } : {}) },
    body: JSON.stringify({ username, password }),
  });
  await res.arrayBuffer();
  const set = res.headers.getSetCookie().find((c) => c.startsWith(`${DEVICE_COOKIE}=`));
  const retry = res.headers.get('retry-after');
  return {
    status: res.status,
    retryAfter: retry === null ? null : Number(retry),
    cacheControl: res.headers.get('cache-control'),
    deviceCookie: set ? (set.split(';')[0] ?? null) : null,
  };
}

async function failedLoginsCounted(server: TestServer): Promise<number> {
  const m = await server.api('GET', '/metrics');
  const line = String(m.body)
    .split('\n')
    .find((l) => l.startsWith('dutydesk_logins_total{outcome="failed"}'));
  return line ? Number(line.split(' ').pop()) : 0;
}

describe.each(DRIVERS)('login backoff on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;

  const createUser = async (username: string): Promise<void> => {
    // The manual clock moves by hours in these tests: a fresh admin session each time.
    admin = await server.login('admin', ADMIN_PASSWORD);
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: PASSWORD, displayName: username, roles: ['agent'] },
    });
    expect(res.status, `create ${username}`).toBe(201);
  };

  beforeAll(async () => {
    clock = new ManualClock('2026-03-02T02:00:00Z');
    server = await startTestServer({ driver, clock });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it.each([30, 60, 100])(
    '%i concurrent wrong passwords: only the free attempts are checked, the rest answer 429',
    async (n) => {
      const username = `burst-${n}`;
      await createUser(username);
      const before = await failedLoginsCounted(server);
      const answers = await Promise.all(
        Array.from({ length: n }, (_, i) => attempt(server, username, `wrong-guess-${i}`)),
      );
      const statuses = answers.map((a) => a.status);
      expect(statuses.filter((s) => s === 401)).toHaveLength(USER_BACKOFF.free);
      expect(statuses.filter((s) => s === 429)).toHaveLength(n - USER_BACKOFF.free);
      // The server's own count of checked passwords agrees with the answers.
      expect((await failedLoginsCounted(server)) - before).toBe(USER_BACKOFF.free);
      // Every answer, also a refusal, is kept out of caches.
      expect(new Set(answers.map((a) => a.cacheControl))).toEqual(new Set(['no-store']));
    },
  );

  it('spaces attempts progressively (1 s, 2 s, 4 s …) and never locks out the right password', async () => {
    await createUser('slow');
    for (let i = 0; i < USER_BACKOFF.free; i += 1) {
      expect((await attempt(server, 'slow', `wrong-${i}`)).status).toBe(401);
    }
    let delay = USER_BACKOFF.baseMs / 1000;
    for (let round = 0; round < 4; round += 1) {
      const refused = await attempt(server, 'slow', 'wrong-again');
      expect(refused.status, `round ${round}: within the delay`).toBe(429);
      expect(refused.retryAfter).toBe(delay);
      clock.advance(delay * 1000);
      expect((await attempt(server, 'slow', `wrong-late-${round}`)).status).toBe(401);
      delay *= 2;
    }
    // The right password, once the delay has passed, gets in from a device never seen before.
    expect((await attempt(server, 'slow', PASSWORD)).status).toBe(429);
    clock.advance(delay * 1000);
    const ok = await attempt(server, 'slow', PASSWORD);
    expect(ok.status).toBe(200);
    expect(ok.cacheControl).toBe('no-store');
    // ... and the run is over: five free attempts again.
    for (let i = 0; i < USER_BACKOFF.free; i += 1) {
      expect((await attempt(server, 'slow', `wrong-after-${i}`)).status).toBe(401);
    }
    expect((await attempt(server, 'slow', 'wrong-more')).status).toBe(429);
    clock.advance(USER_BACKOFF.resetAfterMs);
    expect((await attempt(server, 'slow', PASSWORD)).status).toBe(200);
  });

  it('caps the delay at 15 minutes however long the attack goes on', async () => {
    await createUser('capped');
    for (let i = 0; i < 40; i += 1) {
      const a = await attempt(server, 'capped', `wrong-${i}`);
      if (a.status === 429) {
        expect(a.retryAfter).toBeLessThanOrEqual(USER_BACKOFF.capMs / 1000);
        clock.advance((a.retryAfter ?? 0) * 1000);
      }
    }
    const last = await attempt(server, 'capped', 'wrong-last');
    expect(last.status).toBe(401);
    const next = await attempt(server, 'capped', 'wrong-next');
    expect(next).toMatchObject({ status: 429, retryAfter: USER_BACKOFF.capMs / 1000 });
  });

  it('a known device signs in with the right password while strangers are held back', async () => {
    await createUser('owner');
    const first = await attempt(server, 'owner', PASSWORD);
    expect(first.status).toBe(200);
    expect(first.deviceCookie).toMatch(new RegExp(`^${DEVICE_COOKIE}=[A-Za-z0-9_-]{43}$`));
    const cookie = first.deviceCookie ?? '';
    // An attacker (no cookie, or a made-up one) burns the user's free attempts...
    await Promise.all(
      Array.from({ length: 20 }, (_, i) =>
        attempt(server, 'owner', `guess-${i}`, `${DEVICE_COOKIE}=${'x'.repeat(43)}`),
      ),
    );
    expect((await attempt(server, 'owner', PASSWORD)).status).toBe(429);
    // ... but the owner's device is not slowed by it.
    const again = await attempt(server, 'owner', PASSWORD, cookie);
    expect(again.status).toBe(200);
    expect(again.deviceCookie).toBeNull();
    // The device cookie is bound to its user: it does not exempt guesses at another account.
    await createUser('neighbour');
    for (let i = 0; i < USER_BACKOFF.free; i += 1) {
      expect((await attempt(server, 'neighbour', `guess-${i}`, cookie)).status).toBe(401);
    }
    expect((await attempt(server, 'neighbour', PASSWORD, cookie)).status).toBe(429);
    // A known device that guesses wrong is spaced like anyone else.
    for (let i = 0; i < USER_BACKOFF.free; i += 1) {
      expect((await attempt(server, 'owner', `typo-${i}`, cookie)).status).toBe(401);
    }
    expect((await attempt(server, 'owner', PASSWORD, cookie)).status).toBe(429);
  });

  it('one address is only slowed, after 100 failures, and not for a known device', async () => {
    clock.advance(ADDRESS_BACKOFF.resetAfterMs + 1000);
    await createUser('office');
    const office = await attempt(server, 'office', PASSWORD);
    expect(office.status).toBe(200);
    // 100 failures spread over many (unknown) accounts from this one address.
    for (let i = 0; i < ADDRESS_BACKOFF.free; i += 1) {
      const a = await attempt(server, `spray-${Math.floor(i / USER_BACKOFF.free)}`, `w-${i}`);
      expect(a.status, `failure ${i}`).toBe(401);
    }
    const slowed = await attempt(server, 'spray-x', 'w');
    expect(slowed.status).toBe(429);
    expect(slowed.retryAfter).toBeLessThanOrEqual(ADDRESS_BACKOFF.capMs / 1000);
    // A colleague on a known device is not slowed by the address...
    expect((await attempt(server, 'office', PASSWORD, office.deviceCookie ?? '')).status).toBe(200);
    // ... and everyone else waits at most the address delay, not 15 minutes.
    clock.advance((slowed.retryAfter ?? 0) * 1000);
    expect((await attempt(server, 'office', PASSWORD)).status).toBe(200);
  });
});
