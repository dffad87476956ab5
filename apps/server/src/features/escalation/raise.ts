/**
 * Raising alerts in the caller's transaction: a repeat for a ticket and step folds into the
 * open alert with a count, a new one goes to its first level's targets, and a burst for one
 * target group and step beyond `DIGEST_AFTER` folds into that group's digest.
 */
import type { Ticket } from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { Tx } from '../../db/client';
import {
  countOpenForTarget,
  lockOpenAlerts,
  lockOpenDigest,
  saveAlerts,
  type AlertRecord,
} from './escalation.repo';
import { addMinutes, makeResolver } from './levels';
import type { EscalationLevel } from './policy';

/**
 * More new alerts than this for one target group and step in one engine run are folded into
 * one digest alert for that group (the members stay stored, one per ticket and step).
 */
export const DIGEST_AFTER = 3;
/** Ticket ids listed in a digest's data (the count is exact; the list is capped). */
const DIGEST_LIST_MAX = 50;

/** What the server asks the ladder to raise outside SLA thresholds (major incidents, handovers). */
export interface RaiseRequest {
  ticket: Ticket | null;
  stepKey: string;
  kind: string;
  severity: AlertRecord['severity'];
  message: string;
  levels: EscalationLevel[];
  /** Fixed recipients instead of the first level's duty (the incoming duty manager of a handover). */
  recipientIds?: string[];
  data?: Record<string, unknown>;
}

/**
 * Saves the alerts `requests` raise or fold into and returns those to push now (new single
 * prompts, folded repeats, and digests `throttle` lets through). A fixed number of statements
 * whatever the number of requests (decision 57): one locks the open alerts of every (ticket,
 * step) asked for, two per target group and step read its digest and open count, and the
 * alerts are written together at the end (members already pointing at their digest).
 */
export async function applyRaises(
  tx: Tx,
  requests: RaiseRequest[],
  now: Date,
  throttle: (id: string) => boolean,
): Promise<AlertRecord[]> {
  const resolve = makeResolver(tx, now);
  const pairs = new Map<string, { ticketId: string; stepKey: string }>();
  for (const r of requests) {
    const ticketId = r.ticket?.id;
    if (ticketId) pairs.set(`${ticketId}|${r.stepKey}`, { ticketId, stepKey: r.stepKey });
  }
  const batch = await lockOpenAlerts(tx, [...pairs.values()]);
  /** Every alert this call writes, by id, saved once at the end in its final state. */
  const dirty = new Map<string, AlertRecord>();
  const fresh: AlertRecord[] = [];
  const emit = new Map<string, AlertRecord>();
  for (const r of requests) {
    const ticketId = r.ticket?.id ?? null;
    const key = `${ticketId ?? ''}|${r.stepKey}`;
    const existing = ticketId ? batch.get(key) : undefined;
    if (existing) {
      existing.count += 1;
      existing.lastRaisedAt = now.toISOString();
      const hit = new Set([
        ...((existing.data.targetsHit as string[] | undefined) ?? []),
        ...((r.data?.targetsHit as string[] | undefined) ?? []),
      ]);
      existing.data = { ...existing.data, ...r.data, targetsHit: [...hit] };
      dirty.set(existing.id, existing);
      if (!existing.parentId && !fresh.includes(existing)) emit.set(existing.id, existing);
      continue;
    }
    const first = r.levels[0];
    const targets = r.recipientIds
      ? { recipientIds: r.recipientIds, roles: [] }
      : first
        ? await resolve(first, r.ticket)
        : { recipientIds: [], roles: ['duty_manager'] };
    const alert: AlertRecord = {
      id: randomUUID(),
      ticketId,
      kind: r.kind,
      stepKey: r.stepKey,
      level: 1,
      severity: r.severity,
      message: r.message,
      targets,
      status: 'open',
      outcome: null,
      count: 1,
      parentId: null,
      createdAt: now.toISOString(),
      lastRaisedAt: now.toISOString(),
      climbAt: addMinutes(now, first?.ackMinutes ?? null),
      acknowledgedBy: null,
      acknowledgedAt: null,
      data: {
        ...r.data,
        ticketId,
        ticketNumber: r.ticket?.number ?? null,
        priority: r.ticket?.priority ?? null,
        targetKey: [...targets.recipientIds, ...targets.roles.map((x) => `role:${x}`)]
          .sort()
          .join(','),
      },
    };
    dirty.set(alert.id, alert);
    if (ticketId) batch.set(key, alert);
    fresh.push(alert);
  }
  const groups = new Map<string, AlertRecord[]>();
  for (const a of fresh) {
    const g = `${String(a.data.targetKey)}|${a.stepKey}`;
    groups.set(g, [...(groups.get(g) ?? []), a]);
  }
  for (const group of groups.values()) {
    const head = group[0];
    if (!head) continue;
    if (!head.ticketId) {
      for (const a of group) emit.set(a.id, a);
      continue;
    }
    const targetKey = String(head.data.targetKey);
    const open = await lockOpenDigest(tx, targetKey, head.stepKey);
    // Individual prompts while the target holds at most DIGEST_AFTER open ones for the step;
    // everything beyond folds into one digest per target group and step. The fresh alerts
    // are not written yet: the count is of the ones before them.
    const already = open ? 0 : await countOpenForTarget(tx, targetKey, head.stepKey);
    const room = open ? 0 : Math.max(0, DIGEST_AFTER - already);
    if (!open && group.length <= room) {
      for (const a of group) emit.set(a.id, a);
      continue;
    }
    for (const a of group.slice(0, room)) emit.set(a.id, a);
    group.splice(0, room);
    const digest: AlertRecord = open ?? {
      ...head,
      id: randomUUID(),
      ticketId: null,
      kind: 'digest',
      count: 0,
      data: { targetKey, memberKind: head.kind, ticketIds: [] },
    };
    digest.count += group.length;
    digest.lastRaisedAt = now.toISOString();
    const listed = (digest.data.ticketIds as string[] | undefined) ?? [];
    digest.data = {
      ...digest.data,
      ticketIds: [...listed, ...group.map((a) => a.ticketId as string)].slice(0, DIGEST_LIST_MAX),
    };
    digest.message = `${digest.count} tickets: ${head.message.replace(/^\S+ /, '')}`;
    dirty.set(digest.id, digest);
    // Members point at their digest and stop climbing on their own (written with the rows).
    for (const a of group) {
      a.parentId = digest.id;
      a.climbAt = null;
    }
    if (throttle(digest.id)) emit.set(digest.id, digest);
  }
  await saveAlerts(tx, [...dirty.values()]);
  return [...emit.values()];
}
