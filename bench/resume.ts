/**
 * Resume catch-up: a seat 10 000 events behind reconnects with its lastSeq and is replayed to
 * the head. Prints the time until its last event, on PGlite and on PostgreSQL, and as the
 * baseline in the same run the time to read the same events with GET /api/events (database
 * read and JSON only, no socket).
 *
 *   npx tsx bench/resume.ts [--events 10000]
 */
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { executeCommand } from '../apps/server/src/commands';
import { ADMIN_PASSWORD, flags, fmt, login, runBench, startDatabase } from './lib';
import { startInProcessServer } from './inProcess';

const opts = flags({ events: 10_000 });

async function measure(driver: 'pglite' | 'postgres'): Promise<void> {
  const databaseUrl = driver === 'postgres' ? (await startDatabase()).databaseUrl : undefined;
  const { server, actor } = await startInProcessServer(
    'dutydesk-resume-',
    databaseUrl ? { DATABASE_URL: databaseUrl } : {},
  );
  const token = await login(server.url, 'admin', ADMIN_PASSWORD);

  const ticketIds: string[] = [];
  for (let i = 0; i < 50; i += 1) {
    const ack = await executeCommand(server.ctx, actor, {
      commandId: randomUUID(),
      type: 'ticket.create',
      title: `R${i}`,
      description: 'resume bench',
      channel: 'api',
    });
    if (!ack.ok || !ack.ticket) throw new Error(`create failed: ${JSON.stringify(ack)}`);
    ticketIds.push(ack.ticket.id);
  }
  const seqBefore = await headSeq(server.url, token);
  let written = 0;
  const writeStarted = performance.now();
  await Promise.all(
    Array.from({ length: 8 }, async (_, w) => {
      while (written < opts.events) {
        written += 1;
        const ack = await executeCommand(server.ctx, actor, {
          commandId: randomUUID(),
          type: 'ticket.comment',
          ticketId: ticketIds[(written + w) % ticketIds.length],
          body: `comment ${written}`,
        });
        if (!ack.ok) throw new Error(`comment failed: ${ack.error.message}`);
      }
    }),
  );
  const writeMs = performance.now() - writeStarted;
  const head = await headSeq(server.url, token);
  const behind = head - seqBefore;

  // Baseline: the same events read over REST in pages of 5000.
  const restStarted = performance.now();
  let after = seqBefore;
  while (after < head) {
    const res = await getJson<{ events: Array<{ seq: number }> }>(
      `${server.url}/api/events?after=${after}&limit=5000`,
      token,
    );
    after = res.events.at(-1)?.seq ?? head;
  }
  const restMs = performance.now() - restStarted;

  // The seat: handshake with lastSeq, replayed to the head.
  const resumeStarted = performance.now();
  const received = await new Promise<number>((resolve, reject) => {
    let count = 0;
    const socket = io(server.url, {
      auth: { token, lastSeq: seqBefore },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('connect_error', reject);
    socket.on('event', (e: { seq: number }) => {
      count += 1;
      if (e.seq >= head) {
        socket.disconnect();
        resolve(count);
      }
    });
  });
  const resumeMs = performance.now() - resumeStarted;
  process.stdout.write(
    `${driver.padEnd(8)} behind ${behind} events (written in ${fmt(writeMs)}, ${Math.round((behind / writeMs) * 1000)} commands/s in-process): ` +
      `seat caught up in ${fmt(resumeMs)} (${received} events); baseline REST read ${fmt(restMs)}; ratio ${(resumeMs / restMs).toFixed(2)}; target < 1 s: ${resumeMs < 1000 ? 'met' : 'missed'}\n`,
  );
  await server.close();
}

/** GET JSON; retried once, since a keep-alive connection idle through the write phase may be closed. */
async function getJson<T>(url: string, token: string): Promise<T> {
  const init = { headers: { authorization: `Bearer ${token}` } };
  const res = await fetch(url, init).catch(() => fetch(url, init));
  return (await res.json()) as T;
}

async function headSeq(base: string, token: string): Promise<number> {
  let after = 0;
  for (;;) {
    const res = await getJson<{ events: Array<{ seq: number }> }>(
      `${base}/api/events?after=${after}&limit=5000`,
      token,
    );
    if (res.events.length === 0) return after;
    after = res.events.at(-1)?.seq ?? after;
  }
}

runBench(async () => {
  await measure('pglite');
  await measure('postgres');
}, 10 * 60_000);
