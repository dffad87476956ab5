/**
 * The contract as the renderer uses it: the one seam to `@dutydesk/shared`.
 * Tickets, events and the reducer are the shared ones, so every seat holds
 * exactly what the server holds for the same seq.
 */
import { z } from 'zod';
import { alertRaisedDataSchema, roleSchema, ticketSchema } from '@dutydesk/shared';
import type { CommandInput as SharedCommandInput } from '@dutydesk/shared';

export {
  alertRaisedDataSchema,
  applyEvent,
  canActOnTicket,
  commandAckSchema,
  computePriority,
  eventSchema,
  helloSchema,
  isCommandAllowed,
  isTicketEvent,
  listUnconfirmedMilestones,
  findNextContactTarget,
  handoffNotificationSchema,
  mayActOnTicket,
  mayConfirmAsLead,
  mayPerformCommand,
  loginResponseSchema,
  OPEN_STATUSES,
  presenceSchema,
  Priority,
  PriorityColour,
  PROTOCOL_VERSION,
  resolvePriority,
  SlaState,
  TicketStatus,
  ticketSchema,
  TRANSITIONS,
} from '@dutydesk/shared';
export type {
  AppError,
  Channel,
  ContactChannel,
  HandoffNotification,
  TicketKind,
  DomainEvent,
  ExecutionEntry,
  Hello,
  Level,
  LoginResponse,
  Milestone,
  Presence,
  PublicUser,
  RoleName,
  SlaTarget,
  SupervisionEntry,
  Ticket,
  TicketCommandType,
} from '@dutydesk/shared';

export const snapshotSchema = z.object({
  seq: z.number().int().nonnegative(),
  tickets: z.array(ticketSchema),
});
export type Snapshot = z.infer<typeof snapshotSchema>;

export const ticketListSchema = z.object({ tickets: z.array(ticketSchema) });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command as a view writes it: the bridge adds `commandId`. */
export type CommandInput = DistributiveOmit<SharedCommandInput, 'commandId'>;
/** A command as sent on the wire. */
export type Command = CommandInput & { commandId: string };

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

/** Answer of `sync { after }`: the events after a seq, `more` when the page was full. */
export const syncAckSchema = z.union([
  z.object({ ok: z.literal(true), events: z.array(z.unknown()), more: z.boolean() }),
  z.object({ ok: z.literal(false), error: z.object({ code: z.string(), message: z.string() }) }),
]);

/** Whether an event concerns the alerts slice rather than a ticket. */
export function isAlertEvent(event: { type: string }): boolean {
  return event.type.startsWith('alert.');
}

/**
 * `alerts { alerts }`, sent once after every (re)connect: the open alerts this seat may see,
 * so a seat that got a snapshot (and so none of the `alert.raised` events) still has every
 * prompt. An alert as the server lists it; unknown keys are allowed.
 */
export const openAlertSchema = z
  .object({
    id: alertRaisedDataSchema.shape.alertId,
    ticketId: z.string().nullable(),
    kind: z.string().min(1).max(64),
    severity: alertRaisedDataSchema.shape.severity,
    level: z.number().int().positive(),
    message: z.string().max(2_000),
    recipientIds: z.array(z.string()),
    roles: z.array(roleSchema),
    lastRaisedAt: z.string(),
  })
  .loose();
export type OpenAlert = z.infer<typeof openAlertSchema>;

export const openAlertsMessageSchema = z.object({ alerts: z.array(z.unknown()) });
