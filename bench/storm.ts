/**
 * Breach storm bench (issue 24, acceptance 3; decision 57): `--tickets` P1 tickets whose response
 * targets all breach at one instant, on one Dutydesk node on PostgreSQL, then on PGlite
 * (`--pglite 0` skips it). The tickets are created through a seat's socket with a `receivedAt`
 * 15 minutes before the instant T, `--lead` seconds ahead (so the warnings before it fall before
 * the tickets entered and only the breach is due, at T, on the server's real clock).
 *
 * Seats: a duty manager's (socket.io-client) that hears the alerts, and `--agents` agent seats
 * sending `--rate` comments a second in total on their own tickets, open loop, before and
 * during the storm. Prints the time from T until every breach alert is stored (folded as the
 * ladder folds: three single prompts, the rest in the duty manager's digest; read over REST)
 * and until the duty manager's seat has them (the singles and the digest's count), and the
 * agents' ack p50/p99 before and during the storm, with the load average.
 *
 * Run: npx tsx bench/storm.ts --tickets 1000 --agents 4 --rate 20 --lead 60 [--pglite 0]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Socket } from 'socket.io-client';
import {
  ADMIN_PASSWORD,
  api,
  connectSeat,
  createAgents,
  flags,
  fmt,
  login,
  now,
  onCleanup,
  pct,
  runBench,
  sendCommand,
  startDatabase,
  startNode,
} from './lib';

const opts = flags({ tickets: 1000, agents: 4, rate: 20, lead: 60, pglite: 1, createInFlight: 16 });
const DIGEST_AFTER = 3;

interface Alert {
  id: string;
  ticketId: string | null;
  kind: string;
  stepKey: string;
  count: number;
}

/** The agents: `rate` comments a second in total, each on its own ticket, acks timed by send instant. */
function runAgents(seats: Array<{ socket: Socket; ticketId: string }>) {
  const acks: Array<{ at: number; ms: number }> = [];
  let failed = 0;
  let stopped = false;
  const pending: Array<Promise<void>> = [];
  const t0 = now();
  const loop = (async () => {
    for (let i = 0; !stopped; i += 1) {
      const wait = t0 + (i * 1000) / opts.rate - now();
      if (wait > 1) await new Promise((r) => setTimeout(r, wait));
      if (stopped) break;
      const seat = seats[i % seats.length];
      if (!seat) break;
      const at = now();
      pending.push(
        sendCommand(seat.socket, {
          type: 'ticket.comment',
          ticketId: seat.ticketId,
          body: `agent ${i}`,
          internal: true,
        }).then((ack) => {
          if (ack.ok) acks.push({ at, ms: now() - at });
          else failed += 1;
        }),
      );
    }
  })();
  return {
    acks,
    async stop(): Promise<number> {
      stopped = true;
      await loop;
      await Promise.race([Promise.all(pending), new Promise((r) => setTimeout(r, 60_000))]);
      return failed;
    },
  };
}

function sortedMs(list: Array<{ ms: number }>): Float64Array {
  return Float64Array.from(list.map((a) => a.ms)).sort();
}

async function stormOn(db: 'PostgreSQL' | 'PGlite'): Promise<string[]> {
  let env: Record<string, string>;
  if (db === 'PGlite') {
    const dir = mkdtempSync(join(tmpdir(), 'dutydesk-bench-storm-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    env = { DUTYDESK_DATA_DIR: dir };
  } else {
    const { databaseUrl } = await startDatabase();
    env = { DATABASE_URL: databaseUrl };
  }
  const { DATABASE_URL: databaseUrl = '', ...rest } = env;
  const node = await startNode(databaseUrl, rest);
  onCleanup(() => node.stop());
  const base = node.url;
  const admin = await login(base, 'admin', ADMIN_PASSWORD);
  const load0 = loadavg();

  // The duty manager (no roster: the ladder's first level goes to the duty_manager role).
  const [dmToken] = await createAgents(base, `dm-${db}-`, 1, 'duty_manager');
  if (!dmToken) throw new Error('no duty manager');
  const dm = await connectSeat(base, dmToken);
  onCleanup(() => void dm.close());
  const singles = new Map<string, number>();
  let digest: Alert | null = null;
  let onSeatAt = 0;
  let pushes = 0;
  let seatDone: () => void = () => {};
  const seatHasAll = new Promise<void>((resolve) => (seatDone = resolve));
  dm.on('alert', (a: Alert) => {
    if (a.stepKey !== 'P1/breach') return;
    pushes += 1;
    if (a.kind === 'digest') {
      if (!digest || a.count >= digest.count) digest = a;
    } else if (a.ticketId && !singles.has(a.ticketId)) singles.set(a.ticketId, now());
    if (!onSeatAt && singles.size + (digest?.count ?? 0) >= opts.tickets) {
      onSeatAt = now();
      seatDone();
    }
  });

  const agentTokens = await createAgents(base, `agent-${db}-`, opts.agents, 'agent');
  const seats: Array<{ socket: Socket; ticketId: string }> = [];
  for (const token of agentTokens) {
    const socket = await connectSeat(base, token);
    onCleanup(() => void socket.close());
    const ack = await sendCommand(socket, {
      type: 'ticket.create',
      title: 'Agent bench ticket',
      description: 'bench',
      channel: 'hotline',
      priority: 'P3',
    });
    if (!ack.ok || !ack.ticket) throw new Error(`agent ticket: ${JSON.stringify(ack.error)}`);
    seats.push({ socket, ticketId: ack.ticket.id });
  }

  // The storm's tickets: all breach at T.
  const creator = await connectSeat(base, admin);
  onCleanup(() => void creator.close());
  const T = now() + opts.lead * 1000;
  const receivedAt = new Date(T - 15 * 60_000).toISOString();
  const c0 = now();
  let next = 0;
  await Promise.all(
    Array.from({ length: opts.createInFlight }, async () => {
      while (next < opts.tickets) {
        next += 1;
        const ack = await sendCommand(creator, {
          type: 'ticket.create',
          title: `Core switch down ${next}`,
          description: 'storm',
          channel: 'monitoring',
          priority: 'P1',
          receivedAt,
        });
        if (!ack.ok) throw new Error(`create: ${JSON.stringify(ack.error)}`);
      }
    }),
  );
  const createdMs = now() - c0;
  if (now() > T - 2000)
    throw new Error(
      `creating ${opts.tickets} tickets took ${fmt(createdMs)} ms, past the breach instant: raise --lead`,
    );
  process.stdout.write(
    `${db}: ${opts.tickets} P1 tickets created in ${fmt(createdMs)} ms; their response targets breach in ${fmt(T - now())} ms\n`,
  );

  // Agents before and during the storm.
  const agents = runAgents(seats);
  // Bounded: a seat that never sees every breach (its socket dropped) ends the run with what it saw.
  const seatWait = opts.lead * 1000 + 120_000;
  let seatTimer: NodeJS.Timeout | undefined;
  const seatOutcome = await Promise.race([
    seatHasAll.then(() => 'all' as const),
    new Promise<'timeout'>((r) => (seatTimer = setTimeout(() => r('timeout'), seatWait))),
  ]);
  clearTimeout(seatTimer);
  if (seatOutcome === 'timeout')
    throw new Error(
      `${db}: after ${fmt(seatWait)} ms the duty manager's seat had ${singles.size} singles + digest ${(digest as Alert | null)?.count ?? 0} of ${opts.tickets} breaches (socket connected: ${dm.connected})`,
    );
  // Every alert stored: the digest's count over REST (the seat's pushes are paced, 1/s).
  let storedAt = 0;
  const storedBy = now() + 120_000;
  for (;;) {
    if (now() > storedBy)
      throw new Error(`${db}: the digest's stored count never reached ${opts.tickets}`);
    const id = (digest as Alert | null)?.id;
    if (id) {
      const res = await api<{ count: number }>(base, 'GET', `/api/alerts/${id}`, {
        token: admin,
      });
      if (res.body.count + singles.size >= opts.tickets) {
        storedAt = now();
        break;
      }
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  // A little more of the agents after the storm, then stop.
  await new Promise((r) => setTimeout(r, 1000));
  const failed = await agents.stop();
  const load1 = loadavg();
  const before = sortedMs(agents.acks.filter((a) => a.at < T));
  const during = sortedMs(agents.acks.filter((a) => a.at >= T && a.at <= onSeatAt));
  const d = digest as Alert | null;
  const firstSingle = Math.min(...singles.values());
  return [
    `| ${db} | ${opts.tickets} | ${singles.size} + digest ${d?.count ?? 0} | ${fmt(firstSingle - T)} | ${fmt(storedAt - T)} | ${fmt(onSeatAt - T)} | ${pushes} | ${fmt(pct(before, 50))} / ${fmt(pct(before, 99))} (${before.length}) | ${fmt(pct(during, 50))} / ${fmt(pct(during, 99))} (${during.length}) | ${failed} | ${load0.map((x) => x.toFixed(1)).join('/')} → ${load1.map((x) => x.toFixed(1)).join('/')} |`,
    `folded as the ladder folds (${DIGEST_AFTER} singles, the rest in one digest): ${singles.size === DIGEST_AFTER && (d?.count ?? 0) === opts.tickets - DIGEST_AFTER ? 'yes' : 'NO'}`,
  ];
}

runBench(async () => {
  const rows: string[] = [];
  const notes: string[] = [];
  for (const db of opts.pglite ? (['PostgreSQL', 'PGlite'] as const) : (['PostgreSQL'] as const)) {
    const [row, note] = await stormOn(db);
    if (row) rows.push(row);
    if (note) notes.push(`${db}: ${note}`);
    // Printed as soon as measured, so a later database's failure loses nothing.
    process.stdout.write(`${row ?? ''}\n${db}: ${note ?? ''}\n`);
  }
  process.stdout.write(
    [
      '',
      `breach storm: ${opts.tickets} P1 response targets breaching at one instant T; a duty manager's seat; ${opts.agents} agent seats at ${opts.rate} commands/s in total (times from T, ms)`,
      '',
      '| database | breaches | on the seat: singles + digest | first single alert | every alert stored | every alert on the seat | alert pushes | agent ack p50 / p99 before (n) | during the storm (n) | failed acks | load 1/5/15 start → end |',
      '| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |',
      ...rows,
      '',
      ...notes,
      '',
    ].join('\n'),
  );
}, 900_000);
