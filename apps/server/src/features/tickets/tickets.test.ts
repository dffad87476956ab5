import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { maxSeq, TestSeat, type Ack } from '../../testing/seat';
import { verifyAuditChain } from '../events/events.repo';
import { tamperAuditLog } from '../../testing/tamper';

const PASSWORD = 'password-123';

async function setUpDesk(
  server: TestServer,
): Promise<{ admin: string; ids: Record<string, string> }> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  for (const g of [
    { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
    { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
  ]) {
    expect((await server.api('POST', '/api/groups', { token: admin, body: g })).status).toBe(201);
  }
  const ids: Record<string, string> = {};
  for (const u of [
    { username: 'agent1', roles: ['agent'], groups: ['l1'] },
    { username: 'eng1', roles: ['engineer'], groups: ['l2'] },
    { username: 'dm1', roles: ['duty_manager'], groups: [] },
    { username: 'board', roles: ['wallboard'], groups: [] },
  ]) {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { ...u, password: PASSWORD, displayName: u.username },
    });
    expect(res.status).toBe(201);
    ids[u.username] = (res.body as { id: string }).id;
  }
  return { admin, ids };
}

function create(seat: TestSeat, title: string, extra: Record<string, unknown> = {}): Promise<Ack> {
  return seat.command({
    type: 'ticket.create',
    title,
    description: `${title} — details`,
    channel: 'hotline',
    priority: 'P2',
    ...extra,
  });
}

/** The nine commands that walk one ticket through classify → dispatch → work → pend → resume. */
function lifecycle(ticketId: string, engId: string, i: number): Array<Record<string, unknown>> {
  return [
    { type: 'ticket.classify', ticketId, category: 'network', module: `m${i}` },
    { type: 'ticket.assign', ticketId, groupId: 'l2', assigneeId: engId, reason: 'network issue' },
    { type: 'ticket.accept', ticketId },
    { type: 'ticket.comment', ticketId, body: `working on ${i}`, internal: false },
    {
      type: 'ticket.log.execution',
      ticketId,
      work: 'checked the switch',
      progress: 40,
      minutesSpent: 20,
    },
    { type: 'ticket.pend', ticketId, reason: 'customer', note: 'waiting for access' },
    { type: 'ticket.resume', ticketId },
    { type: 'ticket.milestone.add', ticketId, title: 'environment ready' },
    { type: 'ticket.comment', ticketId, body: `internal note ${i}`, internal: true },
  ];
}

async function serverTickets(server: TestServer, token: string): Promise<Map<string, Ticket>> {
  const res = await server.api('GET', '/api/tickets?limit=10000', { token });
  return new Map((res.body as { tickets: Ticket[] }).tickets.map((t) => [t.id, t]));
}

describe.each(DRIVERS)('ticket lifecycle over realtime commands on %s', (driver) => {
  let server: TestServer;
  let ids: Record<string, string>;
  let admin: string;
  let dmToken: string;

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '2000' } });
    ({ admin, ids } = await setUpDesk(server));
    dmToken = await server.login('dm1', PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('creates a ticket with a human number and answers the §12 REST reads', async () => {
    const seat = await TestSeat.open(server, dmToken);
    const ack = await create(seat, 'Printer jam', { receivedAt: '2026-01-05T01:00:00.000Z' });
    expect(ack.ok).toBe(true);
    const t = ack.ticket as Ticket;
    expect(t.number).toMatch(/^INC-\d{4}-\d{6}$/);
    const got = await server.api('GET', `/api/tickets/${t.id}`, { token: dmToken });
    expect(got.status).toBe(200);
    expect(got.body).toMatchObject({
      id: t.id,
      number: t.number,
      version: t.version,
      status: 'received',
      priority: 'P2',
      groupId: null,
      assigneeId: null,
    });
    const names = (got.body as Ticket).sla.targets.map((x) => x.name);
    expect(names).toEqual(expect.arrayContaining(['response', 'resolve']));
    for (const target of (got.body as Ticket).sla.targets) {
      expect(['running', 'paused', 'met', 'breached']).toContain(target.state);
      expect(target.dueAt === null || !Number.isNaN(Date.parse(target.dueAt))).toBe(true);
    }
    const list = await server.api('GET', '/api/tickets?status=received&priority=P2', {
      token: dmToken,
    });
    expect((list.body as { tickets: Ticket[] }).tickets.map((x) => x.id)).toContain(t.id);
    const bad = await server.api('GET', '/api/tickets?priority=P9', { token: dmToken });
    expect(bad.status).toBe(400);
    const events = await server.api('GET', '/api/events?after=0&limit=5', { token: dmToken });
    const seqs = (events.body as { events: Array<{ seq: number }> }).events.map((e) => e.seq);
    expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
    expect((await server.api('GET', '/api/tickets/nope', { token: dmToken })).status).toBe(404);
    seat.close();
  });

  it('refuses a stale expectedVersion with conflict and the fresh ticket; nothing is overwritten', async () => {
    const a = await TestSeat.open(server, dmToken);
    const b = await TestSeat.open(server, await server.login('agent1', PASSWORD));
    const created = await create(a, 'Email down');
    const t = created.ticket as Ticket;
    await b.waitForSeq(maxSeq(created));
    const version = b.tickets.get(t.id)?.version;
    expect(version).toBe(t.version);
    const first = await a.command({
      type: 'ticket.classify',
      ticketId: t.id,
      expectedVersion: version,
      category: 'email',
    });
    expect(first.ok).toBe(true);
    const second = await b.command({
      type: 'ticket.classify',
      ticketId: t.id,
      expectedVersion: version,
      category: 'network',
    });
    expect(second.ok).toBe(false);
    expect(second.error?.code).toBe('conflict');
    expect(second.error?.ticket?.version).toBe((first.ticket as Ticket).version);
    expect(second.error?.ticket?.category).toBe('email');
    const stored = await server.api('GET', `/api/tickets/${t.id}`, { token: dmToken });
    expect((stored.body as Ticket).category).toBe('email');
    a.close();
    b.close();
  });

  it('applies a retried commandId once, over the socket and over REST', async () => {
    const seat = await TestSeat.open(server, dmToken);
    const commandId = randomUUID();
    const body = { type: 'ticket.create', title: 'Retry me', description: 'x', channel: 'chat' };
    const [a1, a2] = await Promise.all([
      seat.command(body, commandId),
      seat.command(body, commandId),
    ]);
    const a3 = await seat.command(body, commandId);
    expect(a1.ok && a2.ok && a3.ok).toBe(true);
    expect(a2.ticket?.id).toBe(a1.ticket?.id);
    expect(a3).toEqual(a1);
    const restBody = {
      commandId: randomUUID(),
      type: 'ticket.comment',
      ticketId: a1.ticket?.id,
      body: 'once only',
    };
    const r1 = await server.api('POST', '/api/commands', { token: dmToken, body: restBody });
    const r2 = await server.api('POST', '/api/commands', { token: dmToken, body: restBody });
    expect(r1.status).toBe(200);
    expect(r2.body).toEqual(r1.body);
    const t = await server.api('GET', `/api/tickets/${a1.ticket?.id}`, { token: dmToken });
    expect((t.body as Ticket).comments.filter((c) => c.body === 'once only')).toHaveLength(1);
    const events = await server.api('GET', '/api/events?after=0&limit=5000', { token: dmToken });
    const created = (
      events.body as { events: Array<{ type: string; ticketId: string }> }
    ).events.filter((e) => e.type === 'ticket.created' && e.ticketId === a1.ticket?.id);
    expect(created).toHaveLength(1);
    const other = await TestSeat.open(server, await server.login('agent1', PASSWORD));
    const stolen = await other.command(body, commandId);
    // Idempotency is per actor: another user's commandId is a conflict, never their result.
    expect(stolen.error?.code).toBe('conflict');
    seat.close();
    other.close();
  });

  it('refuses resolve until every milestone is confirmed by both sides', async () => {
    const seat = await TestSeat.open(server, dmToken);
    const t = (await create(seat, 'Migrate data')).ticket as Ticket;
    for (const c of lifecycle(t.id, ids.eng1 as string, 0).slice(0, 3))
      expect((await seat.command(c)).ok).toBe(true);
    const added = await seat.command({
      type: 'ticket.milestone.add',
      ticketId: t.id,
      title: 'data migrated',
    });
    const milestoneId = (added.ticket as Ticket).milestones[0]?.id;
    const refused = await seat.command({
      type: 'ticket.resolve',
      ticketId: t.id,
      code: 'fixed',
      summary: 'done',
    });
    expect(refused.error?.code).toBe('conflict');
    expect(refused.error?.message).toContain('data migrated');
    expect(
      (
        await seat.command({
          type: 'ticket.milestone.confirm',
          ticketId: t.id,
          milestoneId,
          side: 'lead',
        })
      ).ok,
    ).toBe(true);
    const still = await seat.command({
      type: 'ticket.resolve',
      ticketId: t.id,
      code: 'fixed',
      summary: 'done',
    });
    expect(still.error?.code).toBe('conflict');
    expect(
      (
        await seat.command({
          type: 'ticket.milestone.confirm',
          ticketId: t.id,
          milestoneId,
          side: 'customer',
          onBehalf: true,
        })
      ).ok,
    ).toBe(true);
    const resolved = await seat.command({
      type: 'ticket.resolve',
      ticketId: t.id,
      code: 'fixed',
      summary: 'done',
    });
    expect(resolved.ok).toBe(true);
    expect(resolved.ticket?.status).toBe('resolved');
    seat.close();
  });

  it('refuses unknown groups and assignees with field paths, and wallboard commands', async () => {
    const seat = await TestSeat.open(server, dmToken);
    const bad = await create(seat, 'Bad refs', { groupId: 'nowhere', assigneeId: 'nobody' });
    expect(bad.error?.code).toBe('invalid');
    expect(bad.error?.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ path: 'groupId' }),
        expect.objectContaining({ path: 'assigneeId' }),
      ]),
    );
    const board = await TestSeat.open(server, await server.login('board', PASSWORD));
    const refused = await create(board, 'From the wall');
    expect(refused.error?.code).toBe('forbidden');
    seat.close();
    board.close();
  });

  it('a seat that was away resumes from lastSeq to exactly the server state: 200 commands over 20 tickets', async () => {
    const watcher = await TestSeat.open(server, await server.login('agent1', PASSWORD));
    const writer = await TestSeat.open(server, dmToken);
    const writer2 = await TestSeat.open(server, dmToken);
    watcher.close();
    const tickets: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      const ack = await create(i % 2 ? writer : writer2, `Outage ${i}`);
      expect(ack.ok).toBe(true);
      tickets.push((ack.ticket as Ticket).id);
    }
    // 180 more commands, two writers interleaving across the 20 tickets.
    const queues = tickets.map((id, i) => lifecycle(id, ids.eng1 as string, i));
    let count = 20;
    for (let step = 0; step < 9; step += 1) {
      await Promise.all(
        queues.map(async (q, i) => {
          const ack = await (i % 2 ? writer : writer2).command(q[step] as Record<string, unknown>);
          expect(ack.ok, JSON.stringify(ack.error)).toBe(true);
        }),
      );
      count += queues.length;
    }
    expect(count).toBe(200);
    const before = watcher.lastSeq;
    const resumed = await TestSeat.open(server, watcher.token, watcher);
    const truth = await serverTickets(server, dmToken);
    const current = Math.max(...[...truth.values()].map((t) => t.lastSeq));
    await resumed.waitForSeq(current);
    expect(resumed.gaps).toEqual([]);
    const replayed = resumed.received.filter((s) => s > before);
    expect(replayed).toEqual(
      Array.from({ length: resumed.lastSeq - before }, (_, i) => before + 1 + i),
    );
    for (const id of tickets) expect(resumed.tickets.get(id)).toEqual(truth.get(id));
    expect(new Set(resumed.tickets.keys())).toEqual(
      new Set(
        [...truth.values()]
          .filter((t) => resumed.tickets.has(t.id) || tickets.includes(t.id))
          .map((t) => t.id),
      ),
    );
    writer.close();
    writer2.close();
    resumed.close();
  });

  it('keeps serving and a consistent log under thousands of malformed, forbidden and stale commands', async () => {
    const fc = await import('fast-check');
    const seat = await TestSeat.open(server, dmToken);
    const board = await TestSeat.open(server, await server.login('board', PASSWORD));
    const real = (await create(seat, 'Target')).ticket as Ticket;
    const junk = fc.oneof(
      fc.anything(),
      fc.record({
        commandId: fc.string(),
        type: fc.constantFrom('ticket.create', 'ticket.assign', 'nope', 'ticket.comment'),
        title: fc.string({ maxLength: 300 }),
      }),
      fc.record({
        commandId: fc.uuid(),
        type: fc.constant('ticket.comment'),
        ticketId: fc.uuid(),
        body: fc.string({ minLength: 1, maxLength: 50 }).filter((s) => s.trim().length > 0),
      }),
      fc.record({
        commandId: fc.uuid(),
        type: fc.constant('ticket.comment'),
        ticketId: fc.constant(real.id),
        expectedVersion: fc.integer({ min: 1_000, max: 1_000_000 }),
        body: fc.constant('stale'),
      }),
      fc.record({
        commandId: fc.uuid(),
        type: fc.constant('ticket.create'),
        title: fc.string({ minLength: 201, maxLength: 400 }),
        description: fc.string(),
        channel: fc.constant('hotline'),
      }),
      fc.record({
        commandId: fc.uuid(),
        type: fc.constant('ticket.comment'),
        ticketId: fc.constant(real.id),
        body: fc.constant('x'.repeat(20_001)),
      }),
    );
    const samples = fc.sample(junk, { numRuns: 2000, seed: 42 });
    const seqBefore = (await verifyAuditChain(server.ctx.database.db)).checked;
    const codes = new Map<string, number>();
    for (let i = 0; i < samples.length; i += 50) {
      const batch = samples.slice(i, i + 50);
      const acks = await Promise.all(
        batch.map(
          (cmd, j) =>
            new Promise<Ack>((resolve) =>
              ((i + j) % 7 === 0 ? board : seat).socket.emit('command', cmd, resolve),
            ),
        ),
      );
      for (const ack of acks) {
        expect(ack.ok).toBe(false);
        expect(['invalid', 'forbidden', 'not_found', 'conflict']).toContain(ack.error?.code);
        expect(ack.error?.message.length).toBeGreaterThan(0);
        codes.set(ack.error?.code as string, (codes.get(ack.error?.code as string) ?? 0) + 1);
      }
    }
    expect([...codes.keys()].sort()).toEqual(['conflict', 'forbidden', 'invalid', 'not_found']);
    const oversized = await server.api('POST', '/api/commands', {
      token: dmToken,
      raw: JSON.stringify({
        commandId: randomUUID(),
        type: 'ticket.comment',
        ticketId: real.id,
        body: 'y'.repeat(2_000_000),
      }),
    });
    expect(oversized.status).toBe(413);
    const audit = await verifyAuditChain(server.ctx.database.db);
    expect(audit).toMatchObject({ ok: true, checked: seqBefore });
    const after = await seat.command({
      type: 'ticket.comment',
      ticketId: real.id,
      body: 'still serving',
    });
    expect(after.ok).toBe(true);
    expect((await server.api('GET', '/healthz')).status).toBe(200);
    seat.close();
    board.close();
  });

  it('detects a tampered event and names its seq', async () => {
    const seat = await TestSeat.open(server, dmToken);
    await create(seat, 'Audit me');
    expect((await verifyAuditChain(server.ctx.database.db)).ok).toBe(true);
    const target = Math.max(1, Math.floor(seat.lastSeq / 2));
    // The only write to events outside the append path: a deliberate tamper, as the owner.
    await tamperAuditLog(server.ctx.database.db, [
      (await import('drizzle-orm'))
        .sql`update events set data = jsonb_set(data, '{title}', '"tampered"') where seq = ${target}`,
    ]);
    const result = await verifyAuditChain(server.ctx.database.db);
    expect(result.ok).toBe(false);
    expect(result.brokenSeq).toBe(target);
    seat.close();
    void admin;
  });
});
