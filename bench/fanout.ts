/**
 * Fan-out bench: N simulated agent seats (socket.io-client, websocket transport, in forked worker
 * processes) on Dutydesk node processes over one PostgreSQL, a writer issuing `ticket.comment`
 * commands at a set rate; and, in the same run, the baseline: a bare Socket.IO server (no auth,
 * no database) broadcasting the same event payload to the same N seats at the same rate.
 *
 * Prints per-recipient fan-out latency (command sent → event received, on the machine's shared
 * monotonic clock) p50/p95/p99/max, the time until the last seat has each event, command ack
 * latency p50/p99, the server's max event-loop delay (Dutydesk: prom-client's
 * monitorEventLoopDelay gauge on /metrics, reset by each scrape; baseline: the same measure
 * in-process), server CPU and RSS per seat, and delivered vs expected; then the ratios.
 *
 * Run: npx tsx bench/fanout.ts --seats 1000 --nodes 1 --rate 100 --seconds 20 [--workers 4]
 * Profile the servers: BENCH_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" (node flags for
 * the Dutydesk nodes and the baseline server; profiles are written when they exit).
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { io, type Socket } from 'socket.io-client';
import {
  createAgents,
  flags,
  fmt,
  now,
  onCleanup,
  pct,
  ROOT,
  runBench,
  scrape,
  startDatabase,
  startNode,
  type NodeProcess,
} from './lib';
import type { WorkerRequest, WorkerResult } from './fanout-worker';

const opts = flags({ seats: 1000, nodes: 1, rate: 100, seconds: 20, workers: 4 });

interface Ack {
  ok: boolean;
  events?: Array<Record<string, unknown> & { seq: number; data: Record<string, unknown> }>;
  error?: { code: string; message: string };
}

interface PhaseResult {
  name: string;
  sent: number;
  acked: number;
  failed: number;
  expected: number;
  delivered: number;
  duplicates: number;
  gaps: number;
  latency: { p50: number; p95: number; p99: number; max: number };
  last: { p50: number; p99: number; max: number };
  ack: { p50: number; p99: number };
  loopMaxMs: number;
  cpuPercent: number;
  rssPerSeatKb: number;
}

/** A forked worker with a request/response helper (one message type answered at a time). */
class Worker {
  private constructor(private readonly child: ChildProcess) {}
  static start(): Worker {
    const child = fork(join(ROOT, 'bench/fanout-worker.ts'), [], {
      execArgv: ['--import', 'tsx'],
      cwd: ROOT,
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    onCleanup(() => {
      child.kill('SIGKILL');
    });
    return new Worker(child);
  }
  request<T>(req: WorkerRequest, answer: string): Promise<T> {
    return new Promise((resolve, reject) => {
      const onMessage = (m: { type: string; message?: string }): void => {
        if (m.type === 'error') {
          this.child.off('message', onMessage);
          reject(new Error(m.message));
        } else if (m.type === answer) {
          this.child.off('message', onMessage);
          resolve(m as T);
        }
      };
      this.child.on('message', onMessage);
      this.child.send(req);
    });
  }
}

function connectWriter(url: string, token: string): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const s = io(url, { transports: ['websocket'], auth: { token }, reconnection: false });
    s.once('hello', () => resolve(s));
    s.once('connect_error', reject);
  });
}

function emitWithAck(socket: Socket, payload: unknown): Promise<Ack> {
  return new Promise((resolve) => socket.emit('command', payload, (ack: Ack) => resolve(ack)));
}

async function waitUntil(check: () => Promise<boolean>, ms: number): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await new Promise((r) => setTimeout(r, 200));
  }
}

interface ServerStats {
  cpuMs: number;
  rss: number;
  loopMaxMs: number;
}

async function runPhase(
  name: string,
  workers: Worker[],
  seatUrls: string[],
  tokens: string[],
  ready: 'hello' | 'snapshot',
  stats: () => Promise<ServerStats>,
  command: (i: number, body: string) => Promise<Ack>,
): Promise<PhaseResult> {
  const before = await stats();
  const per = Math.ceil(opts.seats / workers.length);
  await Promise.all(
    workers.map((w, k) =>
      w.request(
        {
          type: 'connect',
          urls: seatUrls,
          tokens,
          first: k * per,
          count: Math.max(0, Math.min(per, opts.seats - k * per)),
          ready,
        },
        'connected',
      ),
    ),
  );
  await Promise.all(workers.map((w) => w.request({ type: 'reset' }, 'reset')));
  const start = await stats(); // also resets the event-loop max
  const total = Math.round(opts.rate * opts.seconds);
  const acks: number[] = [];
  let failed = 0;
  const pending: Array<Promise<void>> = [];
  const t0 = now();
  for (let i = 0; i < total; i += 1) {
    const due = t0 + (i * 1000) / opts.rate;
    const wait = due - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = now();
    pending.push(
      command(i, `bench ${sentAt}`).then((ack) => {
        if (ack.ok) acks.push(now() - sentAt);
        else failed += 1;
      }),
    );
  }
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 30_000))]);
  const expected = acks.length * opts.seats;
  // Drain: until every acknowledged event reached every seat, 15 s at most.
  await waitUntil(async () => {
    const counts = await Promise.all(
      workers.map((w) => w.request<{ received: number }>({ type: 'progress' }, 'progress')),
    );
    return counts.reduce((a, c) => a + c.received, 0) >= expected;
  }, 15_000);
  const end = await stats();
  const results = await Promise.all(
    workers.map((w) => w.request<WorkerResult>({ type: 'collect' }, 'result')),
  );
  await Promise.all(workers.map((w) => w.request({ type: 'disconnect' }, 'disconnected')));

  const latencies = new Float64Array(results.reduce((a, r) => a + r.latencies.length, 0));
  let o = 0;
  for (const r of results) {
    latencies.set(r.latencies, o);
    o += r.latencies.length;
  }
  latencies.sort();
  const last = new Map<number, number>();
  for (const r of results)
    for (const [sent, t] of r.lastBySent) last.set(sent, Math.max(last.get(sent) ?? 0, t));
  const lastLat = Float64Array.from([...last].map(([sent, t]) => t - sent)).sort();
  const ackSorted = Float64Array.from(acks).sort();
  const elapsedS = (now() - t0) / 1000;
  return {
    name,
    sent: total,
    acked: acks.length,
    failed,
    expected,
    delivered: results.reduce((a, r) => a + r.received, 0),
    duplicates: results.reduce((a, r) => a + r.duplicates, 0),
    gaps: results.reduce((a, r) => a + r.gaps, 0),
    latency: {
      p50: pct(latencies, 50),
      p95: pct(latencies, 95),
      p99: pct(latencies, 99),
      max: latencies[latencies.length - 1] ?? Number.NaN,
    },
    last: { p50: pct(lastLat, 50), p99: pct(lastLat, 99), max: lastLat[lastLat.length - 1] ?? 0 },
    ack: { p50: pct(ackSorted, 50), p99: pct(ackSorted, 99) },
    loopMaxMs: end.loopMaxMs,
    cpuPercent: ((end.cpuMs - start.cpuMs) / 1000 / elapsedS) * 100,
    rssPerSeatKb: (end.rss - before.rss) / 1024 / opts.seats,
  };
}

/** Sums CPU and RSS over the nodes, max of their event-loop delays. */
async function dutydeskStats(nodes: NodeProcess[]): Promise<ServerStats> {
  const all = await Promise.all(nodes.map((n) => scrape(n.url)));
  return {
    cpuMs: all.reduce((a, m) => a + (m.get('dutydesk_process_cpu_seconds_total') ?? 0) * 1000, 0),
    rss: all.reduce((a, m) => a + (m.get('dutydesk_process_resident_memory_bytes') ?? 0), 0),
    loopMaxMs: Math.max(
      ...all.map((m) => (m.get('dutydesk_nodejs_eventloop_lag_max_seconds') ?? 0) * 1000),
    ),
  };
}

function printResults(rows: PhaseResult[]): void {
  const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
  const out = [
    `fan-out: ${opts.seats} seats, ${opts.nodes} node(s), ${opts.rate} commands/s for ${opts.seconds} s, ${opts.workers} seat workers`,
    line([
      'server',
      'p50 ms',
      'p95 ms',
      'p99 ms',
      'max ms',
      'last seat p50/p99 ms',
      'ack p50/p99 ms',
      'loop max ms',
      'CPU %',
      'RSS/seat KB',
      'delivered/expected',
      'dup/gaps',
    ]),
    line(Array.from({ length: 12 }, () => '---')),
    ...rows.map((r) =>
      line([
        r.name,
        fmt(r.latency.p50),
        fmt(r.latency.p95),
        fmt(r.latency.p99),
        fmt(r.latency.max),
        `${fmt(r.last.p50)}/${fmt(r.last.p99)}`,
        `${fmt(r.ack.p50)}/${fmt(r.ack.p99)}`,
        fmt(r.loopMaxMs),
        r.cpuPercent.toFixed(0),
        r.rssPerSeatKb.toFixed(1),
        `${r.delivered}/${r.expected}${r.failed ? ` (${r.failed} commands failed)` : ''}`,
        `${r.duplicates}/${r.gaps}`,
      ]),
    ),
  ];
  const [base, duty] = rows;
  if (base && duty) {
    out.push(
      `ratio dutydesk/baseline: p50 ${(duty.latency.p50 / base.latency.p50).toFixed(2)}, p99 ${(duty.latency.p99 / base.latency.p99).toFixed(2)}, last-seat p99 ${(duty.last.p99 / base.last.p99).toFixed(2)}`,
    );
  }
  process.stdout.write(`${out.join('\n')}\n`);
  process.stdout.write(`JSON ${JSON.stringify({ opts, rows })}\n`);
}

async function main(): Promise<void> {
  process.stdout.write(`starting PostgreSQL, ${opts.nodes} node(s), ${opts.workers} workers…\n`);
  const { databaseUrl } = await startDatabase();
  const first = await startNode(databaseUrl);
  const nodes = [
    first,
    ...(await Promise.all(Array.from({ length: opts.nodes - 1 }, () => startNode(databaseUrl)))),
  ];
  const tokens = await createAgents(first.url, 'seat', Math.max(1, Math.ceil(opts.seats / 50)));
  const [writerToken] = await createAgents(first.url, 'writer', 1);
  const writer = await connectWriter(first.url, writerToken ?? '');
  onCleanup(() => {
    writer.disconnect();
  });
  const ticketIds: string[] = [];
  for (let i = 0; i < 10; i += 1) {
    const ack = await emitWithAck(writer, {
      commandId: crypto.randomUUID(),
      type: 'ticket.create',
      title: `bench ticket ${i}`,
      description: 'fan-out bench',
      channel: 'api',
      priority: 'P2',
    });
    if (!ack.ok) throw new Error(`ticket.create: ${JSON.stringify(ack.error)}`);
    ticketIds.push(String(ack.events?.[0]?.ticketId));
  }
  const warm = await emitWithAck(writer, {
    commandId: crypto.randomUUID(),
    type: 'ticket.comment',
    ticketId: ticketIds[0],
    body: 'warm-up',
  });
  const sample = warm.events?.[0];
  if (!warm.ok || !sample) throw new Error(`ticket.comment: ${JSON.stringify(warm.error)}`);

  const workers = Array.from({ length: opts.workers }, () => Worker.start());
  const bare = fork(join(ROOT, 'bench/bare-server.ts'), [], {
    // BENCH_NODE_ARGS (e.g. --cpu-prof) applies to the baseline server as to the Dutydesk nodes.
    execArgv: [
      ...(process.env.BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean),
      '--import',
      'tsx',
    ],
    cwd: ROOT,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  onCleanup(async () => {
    // Disconnecting the IPC channel lets it exit on its own (and write a --cpu-prof profile).
    if (bare.exitCode !== null || bare.signalCode !== null) return;
    const exited = new Promise((r) => bare.once('exit', r));
    if (bare.connected) bare.disconnect();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
    bare.kill('SIGKILL');
  });
  const barePort = await new Promise<number>((resolve) =>
    bare.once('message', (m: { port: number }) => resolve(m.port)),
  );
  const bareUrl = `http://127.0.0.1:${barePort}`;
  const bareStats = (): Promise<ServerStats> =>
    new Promise((resolve) => {
      bare.once('message', (m: ServerStats) => resolve(m));
      bare.send({ type: 'stats' });
    });
  const bareWriter = await connectWriter(bareUrl, 'none');
  onCleanup(() => {
    bareWriter.disconnect();
  });

  process.stdout.write('baseline: bare Socket.IO…\n');
  const baseline = await runPhase(
    'bare Socket.IO',
    workers,
    [bareUrl],
    ['none'],
    'hello',
    bareStats,
    (i, body) =>
      emitWithAck(bareWriter, {
        ...sample,
        seq: i + 1,
        data: { ...sample.data, body },
      }),
  );
  process.stdout.write('Dutydesk…\n');
  const duty = await runPhase(
    `Dutydesk ×${opts.nodes}`,
    workers,
    nodes.map((n) => n.url),
    tokens,
    'snapshot',
    () => dutydeskStats(nodes),
    (i, body) =>
      emitWithAck(writer, {
        commandId: crypto.randomUUID(),
        type: 'ticket.comment',
        ticketId: ticketIds[i % ticketIds.length],
        body,
      }),
  );
  printResults([baseline, duty]);
}

runBench(main, (opts.seconds * 2 + 300) * 1000);
