/**
 * The contract as the renderer uses it: the one seam to `@dutydesk/shared`.
 * Tickets, events and the reducer are the shared ones, so every seat holds
 * exactly what the server holds for the same seq.
 */
import { z } from 'zod';
import { ticketSchema } from '@dutydesk/shared';
import type { CommandInput as SharedCommandInput } from '@dutydesk/shared';

export {
  alertRaisedDataSchema,
  alertViewSchema,
  applyEvent,
  canActOnTicket,
  commandAckSchema,
  computePriority,
  contactMatchSchema,
  isCustomerEvent,
  isKbEvent,
  classifyResponseSchema,
  kbArticleSchema,
  kbArticleSummarySchema,
  kbRevisionSchema,
  kbSearchResponseSchema,
  kbUnhelpfulSchema,
  KB_LANGUAGES,
  KB_PUBLISH_ROLES,
  KB_RETIRE_ROLES,
  isPhoneQuery,
  mayWriteCustomers,
  organisationOverviewSchema,
  summarizeTicket,
  organisationSchema,
  deskMetricsSchema,
  eventSchema,
  helloSchema,
  isCommandAllowed,
  isInlineContentType,
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
  SEARCH_KINDS,
  searchResponseSchema,
  SERVER_MESSAGES,
  serverMessageSchemas,
  SlaState,
  snapshotSchema,
  syncAckSchema,
  TicketStatus,
  ticketSchema,
  TRANSITIONS,
} from '@dutydesk/shared';
export type {
  ClassifierFeedback,
  ClassifierSuggestion,
  KbArticle,
  KbArticleSummary,
  KbHit,
  KbLanguage,
  KbRevision,
  KbState,
  KbUnhelpful,
  KbVisibility,
  CalendarDay,
  CalendarDiff,
  ReplanJobView,
  ReplanPreview,
  SearchHighlight,
  SearchKind,
  SearchResponse,
  SearchResult,
  Attachment,
  AlertView,
  AppError,
  ClientNoticeName,
  ClientNoticePayload,
  ClientRequestName,
  ClientRequestPayload,
  ClientToServerEvents,
  CommandAck,
  ContactMatch,
  CustomerContact,
  DeskMetrics,
  Organisation,
  OrganisationOverview,
  TicketSummary,
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
  ServerMessage,
  ServerMessageName,
  ServerToClientEvents,
  SlaTarget,
  Snapshot,
  SupervisionEntry,
  Ticket,
  TicketCommandType,
} from '@dutydesk/shared';

export const ticketListSchema = z.object({ tickets: z.array(ticketSchema) });

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** A command as a view writes it: the bridge adds `commandId`. */
export type CommandInput = DistributiveOmit<SharedCommandInput, 'commandId'>;
/** A command as sent on the wire. */
export type Command = CommandInput & { commandId: string };

/** Whether an event concerns the alerts slice rather than a ticket. */
export function isAlertEvent(event: { type: string }): boolean {
  return event.type.startsWith('alert.');
}
