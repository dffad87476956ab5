/**
 * Webhooks bench: one Dutydesk node on PostgreSQL, a writer issuing `ticket.comment` commands
 * over a socket at a set rate (one `ticket.commented` event each), and N webhook receivers on
 * loopback in this process, each subscribed to `ticket.*`. In the same run, first the baseline:
 * the same writer for `--baseline` seconds with no subscription.
 *
 * Prints the delivery lag (command sent → receiver has the event, on the machine's shared
 * monotonic clock) p50/p95/p99/max over every delivery, the command-ack latency p50/p99 of both
 * phases and their ratio, the node's CPU, deliveries vs expected, repeats (same webhook-id
 * twice) and order breaks (a seq lower than the last one a receiver took), and the load average.
 *
 * Run: npx tsx bench/webhooks.ts --rate 100 --subscribers 10 --seconds 60 --baseline 20
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg } from 'node:os';
import type { Socket } from 'socket.io-client';
import {
  api,
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
  ADMIN_PASSWORD,
  connectSeat,
  sendCommand,
} from './lib';

const opts = flags({ rate: 100, subscribers: 10, seconds: 60, baseline: 20, tickets: 40 });

/** A receiver that keeps only what the figures need: lag per delivery, repeats, order. */
class Receiver {
  readonly lags: number[] = [];
  readonly ids = new Set<string>();
  repeats = 0;
  orderBreaks = 0;
  private lastSeq = 0;
  private waiter: { count: number; resolve: () => void } | null = null;
  constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(): Promise<Receiver> {
    let self: Receiver | null = null;
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const at = now();
        res.end('ok');
        self?.take(String(req.headers['webhook-id']), Buffer.concat(chunks).toString(), at);
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
    const receiver = new Receiver(server, url);
    self = receiver;
    onCleanup(() => new Promise<void>((r) => server.close(() => r())));
    return receiver;
  }

  private take(id: string, body: string, at: number): void {
    if (this.ids.has(id)) {
      this.repeats += 1;
      return;
    }
    this.ids.add(id);
    const p = JSON.parse(body) as { data: { seq: number; data: { body?: string } } };
    if (p.data.seq < this.lastSeq) this.orderBreaks += 1;
    this.lastSeq = p.data.seq;
    const sent = Number(/^bench (\d+(\.\d+)?)$/.exec(p.data.data.body ?? '')?.[1]);
    if (Number.isFinite(sent)) this.lags.push(at - sent);
    if (this.waiter && this.ids.size >= this.waiter.count) {
      this.waiter.resolve();
      this.waiter = null;
    }
  }

  /** Resolves when `count` distinct deliveries have arrived, or after `ms`. */
  until(count: number, ms: number): Promise<void> {
    if (this.ids.size >= count) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiter = {
        count,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
      };
    });
  }
}

interface Phase {
  acks: number[];
  failed: number;
  cpuPercent: number;
}

/** `rate` comments a second for `seconds`, open loop (each sent on its due time, acks awaited after). */
async function write(
  socket: Socket,
  ticketIds: string[],
  seconds: number,
  cpu: () => Promise<number>,
): Promise<Phase> {
  const total = Math.round(opts.rate * seconds);
  const acks: number[] = [];
  let failed = 0;
  let closed = false;
  const pending: Array<Promise<void>> = [];
  const cpu0 = await cpu();
  const t0 = now();
  for (let i = 0; i < total; i += 1) {
    const wait = t0 + (i * 1000) / opts.rate - now();
    if (wait > 1) await new Promise((r) => setTimeout(r, wait));
    const sentAt = now();
    pending.push(
      sendCommand(socket, {
        type: 'ticket.comment',
        ticketId: ticketIds[i % ticketIds.length],
        body: `bench ${sentAt}`,
      }).then((ack) => {
        if (closed) return;
        if (ack.ok) acks.push(now() - sentAt);
        else failed += 1;
      }),
    );
  }
  // Acks still missing 60 s after the last send are counted as failed (a starved machine).
  await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 60_000))]);
  closed = true;
  failed = total - acks.length;
  const elapsed = (now() - t0) / 1000;
  return { acks, failed, cpuPercent: ((await cpu()) - cpu0) / elapsed / 10 };
}

/** `dutydesk_webhook_deliveries_total` by outcome, as `delivered 60000, http_error 0`. */
async function readOutcomes(base: string): Promise<string> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const found = [
    ...text.matchAll(/^dutydesk_webhook_deliveries_total\{outcome="(\w+)"\} (\S+)$/gm),
  ];
  return found.map((m) => `${m[1]} ${m[2]}`).join(', ') || 'none';
}

runBench(
  async () => {
    const load0 = loadavg();
    const { databaseUrl } = await startDatabase();
    const node = await startNode(databaseUrl, { DUTYDESK_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' });
    const token = await login(node.url, 'admin', ADMIN_PASSWORD);
    const cpu = async (): Promise<number> =>
      ((await scrape(node.url)).get('dutydesk_process_cpu_seconds_total') ?? 0) * 1000;
    const socket = await connectSeat(node.url, token);
    onCleanup(() => {
      socket.close();
    });
    const ticketIds: string[] = [];
    for (let i = 0; i < opts.tickets; i += 1) {
      const ack = await sendCommand(socket, {
        type: 'ticket.create',
        title: `Webhook bench ${i}`,
        description: 'bench',
        channel: 'hotline',
        priority: 'P3',
      });
      if (!ack.ok || !ack.ticket) throw new Error(`create: ${JSON.stringify(ack.error)}`);
      ticketIds.push(ack.ticket.id);
    }

    process.stdout.write(
      `baseline: ${opts.rate} commands/s for ${opts.baseline} s, no webhooks (load ${loadavg()[0]?.toFixed(1)})\n`,
    );
    const baseline = await write(socket, ticketIds, opts.baseline, cpu);

    const receivers: Receiver[] = [];
    for (let i = 0; i < opts.subscribers; i += 1) {
      const r = await Receiver.start();
      const res = await api(node.url, 'POST', '/api/webhooks', {
        token,
        body: { url: r.url, events: ['ticket.*'] },
      });
      if (res.status !== 201)
        throw new Error(`subscribe: ${res.status} ${JSON.stringify(res.body)}`);
      receivers.push(r);
    }
    process.stdout.write(
      `webhooks: ${opts.rate} commands/s for ${opts.seconds} s to ${opts.subscribers} subscribers\n`,
    );
    const loaded = await write(socket, ticketIds, opts.seconds, cpu);
    const expected = loaded.acks.length;
    const drainStart = now();
    // Drain: until every receiver has every event, 60 s at most.
    await Promise.all(receivers.map((r) => r.until(expected, 60_000)));
    const drainMs = now() - drainStart;
    const load1 = loadavg();

    const lags = Float64Array.from(receivers.flatMap((r) => r.lags)).sort();
    const delivered = receivers.reduce((n, r) => n + r.ids.size, 0);
    const ackB = Float64Array.from(baseline.acks).sort();
    const ackW = Float64Array.from(loaded.acks).sort();
    const outcomes = await readOutcomes(node.url);
    const line = (cells: string[]): string => `| ${cells.join(' | ')} |`;
    process.stdout.write(
      [
        '',
        `webhooks: ${opts.subscribers} subscribers × ${opts.rate} events/s for ${opts.seconds} s, one node on PostgreSQL`,
        `delivery lag (command sent → receiver has it) ms: p50 ${fmt(pct(lags, 50))}  p95 ${fmt(pct(lags, 95))}  p99 ${fmt(pct(lags, 99))}  max ${fmt(lags[lags.length - 1] ?? Number.NaN)}`,
        `delivered ${delivered}/${expected * opts.subscribers} (drain after the writer stopped ${fmt(drainMs)} ms); repeats ${receivers.reduce((n, r) => n + r.repeats, 0)}; order breaks ${receivers.reduce((n, r) => n + r.orderBreaks, 0)}; attempts by outcome ${outcomes}`,
        '',
        line(['phase', 'ack p50 ms', 'ack p99 ms', 'failed', 'node CPU %']),
        line(['---', '---', '---', '---', '---']),
        line([
          'baseline (no webhooks)',
          fmt(pct(ackB, 50)),
          fmt(pct(ackB, 99)),
          String(baseline.failed),
          baseline.cpuPercent.toFixed(0),
        ]),
        line([
          `${opts.subscribers} webhooks`,
          fmt(pct(ackW, 50)),
          fmt(pct(ackW, 99)),
          String(loaded.failed),
          loaded.cpuPercent.toFixed(0),
        ]),
        line([
          'ratio',
          (pct(ackW, 50) / pct(ackB, 50)).toFixed(2),
          (pct(ackW, 99) / pct(ackB, 99)).toFixed(2),
          '',
          (loaded.cpuPercent / Math.max(1, baseline.cpuPercent)).toFixed(2),
        ]),
        '',
        `load average (1/5/15 min): start ${load0.map((x) => x.toFixed(1)).join('/')}, end ${load1.map((x) => x.toFixed(1)).join('/')}`,
        '',
      ].join('\n'),
    );
  },
  (opts.baseline + opts.seconds) * 1000 + 600_000,
);
