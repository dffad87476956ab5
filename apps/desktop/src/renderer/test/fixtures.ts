import type { DomainEvent, Ticket } from '../realtime/contract';
import type { Session } from '../store/slices/session';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

export function makeTicket(overrides: Partial<Ticket> & { id: string }): Ticket {
  return {
    number: `INC-${overrides.id.padStart(6, '0')}`,
    title: `Ticket ${overrides.id}`,
    status: 'in_progress',
    priority: 'P2',
    groupId: 'l1',
    assigneeId: null,
    version: 1,
    receivedAt: new Date(T0).toISOString(),
    sla: { targets: [] },
    ...overrides,
  };
}

export function runningTarget(name: string, dueAtMs: number, startedAtMs?: number) {
  return {
    name,
    dueAt: new Date(dueAtMs).toISOString(),
    state: 'running' as const,
    ...(startedAtMs === undefined ? {} : { startedAt: new Date(startedAtMs).toISOString() }),
  };
}

/** An event carrying the ticket after the change, as the stand-in reducer expects. */
export function ticketEvent(seq: number, ticket: Ticket, type = 'ticket.updated'): DomainEvent {
  return {
    seq,
    id: `e${seq}`,
    type,
    ticketId: ticket.id,
    at: new Date(T0 + seq * 1000).toISOString(),
    actorId: 'u1',
    data: { ticket },
  };
}

export const session: Session = {
  token: 'tok-1',
  user: {
    id: 'u1',
    username: 'li.na',
    displayName: 'Li Na',
    roles: ['agent'],
    groupIds: ['l1'],
    locale: 'en',
  },
};

export function makeHello(seq: number, serverTime: string) {
  return {
    protocolVersion: 1,
    serverTime,
    seq,
    replay: true,
    user: { ...session.user, locale: 'en', disabled: false },
  };
}
