/**
 * The SLA settings in force on a node (`ctx.sla`): built from policies and calendars, the
 * shipped defaults, loaded from and stored to `sla_settings` (reloaded when another node
 * stored a newer version), and the calendar lookup.
 */
import {
  businessCalendarSchema,
  defaultCalendars,
  defaultSlaPolicy,
  findSlaOrderProblems,
  selectPolicy,
  slaPolicySchema,
  type BusinessCalendar,
  type CalendarSet,
  type FieldError,
  type SlaPolicy,
  type Ticket,
} from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import {
  readSlaSettings,
  readSlaSettingsVersion,
  SlaSettingKind,
  writeSlaSettings,
} from './sla.repo';

/** The SLA policies and calendars in force; an admin's edits replace them (see sla.routes). */
export interface SlaSettings {
  /**
   * The policy of a ticket: its organisation's contract policy (`ticket.slaPolicyId`), else a
   * contract policy listing its organisation (by id, then the free-text name), else the default.
   */
  policyFor(ticket: Ticket): SlaPolicy;
  calendars(): CalendarSet;
  policies(): readonly SlaPolicy[];
  /** Version of the stored settings these were built from (0 = shipped defaults). */
  readonly version: number;
}

/**
 * Builds settings from policies and calendars. The policy without customers is the default;
 * the shipped default policy stands in when none is given.
 */
export function buildSlaSettings(
  policies: readonly SlaPolicy[],
  calendars: CalendarSet,
  version: number,
): SlaSettings {
  const list = policies.length > 0 ? [...policies] : [defaultSlaPolicy];
  const fallback = selectPolicy(list, null) ?? defaultSlaPolicy;
  const byId = new Map(list.map((p) => [p.id, p]));
  const listing = (key: string | null | undefined): SlaPolicy | undefined =>
    key ? list.find((p) => p.customerIds.includes(key)) : undefined;
  return {
    // The contract policy the ticket's organisation brought (decision 31), else a contract
    // policy listing the organisation's id, else one listing the free-text organisation (as
    // before the records), else the default.
    policyFor: (t) =>
      (t.slaPolicyId ? byId.get(t.slaPolicyId) : undefined) ??
      listing(t.organisationId) ??
      listing(t.customer?.org) ??
      fallback,
    calendars: () => calendars,
    policies: () => list,
    version,
  };
}

/** The settings of a fresh install: docs/architecture.md §5 defaults. */
export const defaultSlaSettings: SlaSettings = buildSlaSettings(
  [defaultSlaPolicy],
  defaultCalendars,
  0,
);

/**
 * Reads the stored policies and calendars into `ctx.sla` (stored calendars override the
 * shipped ones by id; stored policies replace the shipped default policy). A stored value that
 * no longer parses is skipped with an error in the log rather than stopping the server.
 */
export async function loadSlaSettings(ctx: AppContext): Promise<SlaSettings> {
  const { version, rows } = await readSlaSettings(ctx.database.db);
  const policies: SlaPolicy[] = [];
  const calendars: Record<string, BusinessCalendar> = { ...defaultCalendars };
  for (const row of rows) {
    const parsed =
      row.kind === SlaSettingKind.policy
        ? slaPolicySchema.safeParse(row.body)
        : businessCalendarSchema.safeParse(row.body);
    if (!parsed.success) {
      ctx.log.error({ kind: row.kind, id: row.id }, 'stored SLA setting does not parse; skipped');
      continue;
    }
    if (row.kind === SlaSettingKind.policy) policies.push(parsed.data as SlaPolicy);
    else calendars[row.id] = parsed.data as BusinessCalendar;
  }
  ctx.sla = buildSlaSettings(policies, calendars, version);
  return ctx.sla;
}

/** Reloads `ctx.sla` when another node (or this one) stored new settings. True when reloaded. */
export async function syncSlaSettings(ctx: AppContext): Promise<boolean> {
  const version = await readSlaSettingsVersion(ctx.database.db);
  if (version === ctx.sla.version) return false;
  await loadSlaSettings(ctx);
  ctx.log.info({ version }, 'SLA settings reloaded');
  return true;
}

/** Stores a validated policy list (replacing the stored one) and applies it on this node. */
export async function savePolicies(
  ctx: AppContext,
  policies: SlaPolicy[],
  by: string | null,
): Promise<number> {
  const version = await writeSlaSettings(
    ctx.database.db,
    policies.map((p) => ({ kind: SlaSettingKind.policy, id: p.id, body: p })),
    { replaceKind: SlaSettingKind.policy, by, at: ctx.clock.now() },
  );
  await loadSlaSettings(ctx);
  return version;
}

/**
 * Stores one calendar and applies it on this node. Throws a 400 HttpError when, with it, a
 * policy in force could make a resolution due before its response.
 */
export async function saveCalendar(
  ctx: AppContext,
  calendar: BusinessCalendar,
  by: string | null,
): Promise<number> {
  assertCalendarFits(ctx, calendar);
  const version = await writeSlaSettings(
    ctx.database.db,
    [{ kind: SlaSettingKind.calendar, id: calendar.id, body: calendar }],
    { by, at: ctx.clock.now() },
  );
  await loadSlaSettings(ctx);
  return version;
}

/**
 * Throws a 400 HttpError when, with this calendar, a policy in force could make a resolution
 * due before its response (a save and its dry run check the same).
 */
export function assertCalendarFits(ctx: AppContext, calendar: BusinessCalendar): void {
  const calendars = { ...ctx.sla.calendars(), [calendar.id]: calendar };
  const fields: FieldError[] = [];
  for (const policy of ctx.sla.policies()) {
    for (const problem of findSlaOrderProblems(policy, calendars, ctx.clock.now())) {
      fields.push({ path: `calendar`, message: `policy ${policy.id}: ${problem.message}` });
    }
  }
  if (fields.length > 0) {
    throw new HttpError(
      'invalid',
      'With this calendar a resolution would fall due before its response',
      fields,
    );
  }
}

/** The calendar in force with this id, or a 404 HttpError. */
export function findCalendar(ctx: AppContext, id: string): BusinessCalendar {
  const calendar = ctx.sla.calendars()[id];
  if (!calendar || !Object.hasOwn(ctx.sla.calendars(), id)) {
    throw new HttpError('not_found', `No calendar ${id}`);
  }
  return calendar;
}
