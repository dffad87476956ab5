/** The intake feature's queries (integration tokens, settings, alerts, devices, health states, calls). */
import { and, eq, inArray, isNull, sql } from 'drizzle-orm';
import type { Db } from '../../db/client';
import { queryRows } from '../../db/client';
import {
  deviceMetricStates,
  intakeAlerts,
  intakeCalls,
  intakeSettings,
  integrations,
  monitoredDevices,
  tickets,
} from '../../db/schema/index';
import type { HealthState } from './health';

export interface IntegrationRecord {
  id: string;
  name: string;
  kind: string;
  createdBy: string | null;
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const integrationColumns = {
  id: integrations.id,
  name: integrations.name,
  kind: integrations.kind,
  createdBy: integrations.createdBy,
  createdAt: integrations.createdAt,
  lastUsedAt: integrations.lastUsedAt,
  revokedAt: integrations.revokedAt,
};

export async function insertIntegration(
  db: Db,
  r: IntegrationRecord & { tokenHash: string },
): Promise<void> {
  await db.insert(integrations).values(r);
}

export async function listIntegrations(db: Db): Promise<IntegrationRecord[]> {
  return db.select(integrationColumns).from(integrations).orderBy(integrations.createdAt);
}

export async function countLiveIntegrations(db: Db): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(integrations)
    .where(isNull(integrations.revokedAt));
  return Number(row?.n ?? 0);
}

/** Marks an integration revoked; false when there is none (or it was revoked already). */
export async function revokeIntegration(db: Db, id: string, now: Date): Promise<boolean> {
  const rows = await db
    .update(integrations)
    .set({ revokedAt: now })
    .where(and(eq(integrations.id, id), isNull(integrations.revokedAt)))
    .returning({ id: integrations.id });
  return rows.length > 0;
}

export async function findIntegrationByHash(
  db: Db,
  tokenHash: string,
): Promise<IntegrationRecord | null> {
  const [row] = await db
    .select(integrationColumns)
    .from(integrations)
    .where(eq(integrations.tokenHash, tokenHash));
  return row ?? null;
}

export async function touchIntegration(db: Db, id: string, now: Date): Promise<void> {
  await db.update(integrations).set({ lastUsedAt: now }).where(eq(integrations.id, id));
}

export async function readIntakeSettingsRow(db: Db): Promise<unknown> {
  const [row] = await db
    .select({ data: intakeSettings.data })
    .from(intakeSettings)
    .where(eq(intakeSettings.id, 'default'));
  return row?.data ?? null;
}

export async function saveIntakeSettingsRow(db: Db, data: unknown, now: Date): Promise<void> {
  await db
    .insert(intakeSettings)
    .values({ id: 'default', data, updatedAt: now })
    .onConflictDoUpdate({ target: intakeSettings.id, set: { data, updatedAt: now } });
}

export interface AlertRow {
  fingerprint: string;
  ticketId: string;
  status: string;
  startsAt: string;
  lastKey: string;
  count: number;
  lastSeenAt: Date;
}

export async function readAlert(db: Db, fingerprint: string): Promise<AlertRow | null> {
  const [row] = await db
    .select()
    .from(intakeAlerts)
    .where(eq(intakeAlerts.fingerprint, fingerprint));
  return row ?? null;
}

export async function saveAlert(db: Db, r: AlertRow): Promise<void> {
  await db
    .insert(intakeAlerts)
    .values(r)
    .onConflictDoUpdate({
      target: intakeAlerts.fingerprint,
      set: {
        ticketId: r.ticketId,
        status: r.status,
        startsAt: r.startsAt,
        lastKey: r.lastKey,
        count: r.count,
        lastSeenAt: r.lastSeenAt,
      },
    });
}

/** The status of each ticket (those that exist). */
export async function readTicketStatuses(
  db: Db,
  ids: readonly string[],
): Promise<Map<string, { status: string; priority: string }>> {
  if (ids.length === 0) return new Map();
  const rows = await db
    .select({ id: tickets.id, status: tickets.status, priority: tickets.priority })
    .from(tickets)
    .where(inArray(tickets.id, [...ids]));
  return new Map(rows.map((r) => [r.id, { status: r.status, priority: r.priority }]));
}

export interface DeviceRecord {
  id: string;
  name: string;
  organisationId: string | null;
  leadContactId: string | null;
  thresholds: Record<string, number>;
  createdAt: Date;
  updatedAt: Date;
}

function toDevice(r: typeof monitoredDevices.$inferSelect): DeviceRecord {
  return { ...r, thresholds: r.thresholds as Record<string, number> };
}

export async function upsertDevice(db: Db, d: DeviceRecord): Promise<void> {
  await db
    .insert(monitoredDevices)
    .values(d)
    .onConflictDoUpdate({
      target: monitoredDevices.id,
      set: {
        name: d.name,
        organisationId: d.organisationId,
        leadContactId: d.leadContactId,
        thresholds: d.thresholds,
        updatedAt: d.updatedAt,
      },
    });
}

export async function readDevice(db: Db, id: string): Promise<DeviceRecord | null> {
  const [row] = await db.select().from(monitoredDevices).where(eq(monitoredDevices.id, id));
  return row ? toDevice(row) : null;
}

export async function readDevices(db: Db, ids: readonly string[]): Promise<DeviceRecord[]> {
  if (ids.length === 0) return [];
  const rows = await db
    .select()
    .from(monitoredDevices)
    .where(inArray(monitoredDevices.id, [...ids]));
  return rows.map(toDevice);
}

export async function listDevices(db: Db, limit: number): Promise<DeviceRecord[]> {
  const rows = await db.select().from(monitoredDevices).orderBy(monitoredDevices.id).limit(limit);
  return rows.map(toDevice);
}

export async function deleteDevice(db: Db, id: string): Promise<boolean> {
  const rows = await db
    .delete(monitoredDevices)
    .where(eq(monitoredDevices.id, id))
    .returning({ id: monitoredDevices.id });
  if (rows.length > 0)
    await db.delete(deviceMetricStates).where(eq(deviceMetricStates.deviceId, id));
  return rows.length > 0;
}

/** The health states of these device metrics, keyed `device\u0000metric`. */
export async function readHealthStates(
  db: Db,
  keys: ReadonlyArray<{ deviceId: string; metric: string }>,
): Promise<Map<string, HealthState>> {
  const out = new Map<string, HealthState>();
  if (keys.length === 0) return out;
  const devices = [...new Set(keys.map((k) => k.deviceId))];
  const rows = await db
    .select()
    .from(deviceMetricStates)
    .where(inArray(deviceMetricStates.deviceId, devices));
  for (const r of rows) out.set(`${r.deviceId}\u0000${r.metric}`, r.state as HealthState);
  return out;
}

export async function saveHealthStates(
  db: Db,
  states: ReadonlyArray<{ deviceId: string; metric: string; state: HealthState }>,
  now: Date,
): Promise<void> {
  for (let i = 0; i < states.length; i += 1000) {
    const chunk = states.slice(i, i + 1000);
    await db
      .insert(deviceMetricStates)
      .values(chunk.map((s) => ({ ...s, updatedAt: now })))
      .onConflictDoUpdate({
        target: [deviceMetricStates.deviceId, deviceMetricStates.metric],
        set: { state: sql`excluded.state`, updatedAt: sql`excluded.updated_at` },
      });
  }
}

export interface CallRow {
  id: string;
  kind: string;
  ticketId: string | null;
  caller: string | null;
  queuedAt: Date | null;
  answeredAt: Date | null;
  endedAt: Date | null;
  lastKey: string;
  updatedAt: Date;
}

export async function readCall(db: Db, id: string): Promise<CallRow | null> {
  const [row] = await db.select().from(intakeCalls).where(eq(intakeCalls.id, id));
  return row ?? null;
}

export async function saveCall(db: Db, r: CallRow): Promise<void> {
  await db
    .insert(intakeCalls)
    .values(r)
    .onConflictDoUpdate({
      target: intakeCalls.id,
      set: {
        ticketId: r.ticketId,
        caller: r.caller,
        queuedAt: r.queuedAt,
        answeredAt: r.answeredAt,
        endedAt: r.endedAt,
        lastKey: r.lastKey,
        updatedAt: r.updatedAt,
      },
    });
}

/**
 * Hotline calls of a day (queued since `from`): how many are waiting now (queued, neither
 * answered nor ended), how many were answered, and how many within `withinMs` of queueing.
 */
export async function countCallsSince(
  db: Db,
  from: Date,
  withinMs: number,
): Promise<{ waiting: number; total: number; answered: number; answeredWithin: number }> {
  const rows = await queryRows<{
    waiting: number | string;
    total: number | string;
    answered: number | string;
    within: number | string;
  }>(
    db,
    sql`select
          count(*) filter (where ${intakeCalls.answeredAt} is null and ${intakeCalls.endedAt} is null) as waiting,
          count(*) as total,
          count(*) filter (where ${intakeCalls.answeredAt} is not null) as answered,
          count(*) filter (where ${intakeCalls.answeredAt} is not null
            and extract(epoch from (${intakeCalls.answeredAt} - ${intakeCalls.queuedAt})) * 1000 <= ${withinMs}) as within
        from ${intakeCalls}
        where ${intakeCalls.kind} = 'call' and ${intakeCalls.queuedAt} >= ${from}`,
  );
  const r = rows[0];
  return {
    waiting: Number(r?.waiting ?? 0),
    total: Number(r?.total ?? 0),
    answered: Number(r?.answered ?? 0),
    answeredWithin: Number(r?.within ?? 0),
  };
}
