import { describe, expect, it } from 'vitest';
import type { RoleName } from '../../contract/auth';
import { parseCommand } from '../../contract/commands';
import { eventSchema, pendingEventSchema, type DomainEvent } from '../../contract/events';
import { asGroupId, asTicketId, asUserId, type Actor } from '../../contract/ids';
import { ticketSchema, type Ticket } from '../../contract/ticket';
import { applyEvents } from './apply';
import { decide, RECEIVED_AT_SKEW_MS, type DecideResult } from './decide';

const NOW = new Date('2026-03-02T08:00:00.000Z');
const LATER = new Date('2026-03-02T08:30:00.000Z');

function makeActor(id: string, roles: RoleName[], groups: string[] = ['g1']): Actor {
  return { id: asUserId(id), roles, groupIds: groups.map(asGroupId), displayName: id };
}

const agent = makeActor('u-agent', ['agent']);
const engineer = makeActor('u-eng', ['engineer']);
const engineer2 = makeActor('u-eng2', ['engineer']);
const outsider = makeActor('u-out', ['engineer'], ['g9']);
const manager = makeActor('u-dm', ['duty_manager'], []);
const wallboard = makeActor('u-wall', ['wallboard']);

/** Runs commands through parse → decide → (seq, id) → apply, as the server does. */
function makeDesk() {
  let seq = 0;
  let ids = 0;
  let ticket: Ticket | null = null;
  const log: DomainEvent[] = [];
  function run(actor: Actor, input: Record<string, unknown>, now = NOW): DecideResult {
    const parsed = parseCommand({ commandId: `cmd-${String(seq).padStart(6, '0')}`, ...input });
    if (!parsed.ok) throw new Error(`test command invalid: ${parsed.error.message}`);
    const result = decide(ticket, parsed.command, {
      actor,
      now,
      newTicketId: asTicketId('t-1'),
      newTicketNumber: 'INC-2026-000001',
      newId: () => `id-${++ids}`,
    });
    if (result.ok) {
      for (const e of result.events) expect(pendingEventSchema.safeParse(e).success).toBe(true);
      const events = result.events.map((e) => {
        seq += 1;
        return eventSchema.parse({ ...e, seq, id: `e-${seq}` });
      });
      log.push(...events);
      ticket = applyEvents(ticket, events);
      if (ticket) ticketSchema.parse(ticket);
    }
    return result;
  }
  return {
    run,
    /** Runs a command on the ticket and expects it to be accepted. */
    ok(actor: Actor, input: Record<string, unknown>, now = NOW): DomainEvent[] {
      const before = log.length;
      const result = run(actor, { ticketId: 't-1', ...input }, now);
      if (!result.ok) throw new Error(`${String(input.type)} refused: ${result.error.message}`);
      return log.slice(before);
    },
    /** Runs a command on the ticket and returns its error. */
    fail(actor: Actor, input: Record<string, unknown>, now = NOW) {
      const result = run(actor, { ticketId: 't-1', ...input }, now);
      if (result.ok) throw new Error(`${String(input.type)} accepted`);
      return result.error;
    },
    get ticket(): Ticket {
      if (!ticket) throw new Error('no ticket yet');
      return ticket;
    },
    log,
  };
}

type Desk = ReturnType<typeof makeDesk>;

function create(desk: Desk, extra: Record<string, unknown> = {}, actor = agent) {
  const result = desk.run(actor, {
    type: 'ticket.create',
    title: 'Mail server down',
    description: 'No mail since 07:00',
    channel: 'hotline',
    ...extra,
  });
  if (!result.ok) throw new Error(result.error.message);
  return result;
}

/** received → classified → dispatched (to g1) → in_progress (engineer). */
function makeInProgress(): Desk {
  const desk = makeDesk();
  create(desk, { groupId: 'g1' });
  desk.ok(agent, { type: 'ticket.classify', category: 'mail', impact: 'high', urgency: 'high' });
  desk.ok(agent, { type: 'ticket.assign', groupId: 'g1' });
  desk.ok(engineer, { type: 'ticket.accept' });
  return desk;
}

describe('ticket.create', () => {
  it('makes a received P3 incident with defaults', () => {
    const desk = makeDesk();
    const result = create(desk);
    expect(result.ok && result.events.map((e) => e.type)).toEqual(['ticket.created']);
    const t = desk.ticket;
    expect(t).toMatchObject({
      id: 't-1',
      number: 'INC-2026-000001',
      version: 1,
      kind: 'incident',
      status: 'received',
      impact: 'low',
      urgency: 'low',
      priority: 'P3',
      groupId: null,
      assigneeId: null,
      createdBy: 'u-agent',
      receivedAt: NOW.toISOString(),
      createdAt: NOW.toISOString(),
      lastSeq: 1,
      majorIncident: false,
      sla: { targets: [] },
    });
    expect(t.statusHistory).toEqual([
      { at: NOW.toISOString(), status: 'received', pendingReason: null },
    ]);
  });

  it('takes the matrix, an explicit priority, customer details and routing', () => {
    const desk = makeDesk();
    create(
      desk,
      {
        impact: 'high',
        urgency: 'medium',
        kind: 'complaint',
        category: ' billing ',
        module: '',
        customer: { org: 'ACME', contact: 'Li Lei', phone: '', email: 'li@acme.example' },
        groupId: 'g2',
        assigneeId: 'u-eng',
        majorIncident: true,
      },
      manager,
    );
    expect(desk.ticket).toMatchObject({
      priority: 'P2',
      kind: 'complaint',
      category: 'billing',
      module: null,
      customer: { org: 'ACME', contact: 'Li Lei', phone: null, email: 'li@acme.example' },
      groupId: 'g2',
      assigneeId: 'u-eng',
      majorIncident: true,
      status: 'received',
    });
    const desk2 = makeDesk();
    create(desk2, { impact: 'high', urgency: 'high', priority: 'P3' });
    expect(desk2.ticket.priority).toBe('P3');
  });

  it('accepts a receivedAt in the past and starts the history there', () => {
    const desk = makeDesk();
    create(desk, { receivedAt: '2025-12-31T23:00:00+08:00' });
    expect(desk.ticket.receivedAt).toBe('2025-12-31T15:00:00.000Z');
    expect(desk.ticket.createdAt).toBe(NOW.toISOString());
    expect(desk.ticket.statusHistory[0]).toEqual({
      at: '2025-12-31T15:00:00.000Z',
      status: 'received',
      pendingReason: null,
    });
  });

  it('refuses a receivedAt in the future as invalid, allowing a little clock skew', () => {
    const desk = makeDesk();
    const future = new Date(NOW.getTime() + RECEIVED_AT_SKEW_MS + 1000).toISOString();
    const result = desk.run(agent, {
      type: 'ticket.create',
      title: 'x',
      description: '',
      channel: 'chat',
      receivedAt: future,
    });
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.error.code).toBe('invalid');
      expect(result.error.fields?.[0]?.path).toBe('receivedAt');
    }
    const skewed = new Date(NOW.getTime() + 5000).toISOString();
    create(desk, { receivedAt: skewed });
    expect(desk.ticket.receivedAt).toBe(NOW.toISOString());
  });

  it('is forbidden to a wallboard', () => {
    const desk = makeDesk();
    const result = desk.run(wallboard, {
      type: 'ticket.create',
      title: 'x',
      description: '',
      channel: 'api',
    });
    expect(!result.ok && result.error.code).toBe('forbidden');
  });
});

describe('commands on a missing ticket', () => {
  it('answer not_found', () => {
    const desk = makeDesk();
    expect(desk.fail(agent, { type: 'ticket.comment', body: 'hi' }).code).toBe('not_found');
    create(desk);
    const result = desk.run(agent, { type: 'ticket.comment', ticketId: 't-other', body: 'hi' });
    expect(!result.ok && result.error.code).toBe('not_found');
  });

  it('alert.ack is the server’s, not decide’s', () => {
    const desk = makeDesk();
    const result = desk.run(manager, { type: 'alert.ack', alertId: 'a-1' });
    expect(!result.ok && result.error.code).toBe('invalid');
  });
});

describe('expectedVersion', () => {
  it('conflicts when stale and passes when current', () => {
    const desk = makeDesk();
    create(desk);
    const error = desk.fail(agent, { type: 'ticket.comment', body: 'x', expectedVersion: 0 });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/version 1, you had 0/);
    desk.ok(agent, { type: 'ticket.comment', body: 'x', expectedVersion: 1 });
    expect(desk.ticket.version).toBe(2);
  });
});

describe('scope', () => {
  it('refuses engineers outside the ticket’s group; agents only on desk-scoped commands', () => {
    const desk = makeInProgress();
    expect(desk.fail(outsider, { type: 'ticket.comment', body: 'x' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/outside your groups/),
    });
    const otherAgent = makeActor('u-a2', ['agent'], ['g9']);
    desk.ok(otherAgent, { type: 'ticket.comment', body: 'x' });
    expect(desk.fail(otherAgent, { type: 'ticket.assign', groupId: 'g9' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/outside your groups/),
    });
    desk.ok(manager, { type: 'ticket.comment', body: 'x' });
  });

  it('keeps the desk’s rights on a ticket gone to L2: log, confirm, contact, follow-up, close', () => {
    const desk = makeDesk();
    const l1 = makeActor('u-l1', ['agent'], ['l1']);
    const l2 = makeActor('u-l2', ['engineer'], ['l2']);
    const lead = makeActor('u-lead', ['engineer'], ['l2']);
    create(desk, { priority: 'P2' }, l1);
    desk.ok(l1, { type: 'ticket.classify', category: 'network' });
    desk.ok(l1, { type: 'ticket.assign', groupId: 'l2' });
    // Out of the agent's group now: the engineer's work is theirs alone…
    expect(desk.fail(l1, { type: 'ticket.accept' }).code).toBe('forbidden');
    desk.ok(l2, { type: 'ticket.accept' });
    desk.ok(l2, {
      type: 'ticket.log.execution',
      work: 'swapped port',
      progress: 80,
      minutesSpent: 20,
    });
    desk.ok(l2, { type: 'ticket.milestone.add', title: 'Link restored' });
    const id = desk.ticket.milestones[0]?.id;
    expect(
      desk.fail(l1, { type: 'ticket.log.execution', work: 'x', progress: 1, minutesSpent: 0 }).code,
    ).toBe('forbidden');
    // …and receipt, the customer's side and closure stay with the desk.
    desk.ok(l1, { type: 'ticket.comment', body: 'customer informed' });
    desk.ok(l1, { type: 'ticket.log.supervision', source: 'on_behalf', feedback: 'polite' });
    desk.ok(l1, { type: 'ticket.contact.record', channel: 'phone', summary: 'called' });
    desk.ok(l1, { type: 'ticket.milestone.confirm', milestoneId: id, side: 'customer' });
    desk.ok(lead, { type: 'ticket.milestone.confirm', milestoneId: id, side: 'lead' });
    desk.ok(l2, { type: 'ticket.resolve', code: 'fixed', summary: 'port' });
    desk.ok(l1, { type: 'ticket.followUp', outcome: 'satisfied' });
    desk.ok(l1, { type: 'ticket.close' });
    expect(desk.ticket.status).toBe('closed');
    // Another desk agent (the next shift) has the same rights: L1 generally.
    desk.ok(makeActor('u-l1b', ['agent'], []), {
      type: 'ticket.log.supervision',
      source: 'customer',
      ratings: { overall: 5 },
    });
  });

  it('lets an engineer act on a ticket assigned to them in another group', () => {
    const desk = makeInProgress();
    desk.ok(manager, { type: 'ticket.assign', groupId: 'g9', assigneeId: 'u-eng' });
    desk.ok(engineer, { type: 'ticket.comment', body: 'still mine' });
    expect(desk.fail(engineer2, { type: 'ticket.comment', body: 'x' }).code).toBe('forbidden');
  });

  it('lets anyone at the desk act on a ticket in no group', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(makeActor('u-a3', ['agent'], []), { type: 'ticket.classify', category: 'mail' });
  });
});

describe('ticket.classify', () => {
  it('classifies, keeping the priority: impact and urgency are the assessment only', () => {
    const desk = makeDesk();
    create(desk, { priority: 'P2' });
    const [e] = desk.ok(agent, {
      type: 'ticket.classify',
      kind: 'service_request',
      category: 'mail',
      module: 'exchange',
      impact: 'low',
      urgency: 'low',
    });
    expect(e?.type).toBe('ticket.classified');
    expect(desk.ticket).toMatchObject({
      status: 'classified',
      kind: 'service_request',
      category: 'mail',
      module: 'exchange',
      impact: 'low',
      urgency: 'low',
      priority: 'P2',
      version: 2,
    });
    expect(e?.data).not.toHaveProperty('previousPriority');
    expect(desk.ticket.statusHistory.map((h) => h.status)).toEqual(['received', 'classified']);
  });

  it('changes the priority only when asked, with a reason, recorded with the old priority', () => {
    const desk = makeInProgress();
    expect(desk.ticket.priority).toBe('P3');
    expect(
      desk.fail(engineer, { type: 'ticket.classify', category: 'mail', priority: 'P1' }),
    ).toMatchObject({ code: 'invalid', fields: [{ path: 'reason' }] });
    const [e] = desk.ok(engineer, {
      type: 'ticket.classify',
      category: 'mail',
      priority: 'P1',
      reason: 'whole floor down',
    });
    expect(e?.data).toMatchObject({
      priority: 'P1',
      previousPriority: 'P3',
      reason: 'whole floor down',
    });
    expect(desk.ticket.priorityChanges).toEqual([
      { at: NOW.toISOString(), actorId: 'u-eng', from: 'P3', to: 'P1', reason: 'whole floor down' },
    ]);
    desk.ok(engineer, { type: 'ticket.classify', category: 'mail-routing', urgency: 'low' });
    expect(desk.ticket.priority).toBe('P1');
    // Naming the current priority is no change and needs no reason.
    desk.ok(engineer, { type: 'ticket.classify', category: 'mail', priority: 'P1' });
    expect(desk.ticket.status).toBe('in_progress');
  });

  it('renumbers on a change of kind, keeping the old number as an alias', () => {
    const desk = makeDesk();
    create(desk);
    const result = desk.run(agent, {
      type: 'ticket.classify',
      ticketId: 't-1',
      kind: 'complaint',
      category: 'service',
    });
    // The desk's helper hands decide an INC number: not of the new kind, so it is kept.
    expect(result.ok).toBe(true);
    expect(desk.ticket.number).toBe('INC-2026-000001');
    const parsed = parseCommand({
      commandId: 'cmd-renumber',
      type: 'ticket.classify',
      ticketId: 't-1',
      kind: 'consultation',
      category: 'service',
    });
    if (!parsed.ok) throw new Error('invalid');
    const renumbered = decide(desk.ticket, parsed.command, {
      actor: agent,
      now: NOW,
      newTicketId: asTicketId('t-1'),
      newTicketNumber: 'CON-2026-000007',
      newId: () => 'x',
    });
    if (!renumbered.ok) throw new Error(renumbered.error.message);
    const [e] = renumbered.events;
    expect(e?.data).toMatchObject({ number: 'CON-2026-000007', previousNumber: 'INC-2026-000001' });
    const next = applyEvents(desk.ticket, [eventSchema.parse({ ...e, seq: 99, id: 'e-99' })]);
    expect(next).toMatchObject({ number: 'CON-2026-000007', numberAliases: ['INC-2026-000001'] });
  });

  it('leaves the major-incident flag to duty managers and admins', () => {
    const desk = makeInProgress();
    expect(
      desk.fail(engineer, { type: 'ticket.classify', category: 'mail', majorIncident: true }),
    ).toMatchObject({ code: 'forbidden', fields: [{ path: 'majorIncident' }] });
    desk.ok(manager, { type: 'ticket.classify', category: 'mail', majorIncident: true });
    expect(desk.ticket.majorIncident).toBe(true);
  });

  it('answers zero events when nothing changes', () => {
    const desk = makeInProgress();
    const events = desk.ok(agent, { type: 'ticket.classify', category: 'mail' });
    expect(events).toEqual([]);
    expect(desk.ticket.version).toBe(4);
  });

  it('refuses an engineer on a received ticket and anyone once resolved', () => {
    const desk = makeDesk();
    create(desk, { groupId: 'g1' });
    expect(desk.fail(engineer, { type: 'ticket.classify', category: 'x' }).code).toBe('forbidden');
    const d2 = makeInProgress();
    d2.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'ok' });
    expect(d2.fail(manager, { type: 'ticket.classify', category: 'x' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/resolved/),
    });
  });
});

describe('ticket.assign', () => {
  it('dispatches a classified ticket', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(agent, { type: 'ticket.classify', category: 'mail' });
    const [e] = desk.ok(agent, { type: 'ticket.assign', groupId: 'g2', reason: 'L2 mail' });
    expect(e).toMatchObject({
      type: 'ticket.assigned',
      data: { groupId: 'g2', assigneeId: null, previousGroupId: null, status: 'dispatched' },
    });
    expect(desk.ticket.status).toBe('dispatched');
  });

  it('routes a received ticket without changing its status', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(agent, { type: 'ticket.assign', groupId: 'g1' });
    expect(desk.ticket).toMatchObject({ status: 'received', groupId: 'g1' });
  });

  it('reassigns: a new group clears the assignee, null unassigns, same is a no-op', () => {
    const desk = makeInProgress();
    expect(desk.ticket.assigneeId).toBe('u-eng');
    expect(desk.ok(agent, { type: 'ticket.assign', groupId: 'g1' })).toEqual([]);
    desk.ok(engineer, { type: 'ticket.assign', assigneeId: 'u-eng2' });
    expect(desk.ticket).toMatchObject({ assigneeId: 'u-eng2', status: 'in_progress' });
    desk.ok(manager, { type: 'ticket.assign', assigneeId: null });
    expect(desk.ticket.assigneeId).toBeNull();
    desk.ok(manager, { type: 'ticket.assign', assigneeId: 'u-eng' });
    desk.ok(manager, { type: 'ticket.assign', groupId: 'g3' });
    expect(desk.ticket).toMatchObject({ groupId: 'g3', assigneeId: null });
  });

  it('refuses to dispatch to nobody, and refuses after resolution', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(agent, { type: 'ticket.classify', category: 'mail' });
    expect(desk.fail(agent, { type: 'ticket.assign', assigneeId: null }).code).toBe('conflict');
    const d2 = makeInProgress();
    d2.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'ok' });
    expect(d2.fail(agent, { type: 'ticket.assign', groupId: 'g2' }).code).toBe('conflict');
  });
});

describe('ticket.refuse', () => {
  it('lets the assignee refuse: assignee cleared, group kept, dispatched again, recorded', () => {
    const desk = makeInProgress();
    const [e] = desk.ok(engineer, { type: 'ticket.refuse', reason: 'Database work, not mail' });
    expect(e).toMatchObject({
      type: 'ticket.refused',
      actorId: 'u-eng',
      data: {
        reason: 'Database work, not mail',
        previousAssigneeId: 'u-eng',
        groupId: 'g1',
        status: 'dispatched',
      },
    });
    expect(desk.ticket).toMatchObject({ status: 'dispatched', groupId: 'g1', assigneeId: null });
    expect(desk.ticket.assignments?.at(-1)).toMatchObject({
      refused: true,
      previousAssigneeId: 'u-eng',
      assigneeId: null,
      reason: 'Database work, not mail',
    });
    // Back in the dispatch: another engineer of the group may take it on.
    desk.ok(engineer2, { type: 'ticket.accept' });
    expect(desk.ticket).toMatchObject({ status: 'in_progress', assigneeId: 'u-eng2' });
  });

  it('sends a ticket assigned to a person without a group back to classified', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(agent, { type: 'ticket.classify', category: 'mail' });
    desk.ok(agent, { type: 'ticket.assign', assigneeId: 'u-eng' });
    desk.ok(engineer, { type: 'ticket.refuse', reason: 'On leave from noon' });
    expect(desk.ticket).toMatchObject({ status: 'classified', groupId: null, assigneeId: null });
  });

  it('is the assignee’s only: not a colleague, not a duty manager, not an unassigned ticket', () => {
    const desk = makeInProgress();
    expect(desk.fail(engineer2, { type: 'ticket.refuse', reason: 'x' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/only its assignee/),
    });
    expect(desk.fail(manager, { type: 'ticket.refuse', reason: 'x' }).code).toBe('forbidden');
    desk.ok(engineer, { type: 'ticket.refuse', reason: 'Not mine' });
    expect(desk.fail(engineer, { type: 'ticket.refuse', reason: 'again' }).code).toBe('forbidden');
  });

  it('is refused before dispatch and once resolved, and without a reason', () => {
    const desk = makeDesk();
    create(desk, { assigneeId: 'u-eng' });
    expect(desk.fail(engineer, { type: 'ticket.refuse', reason: 'x' }).code).toBe('conflict');
    const d2 = makeInProgress();
    d2.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'ok' });
    expect(d2.fail(engineer, { type: 'ticket.refuse', reason: 'x' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/not yet resolved/),
    });
    expect(
      parseCommand({
        commandId: 'cmd-00000001',
        type: 'ticket.refuse',
        ticketId: 't-1',
        reason: ' ',
      }).ok,
    ).toBe(false);
  });
});

describe('ticket.accept', () => {
  it('takes an unassigned ticket for the engineer', () => {
    const desk = makeInProgress();
    expect(desk.ticket).toMatchObject({ status: 'in_progress', assigneeId: 'u-eng' });
    expect(desk.ticket.statusHistory.map((h) => h.status)).toEqual([
      'received',
      'classified',
      'dispatched',
      'in_progress',
    ]);
  });

  it('refuses an engineer a ticket assigned to a colleague; a duty manager may', () => {
    const desk = makeDesk();
    create(desk, { groupId: 'g1' });
    desk.ok(agent, { type: 'ticket.classify', category: 'mail' });
    desk.ok(agent, { type: 'ticket.assign', assigneeId: 'u-eng' });
    expect(desk.fail(engineer2, { type: 'ticket.accept' })).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/someone else/),
    });
    expect(desk.fail(agent, { type: 'ticket.accept' }).code).toBe('forbidden');
    desk.ok(manager, { type: 'ticket.accept' });
    expect(desk.ticket).toMatchObject({ status: 'in_progress', assigneeId: 'u-eng' });
    expect(desk.fail(engineer, { type: 'ticket.accept' }).code).toBe('conflict');
  });
});

describe('ticket.comment', () => {
  it('a public comment is the first response and a public update; an internal one neither', () => {
    const desk = makeDesk();
    create(desk);
    desk.ok(agent, { type: 'ticket.comment', body: 'note to self', internal: true });
    expect(desk.ticket).toMatchObject({ firstResponseAt: null, lastPublicUpdateAt: null });
    desk.ok(agent, { type: 'ticket.comment', body: 'We are on it' }, NOW);
    desk.ok(agent, { type: 'ticket.comment', body: 'Update' }, LATER);
    expect(desk.ticket).toMatchObject({
      firstResponseAt: NOW.toISOString(),
      lastPublicUpdateAt: LATER.toISOString(),
    });
    expect(desk.ticket.comments.map((c) => [c.body, c.internal, c.authorId])).toEqual([
      ['note to self', true, 'u-agent'],
      ['We are on it', false, 'u-agent'],
      ['Update', false, 'u-agent'],
    ]);
    expect(new Set(desk.ticket.comments.map((c) => c.id)).size).toBe(3);
  });
});

describe('ticket.log.execution', () => {
  it('appends entries and corrections that reference an earlier entry', () => {
    const desk = makeInProgress();
    desk.ok(engineer, {
      type: 'ticket.log.execution',
      work: 'Restarted MTA',
      problems: 'Queue corrupt',
      progress: 40,
      minutesSpent: 25,
    });
    const first = desk.ticket.executionLog[0];
    expect(first).toMatchObject({
      actorId: 'u-eng',
      work: 'Restarted MTA',
      problems: 'Queue corrupt',
      progress: 40,
      minutesSpent: 25,
      correctsEntryId: null,
      at: NOW.toISOString(),
    });
    desk.ok(engineer, {
      type: 'ticket.log.execution',
      work: 'Restarted MTA (was 35 min)',
      progress: 40,
      minutesSpent: 35,
      correctsEntryId: first?.id,
    });
    expect(desk.ticket.executionLog).toHaveLength(2);
    expect(desk.ticket.executionLog[0]).toEqual(first);
    expect(desk.ticket.executionLog[1]?.correctsEntryId).toBe(first?.id);
  });

  it('refuses a correction of a missing entry or of the other log', () => {
    const desk = makeInProgress();
    desk.ok(agent, { type: 'ticket.log.supervision', source: 'customer', ratings: { overall: 5 } });
    const supervisionId = desk.ticket.supervisionLog[0]?.id;
    for (const id of ['nope', supervisionId]) {
      const error = desk.fail(engineer, {
        type: 'ticket.log.execution',
        work: 'x',
        progress: 1,
        minutesSpent: 1,
        correctsEntryId: id,
      });
      expect(error).toMatchObject({ code: 'not_found', fields: [{ path: 'correctsEntryId' }] });
    }
  });

  it('is refused to agents', () => {
    const desk = makeInProgress();
    const input = { type: 'ticket.log.execution', work: 'x', progress: 1, minutesSpent: 1 };
    expect(desk.fail(agent, input).code).toBe('forbidden');
  });
});

describe('ticket.log.supervision', () => {
  it('appends entries and corrections of the same log only', () => {
    const desk = makeInProgress();
    desk.ok(agent, {
      type: 'ticket.log.supervision',
      source: 'on_behalf',
      attitude: 'polite',
      professionalism: 'good',
      feedback: 'quick',
      ratings: { attitude: 5, professionalism: 4, timeliness: 3, overall: 4 },
    });
    const first = desk.ticket.supervisionLog[0];
    expect(first).toMatchObject({
      source: 'on_behalf',
      attitude: 'polite',
      ratings: { attitude: 5, professionalism: 4, timeliness: 3, overall: 4 },
      actorId: 'u-agent',
      correctsEntryId: null,
    });
    desk.ok(agent, {
      type: 'ticket.log.supervision',
      source: 'customer',
      ratings: { overall: 3 },
      correctsEntryId: first?.id,
    });
    expect(desk.ticket.supervisionLog[1]).toMatchObject({
      correctsEntryId: first?.id,
      attitude: null,
      feedback: null,
    });
    desk.ok(engineer, { type: 'ticket.log.execution', work: 'x', progress: 1, minutesSpent: 1 });
    const error = desk.fail(agent, {
      type: 'ticket.log.supervision',
      source: 'customer',
      feedback: 'x',
      correctsEntryId: desk.ticket.executionLog[0]?.id,
    });
    expect(error.code).toBe('not_found');
    expect(
      desk.fail(engineer, { type: 'ticket.log.supervision', source: 'customer', feedback: 'x' })
        .code,
    ).toBe('forbidden');
  });
});

describe('ticket.create: major incidents', () => {
  it('refuses majorIncident on create to agents and engineers', () => {
    for (const actor of [agent, engineer]) {
      const desk = makeDesk();
      const result = desk.run(actor, {
        type: 'ticket.create',
        title: 'x',
        description: '',
        channel: 'hotline',
        majorIncident: true,
      });
      expect(result).toMatchObject({
        ok: false,
        error: { code: 'forbidden', fields: [{ path: 'majorIncident' }] },
      });
    }
  });
});

describe('ticket.contact.record', () => {
  it('meets the complaint’s contact targets in order, then records without a target', () => {
    const desk = makeDesk();
    create(desk, { kind: 'complaint' });
    const targets: Array<string | null> = [];
    for (let i = 0; i < 4; i++) {
      const [e] = desk.ok(agent, {
        type: 'ticket.contact.record',
        channel: 'phone',
        summary: `call ${i}`,
      });
      expect(e?.type).toBe('ticket.contactRecorded');
      targets.push((e?.data as { target: string | null }).target);
    }
    expect(targets).toEqual(['contact-15m', 'contact-2h', 'contact-24h', null]);
    expect(desk.ticket.contacts?.map((c) => c.summary)).toEqual([
      'call 0',
      'call 1',
      'call 2',
      'call 3',
    ]);
  });

  it('records a contact on any ticket; only a complaint meets targets with it', () => {
    const desk = makeDesk();
    create(desk);
    const [e] = desk.ok(agent, {
      type: 'ticket.contact.record',
      channel: 'email',
      summary: 'sent',
    });
    expect((e?.data as { target: unknown }).target).toBeNull();
    expect(
      desk.fail(wallboard, { type: 'ticket.contact.record', channel: 'email', summary: 'x' }).code,
    ).toBe('forbidden');
  });
});

describe('milestones', () => {
  it('add, confirm both sides, repeat confirmations are no-ops', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.milestone.add', title: 'Environment ready' });
    const m = desk.ticket.milestones[0];
    expect(m).toMatchObject({
      title: 'Environment ready',
      addedBy: 'u-eng',
      leadConfirmation: null,
      customerConfirmation: null,
    });
    desk.ok(engineer2, { type: 'ticket.milestone.confirm', milestoneId: m?.id, side: 'lead' });
    desk.ok(
      agent,
      { type: 'ticket.milestone.confirm', milestoneId: m?.id, side: 'customer' },
      LATER,
    );
    expect(desk.ticket.milestones[0]).toMatchObject({
      leadConfirmation: { by: 'u-eng2', at: NOW.toISOString() },
      customerConfirmation: { by: 'u-agent', at: LATER.toISOString(), onBehalf: true },
    });
    expect(
      desk.ok(manager, { type: 'ticket.milestone.confirm', milestoneId: m?.id, side: 'lead' }),
    ).toEqual([]);
  });

  it('staff never record a customer confirmation as the customer’s own', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.milestone.add', title: 'Tests passed' });
    const id = desk.ticket.milestones[0]?.id;
    for (const actor of [agent, manager]) {
      expect(
        desk.fail(actor, {
          type: 'ticket.milestone.confirm',
          milestoneId: id,
          side: 'customer',
          onBehalf: false,
        }),
      ).toMatchObject({ code: 'forbidden', fields: [{ path: 'onBehalf' }] });
    }
    desk.ok(agent, { type: 'ticket.milestone.confirm', milestoneId: id, side: 'customer' });
    expect(desk.ticket.milestones[0]?.customerConfirmation?.onBehalf).toBe(true);
  });

  it('refuses the lead’s confirmation to whoever did the work (four eyes)', () => {
    const desk = makeInProgress();
    desk.ok(engineer2, { type: 'ticket.milestone.add', title: 'Backup checked' });
    const id = desk.ticket.milestones[0]?.id;
    const confirm = { type: 'ticket.milestone.confirm', milestoneId: id, side: 'lead' };
    // engineer2 added it; engineer is the assignee doing the work.
    expect(desk.fail(engineer2, confirm)).toMatchObject({
      code: 'forbidden',
      message: expect.stringMatching(/four eyes/),
    });
    expect(desk.fail(engineer, confirm).code).toBe('forbidden');
    desk.ok(manager, confirm);
  });

  it('refuses an unknown milestone and the wrong side for the role', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.milestone.add', title: 'Data migrated' });
    const id = desk.ticket.milestones[0]?.id;
    expect(
      desk.fail(engineer, { type: 'ticket.milestone.confirm', milestoneId: 'x', side: 'lead' }),
    ).toMatchObject({ code: 'not_found', fields: [{ path: 'milestoneId' }] });
    expect(
      desk.fail(engineer, { type: 'ticket.milestone.confirm', milestoneId: id, side: 'customer' })
        .code,
    ).toBe('forbidden');
    expect(
      desk.fail(agent, { type: 'ticket.milestone.confirm', milestoneId: id, side: 'lead' }).code,
    ).toBe('forbidden');
  });

  it('block resolve until every milestone has both confirmations', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.milestone.add', title: 'Environment ready' });
    desk.ok(engineer, { type: 'ticket.milestone.add', title: 'Data migrated' });
    const [a, b] = desk.ticket.milestones;
    const resolve = { type: 'ticket.resolve', code: 'fixed', summary: 'done' };
    let error = desk.fail(engineer, resolve);
    expect(error.code).toBe('conflict');
    expect(error.message).toContain('"Environment ready" (lead and customer)');
    expect(error.message).toContain('"Data migrated" (lead and customer)');
    desk.ok(engineer2, { type: 'ticket.milestone.confirm', milestoneId: a?.id, side: 'lead' });
    desk.ok(agent, { type: 'ticket.milestone.confirm', milestoneId: a?.id, side: 'customer' });
    desk.ok(engineer2, { type: 'ticket.milestone.confirm', milestoneId: b?.id, side: 'lead' });
    error = desk.fail(manager, resolve);
    expect(error.message).not.toContain('Environment ready');
    expect(error.message).toContain('"Data migrated" (customer)');
    desk.ok(agent, { type: 'ticket.milestone.confirm', milestoneId: b?.id, side: 'customer' });
    desk.ok(engineer, resolve);
    expect(desk.ticket.status).toBe('resolved');
    expect(desk.fail(engineer, { type: 'ticket.milestone.add', title: 'late' }).message).toMatch(
      /fixed once the ticket is resolved/,
    );
  });
});

describe('pend, resume, resolve', () => {
  it('pends with a reason, resumes, and records both in the history', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.pend', reason: 'vendor', note: 'waiting for Cisco' });
    expect(desk.ticket).toMatchObject({ status: 'pending', pendingReason: 'vendor' });
    expect(desk.fail(engineer, { type: 'ticket.pend', reason: 'customer' }).code).toBe('conflict');
    const error = desk.fail(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'x' });
    expect(error.code).toBe('conflict');
    expect(error.message).toMatch(/pending \(vendor\).*resume it first/);
    desk.ok(engineer, { type: 'ticket.resume' }, LATER);
    expect(desk.ticket).toMatchObject({ status: 'in_progress', pendingReason: null });
    expect(desk.ticket.statusHistory.slice(-2)).toEqual([
      { at: NOW.toISOString(), status: 'pending', pendingReason: 'vendor' },
      { at: LATER.toISOString(), status: 'in_progress', pendingReason: null },
    ]);
    desk.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'MTA rebuilt' }, LATER);
    expect(desk.ticket).toMatchObject({
      status: 'resolved',
      resolvedAt: LATER.toISOString(),
      resolution: { code: 'fixed', summary: 'MTA rebuilt' },
    });
  });

  it('refuses an agent to resolve, and resolving a dispatched ticket', () => {
    const desk = makeInProgress();
    expect(desk.fail(agent, { type: 'ticket.resolve', code: 'a', summary: 'b' }).code).toBe(
      'forbidden',
    );
    const d2 = makeDesk();
    create(d2, { groupId: 'g1' });
    d2.ok(agent, { type: 'ticket.classify', category: 'mail' });
    d2.ok(agent, { type: 'ticket.assign', groupId: 'g1' });
    expect(d2.fail(engineer, { type: 'ticket.resolve', code: 'a', summary: 'b' }).message).toMatch(
      /accept it first/,
    );
  });
});

describe('follow-up, close, reopen', () => {
  function makeResolved(): Desk {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'ok' });
    return desk;
  }

  it('satisfied → follow_up → closed', () => {
    const desk = makeResolved();
    expect(desk.fail(agent, { type: 'ticket.close' }).code).toBe('conflict');
    desk.ok(agent, { type: 'ticket.followUp', outcome: 'satisfied', note: 'happy' });
    expect(desk.ticket).toMatchObject({
      status: 'follow_up',
      followUp: { outcome: 'satisfied', note: 'happy', at: NOW.toISOString() },
    });
    expect(desk.fail(engineer, { type: 'ticket.close' }).code).toBe('forbidden');
    desk.ok(agent, { type: 'ticket.close' }, LATER);
    expect(desk.ticket).toMatchObject({ status: 'closed', closedAt: LATER.toISOString() });
    expect(desk.fail(manager, { type: 'ticket.comment', body: 'x' })).toMatchObject({
      code: 'conflict',
      message: expect.stringMatching(/closed/),
    });
    expect(desk.fail(manager, { type: 'ticket.reopen', reason: 'x' }).code).toBe('conflict');
    desk.ok(agent, { type: 'ticket.log.supervision', source: 'customer', ratings: { overall: 5 } });
  });

  it('not_resolved → reopened, clearing the resolution; accept again → in_progress', () => {
    const desk = makeResolved();
    desk.ok(agent, { type: 'ticket.followUp', outcome: 'not_resolved' });
    expect(desk.ticket).toMatchObject({
      status: 'reopened',
      resolvedAt: null,
      resolution: null,
      followUp: { outcome: 'not_resolved', note: null },
    });
    desk.ok(engineer, { type: 'ticket.accept' });
    expect(desk.ticket.status).toBe('in_progress');
  });

  it('reopen from resolved and from follow_up, by the desk only', () => {
    const desk = makeResolved();
    expect(desk.fail(engineer, { type: 'ticket.reopen', reason: 'x' }).code).toBe('forbidden');
    desk.ok(agent, { type: 'ticket.reopen', reason: 'Customer calls again' });
    expect(desk.ticket).toMatchObject({ status: 'reopened', resolvedAt: null, followUp: null });
    desk.ok(engineer, { type: 'ticket.accept' });
    desk.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'really' });
    desk.ok(agent, { type: 'ticket.followUp', outcome: 'satisfied' });
    desk.ok(manager, { type: 'ticket.reopen', reason: 'again' });
    expect(desk.ticket.status).toBe('reopened');
    desk.ok(manager, { type: 'ticket.assign', assigneeId: 'u-eng2' });
    expect(desk.ticket).toMatchObject({ status: 'reopened', assigneeId: 'u-eng2' });
  });
});

describe('a whole life', () => {
  it('versions +1 per command, lastSeq follows seq, history matches every status change', () => {
    const desk = makeInProgress();
    desk.ok(engineer, { type: 'ticket.comment', body: 'Looking' });
    desk.ok(engineer, { type: 'ticket.pend', reason: 'customer' });
    desk.ok(engineer, { type: 'ticket.resume' });
    desk.ok(engineer, { type: 'ticket.resolve', code: 'fixed', summary: 'ok' });
    desk.ok(agent, { type: 'ticket.followUp', outcome: 'satisfied' });
    desk.ok(agent, { type: 'ticket.close' });
    const t = desk.ticket;
    expect(t.version).toBe(desk.log.length);
    expect(t.lastSeq).toBe(desk.log.length);
    expect(desk.log.map((e) => e.type)).toEqual([
      'ticket.created',
      'ticket.classified',
      'ticket.assigned',
      'ticket.accepted',
      'ticket.commented',
      'ticket.pended',
      'ticket.resumed',
      'ticket.resolved',
      'ticket.followedUp',
      'ticket.closed',
    ]);
    expect(t.statusHistory.map((h) => h.status)).toEqual([
      'received',
      'classified',
      'dispatched',
      'in_progress',
      'pending',
      'in_progress',
      'resolved',
      'follow_up',
      'closed',
    ]);
    expect(desk.log.every((e) => e.actorId !== null && e.at === NOW.toISOString())).toBe(true);
  });

  it('refuses an invalid now instead of throwing', () => {
    const parsed = parseCommand({
      type: 'ticket.create',
      commandId: 'cmd-00000001',
      title: 'x',
      description: '',
      channel: 'api',
    });
    if (!parsed.ok) throw new Error('bad fixture');
    const result = decide(null, parsed.command, {
      actor: agent,
      now: new Date(Number.NaN),
      newTicketId: asTicketId('t'),
      newTicketNumber: 'INC-2026-000001',
      newId: () => 'x',
    });
    expect(!result.ok && result.error.code).toBe('internal');
  });
});

describe("the customer's comment (a mail reply through the intake)", () => {
  const intake = makeActor('intake:mail', ['agent'], []);

  it('is public, neither a first response nor a public update, and only the intake may add it', () => {
    const desk = makeDesk();
    create(desk);
    const [event] = desk.ok(intake, {
      type: 'ticket.comment',
      body: 'still down',
      fromCustomer: true,
    });
    expect(event?.data).toMatchObject({ internal: false, fromCustomer: true });
    expect(desk.ticket.comments.at(-1)).toMatchObject({ body: 'still down', fromCustomer: true });
    expect(desk.ticket.firstResponseAt).toBeNull();
    expect(desk.ticket.lastPublicUpdateAt ?? null).toBeNull();
    expect(
      desk.fail(agent, { type: 'ticket.comment', body: 'as the customer', fromCustomer: true }),
    ).toMatchObject({ code: 'forbidden', message: expect.stringMatching(/intake/) });
    expect(
      desk.fail(intake, { type: 'ticket.comment', body: 'x', fromCustomer: true, internal: true })
        .code,
    ).toBe('invalid');
    desk.ok(agent, { type: 'ticket.comment', body: 'we are on it' });
    expect(desk.ticket.firstResponseAt).toBe(NOW.toISOString());
  });
});
