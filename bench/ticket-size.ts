/**
 * A ticket that keeps growing: one agent adds long comments (19 000 characters each) to one
 * ticket. Prints, with the shipped bounds (2 000 entries, 2 MB, acks and snapshots carrying
 * each log's latest 20 entries / ~64 kB), how many comments were taken before the 413, the
 * last accepted comment's time and ack size, and a new seat's snapshot size; and as the
 * baseline in the same run the same with the bounds lifted (the old behaviour: whole tickets
 * in acks and snapshots), up to the same number of comments plus `--extra`.
 *
 *   npx tsx bench/ticket-size.ts [--extra 50]
 */
import { randomUUID } from 'node:crypto';
import { io } from 'socket.io-client';
import { executeCommand } from '../apps/server/src/commands';
import { readTicket } from '../apps/server/src/features/tickets/tickets.repo';
import { ADMIN_PASSWORD, flags, fmt, login, runBench } from './lib';
import { startInProcessServer } from './inProcess';

const opts = flags({ extra: 50 });
const BODY = 'x'.repeat(19_000);

interface Run {
  accepted: number;
  refusedWith: string | null;
  lastMs: number;
  firstMs: number;
  ackBytes: number;
  snapshotBytes: number;
  /** The stored ticket as JSON: what every ack and snapshot carried before the cut copies. */
  wholeBytes: number;
}

async function measure(env: Record<string, string>, maxComments: number): Promise<Run> {
  const { server, actor } = await startInProcessServer('dutydesk-ticket-size-', env);
  const created = await executeCommand(server.ctx, actor, {
    commandId: randomUUID(),
    type: 'ticket.create',
    title: 'Growing ticket',
    description: 'ticket-size bench',
    channel: 'api',
  });
  if (!created.ok || !created.ticket) throw new Error('create failed');
  const ticketId = created.ticket.id;
  const run: Run = {
    accepted: 0,
    refusedWith: null,
    lastMs: 0,
    firstMs: 0,
    ackBytes: 0,
    snapshotBytes: 0,
    wholeBytes: 0,
  };
  while (run.accepted < maxComments) {
    const started = performance.now();
    const ack = await executeCommand(server.ctx, actor, {
      commandId: randomUUID(),
      type: 'ticket.comment',
      ticketId,
      body: BODY,
    });
    const ms = performance.now() - started;
    if (!ack.ok) {
      run.refusedWith = ack.error.code;
      break;
    }
    run.accepted += 1;
    if (run.accepted === 1) run.firstMs = ms;
    run.lastMs = ms;
    run.ackBytes = JSON.stringify(ack).length;
  }
  run.wholeBytes = JSON.stringify(await readTicket(server.ctx.database.db, ticketId)).length;
  const token = await login(server.url, 'admin', ADMIN_PASSWORD);
  run.snapshotBytes = await new Promise<number>((resolve, reject) => {
    const socket = io(server.url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
      forceNew: true,
    });
    socket.on('connect_error', reject);
    socket.on('snapshot', (s: unknown) => {
      socket.disconnect();
      resolve(JSON.stringify(s).length);
    });
  });
  await server.close();
  return run;
}

const kb = (n: number): string => `${(n / 1024).toFixed(0)} kB`;

runBench(async () => {
  const bounded = await measure({}, 100_000);
  // Baseline: no bounds; before the cut copies every ack and snapshot carried the whole ticket.
  const unbounded = await measure(
    { DUTYDESK_TICKET_MAX_ENTRIES: '1000000', DUTYDESK_TICKET_MAX_BYTES: '1000000000' },
    bounded.accepted + opts.extra,
  );
  const line = (name: string, r: Run): string =>
    `${name.padEnd(10)} ${r.accepted} comments taken${r.refusedWith ? ` (then ${r.refusedWith})` : ''}; ` +
    `comment 1 ${fmt(r.firstMs)} ms, last ${fmt(r.lastMs)} ms; ticket ${kb(r.wholeBytes)}; ` +
    `last ack ${kb(r.ackBytes)}, new seat's snapshot ${kb(r.snapshotBytes)} (whole ticket in each before: ${kb(r.wholeBytes)})\n`;
  process.stdout.write(line('bounded', bounded));
  process.stdout.write(line('baseline', unbounded));
  process.stdout.write(
    `ratio (bounded / baseline with whole tickets): last command ${(bounded.lastMs / unbounded.lastMs).toFixed(2)}, ` +
      `ack ${(bounded.ackBytes / unbounded.wholeBytes).toFixed(3)}, snapshot ${(bounded.snapshotBytes / unbounded.wholeBytes).toFixed(3)}\n`,
  );
}, 15 * 60_000);
