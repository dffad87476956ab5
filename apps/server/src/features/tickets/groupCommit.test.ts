import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor, CommandAck, Ticket } from '@dutydesk/shared';
import { executeCommand } from '../../commands';
import { findUserByUsername, toPublicUser } from '../auth/auth.repo';
import { verifyAudit } from '../events/audit';
import { readEventsAfter } from '../events';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { actorFromUser } from './actor';

/** Commands sent in one tick go into one group-commit statement (decision 56). */
describe.each(DRIVERS)('the ticket commands’ group commit on %s', (driver) => {
  let server: TestServer;
  let admin: Actor;
  let other: Actor;

  const run = (actor: Actor, body: Record<string, unknown>): Promise<CommandAck> =>
    executeCommand(server.ctx, actor, { commandId: randomUUID(), ...body });
  const create = async (title: string): Promise<Ticket> => {
    const ack = await run(admin, {
      type: 'ticket.create',
      title,
      description: 'd',
      channel: 'api',
    });
    if (!ack.ok || !ack.ticket) throw new Error(JSON.stringify(ack));
    return ack.ticket;
  };

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '100000' } });
    const token = await server.login('admin', ADMIN_PASSWORD);
    const res = await server.api('POST', '/api/users', {
      token,
      body: {
        username: 'gc-other',
        password: 'password-123',
        displayName: 'Other',
        roles: ['duty_manager'],
      },
    });
    expect(res.status).toBe(201);
    const db = server.ctx.database.db;
    admin = actorFromUser(toPublicUser((await findUserByUsername(db, 'admin'))!));
    other = actorFromUser(toPublicUser((await findUserByUsername(db, 'gc-other'))!));
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('commands sent together keep their own outcomes: arrival order, conflicts, one ack per commandId', async () => {
    const tickets = await Promise.all(Array.from({ length: 6 }, (_, i) => create(`G${i}`)));
    const dup = randomUUID();
    const sent: Array<[string, Promise<CommandAck>]> = [];
    for (const t of tickets) {
      // Two commands naming the version they saw: the first in arrival order wins.
      sent.push([
        `${t.id} first`,
        run(admin, {
          type: 'ticket.comment',
          ticketId: t.id,
          body: 'a',
          expectedVersion: t.version,
        }),
      ]);
      sent.push([
        `${t.id} second`,
        run(admin, {
          type: 'ticket.comment',
          ticketId: t.id,
          body: 'b',
          expectedVersion: t.version,
        }),
      ]);
      sent.push([
        `${t.id} free`,
        run(admin, { type: 'ticket.comment', ticketId: t.id, body: 'c' }),
      ]);
    }
    const target = tickets[0] as Ticket;
    const dupBody = { commandId: dup, type: 'ticket.comment', ticketId: target.id, body: 'once' };
    const d1 = executeCommand(server.ctx, admin, dupBody);
    const d2 = executeCommand(server.ctx, admin, dupBody);
    const d3 = executeCommand(server.ctx, other, dupBody);
    const missing = run(admin, { type: 'ticket.comment', ticketId: 'no-such-ticket', body: 'x' });
    const acks = new Map<string, CommandAck>();
    for (const [name, p] of sent) acks.set(name, await p);
    for (const t of tickets) {
      const first = acks.get(`${t.id} first`) as CommandAck;
      const second = acks.get(`${t.id} second`) as CommandAck;
      const free = acks.get(`${t.id} free`) as CommandAck;
      expect(first.ok, JSON.stringify(first)).toBe(true);
      expect(second).toMatchObject({ ok: false, error: { code: 'conflict' } });
      expect(free.ok).toBe(true);
      if (!first.ok || !free.ok) continue;
      expect(first.ticket?.version).toBe(t.version + 1);
      expect(free.ticket?.version).toBe(t.version + 2);
      const [a] = first.events;
      const [c] = free.events;
      expect(a && c && a.seq < c.seq).toBe(true);
      expect(free.ticket?.lastSeq).toBe(c?.seq);
    }
    const [r1, r2, r3] = await Promise.all([d1, d2, d3]);
    expect(r1.ok).toBe(true);
    expect(r2).toEqual(r1);
    expect(r3).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(await missing).toMatchObject({ ok: false, error: { code: 'not_found' } });
    const events = await readEventsAfter(server.ctx.database.db, 0, 100_000);
    expect(
      events.filter((e) => (e as { data: { body?: string } }).data.body === 'once'),
    ).toHaveLength(1);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    const audit = await verifyAudit(server.ctx.database.db);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
  });

  it('a ticket changed behind the node’s cache (the transaction path) is decided again on its row', async () => {
    const t = await create('behind');
    const c1 = await run(admin, { type: 'ticket.comment', ticketId: t.id, body: 'cached' });
    expect(c1.ok).toBe(true);
    // A kind change takes a number, so it runs in the bus's transaction, not the statement.
    const moved = await run(admin, {
      type: 'ticket.classify',
      ticketId: t.id,
      kind: 'complaint',
      category: 'network',
    });
    expect(moved.ok, JSON.stringify(moved)).toBe(true);
    if (!moved.ok || !moved.ticket) return;
    const now = moved.ticket;
    const [stale, fresh, free] = await Promise.all([
      run(admin, {
        type: 'ticket.comment',
        ticketId: t.id,
        body: 'old',
        expectedVersion: now.version - 1,
      }),
      run(other, {
        type: 'ticket.comment',
        ticketId: t.id,
        body: 'new',
        expectedVersion: now.version,
      }),
      run(admin, { type: 'ticket.comment', ticketId: t.id, body: 'any' }),
    ]);
    expect(stale).toMatchObject({
      ok: false,
      error: { code: 'conflict', ticket: { version: now.version } },
    });
    expect(fresh.ok, JSON.stringify(fresh)).toBe(true);
    expect(free.ok).toBe(true);
    if (fresh.ok && free.ok) {
      expect(fresh.ticket?.version).toBe(now.version + 1);
      expect(fresh.ticket?.number).toBe(now.number);
      expect(free.ticket?.version).toBe(now.version + 2);
    }
    const audit = await verifyAudit(server.ctx.database.db);
    expect(audit.problems).toEqual([]);
  });

  it('many writers at once: every command acknowledged once, seq gap-free, rows equal their events', async () => {
    const tickets = await Promise.all(Array.from({ length: 8 }, (_, i) => create(`W${i}`)));
    const acks = await Promise.all(
      Array.from({ length: 160 }, (_, i) =>
        run(i % 2 ? admin : other, {
          type: 'ticket.comment',
          ticketId: (tickets[i % 8] as Ticket).id,
          body: `w${i}`,
        }),
      ),
    );
    expect(acks.filter((a) => !a.ok)).toEqual([]);
    for (const t of tickets) {
      const versions = acks
        .filter((a) => a.ok && a.ticket?.id === t.id)
        .map((a) => (a.ok ? (a.ticket?.version ?? 0) : 0))
        .sort((x, y) => x - y);
      expect(versions).toEqual(Array.from({ length: 20 }, (_, i) => t.version + 1 + i));
    }
    const events = await readEventsAfter(server.ctx.database.db, 0, 100_000);
    events.forEach((e, i) => expect(e.seq).toBe(i + 1));
    const audit = await verifyAudit(server.ctx.database.db);
    expect(audit.problems).toEqual([]);
    expect(audit.ok).toBe(true);
  });
});
