import type { Alert } from './alerts.slice';

export interface ArrangedAlerts {
  /** Alerts that climb a ladder (warnings, breaches, major incidents), oldest first. */
  escalations: Alert[];
  /** Information for the user (a handover report ready, a task), oldest first. */
  notices: Alert[];
  /** Warnings whose breach of the same target on the same ticket is open too: not shown. */
  superseded: Alert[];
}

const supersedeKey = (alert: Alert): string | null =>
  alert.ticketId && alert.details.target ? `${alert.ticketId}|${alert.details.target}` : null;

/**
 * Sorts a user's open alerts for the stack: notices apart from escalations, and an SLA warning
 * (say 75 %) left out once the breach of the same target is open, which says more.
 * @example arrangeAlerts([warning75, breach]).escalations // [breach]
 */
export function arrangeAlerts(alerts: readonly Alert[]): ArrangedAlerts {
  const breached = new Set<string>();
  for (const a of alerts) {
    const key = supersedeKey(a);
    if (key && a.kind === 'sla.breached') breached.add(key);
  }
  const out: ArrangedAlerts = { escalations: [], notices: [], superseded: [] };
  for (const a of alerts) {
    const key = supersedeKey(a);
    if (a.kind === 'sla.warning' && key && breached.has(key)) out.superseded.push(a);
    else if (a.severity === 'info') out.notices.push(a);
    else out.escalations.push(a);
  }
  return out;
}
