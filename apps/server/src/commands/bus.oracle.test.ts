import { randomUUID } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  applyEvent,
  decide,
  parseCommand,
  type Actor,
  type AppError,
  type Command,
  type DomainEvent,
  type PendingEvent,
  type PublicUser,
  type Ticket,
} from '@dutydesk/shared';
import { ManualClock } from '../clock';
import { readCurrentSeq, readEventsAfter } from '../features/events';
import { verifyAudit } from '../features/events/audit';
import { actorFromUser } from '../features/tickets';
import { trimTimeline } from '../features/tickets/timeline';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../testing/harness';
import { TestSeat, type Ack } from '../testing/seat';
import { commandIdTaken } from './bus';

/**
 * Issue 24 acceptance 4: concurrent batches of commands, with stale expected versions, commands
 * the workflow refuses and resent commandIds (by the same actor and by another), against a
 * sequential oracle. The acks of a batch are checked against the commands replayed in the order
 * of their committed seq through the version check and the shared `decide`:
 * - every accepted command is the oracle's accepted command at its place in seq order (the same
 *   events but the ids `decide` makes, then only `sla.*` events; the ack's ticket is the oracle's
 *   ticket after them), and is executed once: every other ack of its id by its actor is the
 *   first ack, and another actor's is `commandId` taken;
 * - every refusal is the oracle's answer at some place in the batch's commit order (a refusal
 *   changes nothing, so any consistent read point will do): the same error, conflicts with the
 *   ticket as it was there;
 * - the log after the batch is exactly the accepted commands' events, seq gap-free in commit
 *   order; the audit (hash chain, ticket rows, stored results) is valid afterwards.
 * The server clock stands still (a `ManualClock`), so `decide` sees the server's `now` and no
 * timer fires between commands. Fixed seed (`ORACLE_SEED` to change it), printed on failure;
 * `ORACLE_RUNS` runs per case (default 8).
 */

const SEED = Number(process.env.ORACLE_SEED ?? 20_261_206);
const RUNS = Number(process.env.ORACLE_RUNS ?? 8);
const TICKETS = 3;
const PASSWORD = 'password-123';
const NOW = '2026-12-07T09:30:00.000Z';

const KINDS = [
  'accept',
  'accept',
  'pend',
  'resume',
  'resolve',
  'resolve',
  'followUp',
  'reopen',
  'comment',
  'comment',
  'execution',
] as const;
type Kind = (typeof KINDS)[number];

interface Step {
  actor: number;
  ticket: number;
  kind: Kind;
  version: 'none' | 'fresh' | 'stale';
  dup: 'no' | 'same' | 'other';
  pick: number;
}

const stepArb: fc.Arbitrary<Step> = fc.record({
  actor: fc.constantFrom(0, 0, 1, 1, 2, 3),
  ticket: fc.nat({ max: TICKETS - 1 }),
  kind: fc.constantFrom(...KINDS),
  version: fc.constantFrom('none', 'none', 'fresh', 'fresh', 'stale'),
  dup: fc.constantFrom('no', 'no', 'no', 'same', 'other'),
  pick: fc.nat({ max: 1000 }),
});
const runArb = fc.array(fc.array(stepArb, { minLength: 4, maxLength: 12 }), {
  minLength: 1,
  maxLength: 4,
});

function bodyOf(kind: Kind, ticketId: string, n: number): Record<string, unknown> {
  const base = { ticketId };
  switch (kind) {
    case 'accept':
      return { ...base, type: 'ticket.accept' };
    case 'pend':
      return { ...base, type: 'ticket.pend', reason: 'customer', note: `waiting ${n}` };
    case 'resume':
      return { ...base, type: 'ticket.resume', note: `back ${n}` };
    case 'resolve':
      return { ...base, type: 'ticket.resolve', code: 'fixed', summary: `fixed ${n}` };
    case 'followUp':
      return { ...base, type: 'ticket.followUp', outcome: 'not_resolved', note: `still ${n}` };
    case 'reopen':
      return { ...base, type: 'ticket.reopen', reason: `came back ${n}` };
    case 'comment':
      return { ...base, type: 'ticket.comment', body: `comment ${n}`, internal: n % 2 === 0 };
    case 'execution':
      return {
        ...base,
        type: 'ticket.log.execution',
        work: `work ${n}`,
        progress: n % 101,
        minutesSpent: 5,
      };
  }
}

/** JSON as the wire carries it (undefined fields gone), for comparisons. */
function wire<T>(value: T): T {
  return JSON.parse(JSON.stringify(value)) as T;
}

const NEW_ID = '\u0000new-id';

/** `expected` (decide's event) matches `actual` (stored): equal, but a made id matches any string. */
function sameAsDecided(expected: unknown, actual: unknown): boolean {
  if (typeof expected === 'string' && expected.startsWith(NEW_ID))
    return typeof actual === 'string';
  if (Array.isArray(expected))
    return (
      Array.isArray(actual) &&
      expected.length === actual.length &&
      expected.every((e, i) => sameAsDecided(e, actual[i]))
    );
  if (expected && typeof expected === 'object') {
    if (!actual || typeof actual !== 'object') return false;
    const a = actual as Record<string, unknown>;
    const e = expected as Record<string, unknown>;
    const keys = new Set([...Object.keys(e), ...Object.keys(a)]);
    return [...keys].every((k) => sameAsDecided(e[k], a[k]));
  }
  return isDeepStrictEqual(expected, actual);
}

interface Sent {
  commandId: string;
  actor: number;
  body: Record<string, unknown>;
  command: Command;
}

type Outcome =
  | { kind: 'replay'; ack: Ack }
  | { kind: 'refused'; error: AppError & { ticket?: Ticket } }
  | { kind: 'accepted'; events: PendingEvent[] };

interface Claim {
  actor: number;
  ack: Ack;
}

/** What the sequential desk answers `sent` with, on `ticket` and the claims held at that point. */
function oracle(
  ticket: Ticket,
  claim: Claim | undefined,
  sent: Sent,
  actors: Actor[],
  keep: number,
): Outcome {
  if (claim)
    return claim.actor === sent.actor
      ? { kind: 'replay', ack: claim.ack }
      : { kind: 'refused', error: (wire(commandIdTaken()) as Ack).error as AppError };
  const c = sent.command as Command & { expectedVersion?: number };
  if (c.expectedVersion !== undefined && c.expectedVersion !== ticket.version)
    return {
      kind: 'refused',
      error: {
        code: 'conflict',
        message: `Ticket ${ticket.number} changed (version ${ticket.version}, you had ${c.expectedVersion}); review and retry`,
        ticket: trimTimeline(ticket, keep),
      },
    };
  let n = 0;
  const decided = decide(ticket, c, {
    actor: actors[sent.actor] as Actor,
    now: new Date(NOW),
    newTicketId: ticket.id,
    newTicketNumber: '',
    newId: () => `${NEW_ID}${(n += 1)}`,
  });
  if (!decided.ok)
    return {
      kind: 'refused',
      error:
        decided.error.code === 'conflict'
          ? { ...decided.error, ticket: trimTimeline(ticket, keep) }
          : decided.error,
    };
  return { kind: 'accepted', events: decided.events };
}

/** One desk: a server on a standing clock, four users, three dispatched tickets. */
interface Desk {
  server: TestServer;
  actors: Actor[];
  tokens: string[];
  names: string[];
  tickets: Ticket[];
  claims: Map<string, Claim>;
  history: Sent[];
  counter: number;
  /** Outcomes seen, by kind (printed). */
  outcomes: Map<string, number>;
}

const USERS = [
  { username: 'dm', roles: ['duty_manager'], groupIds: [] },
  { username: 'eng', roles: ['engineer'], groupIds: ['g1'] },
  { username: 'agent', roles: ['agent'], groupIds: ['g1'] },
  { username: 'eng2', roles: ['engineer'], groupIds: ['g2'] },
];

/** The desk's four users (argon2 makes each one costly: made once per server). */
interface Staff {
  actors: Actor[];
  tokens: string[];
  names: string[];
}

async function addStaff(server: TestServer): Promise<Staff> {
  const admin = await server.login('admin', ADMIN_PASSWORD);
  for (const id of ['g1', 'g2']) {
    const res = await server.api('POST', '/api/groups', {
      token: admin,
      body: { id, name: `Group ${id}`, nameZh: id, tier: 1 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
  }
  const staff: Staff = { actors: [], tokens: [], names: [] };
  for (const u of USERS) {
    const res = await server.api('POST', '/api/users', {
      token: admin,
      body: {
        username: u.username,
        password: PASSWORD,
        displayName: u.username,
        roles: u.roles,
        groups: u.groupIds,
      },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    const token = await server.login(u.username, PASSWORD);
    const me = await server.api('GET', '/api/auth/me', { token });
    staff.actors.push(actorFromUser((me.body as { user: PublicUser }).user));
    staff.tokens.push(token);
    staff.names.push(u.username);
  }
  return staff;
}

/** Three tickets dispatched to g1 by the duty manager, for one case. */
async function openDesk(server: TestServer, staff: Staff, prefix: string): Promise<Desk> {
  const { actors, tokens, names } = staff;
  const dm = actors[0] as Actor;
  const tickets: Ticket[] = [];
  for (let i = 0; i < TICKETS; i += 1) {
    const send = async (body: Record<string, unknown>): Promise<Ticket> => {
      const ack = wire(await server.ctx.commands.execute(dm, { commandId: randomUUID(), ...body }));
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      return (ack as { ticket: Ticket }).ticket;
    };
    const t = await send({
      type: 'ticket.create',
      title: `Oracle ${prefix}${i}`,
      description: 'd',
      channel: 'hotline',
      priority: 'P2',
    });
    await send({ type: 'ticket.classify', ticketId: t.id, category: 'network' });
    const dispatched = await send({
      type: 'ticket.assign',
      ticketId: t.id,
      groupId: 'g1',
      reason: 'to L1',
    });
    expect(dispatched.omitted).toBeUndefined();
    tickets.push(dispatched);
  }
  return {
    server,
    actors,
    tokens,
    names,
    tickets,
    claims: new Map(),
    history: [],
    counter: 0,
    outcomes: new Map(),
  };
}

/** The batch's commands, made from the steps on the tickets as they stand before it. */
function makeBatch(desk: Desk, steps: Step[]): Sent[] {
  const batch: Sent[] = [];
  for (const s of steps) {
    const earlier = [...desk.history, ...batch];
    if (s.dup !== 'no' && earlier.length > 0) {
      const first = earlier[s.pick % earlier.length] as Sent;
      const actor = s.dup === 'same' ? first.actor : (first.actor + 1 + (s.actor % 3)) % 4;
      batch.push({ ...first, actor });
      continue;
    }
    const ticket = desk.tickets[s.ticket] as Ticket;
    desk.counter += 1;
    const body = bodyOf(s.kind, ticket.id, desk.counter);
    if (s.version === 'fresh') body.expectedVersion = ticket.version;
    if (s.version === 'stale')
      body.expectedVersion = Math.max(0, ticket.version - 1 - (s.pick % 3));
    const commandId = randomUUID();
    const parsed = parseCommand({ commandId, ...body });
    if (!parsed.ok)
      throw new Error(`test made an invalid command: ${JSON.stringify(parsed.error)}`);
    batch.push({ commandId, actor: s.actor, body, command: parsed.command });
  }
  return batch;
}

function describeSent(desk: Desk, s: Sent): string {
  return `${desk.names[s.actor]} ${s.command.type} ${s.commandId.slice(0, 8)} ${JSON.stringify(s.body)}`;
}

/**
 * Sends the batch all at once through `send` and checks every ack and the log against the
 * oracle; advances the desk's tickets and claims by what committed.
 */
async function runBatch(desk: Desk, batch: Sent[], send: (s: Sent) => Promise<Ack>): Promise<void> {
  const db = desk.server.ctx.database.db;
  const keep = desk.server.ctx.config.timelineCarried;
  const before = await readCurrentSeq(db);
  const acks = (await Promise.all(batch.map(send))).map(wire);
  const log = wire(await readEventsAfter(db, before, 100_000));
  const fail = (why: string): never => {
    const lines = batch.map(
      (s, i) => `  ${describeSent(desk, s)} → ${JSON.stringify(acks[i]).slice(0, 300)}`,
    );
    throw new Error(`${why}\nbatch:\n${lines.join('\n')}`);
  };
  // Gap-free seq after the head the batch started from.
  log.forEach((e, i) => {
    if (e.seq !== before + 1 + i) fail(`seq ${before + 1 + i} missing from the log (got ${e.seq})`);
  });

  // One execution per commandId: every ok ack of an id is the same ack, from one actor.
  const fresh = new Map<string, { sent: Sent; ack: Ack }>();
  batch.forEach((s, i) => {
    const ack = acks[i] as Ack;
    if (!ack.ok) return;
    const stored = desk.claims.get(s.commandId);
    if (stored) {
      if (stored.actor !== s.actor) fail(`${describeSent(desk, s)} got another actor's result`);
      if (!isDeepStrictEqual(ack, stored.ack))
        fail(`${describeSent(desk, s)}: a retry did not return the first ack`);
      return;
    }
    const seen = fresh.get(s.commandId);
    if (!seen) fresh.set(s.commandId, { sent: s, ack });
    else if (seen.sent.actor !== s.actor)
      fail(`${describeSent(desk, s)}: one commandId accepted for two actors`);
    else if (!isDeepStrictEqual(seen.ack, ack))
      fail(`${describeSent(desk, s)}: one commandId executed twice (two different acks)`);
  });
  const runs = [...fresh.values()].map((r) => {
    const events = r.ack.events ?? [];
    if (events.length === 0) fail(`${describeSent(desk, r.sent)}: accepted with no events`);
    return { ...r, events, first: (events[0] as DomainEvent).seq };
  });
  runs.sort((a, b) => a.first - b.first);
  const committed = runs.flatMap((r) => r.events);
  if (!isDeepStrictEqual(committed, log))
    fail(`the log after the batch is not the accepted commands' events in seq order`);

  // Replay in commit order: states[t][p] is ticket t after the first p runs.
  const states = desk.tickets.map((t) => [t]);
  const claimedAt = new Map<string, number>();
  runs.forEach((r, i) => {
    const at = desk.tickets.findIndex(
      (t) => t.id === (r.sent.command as { ticketId: string }).ticketId,
    );
    const list = states[at] as Ticket[];
    const ticket = list[list.length - 1] as Ticket;
    const expected = oracle(ticket, undefined, r.sent, desk.actors, keep);
    if (expected.kind !== 'accepted')
      fail(
        `${describeSent(desk, r.sent)} committed at seq ${r.first}, but the oracle answers ${JSON.stringify(expected).slice(0, 400)}`,
      );
    const decided = (expected as { events: PendingEvent[] }).events;
    const own = r.events.slice(0, decided.length);
    const rest = r.events.slice(decided.length);
    if (
      !sameAsDecided(
        wire(decided),
        own.map(({ type, ticketId, actorId, at: when, data }) => ({
          type,
          ticketId,
          actorId,
          at: when,
          data,
        })),
      )
    )
      fail(
        `${describeSent(desk, r.sent)}: its events are not decide's: ${JSON.stringify(own)} vs ${JSON.stringify(decided)}`,
      );
    if (rest.some((e) => !e.type.startsWith('sla.')))
      fail(`${describeSent(desk, r.sent)}: events beyond decide's that are not sla.*`);
    const next = wire(r.events.reduce<Ticket | null>((t, e) => applyEvent(t, e), ticket) as Ticket);
    if (!isDeepStrictEqual(r.ack.ticket, wire(trimTimeline(next, keep))))
      fail(`${describeSent(desk, r.sent)}: the ack's ticket is not the oracle's`);
    for (const [j, l] of states.entries()) l.push(j === at ? next : (l[l.length - 1] as Ticket));
    claimedAt.set(r.sent.commandId, i + 1);
  });

  // Each refusal is the oracle's answer at some point of the commit order.
  batch.forEach((s, i) => {
    const ack = acks[i] as Ack;
    if (ack.ok) return;
    const at = desk.tickets.findIndex((t) => t.id === (s.command as { ticketId: string }).ticketId);
    const tried: string[] = [];
    for (let p = 0; p <= runs.length; p += 1) {
      const ticket = (states[at] as Ticket[])[p] as Ticket;
      const owner = claimedAt.has(s.commandId) && (claimedAt.get(s.commandId) as number) <= p;
      const claim =
        desk.claims.get(s.commandId) ??
        (owner
          ? {
              actor: fresh.get(s.commandId)?.sent.actor as number,
              ack: fresh.get(s.commandId)?.ack as Ack,
            }
          : undefined);
      const expected = oracle(ticket, claim, s, desk.actors, keep);
      if (expected.kind === 'refused' && isDeepStrictEqual(wire(expected.error), ack.error)) return;
      tried.push(`  at ${p}: ${JSON.stringify(expected).slice(0, 200)}`);
    }
    fail(
      `${describeSent(desk, s)} was refused with ${JSON.stringify(ack.error).slice(0, 300)}, which the oracle answers at no point of the commit order:\n${tried.join('\n')}`,
    );
  });

  batch.forEach((s, i) => {
    const ack = acks[i] as Ack;
    const kind = ack.ok
      ? fresh.get(s.commandId)?.sent === s
        ? 'accepted'
        : 'first ack again'
      : ack.error?.fields?.some((f) => f.path === 'commandId')
        ? 'commandId taken'
        : ack.error?.message.includes('you had')
          ? 'stale version'
          : `refused ${ack.error?.code ?? '?'}`;
    desk.outcomes.set(kind, (desk.outcomes.get(kind) ?? 0) + 1);
  });
  for (const r of runs) desk.claims.set(r.sent.commandId, { actor: r.sent.actor, ack: r.ack });
  desk.tickets = states.map((l) => l[l.length - 1] as Ticket);
  desk.history.push(...batch);
}

async function assertAuditValid(server: TestServer): Promise<void> {
  const report = await verifyAudit(server.ctx.database.db);
  expect(report.problems).toEqual([]);
  expect(report.ok).toBe(true);
}

async function check(desk: Desk, send: (s: Sent) => Promise<Ack>, label: string): Promise<void> {
  let batches = 0;
  let commands = 0;
  const started = performance.now();
  try {
    await fc.assert(
      fc.asyncProperty(runArb, async (run) => {
        for (const steps of run) {
          const batch = makeBatch(desk, steps);
          await runBatch(desk, batch, send);
          batches += 1;
          commands += batch.length;
        }
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  } catch (err) {
    // fast-check keeps the property's own error as the cause: the batch and what went wrong.
    const cause = (err as Error).cause;
    const why = cause instanceof Error ? `\n${cause.message}` : '';
    throw new Error(
      `${label}: oracle failed (ORACLE_SEED=${SEED}): ${(err as Error).message}${why}`,
    );
  }
  const outcomes = [...desk.outcomes].map(([k, n]) => `${k} ${n}`).join(', ');
  console.log(
    `${label}: ${RUNS} runs, ${batches} batches, ${commands} commands in ${Math.round(performance.now() - started)} ms (${outcomes}), seed ${SEED}`,
  );
}

describe.each(DRIVERS)('the command bus against a sequential oracle on %s', (driver) => {
  let server: TestServer;
  let staff: Staff;
  beforeAll(async () => {
    server = await startTestServer({ driver, clock: new ManualClock(NOW) });
    staff = await addStaff(server);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('concurrent batches from real seats: every ack is the oracle’s', async () => {
    const desk = await openDesk(server, staff, 'seat');
    const seats = await Promise.all(desk.tokens.map((t) => TestSeat.open(server, t)));
    await check(
      desk,
      (s) => (seats[s.actor] as TestSeat).command(s.body, s.commandId),
      `${driver} seats`,
    );
    // The duty manager's seat sees every ticket: it ends at the head, without a gap.
    await (seats[0] as TestSeat).ledger.waitForSeq(
      await readCurrentSeq(server.ctx.database.db),
      60_000,
    );
    for (const seat of seats) {
      expect(seat.gaps).toEqual([]);
      seat.close();
    }
    await assertAuditValid(server);
  });

  it('concurrent callers of the bus: every ack is the oracle’s', async () => {
    const desk = await openDesk(server, staff, 'bus');
    await check(
      desk,
      (s) =>
        server.ctx.commands.execute(desk.actors[s.actor] as Actor, {
          commandId: s.commandId,
          ...s.body,
        }) as Promise<Ack>,
      `${driver} bus`,
    );
    await assertAuditValid(server);
  });
});
