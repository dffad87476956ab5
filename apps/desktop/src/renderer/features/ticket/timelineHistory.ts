import type { Translate } from '../../i18n/i18n';
import type { Ticket } from '../../realtime/contract';
import { contactTargetKey } from './ActionForms';

/** A timeline line made from the ticket's history lists (assignments, priority, contacts). */
export interface HistoryItem {
  key: string;
  at: string;
  actorId: string | null;
  text: string;
  kind: 'status' | 'log';
}

/** Names for the texts: a group's name in the seat's language, a person's display name. */
export interface HistoryNames {
  group(id: string | null): string | null;
  user(id: string | null): string | null;
}

function describeTarget(
  t: Translate,
  names: HistoryNames,
  groupId: string | null,
  assigneeId: string | null,
): string {
  const parts = [names.group(groupId), names.user(assigneeId)].filter(Boolean);
  return parts.length > 0 ? parts.join(' / ') : t('timeline.unassigned');
}

/**
 * The dispatches and reassignments (with their reasons), the priority changes (with theirs)
 * and the customer contacts (with the contact deadline each met), as timeline lines.
 * @example buildHistoryItems(ticket, t, names)
 */
export function buildHistoryItems(
  ticket: Ticket,
  t: Translate,
  names: HistoryNames,
): HistoryItem[] {
  const items: HistoryItem[] = [];
  (ticket.assignments ?? []).forEach((a, i) => {
    const to = describeTarget(t, names, a.groupId, a.assigneeId);
    const first = a.previousGroupId === null && a.previousAssigneeId === null;
    const text = a.refused
      ? t('timeline.refused', { from: names.user(a.previousAssigneeId) ?? '—' })
      : first
        ? t('timeline.assigned', { to })
        : t('timeline.reassigned', {
            from: describeTarget(t, names, a.previousGroupId, a.previousAssigneeId),
            to,
          });
    items.push({
      key: `a${i}`,
      at: a.at,
      actorId: a.actorId,
      kind: 'status',
      text: a.reason ? t('timeline.withReason', { text, reason: a.reason }) : text,
    });
  });
  (ticket.priorityChanges ?? []).forEach((p, i) => {
    const text = t('timeline.priorityChanged', { from: p.from, to: p.to });
    items.push({
      key: `p${i}`,
      at: p.at,
      actorId: p.actorId,
      kind: 'status',
      text: p.reason ? t('timeline.withReason', { text, reason: p.reason }) : text,
    });
  });
  for (const c of ticket.contacts ?? []) {
    const channel = t(`contact.channel.${c.channel}`);
    items.push({
      key: `k${c.id}`,
      at: c.at,
      actorId: c.actorId,
      kind: 'log',
      text: c.target
        ? t('timeline.contactMet', {
            channel,
            target: t(contactTargetKey(c.target)),
            summary: c.summary,
          })
        : t('timeline.contact', { channel, summary: c.summary }),
    });
  }
  return items;
}
