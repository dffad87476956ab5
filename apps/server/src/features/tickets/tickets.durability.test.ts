import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import {
  ADMIN_PASSWORD,
  DRIVERS,
  nextEvent,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { TestSeat } from '../../testing/seat';
import { tamperAuditLog } from '../../testing/tamper';
import { runCli } from '../../cli';

const PASSWORD = 'password-123';

async function addUser(
  server: TestServer,
  admin: string,
  username: string,
  roles: string[],
): Promise<void> {
  const res = await server.api('POST', '/api/users', {
    token: admin,
    body: { username, password: PASSWORD, displayName: username, roles },
  });
  expect(res.status).toBe(201);
}

async function allTickets(server: TestServer, token: string): Promise<Map<string, Ticket>> {
  const res = await server.api('GET', '/api/tickets?limit=10000', { token });
  return new Map((res.body as { tickets: Ticket[] }).tickets.map((t) => [t.id, t]));
}

describe.each(DRIVERS)('resume across a server restart on %s', (driver) => {
  it('a seat away during a restart ends with exactly the server state, no missing or duplicate seq', async () => {
    const first = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '2000' } });
    const admin = await first.login('admin', ADMIN_PASSWORD);
    await addUser(first, admin, 'dm', ['duty_manager']);
    await addUser(first, admin, 'desk', ['agent']);
    const deskToken = await first.login('desk', PASSWORD);
    const dmToken = await first.login('dm', PASSWORD);
    const away = await TestSeat.open(first, deskToken);
    const writer = await TestSeat.open(first, dmToken);
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const ack = await writer.command({
        type: 'ticket.create',
        title: `T${i}`,
        description: 'd',
        channel: 'portal',
      });
      ids.push((ack.ticket as Ticket).id);
    }
    await away.waitForSeq(writer.lastSeq);
    away.close();
    for (let i = 0; i < 90; i += 1) {
      expect(
        (
          await writer.command({
            type: 'ticket.comment',
            ticketId: ids[i % 20],
            body: `before restart ${i}`,
          })
        ).ok,
      ).toBe(true);
    }
    writer.close();
    await first.close();
    const second = await startTestServer({
      driver,
      reuse: { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
      env: { DUTYDESK_COMMAND_RATE: '2000' },
    });
    try {
      const writer2 = await TestSeat.open(second, dmToken);
      for (let i = 0; i < 90; i += 1) {
        expect(
          (
            await writer2.command({
              type: 'ticket.comment',
              ticketId: ids[i % 20],
              body: `after restart ${i}`,
            })
          ).ok,
        ).toBe(true);
      }
      const before = away.lastSeq;
      const resumed = await TestSeat.open(second, deskToken, away);
      await resumed.waitForSeq(writer2.lastSeq);
      expect(resumed.gaps).toEqual([]);
      const got = resumed.received.filter((s) => s > before);
      expect(got).toEqual(
        Array.from({ length: writer2.lastSeq - before }, (_, i) => before + 1 + i),
      );
      const truth = await allTickets(second, dmToken);
      for (const id of ids) expect(resumed.tickets.get(id)).toEqual(truth.get(id));
      writer2.close();
      resumed.close();
    } finally {
      await second.dispose();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});

describe('commit-order seq under 50 concurrent writers on PostgreSQL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'postgres', env: { DUTYDESK_COMMAND_RATE: '5000' } });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('every read of the log by seq is contiguous: no seq becomes visible before a smaller one', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    await addUser(server, admin, 'dm50', ['duty_manager']);
    const token = await server.login('dm50', PASSWORD);
    const writers = 50;
    const perWriter = 8;
    const tickets: string[] = [];
    for (let i = 0; i < writers; i += 1) {
      const res = await server.api('POST', '/api/commands', {
        token,
        body: {
          commandId: `create-${i}-${Date.now()}`,
          type: 'ticket.create',
          title: `W${i}`,
          description: 'd',
          channel: 'api',
        },
      });
      tickets.push((res.body as { ticket: Ticket }).ticket.id);
    }
    const start = (await server.api('GET', '/api/events?after=0&limit=5000', { token })).body as {
      events: Array<{ seq: number }>;
    };
    let seen = start.events.at(-1)?.seq ?? 0;
    let done = false;
    const violations: string[] = [];
    let reads = 0;
    // A reader polling directly from the database while writers commit concurrently.
    const reader = (async () => {
      while (!done) {
        const res = await server.api('GET', `/api/events?after=${seen}&limit=5000`, { token });
        const seqs = (res.body as { events: Array<{ seq: number }> }).events.map((e) => e.seq);
        seqs.forEach((s, i) => {
          if (s !== seen + 1 + i) violations.push(`after ${seen} got ${seqs.join(',')}`);
        });
        if (seqs.length) seen = seqs[seqs.length - 1] as number;
        reads += 1;
      }
    })();
    await Promise.all(
      tickets.map(async (ticketId, w) => {
        for (let k = 0; k < perWriter; k += 1) {
          const res = await server.api('POST', '/api/commands', {
            token,
            body: {
              commandId: `w${w}-k${k}-${ticketId}`,
              type: 'ticket.comment',
              ticketId,
              body: `writer ${w} #${k}`,
            },
          });
          expect(res.status).toBe(200);
        }
      }),
    );
    done = true;
    await reader;
    const all = (await server.api('GET', '/api/events?after=0&limit=5000', { token })).body as {
      events: Array<{ seq: number }>;
    };
    const seqs = all.events.map((e) => e.seq);
    expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1));
    expect(seqs.length).toBeGreaterThanOrEqual(writers * perWriter + writers);
    expect(reads).toBeGreaterThan(3);
    expect(violations).toEqual([]);
  });
});

describe.each(DRIVERS)('presence and audit on %s', (driver) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('shows who views and types a ticket to the others, and drops a viewer who leaves', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    await addUser(server, admin, 'viewer-a', ['agent']);
    await addUser(server, admin, 'viewer-b', ['engineer']);
    const a = await server.connect(await server.login('viewer-a', PASSWORD));
    const b = await server.connect(await server.login('viewer-b', PASSWORD));
    const first = nextEvent<{ viewers: unknown[] }>(a.socket, 'presence');
    a.socket.emit('presence.watch', { ticketId: 't-1' });
    expect((await first).viewers).toHaveLength(1);
    const both = nextEvent<{
      ticketId: string;
      viewers: Array<{ displayName: string; typing: boolean }>;
    }>(a.socket, 'presence');
    b.socket.emit('presence.watch', { ticketId: 't-1', typing: true });
    const p = await both;
    expect(p.ticketId).toBe('t-1');
    expect(p.viewers).toEqual(
      expect.arrayContaining([
        { userId: expect.any(String), displayName: 'viewer-b', typing: true },
        { userId: expect.any(String), displayName: 'viewer-a', typing: false },
      ]),
    );
    const gone = nextEvent<{ viewers: unknown[] }>(a.socket, 'presence');
    b.socket.disconnect();
    expect((await gone).viewers).toHaveLength(1);
    a.socket.disconnect();
  });

  it('`dutydesk audit verify` reports an intact chain and names a tampered row', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    for (let i = 0; i < 3; i += 1) {
      await server.api('POST', '/api/commands', {
        token: admin,
        body: {
          commandId: `audit-${i}-xxxxxxxx`,
          type: 'ticket.create',
          title: `A${i}`,
          description: 'd',
          channel: 'api',
        },
      });
    }
    await server.close();
    const env =
      driver === 'postgres'
        ? { DATABASE_URL: server.databaseUrl as string }
        : { DUTYDESK_DATA_DIR: server.dataDir };
    const saved = { ...process.env };
    Object.assign(process.env, env);
    try {
      let out = '';
      expect(await runCli(['audit', 'verify'], (s) => (out += s))).toBe(0);
      expect(out).toMatch(/intact: \d+ events/);
      const { openDatabase } = await import('../../db/client');
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DUTYDESK_DATA_DIR,
      });
      const { sql } = await import('drizzle-orm');
      await tamperAuditLog(database.db, [
        sql`update events set actor_id = 'mallory' where seq = 2`,
      ]);
      await database.close();
      out = '';
      expect(await runCli(['audit', 'verify'], (s) => (out += s))).toBe(1);
      expect(out).toContain('BROKEN at seq 2');
    } finally {
      process.env = saved;
    }
  });
});
