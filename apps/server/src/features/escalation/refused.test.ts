import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, rosterShift, startTestServer, type TestServer } from '../../testing/harness';
import type { Ack } from '../../testing/seat';
import { AlertInbox, signInAndAddL2, type PushedAlert } from './escalation.testing';
import { createTicket, MINUTE, sendCommand } from '../sla/sla.testing';

/**
 * Refusing a dispatch (decision 36), on the real server with its escalation loop running on the
 * wall clock: the assignee's `ticket.refuse` over a socket clears the assignment, and the
 * committed refusal wakes the engine, which alerts every seat of the duty manager on duty.
 */
describe.each(DRIVERS)('refusing a dispatch on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};
  const id = (name: string): string => users[name]?.id ?? '';
  const token = (name: string): string => users[name]?.token ?? '';

  async function addUser(username: string, roles: string[]): Promise<void> {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: {
        username,
        password: 'password-123',
        displayName: `${username} name`,
        roles,
        groups: ['l2'],
      },
    });
    expect(res.status).toBe(201);
    users[username] = {
      id: (res.body as { id: string }).id,
      token: await server.login(username, 'password-123'),
    };
  }

  /** A P3 ticket classified and dispatched to `l2` and to `assignee`. */
  async function dispatchTo(assignee: string): Promise<string> {
    const ticket = await createTicket(server, admin, { priority: 'P3' });
    await sendCommand(server, admin, {
      type: 'ticket.classify',
      ticketId: ticket.id,
      category: 'network',
    });
    await sendCommand(server, admin, {
      type: 'ticket.assign',
      ticketId: ticket.id,
      groupId: 'l2',
      assigneeId: id(assignee),
    });
    return ticket.id;
  }

  async function emit(socket: Socket, body: Record<string, unknown>): Promise<Ack> {
    return (await socket.emitWithAck('command', { commandId: randomUUID(), ...body })) as Ack;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver });
    admin = await signInAndAddL2(server);
    await addUser('eng1', ['engineer']);
    await addUser('eng2', ['engineer']);
    await addUser('dm1', ['duty_manager']);
    await addUser('dm2', ['duty_manager']);
    const now = Date.now();
    await rosterShift(server, admin, now - 60 * MINUTE, now + 24 * 60 * MINUTE, [
      [id('dm1'), 'duty_manager'],
    ]);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('the assignee refuses: assignment cleared, dispatched to the group again, and every seat of the duty manager on duty gets the alert at once (latency printed), until acknowledged', async () => {
    const ticketId = await dispatchTo('eng1');
    const dmSeatA = new AlertInbox((await server.connect(token('dm1'))).socket);
    const dmSeatB = new AlertInbox((await server.connect(token('dm1'))).socket);
    const offDuty = new AlertInbox((await server.connect(token('dm2'))).socket);
    const { socket: engineer } = await server.connect(token('eng1'));

    const isRefusal = (a: PushedAlert) => a.ticketId === ticketId && a.kind === 'dispatch.refused';
    const started = performance.now();
    const ack = await emit(engineer, {
      type: 'ticket.refuse',
      ticketId,
      reason: 'Database work, not network',
    });
    expect(ack.error ?? null).toBeNull();
    const [a, b] = await Promise.all([
      dmSeatA.next(isRefusal, 'refusal on dm1 seat A'),
      dmSeatB.next(isRefusal, 'refusal on dm1 seat B'),
    ]);
    const latencyMs = performance.now() - started;
    console.log(
      `[refuse ${driver}] refuse sent → both seats of the duty manager on duty: ${latencyMs.toFixed(1)} ms`,
    );
    // The target is a second (printed above); asserted is what a loaded machine still meets.
    expect(latencyMs, `refusal → seats took ${latencyMs.toFixed(0)} ms`).toBeLessThan(10_000);
    expect(b.id).toBe(a.id);
    expect(a).toMatchObject({
      stepKey: 'dispatch/refused',
      status: 'open',
      recipientIds: [id('dm1')],
      data: {
        refusedBy: id('eng1'),
        reason: 'Database work, not network',
        ticketNumber: expect.stringMatching(/^INC-/),
      },
    });
    expect(ack.ticket).toMatchObject({ status: 'dispatched', groupId: 'l2', assigneeId: null });
    expect(ack.ticket?.assignments?.at(-1)).toMatchObject({
      refused: true,
      previousAssigneeId: id('eng1'),
      reason: 'Database work, not network',
    });
    // Not on duty: the alert is not pushed to dm2 (duty managers may still list it).
    expect(offDuty.alerts.some(isRefusal)).toBe(false);

    // Never lost: a seat that connects later gets it in the open alerts, until acknowledged.
    let listed: (alerts: PushedAlert[]) => void = () => {};
    const onConnect = new Promise<PushedAlert[]>((resolve) => (listed = resolve));
    const late = await server.connect(token('dm1'), {}, (s) => {
      s.on('alerts', (m: { alerts: PushedAlert[] }) => listed(m.alerts));
    });
    expect((await onConnect).filter(isRefusal).map((x) => x.id)).toEqual([a.id]);
    const ackAlert = await emit(late.socket, { type: 'alert.ack', alertId: a.id });
    expect(ackAlert.error ?? null).toBeNull();
    const stored = await server.api('GET', `/api/alerts/${a.id}`, { token: admin });
    expect(stored.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: id('dm1') });

    // The duty manager dispatches it again, to a colleague who takes it on.
    await sendCommand(server, token('dm1'), {
      type: 'ticket.assign',
      ticketId,
      assigneeId: id('eng2'),
      reason: 'eng2 knows the database',
    });
    const accepted = await sendCommand(server, token('eng2'), { type: 'ticket.accept', ticketId });
    expect(accepted).toMatchObject({ status: 'in_progress', assigneeId: id('eng2') });
  });

  it('refuses anyone but the current assignee, an unassigned or resolved ticket, and a missing reason', async () => {
    const ticketId = await dispatchTo('eng1');
    const { socket: colleague } = await server.connect(token('eng2'));
    const { socket: manager } = await server.connect(token('dm1'));
    const { socket: engineer } = await server.connect(token('eng1'));

    const notAssignee = await emit(colleague, { type: 'ticket.refuse', ticketId, reason: 'x' });
    expect(notAssignee.error).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/only its assignee/),
    });
    const byManager = await emit(manager, { type: 'ticket.refuse', ticketId, reason: 'x' });
    expect(byManager.error?.code).toBe('forbidden');
    const noReason = await emit(engineer, { type: 'ticket.refuse', ticketId, reason: '   ' });
    expect(noReason.error).toMatchObject({ code: 'invalid' });
    expect(JSON.stringify(noReason.error?.fields)).toContain('reason');
    const tooLong = await emit(engineer, {
      type: 'ticket.refuse',
      ticketId,
      reason: 'x'.repeat(2_001),
    });
    expect(tooLong.error?.code).toBe('invalid');
    const rest = await server.api('POST', '/api/commands', {
      token: token('eng2'),
      body: { commandId: randomUUID(), type: 'ticket.refuse', ticketId, reason: 'x' },
    });
    expect(rest.status).toBe(403);

    // Refused once: the ticket is nobody's, so a second refusal is refused.
    const first = await emit(engineer, { type: 'ticket.refuse', ticketId, reason: 'Not mine' });
    expect(first.error ?? null).toBeNull();
    const again = await emit(engineer, { type: 'ticket.refuse', ticketId, reason: 'Again' });
    expect(again.error?.code).toBe('forbidden');

    // Resolved: too late to refuse.
    const done = await dispatchTo('eng1');
    await sendCommand(server, token('eng1'), { type: 'ticket.accept', ticketId: done });
    await sendCommand(server, token('eng1'), {
      type: 'ticket.resolve',
      ticketId: done,
      code: 'fixed',
      summary: 'Port re-enabled',
    });
    const late = await emit(engineer, { type: 'ticket.refuse', ticketId: done, reason: 'x' });
    expect(late.error).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/not yet resolved/),
    });
  });
});
