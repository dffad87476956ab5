import type { StateCreator } from 'zustand';
import { alertRaisedDataSchema } from '../../realtime/contract';
import type { RoleName } from '../../realtime/contract';
import type { AppState } from '../../store/appStore';
import type { SessionUser } from '../login/session.slice';

export const AlertSeverity = { info: 'info', warning: 'warning', critical: 'critical' } as const;
export type AlertSeverity = (typeof AlertSeverity)[keyof typeof AlertSeverity];

/**
 * What the server said the alert is about, beyond its (English) message: the seat words
 * the prompt itself from these, in its own language.
 */
export interface AlertDetails {
  /** SLA target (`response`, `resolve`, `contact-15m`…) of a threshold alert. */
  target: string | null;
  /** Threshold percent (100 is the breach). */
  threshold: number | null;
  ticketNumber: string | null;
  /** How many times it was raised, or how many tickets a digest holds. */
  count: number;
  /** The kind of the alerts a digest folds. */
  memberKind: string | null;
  /** When the alert climbs to the next level if nobody acknowledges it (null: it does not). */
  climbAt: string | null;
  /** The ticket's priority when the alert was raised (the store's ticket is fresher). */
  priority: string | null;
  /** A handover alert's stored report (`GET /api/roster/handovers`). */
  handoverId: string | null;
  /** A handover alert's shift (`GET /api/roster/handovers/:shiftId`). */
  shiftId: string | null;
  /** A refused dispatch: who refused it (a user id) and why. */
  refusedBy: string | null;
  reason: string | null;
}

const str = (v: unknown): string | null => (typeof v === 'string' && v ? v : null);
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Reads the details out of an alert's loose data (`alert.raised` data or a listed alert's). */
export function readAlertDetails(
  data: Record<string, unknown>,
  count?: unknown,
  climbAt?: unknown,
): AlertDetails {
  return {
    climbAt: str(climbAt) ?? str(data.climbAt),
    priority: str(data.priority),
    handoverId: str(data.handoverId),
    shiftId: str(data.shiftId),
    target: str(data.target),
    threshold: num(data.threshold),
    ticketNumber: str(data.ticketNumber),
    count: num(count ?? data.count) ?? 1,
    memberKind: str(data.memberKind),
    refusedBy: str(data.refusedBy),
    reason: str(data.reason),
  };
}

/** An escalation alert as pushed to this seat; stays until acknowledged. */
export interface Alert {
  id: string;
  ticketId: string | null;
  kind: string;
  severity: AlertSeverity;
  /** Escalation level when the server sends one (`data.level`), else 1. */
  level: number;
  /** The server's wording (English); shown only for kinds the seat cannot word itself. */
  message: string;
  details: AlertDetails;
  /** Whom the alert is for: users by id, or every holder of a role. Both empty: every staff seat. */
  recipientIds: string[];
  roles: RoleName[];
  raisedAt: string;
  ackedAt: string | null;
  ackedBy: string | null;
}

/**
 * Folds an `alert.*` event into the alerts. Unknown alert events and
 * malformed data leave them unchanged.
 */
export function applyAlertEvent(
  alerts: Record<string, Alert>,
  event: {
    type: string;
    ticketId: string | null;
    at: string;
    actorId: string | null;
    data: unknown;
  },
): Record<string, Alert> {
  if (event.type === 'alert.raised') {
    const parsed = alertRaisedDataSchema.safeParse(event.data);
    if (!parsed.success) return alerts;
    const data = parsed.data;
    const level = typeof data.level === 'number' ? data.level : 1;
    const ticketId = typeof data.ticketId === 'string' ? data.ticketId : event.ticketId;
    const alert: Alert = {
      id: data.alertId,
      ticketId: ticketId ?? null,
      kind: data.kind,
      severity: data.severity,
      level,
      message: data.message,
      details: readAlertDetails(data),
      recipientIds: data.recipientIds ?? [],
      roles: data.roles ?? [],
      raisedAt: event.at,
      ackedAt: null,
      ackedBy: null,
    };
    return { ...alerts, [alert.id]: alert };
  }
  if (event.type === 'alert.acknowledged') {
    const alertId = (event.data as { alertId?: unknown } | null)?.alertId;
    const existing = typeof alertId === 'string' ? alerts[alertId] : undefined;
    if (!existing || existing.ackedAt) return alerts;
    return { ...alerts, [existing.id]: { ...existing, ackedAt: event.at, ackedBy: event.actorId } };
  }
  return alerts;
}

/** Whether an alert is meant for this user (by id, by role, or for everyone). */
export function isAlertForUser(
  alert: Pick<Alert, 'recipientIds' | 'roles'>,
  user: Pick<SessionUser, 'id' | 'roles'> | null,
): boolean {
  if (!user || user.roles.every((r) => r === 'wallboard')) return false;
  if (alert.recipientIds.length === 0 && alert.roles.length === 0) return true;
  return (
    alert.recipientIds.includes(user.id) || alert.roles.some((role) => user.roles.includes(role))
  );
}

export interface AlertsSlice {
  alerts: Record<string, Alert>;
  /**
   * Takes the server's list of open alerts (sent after every connect): adds the ones this seat
   * missed (a snapshot carries no alert events), never reopens one already acknowledged here,
   * and closes those of `openBefore` (open here before the connect) the server no longer lists:
   * they were acknowledged while this seat was away.
   */
  mergeOpenAlerts(open: readonly Alert[], openBefore: readonly string[], at: string): void;
}

export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = (set) => ({
  alerts: {},
  mergeOpenAlerts: (open, openBefore, at) =>
    set((state) => {
      const listed = new Set(open.map((a) => a.id));
      let alerts = state.alerts;
      const write = (alert: Alert): void => {
        if (alerts === state.alerts) alerts = { ...alerts };
        alerts[alert.id] = alert;
      };
      for (const alert of open) {
        const existing = alerts[alert.id];
        if (existing?.ackedAt) continue;
        // An open one already here stays as its events made it, unless it climbed meanwhile.
        if (existing && existing.level >= alert.level) continue;
        write(alert);
      }
      for (const id of openBefore) {
        const existing = alerts[id];
        if (!existing || existing.ackedAt || listed.has(id)) continue;
        write({ ...existing, ackedAt: at });
      }
      return alerts === state.alerts ? {} : { alerts };
    }),
});

/** An alert as listed by the server (`alerts` on connect) in the slice's shape. */
export function toAlertFromList(a: {
  id: string;
  ticketId: string | null;
  kind: string;
  severity: AlertSeverity;
  level: number;
  message: string;
  recipientIds: string[];
  roles: RoleName[];
  lastRaisedAt: string;
  count?: unknown;
  data?: unknown;
  climbAt?: unknown;
}): Alert {
  return {
    id: a.id,
    ticketId: a.ticketId,
    kind: a.kind,
    severity: a.severity,
    level: a.level,
    message: a.message,
    details: readAlertDetails(
      typeof a.data === 'object' && a.data !== null ? (a.data as Record<string, unknown>) : {},
      a.count,
      a.climbAt,
    ),
    recipientIds: a.recipientIds,
    roles: a.roles,
    raisedAt: a.lastRaisedAt,
    ackedAt: null,
    ackedBy: null,
  };
}

/** Open (unacknowledged) alerts meant for the signed-in user, oldest first. */
export function selectMyOpenAlerts(state: Pick<AppState, 'alerts' | 'session'>): Alert[] {
  const user = state.session?.user ?? null;
  return Object.values(state.alerts)
    .filter((a) => a.ackedAt === null && isAlertForUser(a, user))
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
}

/** Every open alert of the desk (the duty-manager board), oldest first. */
export function selectAllOpenAlerts(state: Pick<AppState, 'alerts'>): Alert[] {
  return Object.values(state.alerts)
    .filter((a) => a.ackedAt === null)
    .sort((a, b) => a.raisedAt.localeCompare(b.raisedAt));
}

/** Number of this user's alerts not yet acknowledged (tray badge, title badge). */
export function selectOpenAlertCount(state: Pick<AppState, 'alerts' | 'session'>): number {
  return selectMyOpenAlerts(state).length;
}
