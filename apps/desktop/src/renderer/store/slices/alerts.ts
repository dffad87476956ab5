import { z } from 'zod';
import type { StateCreator } from 'zustand';
import type { DomainEvent } from '../../realtime/contract';
import type { AppState } from '../appStore';

/** An escalation alert as pushed to this seat; stays until acknowledged. */
export interface Alert {
  id: string;
  ticketId: string | null;
  level: number;
  message: string;
  raisedAt: string;
  ackedAt: string | null;
  ackedBy: string | null;
}

const raisedSchema = z
  .object({
    alertId: z.string(),
    ticketId: z.string().nullable().optional(),
    level: z.number().int().optional(),
    message: z.string().optional(),
  })
  .loose();
const ackedSchema = z.object({ alertId: z.string() }).loose();

/**
 * Folds an `alert.*` event into the open alerts. Unknown alert events and
 * malformed data leave them unchanged.
 */
export function applyAlertEvent(
  alerts: Record<string, Alert>,
  event: DomainEvent,
): Record<string, Alert> {
  if (event.type === 'alert.raised') {
    const data = raisedSchema.safeParse(event.data);
    if (!data.success) return alerts;
    const alert: Alert = {
      id: data.data.alertId,
      ticketId: data.data.ticketId ?? event.ticketId ?? null,
      level: data.data.level ?? 1,
      message: data.data.message ?? '',
      raisedAt: event.at,
      ackedAt: null,
      ackedBy: null,
    };
    return { ...alerts, [alert.id]: alert };
  }
  if (event.type === 'alert.acknowledged' || event.type === 'alert.acked') {
    const data = ackedSchema.safeParse(event.data);
    const existing = data.success ? alerts[data.data.alertId] : undefined;
    if (!existing) return alerts;
    return { ...alerts, [existing.id]: { ...existing, ackedAt: event.at, ackedBy: event.actorId } };
  }
  return alerts;
}

export interface AlertsSlice {
  alerts: Record<string, Alert>;
}

export const createAlertsSlice: StateCreator<AppState, [], [], AlertsSlice> = () => ({
  alerts: {},
});

/** Number of alerts not yet acknowledged (tray badge, title badge). */
export function selectOpenAlertCount(state: Pick<AppState, 'alerts'>): number {
  let count = 0;
  for (const alert of Object.values(state.alerts)) if (alert.ackedAt === null) count += 1;
  return count;
}
