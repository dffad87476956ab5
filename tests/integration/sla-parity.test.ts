/**
 * Issue 4, acceptance 4: a seat's countdown and the server's breach decision come from one
 * function (`readSlaTarget` in packages/shared). This test runs both on the same inputs: a
 * real server with a fake clock fires thresholds through its scheduler, and at every step the
 * console's own `computeCountdown` (apps/desktop) reads the ticket the server holds at the same
 * instant. The colour and the overdue flag a seat shows must be exactly what the server fired.
 */
import { computeSla, readSlaTarget, type Ticket } from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../apps/server/src/clock';
import {
  onSlaThreshold,
  type FiredSlaThreshold,
} from '../../apps/server/src/features/sla/scheduler';
import {
  createTicket,
  MINUTE,
  prepareDesk,
  readTicketOverHttp,
  sendCommand,
  startWork,
  T0,
} from '../../apps/server/src/features/sla/sla.testing';
import { toSlaSubject } from '../../apps/server/src/features/sla/targets';
import {
  ADMIN_PASSWORD,
  startTestServer,
  type TestServer,
} from '../../apps/server/src/testing/harness';
import {
  computeCountdown,
  CountdownLevel,
  type CountdownLevel as Level,
} from '../../apps/desktop/src/renderer/clock/countdown';

type Mark = { percent: number; afterMinutes?: number; colour: string; at: string };

const T0_MS = Date.parse(T0);

/** What the server's fired thresholds say a seat must show for one target's current clock. */
function levelFromFired(
  fired: ReadonlyArray<FiredSlaThreshold>,
  ticketId: string,
  target: { name: string; startedAt?: string | null; thresholds?: unknown },
): Level {
  const started = Date.parse(target.startedAt ?? '');
  const marks = (target.thresholds ?? []) as Mark[];
  const mine = fired
    .filter(
      (f) => f.ticket.id === ticketId && f.target === target.name && f.dueAt.getTime() >= started,
    )
    .sort((a, b) => a.dueAt.getTime() - b.dueAt.getTime() || a.threshold - b.threshold);
  const last = mine.at(-1);
  if (!last) return CountdownLevel.ok;
  if (mine.some((f) => f.breach)) return CountdownLevel.overdue;
  const mark = marks.find(
    (m) => m.percent === last.threshold && (m.afterMinutes ?? 0) === last.afterMinutes,
  );
  if (mark?.colour === 'red') return CountdownLevel.critical;
  if (mark?.colour === 'amber') return CountdownLevel.warning;
  return CountdownLevel.ok;
}

describe('a seat countdown and the server breach decision', () => {
  let server: TestServer;
  let token: string;
  let adminId: string;
  const clock = new ManualClock(T0);
  const fired: FiredSlaThreshold[] = [];

  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', clock });
    token = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, token);
    onSlaThreshold(server.ctx, (f) => void fired.push(f));
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('agree at every step: thresholds, their edges, a pause and a resume', async () => {
    const tickets: Ticket[] = [];
    for (const priority of ['P1', 'P2', 'P3'] as const) {
      tickets.push(await createTicket(server, token, { priority, title: `Parity ${priority}` }));
    }
    // Every threshold instant of the first plan, a millisecond before and at it.
    const edges = tickets.flatMap((t) =>
      t.sla.targets.flatMap((target) =>
        ((target.thresholds ?? []) as Mark[]).flatMap((m) => [
          Date.parse(m.at) - 1,
          Date.parse(m.at),
        ]),
      ),
    );
    const steps = new Set<number>(edges);
    for (let m = 1; m <= 180; m += 1) steps.add(T0_MS + m * MINUTE);
    for (let m = 195; m <= 26 * 60; m += 15) steps.add(T0_MS + m * MINUTE);
    const p2 = tickets[1];
    if (!p2) throw new Error('no P2 ticket');
    const pauseAt = T0_MS + 20 * MINUTE;
    const resumeAt = T0_MS + 50 * MINUTE;
    steps.add(pauseAt);
    steps.add(resumeAt);

    let compared = 0;
    let signedInAt = T0_MS;
    const seen = new Set<Level>();
    for (const nowMs of [...steps].filter((s) => s >= T0_MS).sort((a, b) => a - b)) {
      clock.set(new Date(nowMs));
      if (nowMs - signedInAt > 10 * 60 * MINUTE) {
        // Sessions last 14 h of the server's clock, and this walk spans a day.
        token = await server.login('admin', ADMIN_PASSWORD);
        signedInAt = nowMs;
      }
      if (nowMs === pauseAt) {
        await startWork(server, token, p2.id, adminId);
        await sendCommand(server, token, {
          type: 'ticket.pend',
          ticketId: p2.id,
          reason: 'customer',
        });
      }
      if (nowMs === resumeAt)
        await sendCommand(server, token, { type: 'ticket.resume', ticketId: p2.id });
      await server.scheduler.tick();
      for (const { id } of tickets) {
        const ticket = await readTicketOverHttp(server, token, id);
        for (const target of ticket.sla.targets) {
          const seat = computeCountdown([target], nowMs);
          if (seat.kind !== 'running') continue;
          const expected = levelFromFired(fired, id, target);
          expect({
            at: new Date(nowMs).toISOString(),
            ticket: ticket.number,
            target: target.name,
            level: seat.level,
          }).toEqual({
            at: new Date(nowMs).toISOString(),
            ticket: ticket.number,
            target: target.name,
            level: expected,
          });
          seen.add(seat.level);
          compared += 1;
        }
      }
    }
    // The walk really went through every colour, and compared thousands of readings.
    expect([...seen].sort()).toEqual(['critical', 'ok', 'overdue', 'warning']);
    expect(compared).toBeGreaterThan(1000);
  });

  it('the scheduler decides off the very reading the seat gets from a fresh plan', async () => {
    // Same inputs, both sides: the ticket's fresh engine plan (what the scheduler reads) and
    // the wire copy a seat holds give the same crossed thresholds and breach flag at any instant.
    clock.set(T0);
    const ticket = await createTicket(server, token, { priority: 'P1', title: 'Parity fresh' });
    const states = computeSla(
      toSlaSubject(ticket),
      server.ctx.sla.policyFor(ticket),
      server.ctx.sla.calendars(),
      new Date(T0_MS),
    );
    for (let m = 0; m <= 300; m += 1) {
      const nowMs = T0_MS + m * MINUTE + 30_000;
      for (const state of states) {
        const wire = ticket.sla.targets.find((t) => t.name === state.name);
        if (!wire) throw new Error(`no ${state.name} on the wire`);
        const fromServer = readSlaTarget(state, nowMs);
        const fromSeat = readSlaTarget(
          { ...wire, thresholds: (wire.thresholds ?? []) as Mark[] },
          nowMs,
        );
        expect(fromSeat).toEqual(fromServer);
      }
    }
  });
});
