import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { createTicket } from '../sla/sla.testing';

/** Issue 14 finding 9: idempotency keys are scoped by actor, on the alert ack and the bus. */
describe.each(DRIVERS)('command idempotency is per actor on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  const users: Record<string, { id: string; token: string }> = {};

  async function addUser(username: string, roles: string[]): Promise<void> {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: { username, password: 'password-123', displayName: username, roles },
    });
    expect(res.status).toBe(201);
    users[username] = {
      id: (res.body as { id: string }).id,
      token: await server.login(username, 'password-123'),
    };
  }
  const u = (name: string): { id: string; token: string } => {
    const found = users[name];
    if (!found) throw new Error(`no user ${name}`);
    return found;
  };

  async function raiseFor(recipient: string, ticketId: string | null = null): Promise<string> {
    const ticket = ticketId
      ? ((await server.api('GET', `/api/tickets/${ticketId}`, { token: admin })).body as never)
      : null;
    const [alert] = await server.escalation.raise([
      {
        ticket,
        stepKey: `test-${randomUUID()}`,
        kind: 'test',
        severity: 'critical',
        message: 'Test alert',
        levels: [{ notify: 'duty_manager', ackMinutes: 10 }],
        recipientIds: [u(recipient).id],
      },
    ]);
    if (!alert) throw new Error('no alert raised');
    return alert.id;
  }

  async function alertStatus(id: string): Promise<string> {
    const res = await server.api('GET', `/api/alerts/${id}`, { token: admin });
    expect(res.status).toBe(200);
    return (res.body as { status: string }).status;
  }

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '100000' } });
    admin = await server.login('admin', ADMIN_PASSWORD);
    await addUser('agent', ['agent']);
    await addUser('dm', ['duty_manager']);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it("the REST ack's default commandId cannot be pre-claimed: an agent's earlier command under the old predictable id does not answer the duty manager's ack", async () => {
    const ticket = await createTicket(server, admin);
    const alertId = await raiseFor('dm', ticket.id);
    // The old default was `ack-<alertId>-<userId>`: the agent claims it with a ticket command.
    const claimed = await server.api('POST', '/api/commands', {
      token: u('agent').token,
      body: {
        commandId: `ack-${alertId}-${u('dm').id}`,
        type: 'ticket.comment',
        ticketId: ticket.id,
        body: 'claimed',
      },
    });
    expect(claimed.status).toBe(200);
    const ack = await server.api('POST', `/api/alerts/${alertId}/ack`, {
      token: u('dm').token,
      body: {},
    });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ ok: true });
    expect(JSON.stringify(ack.body)).not.toContain('claimed');
    expect(await alertStatus(alertId)).toBe('acknowledged');
  });

  it("alert.ack with another user's commandId is a 409 conflict, not their stored result (which carried a whole ticket)", async () => {
    const ticket = await createTicket(server, admin, { description: 'secret description' });
    const alertId = await raiseFor('dm', ticket.id);
    const commandId = randomUUID();
    const first = await server.api('POST', '/api/commands', {
      token: u('agent').token,
      body: { commandId, type: 'ticket.comment', ticketId: ticket.id, body: 'hello' },
    });
    expect(first.status).toBe(200);
    // Over REST with an explicit commandId, and over the bus (`POST /api/commands`).
    const viaRoute = await server.api('POST', `/api/alerts/${alertId}/ack`, {
      token: u('dm').token,
      body: { commandId },
    });
    expect(viaRoute.status).toBe(409);
    expect(JSON.stringify(viaRoute.body)).not.toContain('secret description');
    const viaBus = await server.api('POST', '/api/commands', {
      token: u('dm').token,
      body: { commandId, type: 'alert.ack', alertId },
    });
    expect(viaBus.status).toBe(409);
    expect(viaBus.body).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(viaBus.body)).not.toContain('secret description');
    expect(await alertStatus(alertId)).toBe('open');
    // The same actor retrying gets their first result back (idempotency still holds).
    const retry = await server.api('POST', '/api/commands', {
      token: u('agent').token,
      body: { commandId, type: 'ticket.comment', ticketId: ticket.id, body: 'hello' },
    });
    expect(retry.status).toBe(200);
    expect((retry.body as { events: Array<{ seq: number }> }).events).toEqual(
      (first.body as { events: Array<{ seq: number }> }).events,
    );
  });

  it("a ticket command under another user's commandId is a 409 conflict on the command bus", async () => {
    const ticket = await createTicket(server, admin, { description: 'private' });
    const commandId = randomUUID();
    const first = await server.api('POST', '/api/commands', {
      token: u('dm').token,
      body: { commandId, type: 'ticket.comment', ticketId: ticket.id, body: 'dm note' },
    });
    expect(first.status).toBe(200);
    const stolen = await server.api('POST', '/api/commands', {
      token: u('agent').token,
      body: { commandId, type: 'ticket.comment', ticketId: ticket.id, body: 'dm note' },
    });
    expect(stolen.status).toBe(409);
    expect(stolen.body).toMatchObject({ ok: false, error: { code: 'conflict' } });
    expect(JSON.stringify(stolen.body)).not.toContain('private');
  });
});
