/**
 * Generated ticket history for the reports' tests (issue 22, acceptance 4): each ticket's life
 * as commands run through the shared `decide` and `applyEvent` (the bus's pure core) with the
 * SLA feature's `planSlaEvents` after each, at the command's simulated instant; the events are
 * appended to the log in batches (hash chain, seqs) and the ticket rows written from the
 * reducer, as the historical import writes its batches. No bus round trip per command, so
 * 10 000 tickets fit a test on a loaded machine.
 */
import {
  applyEvent,
  decide,
  formatTicketNumber,
  type Actor,
  type Command,
  type DomainEvent,
  type Priority,
  type Ticket,
  type TicketId,
} from '@dutydesk/shared';
import { sql } from 'drizzle-orm';
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../context';
import { queryRows } from '../db/client';
import { surveyAnswers, surveyInvitations, tickets } from '../db/schema';
import { appendEvents, type NewEvent } from '../features/events';
import { seededRandom } from '../features/quality';
import { planSlaEvents } from '../features/sla';
import { ticketColumns } from '../features/tickets';

/** One generated ticket's plan: what happens to it and when (the test's ground truth). */
export interface PlannedTicket {
  id: string;
  kind: 'incident' | 'service_request';
  priority: Priority;
  category: string;
  module: string | null;
  organisationId: string | null;
  organisationName: string | null;
  receivedAt: Date;
  /** Group and assignee at creation, then the reassignments. */
  dispatch: Array<{ groupId: string; assigneeId: string; at: Date }>;
  /** The first public staff comment, or none. */
  respondAt: Date | null;
  /** Resolutions (a reopen between two); the last may be followed by the follow-up and close. */
  resolutions: Date[];
  reopenAt: Date | null;
  /** Follow-up `not_resolved` instead of a reopen, after the first resolution. */
  followUpNotResolved: boolean;
  closeAt: Date | null;
  /** Minutes logged in the execution log at each resolution. */
  labourMinutes: number[];
}

export interface HistoryPeople {
  actors: Actor[];
  manager: Actor;
  groups: string[];
}

const MIN = 60_000;
const CATEGORIES = ['network', 'hardware', 'software', 'account', 'printing'];
const MODULES = ['vpn', 'router', 'laptop', 'erp', 'mail', 'printer', 'wifi', null];

/**
 * Plans `count` tickets received in `[start, end)`: a spread of priorities, categories and
 * modules, organisations, re-dispatches (about 1 in 4), responses and resolutions early and
 * late against their targets, reopenings and not-resolved follow-ups, some still open at `end`.
 */
export function planHistory(
  count: number,
  opts: {
    seed: number;
    start: Date;
    end: Date;
    people: HistoryPeople;
    organisations: Array<{ id: string; name: string }>;
  },
): PlannedTicket[] {
  const rnd = seededRandom(String(opts.seed));
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)] as T;
  const span = opts.end.getTime() - opts.start.getTime();
  const out: PlannedTicket[] = [];
  for (let i = 0; i < count; i++) {
    // Received in the first 95 % of the span, whole seconds.
    const received = opts.start.getTime() + Math.floor((rnd() * span * 0.95) / 1000) * 1000;
    const priority = pick(['P1', 'P2', 'P2', 'P3', 'P3', 'P3'] as const);
    const agent = pick(opts.people.actors);
    const dispatch = [
      { groupId: pick(opts.people.groups), assigneeId: agent.id, at: new Date(received) },
    ];
    let t = received;
    if (rnd() < 0.25) {
      t += Math.floor(1 + rnd() * 30) * MIN;
      const other = pick(opts.people.actors.filter((a) => a.id !== agent.id));
      dispatch.push({ groupId: pick(opts.people.groups), assigneeId: other.id, at: new Date(t) });
    }
    const org = rnd() < 0.8 ? pick(opts.organisations) : null;
    const open = rnd() < 0.1;
    const respond = rnd() < 0.97 ? t + Math.floor(1 + rnd() * 90) * MIN : null;
    const resolutions: Date[] = [];
    let reopenAt: Date | null = null;
    let followUpNotResolved = false;
    let closeAt: Date | null = null;
    if (respond !== null && !(open && rnd() < 0.5)) {
      let r = respond + Math.floor(5 + rnd() * 60 * 12) * MIN;
      resolutions.push(new Date(r));
      const again = rnd();
      if (again < 0.06) {
        reopenAt = new Date(r + 30 * MIN);
        r += Math.floor(60 + rnd() * 600) * MIN;
        resolutions.push(new Date(r));
      } else if (again < 0.1) {
        followUpNotResolved = true;
        r += Math.floor(60 + rnd() * 600) * MIN;
        resolutions.push(new Date(r));
      }
      if (!open) closeAt = new Date(r + Math.floor(10 + rnd() * 600) * MIN);
    }
    out.push({
      id: randomUUID(),
      kind: rnd() < 0.75 ? 'incident' : 'service_request',
      priority,
      category: pick(CATEGORIES),
      module: pick(MODULES),
      organisationId: org?.id ?? null,
      organisationName: org?.name ?? null,
      receivedAt: new Date(received),
      dispatch,
      respondAt: respond === null ? null : new Date(respond),
      resolutions,
      reopenAt,
      followUpNotResolved,
      closeAt,
      labourMinutes: resolutions.map(() => Math.floor(10 + rnd() * 230)),
    });
  }
  return out;
}

/** The commands of a planned ticket, each with its instant and actor. */
function commandsOf(
  p: PlannedTicket,
  people: HistoryPeople,
): Array<{ at: Date; actor: Actor; command: Record<string, unknown> }> {
  const byId = new Map<string, Actor>(people.actors.map((a) => [a.id, a]));
  const out: Array<{ at: Date; actor: Actor; command: Record<string, unknown> }> = [
    {
      at: p.receivedAt,
      actor: people.manager,
      command: {
        type: 'ticket.create',
        title: `Generated ${p.category} ${p.module ?? ''}`.trim(),
        description: 'generated for the reports test',
        channel: 'hotline',
        kind: p.kind,
        priority: p.priority,
        receivedAt: p.receivedAt.toISOString(),
        category: p.category,
        module: p.module,
        ...(p.organisationId ? { organisationId: p.organisationId } : {}),
      },
    },
    {
      at: p.receivedAt,
      actor: people.manager,
      command: { type: 'ticket.classify', category: p.category, module: p.module },
    },
  ];
  for (const d of p.dispatch)
    out.push({
      at: d.at,
      actor: people.manager,
      command: {
        type: 'ticket.assign',
        groupId: d.groupId,
        assigneeId: d.assigneeId,
        reason: 'rebalance',
      },
    });
  const last = p.dispatch[p.dispatch.length - 1]!;
  const agent = byId.get(last.assigneeId) as Actor;
  if (p.respondAt) {
    out.push({ at: p.respondAt, actor: agent, command: { type: 'ticket.accept' } });
    out.push({
      at: p.respondAt,
      actor: agent,
      command: { type: 'ticket.comment', body: 'We are on it.' },
    });
  }
  p.resolutions.forEach((at, i) => {
    if (i > 0) {
      if (p.reopenAt)
        out.push({
          at: p.reopenAt,
          actor: people.manager,
          command: { type: 'ticket.reopen', reason: 'not fixed' },
        });
      else
        out.push({
          at: new Date(p.resolutions[0]!.getTime() + 20 * MIN),
          actor: people.manager,
          command: { type: 'ticket.followUp', outcome: 'not_resolved' },
        });
      out.push({
        at: new Date(at.getTime() - MIN),
        actor: agent,
        command: { type: 'ticket.accept' },
      });
    }
    out.push({
      at,
      actor: agent,
      command: {
        type: 'ticket.log.execution',
        work: 'Worked on it',
        problems: null,
        progress: 100,
        minutesSpent: p.labourMinutes[i] ?? 30,
      },
    });
    out.push({
      at,
      actor: agent,
      command: { type: 'ticket.resolve', code: 'fixed', summary: 'Fixed' },
    });
  });
  if (p.closeAt) {
    out.push({
      at: new Date(p.closeAt.getTime() - 5 * MIN),
      actor: people.manager,
      command: { type: 'ticket.followUp', outcome: 'satisfied' },
    });
    out.push({ at: p.closeAt, actor: people.manager, command: { type: 'ticket.close' } });
  }
  return out;
}

/**
 * The commands after which the targets may move (start, pause, meet, reopen, close): the SLA
 * plan runs after these only. Between them a target only runs, so the next plan sees all of it.
 */
const MOVES_TARGETS = new Set([
  'ticket.create',
  'ticket.classify',
  'ticket.comment',
  'ticket.resolve',
  'ticket.reopen',
  'ticket.followUp',
  'ticket.close',
]);

/** A planned ticket's events: each command decided and folded, `sla.planned` after those that move targets. */
export function eventsOf(
  ctx: AppContext,
  p: PlannedTicket,
  people: HistoryPeople,
  number: string,
): NewEvent[] {
  let ticket: Ticket | null = null;
  const list: NewEvent[] = [];
  // Provisional seqs (the reducer drops an event at or below the ticket's lastSeq).
  let seq = 0;
  for (const { at, actor, command } of commandsOf(p, people)) {
    const decided = decide(
      ticket,
      { commandId: randomUUID(), ticketId: p.id, ...command } as unknown as Command,
      {
        actor,
        now: at,
        newTicketId: p.id as TicketId,
        newTicketNumber: number,
        newId: () => randomUUID(),
        customerLink:
          command.type === 'ticket.create' && p.organisationId
            ? {
                organisationId: p.organisationId as never,
                contactId: null,
                slaPolicyId: null,
                customer: { org: p.organisationName, contact: null, phone: null, email: null },
              }
            : undefined,
      },
    );
    if (!decided.ok)
      throw new Error(`${command.type as string} refused: ${JSON.stringify(decided.error)}`);
    const step: NewEvent[] = decided.events.map((e) => ({
      id: randomUUID(),
      type: e.type,
      ticketId: e.ticketId ?? null,
      actorId: e.actorId ?? null,
      at: e.at,
      data: e.data,
    }));
    for (const e of step)
      ticket = applyEvent(ticket, { ...e, seq: ++seq } as unknown as DomainEvent);
    if (ticket && MOVES_TARGETS.has(command.type as string)) {
      const planned: NewEvent[] = planSlaEvents(ctx, ticket, at).map((s) => ({
        id: randomUUID(),
        ...s,
      }));
      for (const e of planned) {
        step.push(e);
        ticket = applyEvent(ticket, { ...e, seq: ++seq } as unknown as DomainEvent);
      }
    }
    list.push(...step);
  }
  return list;
}

/**
 * Writes planned tickets: their events appended to the log (batches of `batch` tickets, one
 * transaction each) and their rows from the reducer over the stored events. Returns the rows.
 */
export async function writeHistory(
  ctx: AppContext,
  planned: readonly PlannedTicket[],
  people: HistoryPeople,
  opts: {
    batch?: number;
    /** false: only the rows (the events folded here, not appended to the log). */
    log?: boolean;
    timing?: { decideMs: number; writeMs: number };
  } = {},
): Promise<Ticket[]> {
  const { batch = 500, log = true, timing = { decideMs: 0, writeMs: 0 } } = opts;
  const written: Ticket[] = [];
  let n = 900_000;
  let writing: Promise<void> = Promise.resolve();
  for (let i = 0; i < planned.length; i += batch) {
    const slice = planned.slice(i, i + batch);
    const t0 = performance.now();
    const list = slice.flatMap((p) =>
      eventsOf(ctx, p, people, formatTicketNumber(p.kind, p.receivedAt.getUTCFullYear(), n++)),
    );
    timing.decideMs += performance.now() - t0;
    // One batch is written while the next is decided.
    await writing;
    writing = ctx.database.db
      .transaction(async (tx) => {
        const t1 = performance.now();
        const stored = log
          ? await appendEvents(tx, list, null)
          : list.map((e, k) => ({ ...e, seq: k + 1 }));
        const byTicket = new Map<string, Ticket | null>();
        for (const e of stored) {
          const id = e.ticketId as string;
          byTicket.set(id, applyEvent(byTicket.get(id) ?? null, e as unknown as DomainEvent));
        }
        const states = [...byTicket.values()].filter((t): t is Ticket => t !== null);
        for (let j = 0; j < states.length; j += 500)
          await tx
            .insert(tickets)
            .values(
              states.slice(j, j + 500).map((t) => ({ id: t.id, ...ticketColumns(t), state: t })),
            );
        timing.writeMs += performance.now() - t1;
        return states;
      })
      .then((states) => {
        written.push(...states);
      });
  }
  await writing;
  return written;
}

/** Survey answers written as rows (CSAT on tickets, NPS of contacts), each with its invitation. */
export interface PlannedAnswer {
  kind: 'csat' | 'nps';
  ticketId: string | null;
  contactId: string;
  organisationId: string | null;
  round: string | null;
  score: number;
  invitedAt: Date;
  answeredAt: Date | null;
}

export async function writeSurveyRows(ctx: AppContext, list: readonly PlannedAnswer[]) {
  const db = ctx.database.db;
  for (let i = 0; i < list.length; i += 500) {
    const slice = list.slice(i, i + 500).map((a) => ({ ...a, invitationId: randomUUID() }));
    await db.insert(surveyInvitations).values(
      slice.map((a) => ({
        id: a.invitationId,
        kind: a.kind,
        ticketId: a.ticketId,
        contactId: a.contactId,
        round: a.round,
        locale: 'en',
        createdAt: a.invitedAt,
        expiresAt: new Date(a.invitedAt.getTime() + 30 * 86_400_000),
        usedAt: a.answeredAt,
      })),
    );
    const answered = slice.filter((a) => a.answeredAt !== null);
    if (answered.length > 0)
      await db.insert(surveyAnswers).values(
        answered.map((a) => ({
          id: randomUUID(),
          kind: a.kind,
          invitationId: a.invitationId,
          ticketId: a.ticketId,
          contactId: a.contactId,
          organisationId: a.organisationId,
          round: a.round,
          score: a.score,
          comment: '',
          followUp: a.kind === 'csat' ? a.score <= 2 : a.score <= 6,
          answeredAt: a.answeredAt as Date,
        })),
      );
  }
}

/** How many events the log holds (the test prints it). */
export async function countEvents(ctx: AppContext): Promise<number> {
  const [row] = await queryRows<{ n: string | number }>(
    ctx.database.db,
    sql`select count(*) as n from events`,
  );
  return Number(row?.n ?? 0);
}
