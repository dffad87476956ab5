import { eventSchema } from '@dutydesk/shared';
import type { DomainEvent, Ticket } from '../realtime/contract';
import type { Session } from '../features/login/session.slice';

export const T0 = Date.parse('2026-03-02T09:00:00.000Z');

type Loose<T> = {
  [K in keyof T]?: T[K] extends string ? string : T[K] extends string | null ? string | null : T[K];
};

/** A whole, valid shared `Ticket`; ids are plain strings in tests. */
export function makeTicket(overrides: Loose<Ticket> & { id: string }): Ticket {
  const at = new Date(T0).toISOString();
  const base = {
    number: `INC-${overrides.id.padStart(6, '0')}`,
    version: 1,
    kind: 'incident',
    title: `Ticket ${overrides.id}`,
    description: '',
    channel: 'hotline',
    impact: 'medium',
    urgency: 'medium',
    priority: 'P2',
    category: null,
    module: null,
    customer: { org: null, contact: null, phone: null, email: null },
    groupId: 'l1',
    assigneeId: null,
    createdBy: null,
    status: 'in_progress',
    pendingReason: null,
    majorIncident: false,
    receivedAt: at,
    createdAt: at,
    updatedAt: at,
    firstResponseAt: null,
    lastPublicUpdateAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    followUp: null,
    statusHistory: [{ at, status: 'received', pendingReason: null }],
    comments: [],
    executionLog: [],
    supervisionLog: [],
    milestones: [],
    sla: { targets: [] },
    lastSeq: 0,
  };
  return { ...base, ...overrides } as Ticket;
}

export function runningTarget(name: string, dueAtMs: number, startedAtMs?: number) {
  return {
    name,
    dueAt: new Date(dueAtMs).toISOString(),
    state: 'running' as const,
    ...(startedAtMs === undefined ? {} : { startedAt: new Date(startedAtMs).toISOString() }),
  };
}

/** Builds a stored event and checks it against the shared contract. */
export function makeEvent(
  seq: number,
  type: DomainEvent['type'],
  ticketId: string | null,
  data: Record<string, unknown>,
  actorId: string | null = 'u1',
): DomainEvent {
  return eventSchema.parse({
    seq,
    id: `e${seq}`,
    type,
    ticketId,
    at: new Date(T0 + seq * 1000).toISOString(),
    actorId,
    data,
  });
}

/** `ticket.created` for a ticket as `makeTicket` would build it. */
export function createdEvent(seq: number, ticket: Ticket): DomainEvent {
  return makeEvent(seq, 'ticket.created', ticket.id, {
    version: 1,
    number: ticket.number,
    kind: ticket.kind,
    title: ticket.title,
    description: ticket.description,
    channel: ticket.channel,
    impact: ticket.impact,
    urgency: ticket.urgency,
    priority: ticket.priority,
    category: ticket.category,
    module: ticket.module,
    customer: ticket.customer,
    groupId: ticket.groupId,
    assigneeId: ticket.assigneeId,
    majorIncident: ticket.majorIncident,
    receivedAt: ticket.receivedAt,
    status: 'received',
  });
}

/** A reclassification that also renames nothing but bumps the version and sets `category`. */
export function classifiedEvent(
  seq: number,
  ticketId: string,
  version: number,
  patch: Record<string, unknown> = {},
): DomainEvent {
  return makeEvent(seq, 'ticket.classified', ticketId, {
    version,
    kind: 'incident',
    category: 'network',
    module: null,
    impact: 'medium',
    urgency: 'medium',
    priority: 'P2',
    majorIncident: false,
    status: 'classified',
    ...patch,
  });
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
