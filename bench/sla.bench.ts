/**
 * SLA engine rate: deadlines (computeSla + planThresholds) for N open tickets over the
 * shipped calendars (China's official holidays and make-up days 2023–2026, Asia/Shanghai),
 * against a baseline measured in the same run: plain wall-clock addition (Date arithmetic)
 * of the same targets and thresholds for the same tickets.
 *
 * Run: npx tsx bench/sla.bench.ts [tickets]   (default 100 000)
 */
import {
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
