/**
 * QA sampling (issue 22, decision 48), pure: which closed tickets a month's review looks at and
 * what is automatically wrong with each. No clock or randomness of its own: the caller gives
 * `now` and the seed, so a stored sample is drawn again exactly from its seed.
 */
import {
  getOffsetMs,
  QA_KEY_FIELDS,
  type QaFinding,
  type QaKeyField,
  type QaStratum,
} from '@dutydesk/shared';

export { QA_KEY_FIELDS, type QaFinding, type QaKeyField, type QaStratum };

/** Percent of the month's closed tickets sampled (rounded up). */
export const QA_SAMPLE_PERCENT = 10;
/** A closure is late for QA when it overran the resolve target by more than this percent of its window. */
export const QA_LATE_PERCENT = 20;
/** Key fields missing from which a ticket is flagged. */
export const QA_MISSING_THRESHOLD = 3;

/** What QA reads of a closed ticket (a ticket row without its logs' bodies). */
export interface QaTicket {
  id: string;
  number: string;
  priority: string;
  /** The assignee at closure; null: nobody. */
  assigneeId: string | null;
  receivedAt: string;
  resolvedAt: string | null;
  closedAt: string;
  category: string | null;
  module: string | null;
  customer: { contact: string | null; phone: string | null; email: string | null };
  contactId: string | null;
  resolution: { code: string; summary: string } | null;
  executionEntries: number;
  supervisionEntries: number;
  milestones: Array<{ leadConfirmation: unknown; customerConfirmation: unknown }>;
  targets: Array<{
    name: string;
    dueAt: string | null;
    startedAt?: string | null;
    metAt?: string | null;
  }>;
}

const blank = (s: string | null | undefined): boolean => s == null || s.trim() === '';

/** The key fields a ticket lacks, in {@link QA_KEY_FIELDS} order. */
export function missingKeyFields(t: QaTicket): QaKeyField[] {
  const missing: QaKeyField[] = [];
  if (blank(t.category)) missing.push('category');
  if (blank(t.module)) missing.push('module');
  const c = t.customer;
  if (t.contactId == null && blank(c.contact) && blank(c.phone) && blank(c.email))
    missing.push('customer_contact');
  if (!t.resolution || blank(t.resolution.summary)) missing.push('resolution_note');
  if (t.executionEntries === 0) missing.push('execution_log');
  if (t.supervisionEntries === 0) missing.push('supervision_log');
  const signed = (m: QaTicket['milestones'][number]) =>
    m.leadConfirmation != null && m.customerConfirmation != null;
  if (t.milestones.length === 0 || !t.milestones.every(signed)) missing.push('signed_milestones');
  return missing;
}

/**
 * The resolve target's overrun: its clock stopped (`metAt`, else the resolution, else the
 * closure) after `dueAt` by more than {@link QA_LATE_PERCENT} % of its window (its start, else
 * the ticket's receipt, to `dueAt`; pauses already moved `dueAt`). Null when on time or within.
 */
export function lateClosure(t: QaTicket): Extract<QaFinding, { code: 'late_closure' }> | null {
  const target = t.targets.find((x) => x.name === 'resolve');
  if (!target?.dueAt) return null;
  const due = Date.parse(target.dueAt);
  const start = Date.parse(target.startedAt ?? t.receivedAt);
  const stoppedAt = target.metAt ?? t.resolvedAt ?? t.closedAt;
  const stop = Date.parse(stoppedAt);
  const window = due - start;
  if (!(window > 0) || stop <= due) return null;
  // Integers only: overrun × 100 > window × 20.
  if ((stop - due) * 100 <= window * QA_LATE_PERCENT) return null;
  return {
    code: 'late_closure',
    dueAt: target.dueAt,
    stoppedAt,
    overrunPercent: Math.round(((stop - due) / window) * 1000) / 10,
  };
}

/** A closed ticket's automatic findings: late closure, and three or more key fields missing. */
export function qaFindings(t: QaTicket): QaFinding[] {
  const out: QaFinding[] = [];
  const late = lateClosure(t);
  if (late) out.push(late);
  const missing = missingKeyFields(t);
  if (missing.length >= QA_MISSING_THRESHOLD) out.push({ code: 'missing_fields', missing });
  return out;
}

/** A 32-bit hash of a string (FNV-1a), the PRNG's seed. */
function hash32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

/** mulberry32: a small deterministic PRNG in [0, 1). */
export function seededRandom(seed: string): () => number {
  let a = hash32(seed);
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates with a seeded PRNG: the same items and seed give the same order. */
export function seededShuffle<T>(items: readonly T[], seed: string): T[] {
  const out = [...items];
  const rnd = seededRandom(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rnd() * (i + 1));
    [out[i], out[j]] = [out[j] as T, out[i] as T];
  }
  return out;
}

/** The stratum of a ticket: its agent at closure and its priority. */
export const stratumKey = (t: Pick<QaTicket, 'assigneeId' | 'priority'>): string =>
  `${t.assigneeId ?? '-'}|${t.priority}`;

export interface QaDraw {
  seed: string;
  population: number;
  size: number;
  strata: QaStratum[];
  /** The sampled tickets with their findings, by stratum key then draw order. */
  items: Array<{ ticket: QaTicket; stratum: string; findings: QaFinding[] }>;
}

/** ⌈population × percent ÷ 100⌉ in integers. */
export const sampleSize = (population: number, percent = QA_SAMPLE_PERCENT): number =>
  Math.ceil((population * percent) / 100);

/**
 * Draws the sample: {@link sampleSize} of the population, allotted to the strata (agent ×
 * priority) by largest remainder (Hamilton: floors of size × nₛ ÷ N, then one more each to the
 * largest remainders; ties to the larger stratum, then by a seeded order), each stratum's
 * tickets (ordered by id) shuffled with a PRNG seeded by the seed and the stratum, the first
 * quota taken. Independent of the population's order.
 */
export function drawQaSample(
  population: readonly QaTicket[],
  seed: string,
  percent = QA_SAMPLE_PERCENT,
): QaDraw {
  const n = population.length;
  const size = sampleSize(n, percent);
  const groups = new Map<string, QaTicket[]>();
  for (const t of population) {
    const key = stratumKey(t);
    const list = groups.get(key);
    if (list) list.push(t);
    else groups.set(key, [t]);
  }
  const keys = [...groups.keys()].sort();
  const tieOrder = new Map(seededShuffle(keys, `${seed}#ties`).map((k, i) => [k, i]));
  const strata: QaStratum[] = keys.map((key) => {
    const first = (groups.get(key) as QaTicket[])[0] as QaTicket;
    const count = (groups.get(key) as QaTicket[]).length;
    return {
      key,
      agentId: first.assigneeId,
      priority: first.priority,
      population: count,
      quota: Math.floor((size * count) / n),
    };
  });
  let left = size - strata.reduce((s, x) => s + x.quota, 0);
  const byRemainder = [...strata].sort(
    (a, b) =>
      ((size * b.population) % n) - ((size * a.population) % n) ||
      b.population - a.population ||
      (tieOrder.get(a.key) as number) - (tieOrder.get(b.key) as number),
  );
  for (const s of byRemainder) {
    if (left === 0) break;
    s.quota += 1;
    left -= 1;
  }
  const items: QaDraw['items'] = [];
  for (const s of strata) {
    const tickets = [...(groups.get(s.key) as QaTicket[])].sort((a, b) =>
      a.id < b.id ? -1 : a.id > b.id ? 1 : 0,
    );
    for (const ticket of seededShuffle(tickets, `${seed}|${s.key}`).slice(0, s.quota))
      items.push({ ticket, stratum: s.key, findings: qaFindings(ticket) });
  }
  return { seed, population: n, size, strata, items };
}

/** A calendar month in a time zone: `YYYY-MM` and its UTC bounds [from, to). */
export interface QaPeriod {
  period: string;
  from: Date;
  to: Date;
}

function localMonthStart(timeZone: string, year: number, month0: number): Date {
  const local = Date.UTC(year, month0, 1);
  const guess = local - getOffsetMs(timeZone, local);
  return new Date(local - getOffsetMs(timeZone, guess));
}

/** The month `YYYY-MM` in `timeZone` as UTC bounds. */
export function monthPeriod(period: string, timeZone: string): QaPeriod {
  const m = /^(\d{4})-(\d{2})$/.exec(period);
  if (!m) throw new Error(`not a month: ${period}`);
  const year = Number(m[1]);
  const month0 = Number(m[2]) - 1;
  return {
    period,
    from: localMonthStart(timeZone, year, month0),
    to: localMonthStart(timeZone, year, month0 + 1),
  };
}

/** The month before the one `now` falls in, in `timeZone`. */
export function previousMonth(now: Date, timeZone: string): QaPeriod {
  const local = new Date(now.getTime() + getOffsetMs(timeZone, now.getTime()));
  const prev = new Date(Date.UTC(local.getUTCFullYear(), local.getUTCMonth() - 1, 1));
  const period = `${prev.getUTCFullYear()}-${String(prev.getUTCMonth() + 1).padStart(2, '0')}`;
  return monthPeriod(period, timeZone);
}
