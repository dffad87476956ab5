/**
 * Intake storm bench (issue 19, acceptance 3): `--devices` devices send `--rate` samples a second
 * in total for `--seconds` through the real door `POST /api/intake/metrics` (Bearer integration
 * token, batches) of one Dutydesk node on loopback, on PostgreSQL (or PGlite with `--pglite 1`).
 * Every device sends one metric (`cpu_load`, threshold 80) at its share of the rate; about 5 %
 * of the samples are over the threshold, in patterns that give the device-health machine real
 * work: runs of 3+ over (orange), samples more than 50 % over (red, also after orange), exactly
 * 50 % over (over, not red), flapping (2 over, 1 under: nothing), recoveries and warnings again.
 *
 * The collector is one sender like a real one: each `--tick` ms it posts every sample that is
 * due (at most 10 000), one request at a time; if the node falls behind, batches grow. Every
 * `--resendEvery`-th batch is sent twice: the second answer must count all of it as duplicates.
 *
 * In the same run a seat (a signed-in agent on a real socket.io-client) comments on its tickets
 * at `--seatRate` commands a second, first for `--baseline` s alone, then during the storm.
 *
 * The expected tickets come from an oracle written here (not the server's health machine):
 * per device, the warnings (orange, red), recoveries, the ticket's kind (pre-maintenance P2 or
 * field service P1), its report count and whether it ends recovered. Prints samples sent vs
 * accepted vs the node's `dutydesk_intake_items_total`, tickets expected vs created per kind
 * and per device, ingest latency p50/p99 per request, the node's CPU, the seat's ack p50/p99.
 *
 * Run: npx tsx bench/intake.ts --devices 1000 --rate 1000 --seconds 60 [--pglite 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import {
  ADMIN_PASSWORD,
  api,
  createAgents,
  flags,
  fmt,
  login,
  now,
  onCleanup,
  pct,
  runBench,
  scrape,
  startDatabase,
  startNode,
  rng,
  connectSeat,
  sendCommand,
} from './lib';

const opts = flags({
  devices: 1000,
  rate: 1000,
  seconds: 60,
  tick: 100,
  resendEvery: 50,
  seatRate: 10,
  baseline: 10,
  pglite: 0,
});

const METRIC = 'cpu_load';
const THRESHOLD = 80;
const RED_RATIO = 1.5;
const OVER_RUN = 3;
const RECOVER_RUN = 3;

/**
 * The over-threshold patterns, by device index modulo 20: `o` over (110–140 %), `R` red
 * (160–200 %), `e` exactly 150 % (over, not red), `.` under. Before and after its pattern a
 * device sends samples under the threshold (50–95 %). 59–60 over samples per 20 devices × 60.
 */
const PATTERNS: Record<number, string> = {
  12: 'oo.oo..eee', // two near misses, then 3 at exactly +50 %: orange (not red)
  13: 'oo.oo.oo.oo.oo.oo.', // flapping: never 3 in a row, nothing
  14: 'oo.oo.oo.oo.oo.oo.',
  15: 'ooooooo', // orange once, however long it stays over
  16: 'ooo...ooo...', // orange, recovered, orange again (same ticket), recovered
  17: 'Rooo', // red at once, stays red
  18: 'oooR...R', // orange, red on the same ticket, recovered, red again
  19: 'ooo..o..o..oo', // orange, flapping while orange (no recovery until the tail)
};

function deviceId(d: number): string {
  return `dev-${String(d).padStart(5, '0')}`;
}

/** The values one device sends, in order. */
function valuesOf(d: number, count: number): number[] {
  const rnd = rng(d + 1);
  const pattern = PATTERNS[d % 20] ?? '';
  const room = Math.max(0, count - pattern.length);
  const start = Math.floor(((d / opts.devices) * room) % (room + 1));
  const out: number[] = [];
  for (let j = 0; j < count; j += 1) {
    const c = j >= start && j < start + pattern.length ? pattern[j - start] : '.';
    const r = rnd();
    const ratio =
      c === 'o' ? 1.1 + r * 0.3 : c === 'R' ? 1.6 + r * 0.4 : c === 'e' ? 1.5 : 0.5 + r * 0.45;
    out.push(Math.round(THRESHOLD * ratio * 100) / 100);
  }
  return out;
}

interface Expected {
  warnings: number;
  red: boolean;
  recoveries: number;
  lastRecovered: boolean;
}

/**
 * The oracle: the issue's rules read plainly, one device at a time. A warning is "3 in a row
 * over" while normal, or "more than 50 % over" while not red; "3 in a row at or under" while
 * warned is a recovery. One ticket per device: the first warning opens it, the rest go to it.
 */
function oracle(values: readonly number[]): Expected {
  let level: 'normal' | 'orange' | 'red' = 'normal';
  let overs = 0;
  let unders = 0;
  const e: Expected = { warnings: 0, red: false, recoveries: 0, lastRecovered: false };
  for (const v of values) {
    if (v > THRESHOLD) {
      overs += 1;
      unders = 0;
    } else {
      unders += 1;
      overs = 0;
    }
    if (v > THRESHOLD * RED_RATIO && level !== 'red') {
      level = 'red';
      e.warnings += 1;
      e.red = true;
      e.lastRecovered = false;
    } else if (overs >= OVER_RUN && level === 'normal') {
      level = 'orange';
      e.warnings += 1;
      e.lastRecovered = false;
    } else if (unders >= RECOVER_RUN && level !== 'normal') {
      level = 'normal';
      e.recoveries += 1;
      e.lastRecovered = true;
    }
  }
  return e;
}

/** The seat: `seatRate` comments a second, open loop, until `stop()`; ack latencies kept. */
function runSeat(socket: Socket, ticketIds: string[]) {
  const acks: number[] = [];
  let sent = 0;
  let failed = 0;
  let stopped = false;
  const pending: Array<Promise<void>> = [];
  const t0 = now();
  const loop = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const wait = t0 + (i * 1000) / opts.seatRate - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const at = now();
      sent += 1;
      pending.push(
        sendCommand(socket, {
          type: 'ticket.comment',
          ticketId: ticketIds[i % ticketIds.length],
          body: `seat ${i}`,
        }).then((ack) => {
          if (ack.ok) acks.push(now() - at);
          else failed += 1;
        }),
      );
    }
  })();
  return {
    async stop(): Promise<{ acks: Float64Array; sent: number; failed: number }> {
      stopped = true;
      await loop;
      await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 60_000))]);
      return { acks: Float64Array.from(acks).sort(), sent, failed };
    },
  };
}

/** `dutydesk_intake_items_total{door="metrics",outcome=…}` as a map. */
async function intakeCounters(base: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const out = new Map<string, number>();
  for (const m of text.matchAll(/^dutydesk_intake_items_total\{([^}]*)\} (\S+)$/gm)) {
    const labels = m[1] ?? '';
    if (!labels.includes('door="metrics"')) continue;
    const outcome = /outcome="(\w+)"/.exec(labels)?.[1] ?? '?';
    out.set(outcome, Number(m[2]));
  }
  return out;
}

interface Intake {
  accepted: number;
  duplicates: number;
  skipped: number;
  ticketIds: string[];
}

interface TicketView {
  id: string;
  title: string;
  channel: string;
  category: string | null;
  priority: string;
  intake: { count: number; recoveredAt: string | null } | null;
}

runBench(
  async () => {
    const load0 = loadavg();
    let env: Record<string, string>;
    let db: string;
    if (opts.pglite) {
      const dir = mkdtempSync(join(tmpdir(), 'dutydesk-bench-intake-'));
      onCleanup(() => rmSync(dir, { recursive: true, force: true }));
      env = { DUTYDESK_DATA_DIR: dir };
      db = 'PGlite';
    } else {
      const { databaseUrl } = await startDatabase();
      env = { DATABASE_URL: databaseUrl };
      db = 'PostgreSQL';
    }
    const { DATABASE_URL: databaseUrl = '', ...rest } = env;
    const node = await startNode(databaseUrl, rest);
    const base = node.url;
    const admin = await login(base, 'admin', ADMIN_PASSWORD);

    const integration = await api<{ token: string }>(base, 'POST', '/api/integrations', {
      token: admin,
      body: { name: 'bench collector', kind: 'metrics' },
    });
    if (integration.status !== 201)
      throw new Error(`integration: ${integration.status} ${JSON.stringify(integration.body)}`);
    const intakeToken = integration.body.token;

    // The devices, with their threshold, as an admin registers them (8 requests at a time).
    const d0 = now();
    for (let d = 0; d < opts.devices; d += 8) {
      await Promise.all(
        Array.from({ length: Math.min(8, opts.devices - d) }, async (_, k) => {
          const res = await api(base, 'PUT', `/api/intake/devices/${deviceId(d + k)}`, {
            token: admin,
            body: { thresholds: { [METRIC]: THRESHOLD } },
          });
          if (res.status !== 201)
            throw new Error(`device ${d + k}: ${res.status} ${JSON.stringify(res.body)}`);
        }),
      );
    }
    process.stdout.write(`${opts.devices} devices registered in ${fmt(now() - d0)} ms\n`);

    // The plan: sample k goes to device k % devices, due at t0 + k / rate.
    const perDevice = Math.floor((opts.rate * opts.seconds) / opts.devices);
    const total = perDevice * opts.devices;
    const values = Array.from({ length: opts.devices }, (_, d) => valuesOf(d, perDevice));
    const expected = values.map(oracle);
    const overs = values.reduce((n, vs) => n + vs.filter((v) => v > THRESHOLD).length, 0);

    // The seat and its tickets.
    const [seatToken] = await createAgents(base, 'seat', 1, 'agent');
    if (!seatToken) throw new Error('no seat token');
    const socket = await connectSeat(base, seatToken);
    onCleanup(() => {
      socket.close();
    });
    const seatTickets: string[] = [];
    for (let i = 0; i < 5; i += 1) {
      const ack = await sendCommand(socket, {
        type: 'ticket.create',
        title: `Seat bench ${i}`,
        description: 'bench',
        channel: 'hotline',
        priority: 'P3',
      });
      if (!ack.ok || !ack.ticket) throw new Error(`seat create: ${JSON.stringify(ack.error)}`);
      seatTickets.push(ack.ticket.id);
    }
    const cpuMs = async (): Promise<number> =>
      ((await scrape(base)).get('dutydesk_process_cpu_seconds_total') ?? 0) * 1000;

    process.stdout.write(
      `baseline: the seat alone, ${opts.seatRate} commands/s for ${opts.baseline} s\n`,
    );
    const b0 = now();
    const bCpu0 = await cpuMs();
    const baselineSeat = runSeat(socket, seatTickets);
    await new Promise((r) => setTimeout(r, opts.baseline * 1000));
    const baseline = await baselineSeat.stop();
    const baselineCpu = ((await cpuMs()) - bCpu0) / ((now() - b0) / 1000) / 10;

    process.stdout.write(
      `storm: ${opts.devices} devices, ${opts.rate} samples/s for ${opts.seconds} s (${total} samples, ${overs} over = ${((overs / total) * 100).toFixed(1)} %), ${db}\n`,
    );
    const counters0 = await intakeCounters(base);
    const seat = runSeat(socket, seatTickets);
    const cpu0 = await cpuMs();
    const t0 = now() + 200;
    const latencies: number[] = [];
    const batchSizes: number[] = [];
    let accepted = 0;
    let duplicates = 0;
    let skipped = 0;
    let resentSamples = 0;
    let resentDuplicates = 0;
    let failures = 0;
    let next = 0;
    let batches = 0;
    let maxLag = 0;
    const post = async (samples: unknown[]): Promise<Intake> => {
      const at = now();
      const res = await fetch(`${base}/api/intake/metrics`, {
        method: 'POST',
        headers: { authorization: `Bearer ${intakeToken}`, 'content-type': 'application/json' },
        body: JSON.stringify({ samples }),
      });
      const body = (await res.json()) as Intake;
      latencies.push(now() - at);
      if (res.status !== 202) {
        failures += 1;
        throw new Error(`intake: ${res.status} ${JSON.stringify(body)}`);
      }
      return body;
    };
    let tick = 1;
    while (next < total) {
      // Wake on the next tick, then send what is due by then (all of it when behind).
      const wait = t0 + tick * opts.tick - now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
      tick = Math.floor((now() - t0) / opts.tick) + 1;
      const due = t0 + (next * 1000) / opts.rate;
      const until = Math.min(total, next + 10_000, Math.floor(((now() - t0) * opts.rate) / 1000));
      if (until <= next) continue;
      maxLag = Math.max(maxLag, now() - due);
      const samples: unknown[] = [];
      for (let k = next; k < until; k += 1) {
        const d = k % opts.devices;
        const j = Math.floor(k / opts.devices);
        samples.push({
          device: deviceId(d),
          metric: METRIC,
          value: values[d]?.[j],
          at: new Date(t0 + (k * 1000) / opts.rate).toISOString(),
        });
      }
      next = until;
      batches += 1;
      batchSizes.push(samples.length);
      const r = await post(samples);
      accepted += r.accepted;
      duplicates += r.duplicates;
      skipped += r.skipped;
      if (batches % opts.resendEvery === 0) {
        const again = await post(samples);
        resentSamples += samples.length;
        resentDuplicates += again.duplicates;
      }
    }
    const stormMs = now() - t0;
    const cpu = ((await cpuMs()) - cpu0) / (stormMs / 1000) / 10;
    const storm = await seat.stop();
    const counters1 = await intakeCounters(base);
    const load1 = loadavg();
    const delta = (k: string): number => (counters1.get(k) ?? 0) - (counters0.get(k) ?? 0);

    // Tickets: expected (oracle) vs created (the node's tickets of channel monitoring).
    const list = await api<{ tickets: TicketView[] }>(base, 'GET', '/api/tickets?limit=10000', {
      token: admin,
    });
    const monitoring = list.body.tickets.filter((t) => t.channel === 'monitoring');
    const byDevice = new Map<string, TicketView[]>();
    for (const t of monitoring) {
      const dev = /(dev-\d+) cpu_load/.exec(t.title)?.[1] ?? '?';
      byDevice.set(dev, [...(byDevice.get(dev) ?? []), t]);
    }
    const kindOf = (t: TicketView): string =>
      `${t.category ?? 'none'} ${t.priority}`.replace('field-service P1', 'field service P1');
    const want = new Map<string, number>();
    const got = new Map<string, number>();
    const bump = (m: Map<string, number>, k: string): void => {
      m.set(k, (m.get(k) ?? 0) + 1);
    };
    let expectedWarnings = 0;
    let expectedRecoveries = 0;
    const mismatches: string[] = [];
    for (let d = 0; d < opts.devices; d += 1) {
      const e = expected[d];
      if (!e) continue;
      expectedWarnings += e.warnings;
      expectedRecoveries += e.recoveries;
      const id = deviceId(d);
      const ts = byDevice.get(id) ?? [];
      byDevice.delete(id);
      if (e.warnings > 0) bump(want, e.red ? 'field service P1' : 'pre-maintenance P2');
      for (const t of ts) bump(got, kindOf(t));
      if (e.warnings === 0) {
        if (ts.length > 0) mismatches.push(`${id}: ${ts.length} tickets, expected none`);
        continue;
      }
      const t = ts[0];
      if (ts.length !== 1 || !t) {
        mismatches.push(`${id}: ${ts.length} tickets, expected one`);
        continue;
      }
      const kind = e.red ? 'field service P1' : 'pre-maintenance P2';
      const count = t.intake?.count ?? 1;
      const recovered = (t.intake?.recoveredAt ?? null) !== null;
      if (kindOf(t) !== kind || count !== e.warnings || recovered !== e.lastRecovered)
        mismatches.push(
          `${id}: ${kindOf(t)}, ${count} warnings, recovered ${recovered}; expected ${kind}, ${e.warnings}, ${e.lastRecovered}`,
        );
    }
    for (const [dev, ts] of byDevice) mismatches.push(`${dev}: ${ts.length} unexpected tickets`);

    const lat = Float64Array.from(latencies).sort();
    const sizes = Float64Array.from(batchSizes).sort();
    const kinds = [...new Set([...want.keys(), ...got.keys()])].sort();
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    const ackB = baseline.acks;
    const ackS = storm.acks;
    process.stdout.write(
      [
        '',
        `intake storm: ${opts.devices} devices × ${opts.rate} samples/s for ${opts.seconds} s, one node on ${db}; sent in ${fmt(stormMs)} ms (ideal ${opts.seconds * 1000} ms; the sender was at most ${fmt(maxLag)} ms behind its plan)`,
        `samples: sent ${total}, accepted ${accepted}, duplicates ${duplicates}, skipped ${skipped}; node counted new ${delta('new')}, duplicate ${delta('duplicate')}, skipped ${delta('skipped')}; resent ${resentSamples} in ${Math.floor(batches / opts.resendEvery)} batches, answered as duplicates ${resentDuplicates}; failed requests ${failures}`,
        `every sample accounted for: ${accepted === total && duplicates === 0 && skipped === 0 && delta('new') === total && resentDuplicates === resentSamples && delta('duplicate') === resentSamples ? 'yes' : 'NO'}`,
        `requests: ${batches + Math.floor(batches / opts.resendEvery)}; samples per request p50 ${fmt(pct(sizes, 50))}, max ${fmt(sizes[sizes.length - 1] ?? Number.NaN)}; ingest latency per request ms: p50 ${fmt(pct(lat, 50))}  p99 ${fmt(pct(lat, 99))}  max ${fmt(lat[lat.length - 1] ?? Number.NaN)}`,
        `warnings expected ${expectedWarnings}, recoveries expected ${expectedRecoveries}`,
        '',
        line(['ticket kind', 'expected', 'created']),
        line(['---', '---', '---']),
        ...kinds.map((k) => line([k, String(want.get(k) ?? 0), String(got.get(k) ?? 0)])),
        line([
          'total',
          String([...want.values()].reduce((a, b) => a + b, 0)),
          String(monitoring.length),
        ]),
        '',
        `tickets exactly as the oracle says (one per warned device, kind, report count, recovered): ${mismatches.length === 0 ? 'yes' : `NO, ${mismatches.length} devices differ`}`,
        ...mismatches.slice(0, 10).map((m) => `  ${m}`),
        '',
        line(['phase', 'seat ack p50 ms', 'seat ack p99 ms', 'acks/sent', 'node CPU %']),
        line(['---', '---', '---', '---', '---']),
        line([
          'seat alone',
          fmt(pct(ackB, 50)),
          fmt(pct(ackB, 99)),
          `${ackB.length}/${baseline.sent}`,
          baselineCpu.toFixed(0),
        ]),
        line([
          'seat during the storm',
          fmt(pct(ackS, 50)),
          fmt(pct(ackS, 99)),
          `${ackS.length}/${storm.sent}`,
          cpu.toFixed(0),
        ]),
        '',
        `load average (1/5/15 min): start ${load0.map((x) => x.toFixed(1)).join('/')}, end ${load1.map((x) => x.toFixed(1)).join('/')}`,
        '',
      ].join('\n'),
    );
  },
  (opts.baseline + opts.seconds) * 1000 + 600_000,
);
