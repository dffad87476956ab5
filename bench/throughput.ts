/**
 * Command throughput (issue 24, acceptance 1): `--writers` concurrent writers (default 16),
 * each its own user on its own real socket.io-client socket and its own ticket, in a closed
 * loop (the next `ticket.comment` leaves when the last one's ack arrives) for `--seconds`, on a
 * Dutydesk node process over PostgreSQL and over PGlite (`--pglite 0` skips it): commands/s and
 * ack p50/p99. No other seats are connected. Then an open loop at `--rate` commands/s (default
 * 100, round robin over the writers, sent on schedule whatever the acks do) for `--open`
 * seconds: ack p50/p99 (target p99 < 50 ms).
 *
 * The floor, measured in the same run on the same PostgreSQL with the same concurrency: as many
 * bare `INSERT … RETURNING` round trips (one autocommitted statement each, `pg` pool of
 * `--writers` connections) as the closed loop acknowledged commands; its rate and the ratio
 * floor / commands (target within 3×). Prints the load average before and after each phase.
 * `--group 0` runs the nodes with `DUTYDESK_GROUP_COMMIT=0` (one bus transaction per command,
 * the path before decision 56), for a comparison.
 *
 *   npx tsx bench/throughput.ts [--writers 16] [--seconds 10] [--rate 100] [--open 10] [--pglite 1] [--group 1]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import {
  connectSeat,
  createAgents,
  flags,
  fmt,
  onCleanup,
  pct,
  ROOT,
  runBench,
  sendCommand,
  startDatabase,
  startNode,
  type BenchAck,
} from './lib';

const opts = flags({
  writers: 16,
  seconds: 10,
  rate: 100,
  open: 10,
  pglite: 1,
  warmup: 2,
  group: 1,
});

interface PgPool {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[] }>;
  end(): Promise<void>;
}
// pg is a dependency of the server package, resolved from there (the same version).
const requireFromServer = createRequire(join(ROOT, 'apps/server/package.json'));
const pg = requireFromServer('pg') as { Pool: new (o: object) => PgPool };

const load = (): string =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

interface Writer {
  socket: Socket;
  ticketId: string;
}

async function openWriters(url: string): Promise<Writer[]> {
  const tokens = await createAgents(url, 'writer', opts.writers);
  return Promise.all(
    tokens.map(async (token, i) => {
      const socket = await connectSeat(url, token);
      onCleanup(() => {
        socket.disconnect();
      });
      const ack = await sendCommand(socket, {
        type: 'ticket.create',
        title: `throughput ${i}`,
        description: 'bench/throughput.ts',
        channel: 'api',
      });
      if (!ack.ok || !ack.ticket) throw new Error(`create failed: ${JSON.stringify(ack)}`);
      return { socket, ticketId: ack.ticket.id };
    }),
  );
}

function comment(w: Writer, n: number): Promise<BenchAck> {
  return sendCommand(w.socket, { type: 'ticket.comment', ticketId: w.ticketId, body: `c${n}` });
}

/** The closed loop: every writer sends its next command when its last one is acknowledged. */
async function closedLoop(
  writers: Writer[],
  ms: number,
): Promise<{ acked: number; failed: number; ms: number; lat: number[] }> {
  const lat: number[] = [];
  let acked = 0;
  let failed = 0;
  const started = performance.now();
  const until = started + ms;
  await Promise.all(
    writers.map(async (w) => {
      let n = 0;
      while (performance.now() < until) {
        const t0 = performance.now();
        const ack = await comment(w, (n += 1));
        lat.push(performance.now() - t0);
        if (ack.ok) acked += 1;
        else {
          failed += 1;
          if (failed <= 3) process.stdout.write(`  refused: ${JSON.stringify(ack.error)}\n`);
        }
      }
    }),
  );
  return { acked, failed, ms: performance.now() - started, lat: lat.sort((a, b) => a - b) };
}

/** The open loop: `rate` commands/s on schedule, round robin over the writers. */
async function openLoop(
  writers: Writer[],
  rate: number,
  seconds: number,
): Promise<{ sent: number; failed: number; lat: number[]; lateMs: number }> {
  const total = Math.round(rate * seconds);
  const lat: number[] = [];
  let failed = 0;
  let lateMs = 0;
  const started = performance.now();
  const pending: Array<Promise<void>> = [];
  for (let i = 0; i < total; i += 1) {
    const due = started + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    else lateMs = Math.max(lateMs, -wait);
    const w = writers[i % writers.length] as Writer;
    const t0 = performance.now();
    pending.push(
      comment(w, i).then((ack) => {
        lat.push(performance.now() - t0);
        if (!ack.ok) failed += 1;
      }),
    );
  }
  await Promise.all(pending);
  return { sent: total, failed, lat: lat.sort((a, b) => a - b), lateMs };
}

/** `count` bare `INSERT … RETURNING` round trips, `concurrency` at a time, on their own pool. */
async function floor(databaseUrl: string, count: number, concurrency: number) {
  const pool = new pg.Pool({ connectionString: databaseUrl, max: concurrency });
  try {
    await pool.query(
      'create table if not exists bench_floor (id bigserial primary key, body text not null, at timestamptz not null default now())',
    );
    const lat: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < count) {
          next += 1;
          const t0 = performance.now();
          await pool.query('insert into bench_floor (body) values ($1) returning id', [`f${next}`]);
          lat.push(performance.now() - t0);
        }
      }),
    );
    const ms = performance.now() - started;
    return { perSecond: (count / ms) * 1000, lat: lat.sort((a, b) => a - b) };
  } finally {
    await pool.end();
  }
}

async function measure(driver: 'postgres' | 'pglite'): Promise<void> {
  let databaseUrl = '';
  const env: Record<string, string> = { DUTYDESK_GROUP_COMMIT: opts.group ? '1' : '0' };
  if (driver === 'postgres') databaseUrl = (await startDatabase()).databaseUrl;
  else {
    const dir = mkdtempSync(join(tmpdir(), 'dutydesk-throughput-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    env.DUTYDESK_DATA_DIR = dir;
  }
  const node = await startNode(databaseUrl, env);
  const writers = await openWriters(node.url);
  await closedLoop(writers, opts.warmup * 1000);

  const loadBefore = load();
  const closed = await closedLoop(writers, opts.seconds * 1000);
  const rate = (closed.acked / closed.ms) * 1000;
  process.stdout.write(
    `${driver.padEnd(8)} closed loop, ${opts.writers} writers, ${opts.seconds} s: ${Math.round(rate)} commands/s ` +
      `(${closed.acked} acked, ${closed.failed} refused), ack p50 ${fmt(pct(closed.lat, 50))} ms, p99 ${fmt(pct(closed.lat, 99))} ms, max ${fmt(pct(closed.lat, 100))} ms` +
      ` (load ${loadBefore} → ${load()})${driver === 'postgres' ? `; target ≥ 1000: ${rate >= 1000 ? 'met' : 'missed'}` : ''}\n`,
  );
  if (driver === 'postgres') {
    const f = await floor(databaseUrl, closed.acked, opts.writers);
    const ratio = f.perSecond / rate;
    process.stdout.write(
      `${''.padEnd(8)} floor: ${closed.acked} bare INSERT … RETURNING, ${opts.writers} at a time: ${Math.round(f.perSecond)}/s, ` +
        `p50 ${fmt(pct(f.lat, 50))} ms, p99 ${fmt(pct(f.lat, 99))} ms; ratio floor/commands ${ratio.toFixed(2)} (target ≤ 3: ${ratio <= 3 ? 'met' : 'missed'}) (load ${load()})\n`,
    );
  }
  const loadOpen = load();
  const open = await openLoop(writers, opts.rate, opts.open);
  const p99 = pct(open.lat, 99);
  process.stdout.write(
    `${''.padEnd(8)} open loop, ${opts.rate} commands/s for ${opts.open} s: ${open.sent} sent, ${open.failed} refused, ` +
      `ack p50 ${fmt(pct(open.lat, 50))} ms, p99 ${fmt(p99)} ms, max ${fmt(pct(open.lat, 100))} ms` +
      `${open.lateMs > 5 ? ` (sender up to ${fmt(open.lateMs)} ms late)` : ''} (load ${loadOpen} → ${load()})` +
      `${driver === 'postgres' ? `; target p99 < 50 ms: ${p99 < 50 ? 'met' : 'missed'}` : ''}\n`,
  );
  for (const w of writers) w.socket.disconnect();
  await node.stop();
}

runBench(async () => {
  await measure('postgres');
  if (opts.pglite) await measure('pglite');
}, 10 * 60_000);
