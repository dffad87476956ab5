/**
 * SLA engine rate: deadlines (computeSla + planThresholds) for N open tickets over the
 * shipped calendars (China's official holidays and make-up days 2023–2026, Asia/Shanghai),
 * against a baseline measured in the same run: plain wall-clock addition (Date arithmetic)
 * of the same targets and thresholds for the same tickets.
 *
 * Second part: long spans. Adding (and measuring) 10 years of business time on a calendar with
 * holidays every year, first call (the zone's offset spans not yet verified) and warm, beside
 * one week on the same calendar as the baseline: the cost grows with holidays and offset
 * changes in range, not with days. Acceptance (issue 14): 10 years under 5 ms.
 *
 * Run: npx tsx bench/sla.bench.ts [tickets]   (default 100 000)
 */
import {
  addBusinessMs,
  businessCalendarSchema,
  businessMsBetween,
  computeSla,
  defaultCalendars,
  defaultSlaPolicy,
  planThresholds,
  type SlaSubject,
} from '@dutydesk/shared';

const MINUTE = 60_000;
const count = Number(process.argv[2] ?? 100_000);
const PRIORITIES = ['P1', 'P2', 'P3'] as const;
/** Budgets in minutes the baseline adds (P3 response: taken as 15 h, its typical span). */
const PLAIN_BUDGETS: Record<(typeof PRIORITIES)[number], number[]> = {
  P1: [15, 60, 240],
  P2: [45, 120],
  P3: [900, 480],
};
const PERCENTS = [50, 75, 90, 100];

/** A small deterministic PRNG (mulberry32), so every run measures the same tickets. */
function createRandom(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function generateTickets(n: number): Array<{ subject: SlaSubject; now: Date }> {
  const random = createRandom(20260302);
  const from = Date.parse('2024-01-01T00:00:00Z');
  const span = Date.parse('2026-12-01T00:00:00Z') - from;
  const out: Array<{ subject: SlaSubject; now: Date }> = [];
  for (let i = 0; i < n; i += 1) {
    const received = from + Math.floor(random() * span);
    const priority = PRIORITIES[Math.floor(random() * 3)] ?? 'P2';
    const history: Array<{ at: string; status: string; pendingReason: string | null }> = [
      { at: new Date(received).toISOString(), status: 'received', pendingReason: null },
    ];
    // A third of the tickets waited on the customer for a while: the pause path is measured too.
    if (random() < 1 / 3) {
      const pendAt = received + Math.floor(random() * 120) * MINUTE;
      history.push(
        { at: new Date(pendAt).toISOString(), status: 'pending', pendingReason: 'customer' },
        {
          at: new Date(pendAt + Math.floor(random() * 600) * MINUTE).toISOString(),
          status: 'in_progress',
          pendingReason: null,
        },
      );
    }
    out.push({
      subject: {
        receivedAt: new Date(received).toISOString(),
        priority,
        kind: 'incident',
        majorIncident: false,
        statusHistory: history,
        firstResponseAt: null,
        lastPublicUpdateAt: null,
        resolvedAt: null,
      },
      now: new Date(received + Math.floor(random() * 24 * 60) * MINUTE),
    });
  }
  return out;
}

function measureEngine(tickets: ReturnType<typeof generateTickets>): { ms: number; sink: number } {
  let sink = 0;
  const started = performance.now();
  for (const { subject, now } of tickets) {
    const states = computeSla(subject, defaultSlaPolicy, defaultCalendars, now);
    const plan = planThresholds(subject, defaultSlaPolicy, defaultCalendars, now);
    sink += states.length + plan.length;
  }
  return { ms: performance.now() - started, sink };
}

function measurePlain(tickets: ReturnType<typeof generateTickets>): { ms: number; sink: number } {
  let sink = 0;
  const started = performance.now();
  for (const { subject, now } of tickets) {
    const received = new Date(subject.receivedAt).getTime();
    for (const minutes of PLAIN_BUDGETS[subject.priority]) {
      const due = new Date(received + minutes * MINUTE);
      for (const percent of PERCENTS) {
        const at = new Date(received + (minutes * MINUTE * percent) / 100);
        if (at.getTime() > now.getTime()) sink += at.toISOString().length;
      }
      sink += due.toISOString().length;
    }
  }
  return { ms: performance.now() - started, sink };
}

const tickets = generateTickets(count);
// Warm up both paths so the JIT has compiled them before the timed runs.
measureEngine(tickets.slice(0, 2000));
measurePlain(tickets.slice(0, 2000));
const engine = measureEngine(tickets);
const plain = measurePlain(tickets);
const engineRate = count / (engine.ms / 1000);
const plainRate = count / (plain.ms / 1000);
const years = new Set(
  Object.values(defaultCalendars).flatMap((c) => c.holidays.map((h) => h.date.slice(0, 4))),
);

process.stdout.write(
  [
    `SLA engine bench: ${count} open tickets (P1/P2/P3 random, 1/3 paused on the customer)`,
    `calendars: ${Object.keys(defaultCalendars).join(', ')}; holiday years ${[...years].sort().join(', ')}`,
    `engine  computeSla + planThresholds: ${engine.ms.toFixed(0)} ms, ${Math.round(engineRate)} tickets/s`,
    `baseline plain Date addition:       ${plain.ms.toFixed(0)} ms, ${Math.round(plainRate)} tickets/s`,
    `ratio baseline/engine: ${(plainRate / engineRate).toFixed(1)}× (engine is that many times slower)`,
    `(checksums ${engine.sink} / ${plain.sink})`,
    '',
  ].join('\n'),
);

/** 09:00–18:00 Monday–Friday, Europe/Berlin (DST twice a year), a holiday week 4 times a year. */
function buildLongCalendar() {
  const holidays: Array<{ date: string }> = [];
  for (let year = 2026; year <= 2038; year += 1) {
    for (const start of [`${year}-01-01`, `${year}-04-02`, `${year}-08-10`, `${year}-12-24`]) {
      const first = Date.parse(`${start}T00:00:00Z`);
      for (let k = 0; k < 7; k += 1) {
        holidays.push({ date: new Date(first + k * 86_400_000).toISOString().slice(0, 10) });
      }
    }
  }
  const windows = [{ start: '09:00', end: '18:00' }];
  return businessCalendarSchema.parse({
    id: 'bench-long',
    timeZone: 'Europe/Berlin',
    weekly: { mon: windows, tue: windows, wed: windows, thu: windows, fri: windows },
    holidays,
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

const HOUR = 3_600_000;
const TEN_YEARS = 10 * 250 * 9 * HOUR;
const ONE_WEEK = 5 * 9 * HOUR;
const longCal = buildLongCalendar();
const longFrom = Date.parse('2026-03-02T08:00:00Z');
const firstStarted = performance.now();
const firstDue = addBusinessMs(longCal, longFrom, TEN_YEARS);
const firstMs = performance.now() - firstStarted;
const addRuns: number[] = [];
const betweenRuns: number[] = [];
const weekRuns: number[] = [];
let longSink = 0;
for (let i = 0; i < 200; i += 1) {
  const from = longFrom + i * 37 * 60_000;
  let t = performance.now();
  const due = addBusinessMs(longCal, from, TEN_YEARS);
  addRuns.push(performance.now() - t);
  t = performance.now();
  longSink += businessMsBetween(longCal, from, due) === TEN_YEARS ? 1 : 0;
  betweenRuns.push(performance.now() - t);
  t = performance.now();
  longSink += addBusinessMs(longCal, from, ONE_WEEK) > from ? 1 : 0;
  weekRuns.push(performance.now() - t);
}
const addMedian = median(addRuns);
process.stdout.write(
  [
    `Long spans: 10 years of business time (09:00–18:00, Europe/Berlin, ${longCal.holidays.length} holidays) -> ${new Date(firstDue).toISOString()}`,
    `add 10 years, first call (zone spans cold): ${firstMs.toFixed(2)} ms`,
    `add 10 years, median of 200:  ${addMedian.toFixed(3)} ms  (max ${Math.max(...addRuns).toFixed(3)} ms)`,
    `between over 10 years, median: ${median(betweenRuns).toFixed(3)} ms`,
    `baseline add 1 week, median:  ${median(weekRuns).toFixed(3)} ms`,
    `ratio 10 years / 1 week: ${(addMedian / Math.max(median(weekRuns), 1e-6)).toFixed(1)}× (3 650 days / 7 = 521× if it walked days)`,
    `acceptance (< 5 ms for 10 years, median): ${addMedian < 5 ? 'met' : 'NOT met'}; the first call also verifies the zone's offsets over those years, once per process (checks ${longSink})`,
    '',
  ].join('\n'),
);
