/**
 * The ticket/event contract as the renderer uses it. This is the one seam to
 * `@dutydesk/shared`: the handshake, presence, ack and login schemas already
 * come from there; the ticket and event shapes are local, permissive stand-ins
 * until the shared ticket contract (`Ticket`, `eventSchema`, `applyEvent`) is
 * exported, and are swapped for it here without touching any caller.
 */
import { z } from 'zod';

export {
  commandAckSchema,
  helloSchema,
  loginResponseSchema,
  presenceSchema,
  PROTOCOL_VERSION,
} from '@dutydesk/shared';
export type { AppError, Hello, LoginResponse, Presence, PublicUser } from '@dutydesk/shared';

export const Priority = { P1: 'P1', P2: 'P2', P3: 'P3' } as const;
export type Priority = (typeof Priority)[keyof typeof Priority];

export const SlaState = {
  running: 'running',
  paused: 'paused',
  met: 'met',
  breached: 'breached',
} as const;
export type SlaState = (typeof SlaState)[keyof typeof SlaState];

/** Statuses of the five-step flow; the queue shows the open ones by default. */
export const TicketStatus = {
  received: 'received',
  classified: 'classified',
  dispatched: 'dispatched',
  in_progress: 'in_progress',
  pending: 'pending',
  resolved: 'resolved',
  follow_up: 'follow_up',
  closed: 'closed',
  reopened: 'reopened',
} as const;
export type TicketStatus = (typeof TicketStatus)[keyof typeof TicketStatus];

export const OPEN_STATUSES: readonly string[] = [
  TicketStatus.received,
  TicketStatus.classified,
  TicketStatus.dispatched,
  TicketStatus.in_progress,
  TicketStatus.pending,
  TicketStatus.reopened,
  TicketStatus.follow_up,
];

export const slaTargetSchema = z
  .object({
    name: z.string(),
    dueAt: z.string().nullable(),
    state: z.enum([SlaState.running, SlaState.paused, SlaState.met, SlaState.breached]),
    /** When the clock started; with it the countdown colours by share of the budget. */
    startedAt: z.string().nullable().optional(),
    /** Warning thresholds as shares of the budget (0.75 = 75 %), if the policy sends them. */
    thresholds: z.array(z.number()).optional(),
  })
  .loose();
export type SlaTarget = z.infer<typeof slaTargetSchema>;

export const ticketSchema = z
  .object({
    id: z.string(),
    number: z.string(),
    title: z.string().default(''),
    status: z.string(),
    priority: z.enum([Priority.P1, Priority.P2, Priority.P3]),
    groupId: z.string().nullable().default(null),
    assigneeId: z.string().nullable().default(null),
    version: z.number().int(),
    receivedAt: z.string().optional(),
    updatedAt: z.string().optional(),
    sla: z
      .object({ targets: z.array(slaTargetSchema) })
      .loose()
      .default({ targets: [] }),
  })
  .loose();
export type Ticket = z.infer<typeof ticketSchema>;

export const eventSchema = z
  .object({
    seq: z.number().int().nonnegative(),
    id: z.string(),
    type: z.string(),
    ticketId: z.string().nullable().optional(),
    at: z.string(),
    actorId: z.string().nullable(),
    data: z.unknown(),
  })
  .loose();
export type DomainEvent = z.infer<typeof eventSchema>;

export const snapshotSchema = z.object({
  seq: z.number().int().nonnegative(),
  tickets: z.array(ticketSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const ticketListSchema = z.object({ tickets: z.array(ticketSchema) });

/** A command as sent: the bridge adds `commandId`. */
export interface CommandInput {
  type: string;
  ticketId?: string;
  expectedVersion?: number;
  [field: string]: unknown;
}
export interface Command extends CommandInput {
  commandId: string;
}

export type CommandAck =
  | { ok: true; ticket?: unknown; events: unknown[] }
  | {
      ok: false;
      error: {
        code: string;
        message: string;
        fields?: { path: string; message: string }[];
        ticket?: unknown;
      };
    };

const ticketInDataSchema = z.object({ ticket: ticketSchema });

/**
 * Stand-in reducer until the shared `applyEvent` lands: an event that carries
 * the ticket after the change (`data.ticket`) replaces it when newer;
 * anything else leaves the ticket as it is.
 */
export function applyEvent(ticket: Ticket | undefined, event: DomainEvent): Ticket | undefined {
  const parsed = ticketInDataSchema.safeParse(event.data);
  if (!parsed.success) return ticket;
  const next = parsed.data.ticket;
  if (ticket && next.version < ticket.version) return ticket;
  return next;
}

/** Whether an event concerns the alerts slice rather than a ticket. */
export function isAlertEvent(event: DomainEvent): boolean {
  return event.type.startsWith('alert.');
}
