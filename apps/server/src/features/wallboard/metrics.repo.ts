import type { Ticket } from '@dutydesk/shared';
import { and, asc, eq, inArray, isNull, sql } from 'drizzle-orm';
import { queryRows, type Db } from '../../db/client';
import { alerts, events, groups, users } from '../../db/schema/index';
import { queryOnDuty } from '../roster';

/** A group as the metrics need it: the tier decides first-contact resolution. */
export interface MetricsGroup {
  id: string;
  name: string;
  nameZh: string;
  tier: number;
}

/** One routing fact of a ticket: the creation (with its initial routing) or a reassignment. */
export interface RoutingFact {
  ticketId: string;
  type: 'ticket.created' | 'ticket.assigned' | 'ticket.reopened' | 'ticket.followedUp';
  at: string;
  groupId: string | null;
  assigneeId: string | null;
  outcome: string | null;
}

/** One open top-level alert (a ticket's prompt or a digest), as the alerts table holds it. */
export interface OpenAlertFact {
  id: string;
  severity: string;
  message: string;
  /** When it was first raised. */
  createdAt: string;
  ticketId: string | null;
}

/** Everything the desk metrics read, from one consistent database snapshot. */
export interface MetricsInput {
  /** Newest event seq the snapshot reflects. */
  seq: number;
  /**
   * Open tickets plus every ticket changed since `since`: a target met or breached, a first
   * response, a resolution or a rating inside the window always changed the ticket row after
   * `since` (breaches of still-open tickets are caught by `open`). The heavy logs are dropped.
   */
  tickets: Ticket[];
  groups: MetricsGroup[];
  routing: RoutingFact[];
  /** Open top-level alerts (digest members are counted by their digest), oldest first. */
  alerts: OpenAlertFact[];
  /**
   * The stored roster: whether any shift is planned at all, and who is on duty at the read's
   * `now` (by the roster's duties, covers applied). Absent: the roster was not read.
   */
  roster?: { configured: boolean; onDuty: RosterDutyFact[] };
}

/** One person on duty now by the roster, with the duty they hold. */
export interface RosterDutyFact {
  userId: string;
  displayName: string;
  duty: string;
  roles: string[];
}

const ROUTING_TYPES = [
  'ticket.created',
  'ticket.assigned',
  'ticket.reopened',
  'ticket.followedUp',
] as const;

/**
 * Reads the metrics input in one REPEATABLE READ, read-only transaction, so `seq` and the
 * rows agree exactly.
 */
export async function readMetricsInput(db: Db, since: Date, now?: Date): Promise<MetricsInput> {
  return db.transaction(
    async (tx) => {
      const seqRows = await queryRows<{ seq: string | number | null }>(
        tx,
        sql`select max(seq) as seq from events`,
      );
      const ticketRows = await queryRows<{ state: Ticket | string }>(
        tx,
        // Milestones and contacts stay: they meet targets (announce, contact-15m, …), and the
        // live evaluation of an open ticket's clocks must see them, or a met target would keep
        // counting down and later count as breached.
        sql`select state - 'comments' - 'executionLog' - 'description' as state
            from tickets
            where open or updated_at >= ${since.toISOString()}::timestamptz`,
      );
      const tickets = ticketRows.map((r) => {
        const state = (typeof r.state === 'string' ? JSON.parse(r.state) : r.state) as Ticket;
        return { ...state, description: '', comments: [], executionLog: [] };
      });
      const groupRows = await tx.select().from(groups).orderBy(asc(groups.tier), asc(groups.id));
      const ids = tickets.map((t) => t.id);
      const routing: RoutingFact[] = [];
      for (let i = 0; i < ids.length; i += 5_000) {
        const rows = await tx
          .select({
            ticketId: events.ticketId,
            type: events.type,
            at: events.at,
            data: events.data,
          })
          .from(events)
          .where(
            and(
              inArray(events.ticketId, ids.slice(i, i + 5_000)),
              inArray(events.type, [...ROUTING_TYPES]),
            ),
          )
          .orderBy(asc(events.seq));
        for (const r of rows) {
          const d = (r.data ?? {}) as Record<string, unknown>;
          routing.push({
            ticketId: r.ticketId ?? '',
            type: r.type as RoutingFact['type'],
            at: r.at.toISOString(),
            groupId: typeof d.groupId === 'string' ? d.groupId : null,
            assigneeId: typeof d.assigneeId === 'string' ? d.assigneeId : null,
            outcome: typeof d.outcome === 'string' ? d.outcome : null,
          });
        }
      }
      // Open alerts as the escalation feature keeps them: what a duty manager still has to
      // acknowledge, not a replay of every alert event the log ever held.
      const alertRows = await tx
        .select({
          id: alerts.id,
          severity: alerts.severity,
          message: alerts.message,
          createdAt: alerts.createdAt,
          ticketId: alerts.ticketId,
        })
        .from(alerts)
        .where(and(eq(alerts.status, 'open'), isNull(alerts.parentId)))
        .orderBy(asc(alerts.createdAt), asc(alerts.id));
      let roster: MetricsInput['roster'];
      if (now) {
        const planned = await queryRows<{ any: boolean }>(
          tx,
          sql`select exists(select 1 from roster_shifts) as any`,
        );
        const onDuty = await queryOnDuty(tx, now);
        const ids = [...new Set(onDuty.map((o) => o.userId))];
        const roleRows = ids.length
          ? await tx
              .select({ id: users.id, roles: users.roles })
              .from(users)
              .where(inArray(users.id, ids))
          : [];
        const rolesOf = new Map(roleRows.map((u) => [u.id, u.roles]));
        roster = {
          configured: Boolean(planned[0]?.any),
          onDuty: onDuty.map((o) => ({
            userId: o.userId,
            displayName: o.displayName,
            duty: o.duty,
            roles: rolesOf.get(o.userId) ?? [],
          })),
        };
      }
      return {
        roster,
        seq: Number(seqRows[0]?.seq ?? 0),
        tickets,
        groups: groupRows.map((g) => ({ id: g.id, name: g.name, nameZh: g.nameZh, tier: g.tier })),
        routing,
        alerts: alertRows.map((a) => ({ ...a, createdAt: a.createdAt.toISOString() })),
      };
    },
    { isolationLevel: 'repeatable read', accessMode: 'read only' },
  );
}
