import type { Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { expect } from 'vitest';
import type { TestServer } from '../../testing/harness';

/** Monday 2 March 2026, 10:00 in Shanghai: a plain working day. */
export const T0 = '2026-03-02T02:00:00.000Z';

export const MINUTE = 60_000;

/** A live event as seats receive it. */
export interface SeenEvent {
  seq: number;
  type: string;
  ticketId: string | null;
  at: string;
  data: { target?: string; threshold?: number } & Record<string, unknown>;
}

/** The ack of a command sent over REST. */
export interface CommandResult {
  ok: boolean;
  ticket?: Ticket;
  events?: SeenEvent[];
  error?: { code: string; message: string };
}

/** Sends a command over `POST /api/commands` and expects it to succeed. */
export async function sendCommand(
  server: TestServer,
  token: string,
  body: Record<string, unknown>,
): Promise<Ticket> {
  const res = await server.api('POST', '/api/commands', {
    token,
    body: { commandId: randomUUID(), ...body },
  });
  const ack = res.body as CommandResult;
  expect(ack.error ?? null).toBeNull();
  expect(res.status).toBe(200);
  return ack.ticket as Ticket;
}

/** Creates a ticket (received now unless `receivedAt` is given). */
export function createTicket(
  server: TestServer,
  token: string,
  extra: Record<string, unknown> = {},
): Promise<Ticket> {
  return sendCommand(server, token, {
    type: 'ticket.create',
    title: 'Core switch down',
    description: 'Floor 3 has no network',
    channel: 'hotline',
    priority: 'P1',
    ...extra,
  });
}

/** Creates group `l2` and returns the admin's user id, so tickets can be worked. */
export async function prepareDesk(server: TestServer, adminToken: string): Promise<string> {
  const g = await server.api('POST', '/api/groups', {
    token: adminToken,
    body: { id: 'l2', name: 'L2', nameZh: '二线', tier: 2 },
  });
  expect([201, 409]).toContain(g.status);
  const me = await server.api('GET', '/api/users', { token: adminToken });
  const admin = (me.body as { users: Array<{ id: string; username: string }> }).users.find(
    (u) => u.username === 'admin',
  );
  return admin?.id ?? '';
}

/** Walks a ticket to `in_progress` (classify, assign to the admin, accept). */
export async function startWork(
  server: TestServer,
  token: string,
  ticketId: string,
  adminId: string,
): Promise<Ticket> {
  await sendCommand(server, token, { type: 'ticket.classify', ticketId, category: 'network' });
  await sendCommand(server, token, {
    type: 'ticket.assign',
    ticketId,
    groupId: 'l2',
    assigneeId: adminId,
  });
  return sendCommand(server, token, { type: 'ticket.accept', ticketId });
}

/** Reads a ticket over `GET /api/tickets/:id`. */
export async function readTicketOverHttp(
  server: TestServer,
  token: string,
  id: string,
): Promise<Ticket> {
  const res = await server.api('GET', `/api/tickets/${id}`, { token });
  expect(res.status).toBe(200);
  return res.body as Ticket;
}

/** Every stored `sla.warning` / `sla.breached` event, in seq order. */
export async function readThresholdEvents(
  server: TestServer,
  token: string,
  ticketId?: string,
): Promise<SeenEvent[]> {
  const out: SeenEvent[] = [];
  let after = 0;
  for (;;) {
    const res = await server.api('GET', `/api/events?after=${after}&limit=5000`, { token });
    const page = (res.body as { events: SeenEvent[] }).events;
    if (page.length === 0) return out;
    after = page[page.length - 1]?.seq ?? after;
    out.push(
      ...page.filter(
        (e) =>
          (e.type === 'sla.warning' || e.type === 'sla.breached') &&
          (ticketId === undefined || e.ticketId === ticketId),
      ),
    );
  }
}

/** `target:threshold` labels of threshold events. */
export function labelEvents(events: ReadonlyArray<SeenEvent>): string[] {
  return events.map((e) => `${e.type}:${String(e.data.target)}:${String(e.data.threshold)}`);
}

/** Collects a socket's live `event`s and resolves waits on them without sleeping. */
export class EventCollector {
  readonly events: SeenEvent[] = [];
  private waiters: Array<{ check: () => boolean; resolve: () => void }> = [];

  constructor(socket: Socket) {
    socket.on('event', (e: SeenEvent) => {
      this.events.push(e);
      this.waiters = this.waiters.filter((w) => {
        if (!w.check()) return true;
        w.resolve();
        return false;
      });
    });
  }

  /**
   * Threshold events of one ticket received so far, in seq order (as seats apply them: live
   * delivery may swap events that commit close together, see docs/protocol.md).
   */
  thresholds(ticketId: string): SeenEvent[] {
    return this.events
      .filter(
        (e) => (e.type === 'sla.warning' || e.type === 'sla.breached') && e.ticketId === ticketId,
      )
      .sort((a, b) => a.seq - b.seq);
  }

  /** Resolves once `check` holds. */
  waitUntil(check: () => boolean): Promise<void> {
    if (check()) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ check, resolve }));
  }
}

/** The distinct threshold instants a ticket's targets carry, in time order. */
export function listThresholdInstants(ticket: Ticket): Array<{ at: string; labels: string[] }> {
  const byAt = new Map<string, string[]>();
  for (const target of ticket.sla.targets) {
    const thresholds = (target as { thresholds?: Array<{ percent: number; at: string }> })
      .thresholds;
    for (const th of thresholds ?? []) {
      const type = th.percent >= 100 ? 'sla.breached' : 'sla.warning';
      const list = byAt.get(th.at) ?? [];
      list.push(`${type}:${target.name}:${th.percent}`);
      byAt.set(th.at, list);
    }
  }
  return [...byAt.entries()]
    .sort(([a], [b]) => Date.parse(a) - Date.parse(b))
    .map(([at, labels]) => ({ at, labels: labels.sort() }));
}
