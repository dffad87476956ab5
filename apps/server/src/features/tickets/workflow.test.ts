import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HandoffNotification, Ticket } from '@dutydesk/shared';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import type { Ack } from '../../testing/seat';

const PASSWORD = 'password-123';

/** Collects `notification` messages of one socket and waits for one that matches. */
function collectNotifications(socket: Socket) {
  const got: HandoffNotification[] = [];
  const waiters: Array<{ test: (n: HandoffNotification) => boolean; done: () => void }> = [];
  socket.on('notification', (n: HandoffNotification) => {
    got.push(n);
    for (const w of [...waiters]) {
      if (w.test(n)) {
        waiters.splice(waiters.indexOf(w), 1);
        w.done();
      }
    }
  });
  return {
    got,
    async waitFor(what: string, test: (n: HandoffNotification) => boolean): Promise<void> {
      if (got.some(test)) return;
      await new Promise<void>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`no notification: ${what} (got ${JSON.stringify(got)})`)),
          15_000,
        );
        waiters.push({
          test,
          done: () => {
            clearTimeout(timer);
            resolve();
          },
        });
      });
    },
  };
}

/**
 * The desk's day over the real server (issue 13 points 1, 2, 4, 6, 10, 11; issue 14 finding 13):
 * who may do what on a ticket gone to L2, priority changes with reasons, complaints' numbers and
 * contacts, handoff notifications, append-only commands, numbers of closed and renumbered
 * tickets.
 */
describe.each(DRIVERS)('the desk’s workflow on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const send = async (who: string, body: Record<string, unknown>) => {
    const res = await server.api('POST', '/api/commands', {
      token: tokens[who],
      body: { commandId: randomUUID(), ...body },
    });
    return { status: res.status, ack: res.body as Ack };
  };
  const ok = async (who: string, body: Record<string, unknown>): Promise<Ticket> => {
    const { status, ack } = await send(who, body);
    expect(status, `${who} ${String(body.type)}: ${JSON.stringify(ack)}`).toBe(200);
    return ack.ticket as Ticket;
  };
  const create = (who: string, extra: Record<string, unknown> = {}) =>
    ok(who, {
      type: 'ticket.create',
      title: 'VPN down for the branch',
      description: 'since 08:00',
      channel: 'hotline',
      priority: 'P2',
      ...extra,
    });
  /** Created by agent1, classified and dispatched to L2 (with eng1 as assignee if asked). */
  const dispatched = async (assign = false): Promise<Ticket> => {
    const t = await create('agent1');
    await ok('agent1', { type: 'ticket.classify', ticketId: t.id, category: 'network' });
    return ok('agent1', {
      type: 'ticket.assign',
      ticketId: t.id,
      groupId: 'l2',
      ...(assign ? { assigneeId: ids.eng1 } : {}),
      reason: 'needs the network team',
    });
  };

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '2000' } });
    admin = await server.login('admin', ADMIN_PASSWORD);
    for (const g of [
      { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
      { id: 'l2', name: 'L2 network', nameZh: '二线网络', tier: 2 },
      { id: 'l3', name: 'L3', nameZh: '三线', tier: 3 },
    ]) {
      expect((await server.api('POST', '/api/groups', { token: admin, body: g })).status).toBe(201);
    }
    for (const u of [
      { username: 'agent1', roles: ['agent'], groups: ['l1'] },
      { username: 'agent2', roles: ['agent'], groups: ['l1'] },
      { username: 'eng1', roles: ['engineer'], groups: ['l2'] },
      { username: 'lead2', roles: ['engineer'], groups: ['l2'] },
      { username: 'eng3', roles: ['engineer'], groups: ['l3'] },
      { username: 'dm1', roles: ['duty_manager'], groups: [] },
      { username: 'board', roles: ['wallboard'], groups: [] },
    ]) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { ...u, password: PASSWORD, displayName: u.username },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      ids[u.username] = (res.body as { id: string }).id;
      tokens[u.username] = await server.login(u.username, PASSWORD);
    }
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('point 1: the agent who took the call finishes it after L2; four eyes on the lead sign-off', async () => {
    const t = await dispatched(true);
    await ok('eng1', { type: 'ticket.accept', ticketId: t.id });
    await ok('eng1', {
      type: 'ticket.log.execution',
      ticketId: t.id,
      work: 'replaced the branch router',
      progress: 90,
      minutesSpent: 45,
    });
    const m = await ok('eng1', { type: 'ticket.milestone.add', ticketId: t.id, title: 'Link up' });
    const milestoneId = m.milestones[0]?.id;
    await ok('agent1', {
      type: 'ticket.log.supervision',
      ticketId: t.id,
      source: 'on_behalf',
      feedback: 'customer calm, kept informed',
    });
    await ok('agent1', { type: 'ticket.comment', ticketId: t.id, body: 'told the customer' });
    await ok('agent1', {
      type: 'ticket.milestone.confirm',
      ticketId: t.id,
      milestoneId,
      side: 'customer',
    });
    // The engineer who did the work may not sign it off as team lead; a colleague may.
    const own = await send('eng1', {
      type: 'ticket.milestone.confirm',
      ticketId: t.id,
      milestoneId,
      side: 'lead',
    });
    expect(own.status).toBe(403);
    await ok('lead2', {
      type: 'ticket.milestone.confirm',
      ticketId: t.id,
      milestoneId,
      side: 'lead',
    });
    // An engineer of another group still may not touch it.
    expect((await send('eng3', { type: 'ticket.comment', ticketId: t.id, body: 'x' })).status).toBe(
      403,
    );
    await ok('eng1', { type: 'ticket.resolve', ticketId: t.id, code: 'fixed', summary: 'router' });
    await ok('agent1', { type: 'ticket.followUp', ticketId: t.id, outcome: 'satisfied' });
    const closed = await ok('agent1', { type: 'ticket.close', ticketId: t.id });
    expect(closed.status).toBe('closed');
  });

  it('point 2: classify keeps the priority; a change needs a reason and is recorded', async () => {
    const t = await create('agent1', { priority: 'P2' });
    const kept = await ok('agent1', {
      type: 'ticket.classify',
      ticketId: t.id,
      category: 'network',
      impact: 'low',
      urgency: 'low',
    });
    expect(kept.priority).toBe('P2');
    const refused = await send('agent1', {
      type: 'ticket.classify',
      ticketId: t.id,
      category: 'network',
      priority: 'P1',
    });
    expect(refused.status).toBe(400);
    expect(refused.ack.error?.fields?.map((f) => f.path)).toContain('reason');
    const changed = await ok('agent1', {
      type: 'ticket.classify',
      ticketId: t.id,
      category: 'network',
      priority: 'P1',
      reason: 'three branches down',
    });
    expect(changed.priorityChanges).toEqual([
      expect.objectContaining({ from: 'P2', to: 'P1', reason: 'three branches down' }),
    ]);
  });

  it('point 4: a complaint gets a CMP number; a kind changed at classify renumbers, alias kept', async () => {
    const cmp = await create('agent1', { kind: 'complaint' });
    expect(cmp.number).toMatch(/^CMP-\d{4}-\d{6}$/);
    const inc = await create('agent1');
    expect(inc.number).toMatch(/^INC-/);
    const re = await ok('agent1', {
      type: 'ticket.classify',
      ticketId: inc.id,
      kind: 'complaint',
      category: 'service',
    });
    expect(re.number).toMatch(/^CMP-/);
    expect(re.numberAliases).toEqual([inc.number]);
    const byOld = await server.api('GET', `/api/tickets/by-number/${inc.number}`, {
      token: tokens.agent1,
    });
    expect(byOld.status).toBe(200);
    expect((byOld.body as Ticket).id).toBe(inc.id);
    const listed = await server.api('GET', `/api/tickets?number=${inc.number.toLowerCase()}`, {
      token: tokens.agent1,
    });
    expect((listed.body as { tickets: Ticket[] }).tickets.map((x) => x.id)).toEqual([inc.id]);
    // Contacts meet the contact targets in order.
    for (const target of ['contact-15m', 'contact-2h', 'contact-24h']) {
      const after = await ok('agent1', {
        type: 'ticket.contact.record',
        ticketId: re.id,
        channel: 'phone',
        summary: `called for ${target}`,
      });
      expect(after.contacts?.at(-1)?.target).toBe(target);
      expect(after.sla.targets.find((x) => x.name === target)?.state).toBe('met');
    }
  });

  it('point 6: the engineer is notified when a ticket lands in their group or on them', async () => {
    const eng = await server.connect(tokens.eng1);
    const lead = await server.connect(tokens.lead2);
    const agent = await server.connect(tokens.agent1);
    const engInbox = collectNotifications(eng.socket);
    const leadInbox = collectNotifications(lead.socket);
    const agentInbox = collectNotifications(agent.socket);
    try {
      const t = await dispatched(false);
      await leadInbox.waitFor(
        'group handoff to lead2',
        (n) => n.ticketId === t.id && n.to === 'group',
      );
      await engInbox.waitFor(
        'group handoff to eng1',
        (n) => n.ticketId === t.id && n.to === 'group',
      );
      const n = engInbox.got.find((x) => x.ticketId === t.id);
      expect(n).toMatchObject({
        kind: 'handoff',
        number: t.number,
        groupId: 'l2',
        actorId: ids.agent1,
        reason: 'needs the network team',
      });
      await ok('lead2', {
        type: 'ticket.assign',
        ticketId: t.id,
        assigneeId: ids.eng1,
        reason: 'router expert',
      });
      await engInbox.waitFor(
        'assignee handoff to eng1',
        (x) => x.ticketId === t.id && x.to === 'assignee' && x.reason === 'router expert',
      );
      // The one who made the change is not told; nor is the desk about L2's queue.
      await ok('agent1', { type: 'ticket.comment', ticketId: t.id, body: 'barrier' });
      expect(leadInbox.got.filter((x) => x.ticketId === t.id && x.to === 'assignee')).toEqual([]);
      expect(agentInbox.got).toEqual([]);
      // The reassignment and its reason are in the ticket's timeline.
      const read = await server.api('GET', `/api/tickets/${t.id}`, { token: tokens.agent1 });
      expect((read.body as Ticket).assignments?.map((a) => a.reason)).toEqual([
        'needs the network team',
        'router expert',
      ]);
    } finally {
      eng.socket.disconnect();
      lead.socket.disconnect();
      agent.socket.disconnect();
    }
  });

  it('point 10: append-only commands without expectedVersion never conflict; stale ones do', async () => {
    const t = await dispatched(true);
    const comments = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        send('agent1', { type: 'ticket.comment', ticketId: t.id, body: `at once ${i}` }),
      ),
    );
    expect(comments.map((c) => c.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const stale = await send('agent1', {
      type: 'ticket.comment',
      ticketId: t.id,
      expectedVersion: t.version,
      body: 'sent with an old version',
    });
    expect(stale.status).toBe(409);
    const staleForm = await send('eng1', {
      type: 'ticket.accept',
      ticketId: t.id,
      expectedVersion: t.version,
    });
    expect(staleForm.status).toBe(409);
  });

  it('point 11: closed tickets are found by number; wallboards may not look them up', async () => {
    const t = await dispatched(true);
    await ok('eng1', { type: 'ticket.accept', ticketId: t.id });
    await ok('eng1', { type: 'ticket.resolve', ticketId: t.id, code: 'fixed', summary: 'ok' });
    await ok('agent2', { type: 'ticket.followUp', ticketId: t.id, outcome: 'satisfied' });
    await ok('agent2', { type: 'ticket.close', ticketId: t.id });
    const found = await server.api('GET', `/api/tickets/by-number/${t.number}`, {
      token: tokens.eng3,
    });
    expect(found.status).toBe(200);
    expect((found.body as Ticket).status).toBe('closed');
    const closed = await server.api('GET', '/api/tickets?status=closed', { token: tokens.agent1 });
    expect((closed.body as { tickets: Ticket[] }).tickets.map((x) => x.id)).toContain(t.id);
    const none = await server.api('GET', '/api/tickets/by-number/INC-1999-000001', {
      token: tokens.agent1,
    });
    expect(none.status).toBe(404);
    const bad = await server.api('GET', '/api/tickets?number=%27%3B%20drop', {
      token: tokens.agent1,
    });
    expect(bad.status).toBe(400);
    const board = await server.api('GET', `/api/tickets/by-number/${t.number}`, {
      token: tokens.board,
    });
    expect(board.status).toBe(403);
  });

  it('finding 13: major incidents, non-human assignees, confirmations as the customer, root causes', async () => {
    const major = await send('agent1', {
      type: 'ticket.create',
      title: 'x',
      description: '',
      channel: 'hotline',
      majorIncident: true,
    });
    expect(major.status).toBe(403);
    const t = await dispatched(false);
    const toBoard = await send('agent1', {
      type: 'ticket.assign',
      ticketId: t.id,
      assigneeId: ids.board,
    });
    expect(toBoard.status).toBe(400);
    expect(toBoard.ack.error?.fields?.map((f) => f.path)).toEqual(['assigneeId']);
    const onCreate = await send('agent1', {
      type: 'ticket.create',
      title: 'y',
      description: '',
      channel: 'hotline',
      assigneeId: ids.board,
    });
    expect(onCreate.status).toBe(400);
    await ok('eng1', { type: 'ticket.accept', ticketId: t.id });
    const m = await ok('eng1', { type: 'ticket.milestone.add', ticketId: t.id, title: 'Tested' });
    const asCustomer = await send('agent1', {
      type: 'ticket.milestone.confirm',
      ticketId: t.id,
      milestoneId: m.milestones[0]?.id,
      side: 'customer',
      onBehalf: false,
    });
    expect(asCustomer.status).toBe(403);

    // Root cause: a major incident of L2, declared and closed by the duty manager.
    const declared = await server.api('POST', `/api/major-incidents/${t.id}`, {
      token: tokens.dm1,
      body: {},
    });
    expect(declared.status, JSON.stringify(declared.body)).toBe(201);
    const closedMajor = await server.api('POST', `/api/major-incidents/${t.id}/close`, {
      token: tokens.dm1,
      body: { summary: 'restored' },
    });
    expect(closedMajor.status, JSON.stringify(closedMajor.body)).toBe(200);
    const rootCause = (who: string, summary: string) =>
      server.api('POST', `/api/major-incidents/${t.id}/root-cause`, {
        token: tokens[who],
        body: { summary },
      });
    expect((await rootCause('eng3', 'not my group')).status).toBe(403);
    expect((await rootCause('eng1', 'router firmware')).status).toBe(200);
    expect((await rootCause('lead2', 'overwrite')).status).toBe(403);
    expect((await rootCause('dm1', 'router firmware 4.2')).status).toBe(200);
  });
});
