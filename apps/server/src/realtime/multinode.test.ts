import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import { ADMIN_PASSWORD, nextEvent, startTestServer, type TestServer } from '../testing/harness';
import { TestSeat } from '../testing/seat';

const PASSWORD = 'password-123';

describe('two nodes on one PostgreSQL', () => {
  let a: TestServer;
  let b: TestServer;
  let dm: string;
  let agent: string;

  beforeAll(async () => {
    a = await startTestServer({ driver: 'postgres', env: { DUTYDESK_COMMAND_RATE: '2000' } });
    b = await startTestServer({
      driver: 'postgres',
      reuse: { databaseUrl: a.databaseUrl },
      env: { DUTYDESK_COMMAND_RATE: '2000' },
    });
    const admin = await a.login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['dm-x', 'duty_manager'],
      ['agent-x', 'agent'],
    ] as const) {
      const res = await a.api('POST', '/api/users', {
        token: admin,
        body: { username, password: PASSWORD, displayName: username, roles: [role] },
      });
      expect(res.status).toBe(201);
    }
    dm = await a.login('dm-x', PASSWORD);
    agent = await b.login('agent-x', PASSWORD);
  });
  afterAll(async () => {
    await b?.close();
    await a?.dispose();
  });

  it('fans every event out to seats on both nodes, in one contiguous seq stream', async () => {
    const onA = await TestSeat.open(a, dm);
    const onB = await TestSeat.open(b, agent);
    const writerB = await TestSeat.open(b, dm);
    const ids: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const ack = await (i % 2 ? onA : writerB).command({
        type: 'ticket.create',
        title: `N${i}`,
        description: 'd',
        channel: 'chat',
      });
      expect(ack.ok).toBe(true);
      ids.push((ack.ticket as Ticket).id);
    }
    const acks = await Promise.all(
      ids.map((ticketId, i) =>
        (i % 2 ? onA : writerB).command({ type: 'ticket.comment', ticketId, body: `c${i}` }),
      ),
    );
    // Events are published after the ack (protocol: COMMIT → ack → publish): wait for the
    // newest seq the acks name, not for what the writers happen to have received so far.
    const head = Math.max(...acks.flatMap((ack) => (ack.events ?? []).map((e) => e.seq)));
    await Promise.all([onA.waitForSeq(head), onB.waitForSeq(head)]);
    for (const id of ids) expect(onB.tickets.get(id)).toEqual(onA.tickets.get(id));
    onA.close();
    onB.close();
    writerB.close();
  });

  it('a seat that leaves node A resumes on node B to exactly the server state', async () => {
    const away = await TestSeat.open(a, agent);
    const w1 = await TestSeat.open(a, dm);
    const w2 = await TestSeat.open(b, dm);
    away.close();
    const ids: string[] = [];
    for (let i = 0; i < 20; i += 1) {
      ids.push(
        (
          (
            await (i % 2 ? w1 : w2).command({
              type: 'ticket.create',
              title: `R${i}`,
              description: 'd',
              channel: 'api',
            })
          ).ticket as Ticket
        ).id,
      );
    }
    let head = 0;
    for (let i = 0; i < 180; i += 1) {
      const ack = await (i % 2 ? w1 : w2).command({
        type: 'ticket.comment',
        ticketId: ids[i % 20],
        body: `m${i}`,
      });
      expect(ack.ok).toBe(true);
      head = Math.max(head, ...(ack.events ?? []).map((e) => e.seq));
    }
    const before = away.lastSeq;
    const resumed = await TestSeat.open(b, agent, away);
    await resumed.waitForSeq(head);
    expect(resumed.gaps).toEqual([]);
    // Every seq after `before` arrives, in order. A live copy of an event the replay already
    // carried may follow it (node B's fan-out of node A's commit can lag the database read on a
    // loaded machine; seen once: seq 280 twice); the seat drops it by seq. No other repeat.
    const after = resumed.received.filter((s) => s > before);
    const firsts = after.filter((s, i) => after.indexOf(s) === i);
    expect(firsts).toEqual(Array.from({ length: head - before }, (_, i) => before + 1 + i));
    expect(after.length - firsts.length, 'repeated seqs').toBeLessThanOrEqual(head - before);
    const truth = (await b.api('GET', '/api/tickets?limit=10000', { token: dm })).body as {
      tickets: Ticket[];
    };
    const byId = new Map<string, Ticket>(truth.tickets.map((t) => [t.id, t]));
    for (const id of ids) expect(resumed.tickets.get(id)).toEqual(byId.get(id));
    w1.close();
    w2.close();
    resumed.close();
  });

  it('logout on one node drops the token’s socket on the other within 1 s; presence spans nodes', async () => {
    const token = await a.login('agent-x', PASSWORD);
    const { socket } = await b.connect(token);
    const t0 = performance.now();
    const dropped = nextEvent(socket, 'disconnect');
    expect((await a.api('POST', '/api/auth/logout', { token })).status).toBe(200);
    await dropped;
    expect(performance.now() - t0).toBeLessThan(1000);

    const x = await a.connect(await a.login('dm-x', PASSWORD));
    const y = await b.connect(await b.login('agent-x', PASSWORD));
    x.socket.emit('presence.watch', { ticketId: 'shared-1' });
    await nextEvent(x.socket, 'presence');
    const both = nextEvent<{ viewers: unknown[] }>(x.socket, 'presence');
    y.socket.emit('presence.watch', { ticketId: 'shared-1', typing: true });
    expect((await both).viewers).toHaveLength(2);
    x.socket.disconnect();
    y.socket.disconnect();
  });

  it('a wallboard watcher on node B gets the metrics of a change committed on node A', async () => {
    const watcher = await b.connect(await b.login('dm-x', PASSWORD));
    const metrics: Array<{ seq: number }> = [];
    watcher.socket.on('wallboard.metrics', (m: { seq: number }) => metrics.push(m));
    await new Promise((resolve) => watcher.socket.emit('wallboard.subscribe', {}, resolve));
    const writer = await TestSeat.open(a, dm);
    const ack = await writer.command({
      type: 'ticket.create',
      title: 'Seen on the wallboard',
      description: 'd',
      channel: 'chat',
    });
    const seq = Math.max(...(ack.events ?? []).map((e) => e.seq));
    const until = Date.now() + 10_000;
    while (!metrics.some((m) => m.seq >= seq) && Date.now() < until)
      await new Promise((r) => setTimeout(r, 50));
    expect(metrics.some((m) => m.seq >= seq)).toBe(true);
    writer.close();
    watcher.socket.disconnect();
  });
});
