import type { Ticket } from '@dutydesk/shared';
import type { Db } from '../db/client';
import { checkAlertVisible } from '../features/escalation/alertView';
import type { StoredEvent } from '../features/events/events.repo';
import { readAlertTargets } from './alertTargets.repo';

/**
 * What a caller may read: the one rule behind every read path (REST `GET /api/tickets`,
 * `GET /api/tickets/:id`, the timeline, `GET /api/events`, the socket's snapshot, replay, `sync`,
 * the live fan-out and `GET /api/search`).
 *
 * - Staff (agent, engineer, duty manager, admin) read every ticket whole: the desk works any
 *   ticket it is shown, and the role × group matrix decides what they may *do*, not see.
 * - Alert events (`alert.raised`, `alert.acknowledged`) only for whom `GET /api/alerts` shows
 *   the alert: its targets, duty managers and admins (`checkAlertVisible`).
 * - QA verdicts (`qa.*`, decision 61) only for duty managers, admins and the agent the verdict
 *   is about (an agent reads their own scorecard only).
 * - A device (a session whose user holds only `wallboard`: wallboard device tokens) reads what
 *   a wallboard shows: a ticket summary (number, title, kind, priority, status, group,
 *   assignee, deadlines) and no free text, contacts, comments, logs, milestones or alerts.
 *
 * The event stream stays gap-free for every seat: an event the caller may not see is sent as
 * `event.withheld` (same seq and instant, nothing else), so seats still detect real gaps.
 */
export interface Viewer {
  id: string;
  roles: readonly string[];
}

/** Whom an alert is for (the alerts table's `targets`). */
export interface AlertTargets {
  recipientIds: string[];
  roles: string[];
}

/** A session that holds only the `wallboard` role: it reads the wallboard's summary only. */
export function isDeviceViewer(viewer: Viewer): boolean {
  return viewer.roles.length > 0 && viewer.roles.every((r) => r === 'wallboard');
}

/** Seats of these roles see every event whole (all alerts included). */
export function seesEverything(viewer: Viewer): boolean {
  return viewer.roles.includes('duty_manager') || viewer.roles.includes('admin');
}

const NO_CUSTOMER: Ticket['customer'] = { org: null, contact: null, phone: null, email: null };

/** The ticket as a device may read it: the summary, no free text, no people outside the desk. */
export function summarizeForDevice(t: Ticket): Ticket {
  // Built field by field (never spread): a field added to the ticket later stays out.
  return {
    id: t.id,
    number: t.number,
    version: t.version,
    kind: t.kind,
    title: t.title,
    description: '',
    channel: t.channel,
    impact: t.impact,
    urgency: t.urgency,
    priority: t.priority,
    category: null,
    module: null,
    customer: NO_CUSTOMER,
    groupId: t.groupId,
    assigneeId: t.assigneeId,
    createdBy: null,
    status: t.status,
    pendingReason: t.pendingReason,
    majorIncident: t.majorIncident,
    receivedAt: t.receivedAt,
    createdAt: t.createdAt,
    updatedAt: t.updatedAt,
    firstResponseAt: t.firstResponseAt,
    lastPublicUpdateAt: t.lastPublicUpdateAt,
    resolvedAt: t.resolvedAt,
    closedAt: t.closedAt,
    resolution: null,
    followUp: null,
    statusHistory: t.statusHistory,
    comments: [],
    executionLog: [],
    supervisionLog: [],
    milestones: [],
    sla: t.sla,
    lastSeq: t.lastSeq,
  };
}

/** A ticket as this viewer may read it. */
export function viewTicket(viewer: Viewer, t: Ticket): Ticket {
  return isDeviceViewer(viewer) ? summarizeForDevice(t) : t;
}

/** Tickets as this viewer may read them. */
export function viewTickets(viewer: Viewer, list: readonly Ticket[]): Ticket[] {
  return isDeviceViewer(viewer) ? list.map(summarizeForDevice) : [...list];
}

/**
 * Who may read a search document's text (the search index stores it per document, decision 32):
 * `summary` what a device's ticket summary shows (number, title), `staff` the rest of a ticket
 * (description, customer, public comments, logs) and customer records, `internal` internal
 * comments (never for a customer).
 */
export const SearchAudience = { summary: 'summary', staff: 'staff', internal: 'internal' } as const;
export type SearchAudience = (typeof SearchAudience)[keyof typeof SearchAudience];

/**
 * The search audiences this viewer reads: the same rule as {@link viewTicket} (a device reads
 * the summary, staff every ticket whole, internal notes included), so search never finds, nor
 * shows in a snippet, a text the ticket reads would not show the same caller.
 */
export function searchAudiencesOf(viewer: Viewer): SearchAudience[] {
  if (isDeviceViewer(viewer)) return [SearchAudience.summary];
  return [SearchAudience.summary, SearchAudience.staff, SearchAudience.internal];
}

/** The event type that stands in for one the viewer may not read. */
export const WITHHELD = 'event.withheld';

/** The stand-in for an event the viewer may not read: its seq and instant, nothing else. */
export function withhold(e: StoredEvent): StoredEvent {
  return {
    seq: e.seq,
    id: e.id,
    type: WITHHELD,
    ticketId: null,
    actorId: null,
    at: e.at,
    data: {},
  };
}

type Data = Record<string, unknown>;

/**
 * Device redactions of the event types a wallboard's summary follows; every other type is
 * withheld from devices (default deny: a new event type is hidden until listed here).
 */
const deviceRedactions: Record<string, (d: Data) => Data> = {
  'ticket.created': (d) => ({
    ...d,
    description: '',
    category: null,
    module: null,
    customer: NO_CUSTOMER,
    // A linked ticket's records are nobody's business in the hall (decision 31).
    ...('organisationId' in d ? { organisationId: null, contactId: null, slaPolicyId: null } : {}),
  }),
  'ticket.classified': (d) => ({
    ...d,
    category: '',
    module: null,
    ...('reason' in d ? { reason: null } : {}),
  }),
  'ticket.assigned': (d) => ({ ...d, reason: null }),
  'ticket.accepted': (d) => d,
  'ticket.refused': (d) => ({ ...d, reason: '' }),
  'ticket.pended': (d) => ({ ...d, note: null }),
  'ticket.resumed': (d) => ({ ...d, note: null }),
  'ticket.resolved': (d) => ({ ...d, code: '', summary: '' }),
  'ticket.followedUp': (d) => ({ ...d, note: null }),
  'ticket.closed': (d) => d,
  'ticket.reopened': (d) => ({ ...d, reason: '' }),
  'sla.planned': (d) => d,
  'sla.warning': (d) => d,
  'sla.breached': (d) => d,
};

/** Whether an event type is about an alert (visible only to the alert's audience). */
export function isAlertEvent(type: string): boolean {
  return type === 'alert.raised' || type === 'alert.acknowledged';
}

/** Whether an event type is a QA review's (visible to reviewers and the agent it is about). */
export function isQaReviewEvent(type: string): boolean {
  return type.startsWith('qa.');
}

/** Whether staff seats may read an event of this type differently (alerts, QA reviews). */
export function isRestrictedEvent(type: string): boolean {
  return isAlertEvent(type) || isQaReviewEvent(type);
}

function qaAgentOf(e: StoredEvent): string | null {
  const agent = (e.data as { agentId?: unknown } | null)?.agentId;
  return typeof agent === 'string' ? agent : null;
}

/** The targets an alert event carries (raised: always; acknowledged: since decision 20). */
function targetsIn(e: StoredEvent): AlertTargets | undefined {
  const d = (e.data ?? {}) as { recipientIds?: unknown; roles?: unknown };
  if (!Array.isArray(d.recipientIds) && !Array.isArray(d.roles)) return undefined;
  return {
    recipientIds: Array.isArray(d.recipientIds) ? (d.recipientIds as string[]) : [],
    roles: Array.isArray(d.roles) ? (d.roles as string[]) : [],
  };
}

function alertIdOf(e: StoredEvent): string {
  return String((e.data as { alertId?: unknown } | null)?.alertId ?? '');
}

/**
 * One event as this viewer may read it (itself, a redacted copy, or {@link withhold}).
 * `targetsOf`: the alerts table's targets for alert events that carry none (older events).
 */
export function viewEvent(
  viewer: Viewer,
  e: StoredEvent,
  targetsOf: (alertId: string) => AlertTargets | undefined = () => undefined,
): StoredEvent {
  if (e.type === WITHHELD) return e;
  if (isDeviceViewer(viewer)) {
    const redact = deviceRedactions[e.type];
    return redact ? { ...e, data: redact((e.data ?? {}) as Data) } : withhold(e);
  }
  if (seesEverything(viewer)) return e;
  if (isQaReviewEvent(e.type)) return qaAgentOf(e) === viewer.id ? e : withhold(e);
  if (!isAlertEvent(e.type)) return e;
  const targets = targetsIn(e) ?? targetsOf(alertIdOf(e));
  return targets && checkAlertVisible(viewer, { targets }) ? e : withhold(e);
}

/** Whether any event of the list reads differently for different viewers. */
export function isViewerDependent(events: readonly StoredEvent[], viewer: Viewer): boolean {
  if (isDeviceViewer(viewer)) return true;
  if (seesEverything(viewer)) return false;
  return events.some((e) => isRestrictedEvent(e.type));
}

/**
 * Events as this viewer may read them, in the same order and with the same seqs; looks up the
 * targets of alert events that carry none.
 */
export async function viewEventsFromDb(
  db: Db,
  viewer: Viewer,
  events: readonly StoredEvent[],
): Promise<StoredEvent[]> {
  if (!isViewerDependent(events, viewer)) return [...events];
  const missing = events
    .filter((e) => isAlertEvent(e.type) && !targetsIn(e) && !isDeviceViewer(viewer))
    .map(alertIdOf);
  const targets = missing.length > 0 ? await readAlertTargets(db, missing) : new Map();
  return events.map((e) => viewEvent(viewer, e, (id) => targets.get(id)));
}
