import type { MessageKey, Translate } from '../../i18n/i18n';
import type { Alert } from './alerts.slice';

const TARGET_KEYS: Record<string, MessageKey> = {
  response: 'sla.response',
  resolve: 'sla.resolve',
  update: 'sla.update',
  announce: 'sla.announce',
  restore: 'sla.restore',
  'contact-15m': 'sla.contact15m',
  'contact-2h': 'sla.contact2h',
  'contact-24h': 'sla.contact24h',
};

/** An SLA target's name in the current language (an unknown one as the server names it). */
export function formatTargetName(t: Translate, name: string): string {
  const key = TARGET_KEYS[name];
  return key ? t(key) : name;
}

/**
 * An alert's text in the seat's language, from what the server says it is about; the
 * server's own (English) message only for a kind this seat does not know. `userName` names
 * the engineer of a refused dispatch (the directory's display name).
 * @example formatAlertMessage(t, breach, 'INC-2026-000019') // 'INC-2026-000019 breached its Response deadline'
 */
export function formatAlertMessage(
  t: Translate,
  alert: Pick<Alert, 'kind' | 'message' | 'details'>,
  ticketNumber: string | null,
  userName: (id: string | null) => string | null = (id) => id,
): string {
  const d = alert.details;
  const number = ticketNumber ?? d.ticketNumber;
  const target = d.target ? formatTargetName(t, d.target) : null;
  if (alert.kind === 'digest') {
    return t(d.memberKind === 'sla.warning' ? 'alert.msg.digestWarning' : 'alert.msg.digest', {
      count: d.count,
    });
  }
  if (alert.kind === 'handover') return t('alert.msg.handover');
  if (number === null) return alert.message;
  if (alert.kind === 'sla.breached' && target) return t('alert.msg.breached', { number, target });
  if (alert.kind === 'sla.warning' && target && d.threshold !== null) {
    return t('alert.msg.warning', { number, target, threshold: d.threshold });
  }
  if (alert.kind === 'dispatch.refused') {
    return t('alert.msg.dispatchRefused', {
      number,
      engineer: userName(d.refusedBy) ?? '—',
      reason: d.reason ?? '—',
    });
  }
  if (alert.kind === 'major.declared') return t('alert.msg.majorDeclared', { number });
  if (alert.kind === 'major.rootCauseTask') return t('alert.msg.rootCauseTask', { number });
  if (alert.kind === 'major.rootCauseOverdue') return t('alert.msg.rootCauseOverdue', { number });
  return alert.message;
}
