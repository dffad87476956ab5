import { z } from 'zod';
import { roleSchema, type RoleName } from './auth';
import { storableString } from './text';

/**
 * Every id on the wire: a non-empty string of at most 64 characters. Tickets and entries are
 * uuids when the server makes them, but any such string is accepted so imported or
 * server-made ids (`l2-network`, `alert-42`) fit too.
 */
const idString = storableString().min(1, 'required').max(64, 'at most 64 characters');

/** A ticket's id. */
export const ticketIdSchema = idString.brand<'TicketId'>();
export type TicketId = z.infer<typeof ticketIdSchema>;

/** A user's id. */
export const userIdSchema = idString.brand<'UserId'>();
export type UserId = z.infer<typeof userIdSchema>;

/** A resolver group's id (L1 desk, L2, L3 …). */
export const groupIdSchema = idString.brand<'GroupId'>();
export type GroupId = z.infer<typeof groupIdSchema>;

/** A milestone's id, unique within its ticket. */
export const milestoneIdSchema = idString.brand<'MilestoneId'>();
export type MilestoneId = z.infer<typeof milestoneIdSchema>;

/** The id of a comment or of an execution / supervision log entry. */
export const logEntryIdSchema = idString.brand<'LogEntryId'>();
export type LogEntryId = z.infer<typeof logEntryIdSchema>;

/** A duty-manager alert's id. */
export const alertIdSchema = idString.brand<'AlertId'>();
export type AlertId = z.infer<typeof alertIdSchema>;

/** A customer organisation's id. */
export const organisationIdSchema = idString.brand<'OrganisationId'>();
export type OrganisationId = z.infer<typeof organisationIdSchema>;

/** A customer contact's id (a person who calls the desk). */
export const contactIdSchema = idString.brand<'ContactId'>();
export type ContactId = z.infer<typeof contactIdSchema>;

/** Casts a trusted string (a database column, a fixture) to a {@link TicketId}. */
export function asTicketId(s: string): TicketId {
  return s as TicketId;
}

/** Casts a trusted string to a {@link UserId}. */
export function asUserId(s: string): UserId {
  return s as UserId;
}

/** Casts a trusted string to a {@link GroupId}. */
export function asGroupId(s: string): GroupId {
  return s as GroupId;
}

/** Casts a trusted string to a {@link MilestoneId}. */
export function asMilestoneId(s: string): MilestoneId {
  return s as MilestoneId;
}

/** Casts a trusted string to a {@link LogEntryId}. */
export function asLogEntryId(s: string): LogEntryId {
  return s as LogEntryId;
}

/** Casts a trusted string to an {@link OrganisationId}. */
export function asOrganisationId(s: string): OrganisationId {
  return s as OrganisationId;
}

/** Casts a trusted string to a {@link ContactId}. */
export function asContactId(s: string): ContactId {
  return s as ContactId;
}

/** Casts a trusted string to an {@link AlertId}. */
export function asAlertId(s: string): AlertId {
  return s as AlertId;
}

/**
 * Who performs a command: the signed-in user as the domain sees it. Roles are the const
 * object `Role` and union `RoleName` from `contract/auth` (agent, engineer, duty_manager,
 * admin, wallboard); `groupIds` scopes what agents and engineers may touch.
 */
export const actorSchema = z.object({
  id: userIdSchema,
  roles: z.array(roleSchema),
  groupIds: z.array(groupIdSchema),
  displayName: z.string(),
  customer: z
    .object({
      contactId: z.string(),
      organisationId: z.string().nullable(),
      ticketId: z.string().nullable(),
      organisationWide: z.boolean(),
    })
    .optional(),
});

/**
 * What a customer actor (role `customer`, decision 52) reaches: its contact's tickets, its
 * organisation's when `organisationWide`, and only `ticketId` when it came with a signed link.
 */
export type CustomerScope = {
  contactId: string;
  organisationId: string | null;
  /** The one ticket of a signed link; null for a customer account. */
  ticketId: string | null;
  organisationWide: boolean;
};

/** Who performs a command (see {@link actorSchema}). */
export type Actor = {
  id: UserId;
  roles: RoleName[];
  groupIds: GroupId[];
  displayName: string;
  /** Set only on a customer actor (role `customer`): what it may reach. */
  customer?: CustomerScope;
};

/**
 * The prefix of the server's own intake actors (the e-mail intake is `intake:mail`): commands
 * the server runs for what arrives from outside. Users' ids are uuids, so none starts so, and
 * no request can act as one (actors are made by the server from a session or by the intake).
 */
export const INTAKE_ACTOR_PREFIX = 'intake:';

/**
 * Whether an actor is one of the server's intake actors (only they may send a comment
 * `fromCustomer`).
 * @example isIntakeActor({ id: 'intake:mail' }) // true
 */
export function isIntakeActor(actor: Pick<Actor, 'id'>): boolean {
  return actor.id.startsWith(INTAKE_ACTOR_PREFIX);
}
