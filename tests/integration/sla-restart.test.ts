/**
 * Issue 4, acceptance 3, across real processes: one ticket per priority crosses its
 * thresholds while the server is killed with SIGKILL between them and started again later.
 * Each new process starts its clock further on (`DUTYDESK_CLOCK_START`) and must fire what fell
 * due while nothing ran, each threshold exactly once, in due order per ticket. The last start
 * is two processes on the one PostgreSQL at once: together they still fire each threshold once.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  computeSla,
  defaultCalendars,
  defaultSlaPolicy,
  readSlaTarget,
  type Ticket,
} from '@dutydesk/shared';
import pg from 'pg';
import { io, type Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toSlaSubject } from '../../apps/server/src/features/sla/targets';
import { createTestDatabase } from '../../apps/server/src/testing/harness';
import { spawnServerProcess } from '../support/serverProcess';

const ADMIN_PASSWORD = 'sla-restart-admin-1';
/** Monday 2 March 2026, 10:00 in Shanghai: a plain working day. */
const T0 = Date.parse('2026-03-02T02:00:00.000Z');
const MIN = 60_000;

interface ThresholdRow {
  seq: number;
  ticketId: string;
  type: string;
  target: string;
  threshold: number;
  afterMinutes: number;
  dueAt: string;
  at: string;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function post<T>(base: string, path: string, body: unknown, token?: string): Promise<T> {
  const res = await fetch(base + path, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: JSON.stringify(body),
  });
  const json = (await res.json()) as T;
  expect(res.status, JSON.stringify(json)).toBe(200);
  return json;
}

/** `<ticket>:<target>:<threshold>[+n]` for each threshold of running clocks due by `nowMs`. */
function expectedThresholds(tickets: ReadonlyArray<Ticket>, nowMs: number): string[] {
  const out: string[] = [];
  for (const ticket of tickets) {
    const entered = Date.parse(ticket.createdAt);
    const states = computeSla(
      toSlaSubject(ticket),
      defaultSlaPolicy,
      defaultCalendars,
      new Date(nowMs),
    );
    for (const state of states) {
      for (const c of readSlaTarget(state, nowMs).crossed) {
        if (Date.parse(c.at) < entered) continue;
        out.push(`${ticket.number}:${state.name}:${c.key ?? c.percent}`);
      }
    }
  }
  return out.sort();
}

describe('SLA thresholds across kill -9 and restarts of the server', () => {
  let databaseUrl: string;
  let db: pg.Client;
  const children: ChildProcess[] = [];

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    db = new pg.Client({ connectionString: databaseUrl });
    await db.connect();
  });
  afterAll(async () => {
    await Promise.all(
      children.map((c) => {
        const done = exited(c);
        c.kill('SIGKILL');
        return done;
      }),
    );
    await db?.end();
  });

  async function startAt(clockMs: number): Promise<{ url: string; child: ChildProcess }> {
    const node = await spawnServerProcess({
      DATABASE_URL: databaseUrl,
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DUTYDESK_CLOCK_START: new Date(clockMs).toISOString(),
      LOG_LEVEL: 'silent',
    });
    children.push(node.child);
    return node;
  }

  async function readFired(): Promise<ThresholdRow[]> {
    const res = await db.query<{
      seq: string;
      ticket_id: string;
      type: string;
      data: { target: string; threshold: number; afterMinutes: number; dueAt: string };
      at: Date;
    }>(
      `select seq, ticket_id, type, data, at from events
        where type in ('sla.warning', 'sla.breached') order by seq`,
    );
    return res.rows.map((r) => ({
      seq: Number(r.seq),
      ticketId: r.ticket_id,
      type: r.type,
      target: r.data.target,
      threshold: r.data.threshold,
      afterMinutes: r.data.afterMinutes,
      dueAt: r.data.dueAt,
      at: new Date(r.at).toISOString(),
    }));
  }

  function label(tickets: ReadonlyArray<Ticket>, row: ThresholdRow): string {
    const number = tickets.find((t) => t.id === row.ticketId)?.number ?? row.ticketId;
    const key = row.afterMinutes ? `${row.threshold}+${row.afterMinutes}m` : String(row.threshold);
    return `${number}:${row.target}:${key}`;
  }

  /**
   * Waits, on a live seat of `url`, until the log holds every threshold due by `nowMs`: checks
   * once the seat is live, then again on each event it receives (no polling, no sleep).
   */
  async function waitForFired(
    url: string,
    token: string,
    tickets: ReadonlyArray<Ticket>,
    nowMs: number,
  ): Promise<ThresholdRow[]> {
    const want = expectedThresholds(tickets, nowMs);
    const socket: Socket = io(url, {
      auth: { token },
      transports: ['websocket'],
      reconnection: false,
    });
    try {
      const check = async (): Promise<ThresholdRow[] | null> => {
        const rows = await readFired();
        const have = new Set(rows.map((r) => label(tickets, r)));
        return want.every((w) => have.has(w)) ? rows : null;
      };
      return await new Promise<ThresholdRow[]>((resolve, reject) => {
        const timer = setTimeout(
          () => reject(new Error(`not all of ${want.join(', ')} fired in 120 s`)),
          120_000,
        );
        // One read at a time: events arriving during a read queue one more read behind it.
        let reading: Promise<void> = Promise.resolve();
        const attempt = (): void => {
          reading = reading.then(() =>
            check().then((rows) => {
              if (!rows) return;
              clearTimeout(timer);
              resolve(rows);
            }, reject),
          );
        };
        socket.on('event', attempt);
        socket.once('hello', attempt);
        socket.once('connect_error', reject);
      });
    } finally {
      socket.disconnect();
    }
  }

  it('fires each threshold once, in due order, whichever process was alive when it fell due', async () => {
    // Process 1: the desk receives one ticket per priority at T0, then dies (kill -9).
    let node = await startAt(T0);
    let token = (
      await post<{ token: string }>(node.url, '/api/auth/login', {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).token;
    const tickets: Ticket[] = [];
    for (const priority of ['P1', 'P2', 'P3'] as const) {
      const ack = await post<{ ok: boolean; ticket: Ticket }>(
        node.url,
        '/api/commands',
        {
          type: 'ticket.create',
          commandId: randomUUID(),
          title: `Restart ${priority}`,
          description: 'Crossing thresholds across restarts',
          channel: 'hotline',
          priority,
          receivedAt: new Date(T0).toISOString(),
        },
        token,
      );
      tickets.push(ack.ticket);
    }
    node.child.kill('SIGKILL');
    await exited(node.child);

    // Each later process starts where the one before it left off plus downtime; 30 s or more
    // away from any threshold, so its running clock cannot cross one while the test looks.
    const phases = [
      8 * MIN, // P1 response 50 % (7.5 min)
      14 * MIN, // P1 response 75 %, 90 % (11.25, 13.5 min)
      50 * MIN, // P1 response breach, P1 update 50/75 %, P2 response all four
      26 * 60 * MIN, // next working day 12:00 Shanghai: P3 response, resolves, the rest
    ];
    const seenPerPhase: number[] = [];
    for (const [i, offset] of phases.entries()) {
      const last = i === phases.length - 1;
      // The last start is two processes at once on the one database: both catch up together.
      const nodes = last
        ? await Promise.all([startAt(T0 + offset), startAt(T0 + offset)])
        : [await startAt(T0 + offset)];
      node = nodes[0] ?? node;
      token = (
        await post<{ token: string }>(node.url, '/api/auth/login', {
          username: 'admin',
          password: ADMIN_PASSWORD,
        })
      ).token;
      const rows = await waitForFired(node.url, token, tickets, T0 + offset);
      seenPerPhase.push(rows.length);
      // Kill -9 between thresholds; at the end a graceful stop, which waits for the
      // scheduler's run in progress, so nothing can fire after the final read.
      for (const n of nodes) n.child.kill(last ? 'SIGTERM' : 'SIGKILL');
      await Promise.all(nodes.map((n) => exited(n.child)));
    }

    const rows = await readFired();
    const labels = rows.map((r) => label(tickets, r));
    // Exactly what fell due by the last start, each once.
    expect([...labels].sort()).toEqual(
      expectedThresholds(tickets, T0 + phases[phases.length - 1]!),
    );
    expect(new Set(labels).size).toBe(labels.length);
    // Every process fired something new, so the kills really fell between thresholds.
    expect(seenPerPhase.every((n, i) => n > (seenPerPhase[i - 1] ?? 0))).toBe(true);
    // Per ticket and target, thresholds fired in due order, never before they were due.
    for (const ticket of tickets) {
      for (const target of new Set(
        rows.filter((r) => r.ticketId === ticket.id).map((r) => r.target),
      )) {
        const mine = rows.filter((r) => r.ticketId === ticket.id && r.target === target);
        const due = mine.map((r) => Date.parse(r.dueAt));
        expect(due).toEqual([...due].sort((a, b) => a - b));
        for (const r of mine) expect(Date.parse(r.at)).toBeGreaterThanOrEqual(Date.parse(r.dueAt));
      }
    }
    // The P1 response 50 % warning fired in the second process, not caught up later.
    const p1 = tickets[0]!;
    const first = rows.find(
      (r) => r.ticketId === p1.id && r.target === 'response' && r.threshold === 50,
    );
    expect(first && Date.parse(first.at)).toBeLessThan(T0 + 14 * MIN);
    // Five processes started one after another: generous for a loaded two-core machine.
  }, 600_000);
});
