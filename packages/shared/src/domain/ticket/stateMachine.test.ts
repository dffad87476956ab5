import { describe, expect, it } from 'vitest';
import type { RoleName } from '../../contract/auth';
import type { TicketCommandType } from '../../contract/commands';
import { parseCommand } from '../../contract/commands';
import type { DomainEvent } from '../../contract/events';
import { asGroupId, asOrganisationId, asTicketId, asUserId } from '../../contract/ids';
import { ticketSchema, type Ticket, type TicketStatus } from '../../contract/ticket';
import { applyEvent } from './apply';
import { decide } from './decide';
import {
  canActOnTicket,
  canTransition,
  isCommandAllowed,
  listCommandRoles,
  mayActOnTicket,
  mayPerformCommand,
  transitionFor,
  TRANSITIONS,
} from './stateMachine';

/**
 * The expected state machine, written out by hand, independently of TRANSITIONS:
 * command, variant (- for none), from, to, scope (group: the actor's groups; desk: every ticket
 * for agents and the tickets the actor took), roles (a agent, e engineer, d duty_manager,
 * m admin). Anything not listed must be refused for everyone; wallboards appear nowhere.
 */
const EXPECTED = `
ticket.classify           -             received     classified   group  a d m
ticket.classify           -             classified   classified   group  a e d m
ticket.classify           -             dispatched   dispatched   group  a e d m
ticket.classify           -             in_progress  in_progress  group  a e d m
ticket.classify           -             pending      pending      group  a e d m
ticket.classify           -             reopened     reopened     group  a e d m
ticket.assign             -             received     received     group  a d m
ticket.assign             -             classified   dispatched   group  a d m
ticket.assign             -             dispatched   dispatched   group  a e d m
ticket.assign             -             in_progress  in_progress  group  a e d m
ticket.assign             -             pending      pending      group  a e d m
ticket.assign             -             reopened     reopened     group  a e d m
ticket.refuse             -             dispatched   dispatched   group  a e d m
ticket.refuse             -             in_progress  dispatched   group  a e d m
ticket.refuse             -             pending      dispatched   group  a e d m
ticket.refuse             -             reopened     dispatched   group  a e d m
ticket.accept             -             dispatched   in_progress  group  e d m
ticket.accept             -             reopened     in_progress  group  e d m
ticket.comment            -             received     received     desk   a e d m
ticket.comment            -             classified   classified   desk   a e d m
ticket.comment            -             dispatched   dispatched   desk   a e d m
ticket.comment            -             in_progress  in_progress  desk   a e d m
ticket.comment            -             pending      pending      desk   a e d m
ticket.comment            -             resolved     resolved     desk   a e d m
ticket.comment            -             follow_up    follow_up    desk   a e d m
ticket.comment            -             reopened     reopened     desk   a e d m
ticket.log.execution      -             received     received     group  e d m
ticket.log.execution      -             classified   classified   group  e d m
ticket.log.execution      -             dispatched   dispatched   group  e d m
ticket.log.execution      -             in_progress  in_progress  group  e d m
ticket.log.execution      -             pending      pending      group  e d m
ticket.log.execution      -             resolved     resolved     group  e d m
ticket.log.execution      -             follow_up    follow_up    group  e d m
ticket.log.execution      -             reopened     reopened     group  e d m
ticket.log.supervision    -             received     received     desk   a d m
ticket.log.supervision    -             classified   classified   desk   a d m
ticket.log.supervision    -             dispatched   dispatched   desk   a d m
ticket.log.supervision    -             in_progress  in_progress  desk   a d m
ticket.log.supervision    -             pending      pending      desk   a d m
ticket.log.supervision    -             resolved     resolved     desk   a d m
ticket.log.supervision    -             follow_up    follow_up    desk   a d m
ticket.log.supervision    -             closed       closed       desk   a d m
ticket.log.supervision    -             reopened     reopened     desk   a d m
ticket.milestone.add      -             received     received     group  e d m
ticket.milestone.add      -             classified   classified   group  e d m
ticket.milestone.add      -             dispatched   dispatched   group  e d m
ticket.milestone.add      -             in_progress  in_progress  group  e d m
ticket.milestone.add      -             pending      pending      group  e d m
ticket.milestone.add      -             reopened     reopened     group  e d m
ticket.milestone.confirm  lead          received     received     group  e d m
ticket.milestone.confirm  lead          classified   classified   group  e d m
ticket.milestone.confirm  lead          dispatched   dispatched   group  e d m
ticket.milestone.confirm  lead          in_progress  in_progress  group  e d m
ticket.milestone.confirm  lead          pending      pending      group  e d m
ticket.milestone.confirm  lead          reopened     reopened     group  e d m
ticket.milestone.confirm  customer      received     received     desk   a d m
ticket.milestone.confirm  customer      classified   classified   desk   a d m
ticket.milestone.confirm  customer      dispatched   dispatched   desk   a d m
ticket.milestone.confirm  customer      in_progress  in_progress  desk   a d m
ticket.milestone.confirm  customer      pending      pending      desk   a d m
ticket.milestone.confirm  customer      reopened     reopened     desk   a d m
ticket.pend               -             in_progress  pending      group  e d m
ticket.resume             -             pending      in_progress  group  e d m
ticket.resolve            -             in_progress  resolved     group  e d m
ticket.followUp           satisfied     resolved     follow_up    desk   a d m
ticket.followUp           not_resolved  resolved     reopened     desk   a d m
ticket.close              -             follow_up    closed       desk   a d m
ticket.reopen             -             resolved     reopened     desk   a d m
ticket.reopen             -             follow_up    reopened     desk   a d m
ticket.contact.record     -             received     received     desk   a e d m
ticket.contact.record     -             classified   classified   desk   a e d m
ticket.contact.record     -             dispatched   dispatched   desk   a e d m
ticket.contact.record     -             in_progress  in_progress  desk   a e d m
ticket.contact.record     -             pending      pending      desk   a e d m
ticket.contact.record     -             resolved     resolved     desk   a e d m
ticket.contact.record     -             follow_up    follow_up    desk   a e d m
ticket.contact.record     -             reopened     reopened     desk   a e d m
ticket.intake.record      -             received     received     desk   a d m
ticket.intake.record      -             classified   classified   desk   a d m
ticket.intake.record      -             dispatched   dispatched   desk   a d m
ticket.intake.record      -             in_progress  in_progress  desk   a d m
ticket.intake.record      -             pending      pending      desk   a d m
ticket.intake.record      -             resolved     resolved     desk   a d m
ticket.intake.record      -             follow_up    follow_up    desk   a d m
ticket.intake.record      -             reopened     reopened     desk   a d m
ticket.customer.link      -             received     received     desk   a d m
ticket.customer.link      -             classified   classified   desk   a d m
ticket.customer.link      -             dispatched   dispatched   desk   a d m
ticket.customer.link      -             in_progress  in_progress  desk   a d m
ticket.customer.link      -             pending      pending      desk   a d m
ticket.customer.link      -             resolved     resolved     desk   a d m
ticket.customer.link      -             follow_up    follow_up    desk   a d m
ticket.customer.link      -             closed       closed       desk   a d m
ticket.customer.link      -             reopened     reopened     desk   a d m
ticket.attachment.add     -             received     received     desk   a e d m
ticket.attachment.add     -             classified   classified   desk   a e d m
ticket.attachment.add     -             dispatched   dispatched   desk   a e d m
ticket.attachment.add     -             in_progress  in_progress  desk   a e d m
ticket.attachment.add     -             pending      pending      desk   a e d m
ticket.attachment.add     -             resolved     resolved     desk   a e d m
ticket.attachment.add     -             follow_up    follow_up    desk   a e d m
ticket.attachment.add     -             closed       closed       desk   a e d m
ticket.attachment.add     -             reopened     reopened     desk   a e d m
`;

/** One expected row. */
type ExpectedRow = {
  command: TicketCommandType;
  variant: string | null;
  from: TicketStatus;
  to: TicketStatus;
  scope: 'group' | 'desk';
  roles: RoleName[];
};

const ROLE_LETTERS: Record<string, RoleName> = {
  a: 'agent',
  e: 'engineer',
  d: 'duty_manager',
  m: 'admin',
};

/** Parses the expected table. */
function parseExpected(text: string): ExpectedRow[] {
  return text
    .trim()
    .split('\n')
    .map((line) => {
      const [command, variant, from, to, scope, ...letters] = line.trim().split(/\s+/);
      if (scope !== 'group' && scope !== 'desk') throw new Error(`bad scope ${scope}`);
      return {
        command: command as TicketCommandType,
        variant: variant === '-' ? null : (variant ?? null),
        from: from as TicketStatus,
        to: to as TicketStatus,
        scope,
        roles: letters.map((l) => {
          const role = ROLE_LETTERS[l];
          if (!role) throw new Error(`bad role letter ${l}`);
          return role;
        }),
      };
    });
}

/** Every role, every status, every (command, variant) pair. */
const ALL_ROLES: RoleName[] = ['agent', 'engineer', 'duty_manager', 'admin', 'wallboard'];
const ALL_STATUSES: TicketStatus[] = [
  'received',
  'classified',
  'dispatched',
  'in_progress',
  'pending',
  'resolved',
  'follow_up',
  'closed',
  'reopened',
];
const ALL_COMMANDS: Array<[TicketCommandType, string | null]> = [
  ['ticket.classify', null],
  ['ticket.assign', null],
  ['ticket.accept', null],
  ['ticket.comment', null],
  ['ticket.log.execution', null],
  ['ticket.log.supervision', null],
  ['ticket.milestone.add', null],
  ['ticket.milestone.confirm', 'lead'],
  ['ticket.milestone.confirm', 'customer'],
  ['ticket.pend', null],
  ['ticket.resume', null],
  ['ticket.resolve', null],
  ['ticket.followUp', 'satisfied'],
  ['ticket.followUp', 'not_resolved'],
  ['ticket.close', null],
  ['ticket.reopen', null],
  ['ticket.contact.record', null],
  ['ticket.intake.record', null],
  ['ticket.refuse', null],
  ['ticket.customer.link', null],
  ['ticket.attachment.add', null],
];

const rows = parseExpected(EXPECTED);

function findRow(command: TicketCommandType, variant: string | null, from: TicketStatus) {
  return rows.find((r) => r.command === command && r.variant === variant && r.from === from);
}

describe('state machine table', () => {
  it('holds exactly the expected rows', () => {
    const key = (r: { command: string; variant: string | null; from: string; to: string }) =>
      `${r.command}|${r.variant ?? '-'}|${r.from}|${r.to}`;
    expect(TRANSITIONS.map(key).sort()).toEqual(rows.map(key).sort());
    for (const t of TRANSITIONS) {
      const row = findRow(t.command, t.variant, t.from);
      expect([...t.roles].sort(), key(t)).toEqual([...(row?.roles ?? [])].sort());
      expect(t.scope, key(t)).toBe(row?.scope);
    }
  });

  it('never lets a wallboard do anything', () => {
    expect(TRANSITIONS.every((t) => !t.roles.includes('wallboard'))).toBe(true);
  });
});

describe.each(ALL_ROLES)('role %s × every command × every status', (role) => {
  it.each(ALL_COMMANDS.map(([c, v]) => [`${c}${v ? `:${v}` : ''}`, c, v] as const))(
    '%s',
    (_label, command, variant) => {
      for (const status of ALL_STATUSES) {
        const row = findRow(command, variant, status);
        const allowed = row !== undefined && row.roles.includes(role);
        expect(isCommandAllowed(command, status, [role], variant), `${status}`).toBe(allowed);
        expect(transitionFor(command, { status }, variant)?.to ?? null, status).toBe(
          row?.to ?? null,
        );
      }
      const expectedRoles = new Set(
        rows.filter((r) => r.command === command && r.variant === variant).flatMap((r) => r.roles),
      );
      expect(listCommandRoles(command, variant).includes(role)).toBe(expectedRoles.has(role));
    },
  );

  it('canTransition for every (from, to) status pair', () => {
    for (const from of ALL_STATUSES) {
      for (const to of ALL_STATUSES) {
        const expected =
          from !== to && rows.some((r) => r.from === from && r.to === to && r.roles.includes(role));
        expect(canTransition(from, to, [role]), `${from} → ${to}`).toBe(expected);
      }
    }
  });
});

describe('canTransition', () => {
  it('holds the flow of the five steps', () => {
    const m = ['duty_manager'] as RoleName[];
    expect(canTransition('received', 'classified', m)).toBe(true);
    expect(canTransition('classified', 'dispatched', m)).toBe(true);
    expect(canTransition('dispatched', 'in_progress', m)).toBe(true);
    expect(canTransition('in_progress', 'pending', m)).toBe(true);
    expect(canTransition('pending', 'in_progress', m)).toBe(true);
    expect(canTransition('in_progress', 'resolved', m)).toBe(true);
    expect(canTransition('resolved', 'follow_up', m)).toBe(true);
    expect(canTransition('follow_up', 'closed', m)).toBe(true);
    expect(canTransition('resolved', 'reopened', m)).toBe(true);
    expect(canTransition('follow_up', 'reopened', m)).toBe(true);
    expect(canTransition('reopened', 'in_progress', m)).toBe(true);
    expect(canTransition('pending', 'resolved', m)).toBe(false);
    expect(canTransition('closed', 'reopened', m)).toBe(false);
    expect(canTransition('received', 'resolved', m)).toBe(false);
  });

  it('answers for a set of roles: any role that may suffices', () => {
    expect(canTransition('in_progress', 'resolved', ['agent'])).toBe(false);
    expect(canTransition('in_progress', 'resolved', ['agent', 'engineer'])).toBe(true);
    expect(canTransition('in_progress', 'resolved', [])).toBe(false);
  });
});

describe('canActOnTicket (scope)', () => {
  const g1 = asGroupId('g1');
  const g2 = asGroupId('g2');
  const me = asUserId('u-me');
  const other = asUserId('u-other');
  const actor = (roles: RoleName[]) => ({ id: me, roles, groupIds: [g1] });

  it.each([
    ['agent', g1, null, true],
    ['agent', g2, null, false],
    ['agent', null, null, true],
    ['agent', g2, me, true],
    ['engineer', g1, other, true],
    ['engineer', g2, other, false],
    ['engineer', g2, me, true],
    ['engineer', null, other, true],
    ['duty_manager', g2, other, true],
    ['admin', g2, other, true],
    ['wallboard', g1, me, false],
    ['wallboard', null, null, false],
  ] as const)('%s on group %s assigned to %s → %s', (role, groupId, assigneeId, expected) => {
    expect(canActOnTicket(actor([role]), { groupId, assigneeId })).toBe(expected);
  });

  it('a duty manager who is also an agent is unscoped', () => {
    expect(
      canActOnTicket(actor(['agent', 'duty_manager']), { groupId: g2, assigneeId: null }),
    ).toBe(true);
  });
});

/**
 * Scope, table-driven from EXPECTED: each role × (command, variant) × status × where the ticket
 * is for the actor — in one of their groups, in another group, in another group but taken
 * (created) by the actor — must be allowed exactly when the row's roles have the role and the
 * row's scope reaches the ticket.
 */
describe.each(ALL_ROLES)(
  'role %s × every command × where the ticket is (mayPerformCommand)',
  (role) => {
    const me = asUserId('u-me');
    const actor = { id: me, roles: [role], groupIds: [asGroupId('l1')] };
    const places = [
      ['own group', { groupId: asGroupId('l1'), assigneeId: null, createdBy: asUserId('u-x') }],
      ['other group', { groupId: asGroupId('l2'), assigneeId: null, createdBy: asUserId('u-x') }],
      ['other group, taken by me', { groupId: asGroupId('l2'), assigneeId: null, createdBy: me }],
      ['own group, assigned to me', { groupId: asGroupId('l1'), assigneeId: me, createdBy: null }],
      [
        'own group, assigned to another',
        { groupId: asGroupId('l1'), assigneeId: asUserId('u-x'), createdBy: null },
      ],
    ] as const;
    it.each(ALL_COMMANDS.map(([c, v]) => [`${c}${v ? `:${v}` : ''}`, c, v] as const))(
      '%s',
      (_label, command, variant) => {
        for (const status of ALL_STATUSES) {
          const row = findRow(command, variant, status);
          for (const [where, place] of places) {
            const unscoped = role === 'duty_manager' || role === 'admin';
            const reach =
              unscoped ||
              where.startsWith('own group') ||
              (row?.scope === 'desk' && (role === 'agent' || where === 'other group, taken by me'));
            // Refusing a dispatch is the assignee's alone, whatever the role.
            const assigneeRule =
              command !== 'ticket.refuse' || where === 'own group, assigned to me';
            const expected = row !== undefined && row.roles.includes(role) && reach && assigneeRule;
            expect(
              mayPerformCommand(actor, { ...place, status }, command, variant),
              `${status} / ${where}`,
            ).toBe(expected);
          }
        }
      },
    );
  },
);

describe('mayActOnTicket (the console’s read-only notice)', () => {
  it('is true for the desk on an L2 ticket, false for an engineer of another group', () => {
    const ticket = {
      status: 'in_progress' as const,
      groupId: asGroupId('l2'),
      assigneeId: asUserId('u-eng'),
      createdBy: asUserId('u-agent'),
    };
    expect(
      mayActOnTicket({ id: asUserId('u-agent2'), roles: ['agent'], groupIds: [] }, ticket),
    ).toBe(true);
    expect(
      mayActOnTicket(
        { id: asUserId('u-l3'), roles: ['engineer'], groupIds: [asGroupId('l3')] },
        ticket,
      ),
    ).toBe(false);
    expect(
      mayActOnTicket({ id: asUserId('u-wall'), roles: ['wallboard'], groupIds: [] }, ticket),
    ).toBe(false);
  });
});

const NOW = new Date('2026-03-02T08:00:00.000Z');
const RECEIVED = '2026-03-02T07:00:00.000Z';

/**
 * A ticket sitting in `status`, in group g1, unassigned (or assigned to `assigneeId`), with one
 * unconfirmed milestone.
 */
function makeTicketIn(
  status: TicketStatus,
  withMilestone: boolean,
  assigneeId: string | null = null,
): Ticket {
  return ticketSchema.parse({
    id: 't-1',
    number: 'INC-2026-000001',
    version: 4,
    kind: 'incident',
    title: 'Printer on fire',
    description: '',
    channel: 'hotline',
    impact: 'low',
    urgency: 'low',
    priority: 'P3',
    category: null,
    module: null,
    customer: { org: null, contact: null, phone: null, email: null },
    groupId: 'g1',
    assigneeId,
    createdBy: 'u-creator',
    status,
    pendingReason: status === 'pending' ? 'customer' : null,
    majorIncident: false,
    receivedAt: RECEIVED,
    createdAt: RECEIVED,
    updatedAt: RECEIVED,
    firstResponseAt: null,
    lastPublicUpdateAt: null,
    resolvedAt: null,
    closedAt: null,
    resolution: null,
    followUp: null,
    statusHistory: [
      { at: RECEIVED, status: 'received', pendingReason: null },
      ...(status === 'received'
        ? []
        : [{ at: RECEIVED, status, pendingReason: status === 'pending' ? 'customer' : null }]),
    ],
    comments: [],
    executionLog: [],
    supervisionLog: [],
    milestones: withMilestone
      ? [
          {
            id: 'ms-1',
            title: 'Environment ready',
            addedAt: RECEIVED,
            addedBy: 'u-creator',
            leadConfirmation: null,
            customerConfirmation: null,
          },
        ]
      : [],
    sla: { targets: [] },
    lastSeq: 10,
  });
}

/** A command body valid for each (command, variant) that changes something on the fixture. */
function makeBody(command: TicketCommandType, variant: string | null): Record<string, unknown> {
  switch (command) {
    case 'ticket.classify':
      return { category: 'network' };
    case 'ticket.assign':
      return { assigneeId: 'u-other' };
    case 'ticket.comment':
      return { body: 'On it.' };
    case 'ticket.log.execution':
      return { work: 'Replaced fuser', progress: 50, minutesSpent: 30 };
    case 'ticket.log.supervision':
      return { source: 'on_behalf', feedback: 'Friendly and quick' };
    case 'ticket.milestone.add':
      return { title: 'Data migrated' };
    case 'ticket.milestone.confirm':
      return { milestoneId: 'ms-1', side: variant };
    case 'ticket.pend':
      return { reason: 'vendor' };
    case 'ticket.resolve':
      return { code: 'fixed', summary: 'Fuser replaced' };
    case 'ticket.followUp':
      return { outcome: variant };
    case 'ticket.reopen':
      return { reason: 'Still smoking' };
    case 'ticket.contact.record':
      return { channel: 'phone', summary: 'Called back' };
    case 'ticket.intake.record':
      return {
        source: 'alertmanager',
        signal: 'repeat',
        at: '2026-12-04T10:00:00.000Z',
        summary: 'again',
      };
    case 'ticket.refuse':
      return { reason: 'Database work, not network' };
    case 'ticket.customer.link':
      return { organisationId: 'o-1', contactId: null };
    case 'ticket.attachment.add':
      return {
        attachmentId: 'att-1',
        name: 'form.pdf',
        contentType: 'application/pdf',
        size: 10,
        sha256: 'b'.repeat(64),
      };
    default:
      return {};
  }
}

describe.each(ALL_ROLES)('role %s × every command × every status, through decide', (role) => {
  const actor = {
    id: asUserId('u-actor'),
    roles: [role],
    groupIds: [asGroupId('g1')],
    displayName: role,
  };
  it.each(ALL_COMMANDS.map(([c, v]) => [`${c}${v ? `:${v}` : ''}`, c, v] as const))(
    '%s',
    (_label, command, variant) => {
      const anyRoles = new Set(
        rows.filter((r) => r.command === command && r.variant === variant).flatMap((r) => r.roles),
      );
      for (const status of ALL_STATUSES) {
        // A refusal is the assignee's: the ticket is assigned to the actor for it.
        const ticket = makeTicketIn(
          status,
          command === 'ticket.milestone.confirm',
          command === 'ticket.refuse' ? 'u-actor' : null,
        );
        const parsed = parseCommand({
          type: command,
          commandId: `cmd-${command}-${status}`,
          ticketId: 't-1',
          expectedVersion: 4,
          ...makeBody(command, variant),
        });
        if (!parsed.ok) throw new Error(parsed.error.message);
        const result = decide(ticket, parsed.command, {
          actor,
          now: NOW,
          newTicketId: asTicketId('t-new'),
          newTicketNumber: 'INC-2026-000002',
          newId: () => 'new-id',
          customerLink: {
            organisationId: asOrganisationId('o-1'),
            contactId: null,
            slaPolicyId: null,
            customer: { org: 'ACME', contact: null, phone: null, email: null },
          },
        });
        const row = findRow(command, variant, status);
        const label = `${role} ${command}:${variant ?? '-'} @ ${status}`;
        if (!anyRoles.has(role)) {
          expect(result.ok ? 'ok' : result.error.code, label).toBe('forbidden');
        } else if (!row) {
          expect(result.ok ? 'ok' : result.error.code, label).toBe('conflict');
        } else if (!row.roles.includes(role)) {
          expect(result.ok ? 'ok' : result.error.code, label).toBe('forbidden');
        } else {
          expect(result.ok, label).toBe(true);
          if (!result.ok) continue;
          expect(result.events, label).toHaveLength(1);
          const [pending] = result.events;
          const next = applyEvent(ticket, { ...pending, seq: 11, id: 'e-11' } as DomainEvent);
          expect(next.status, label).toBe(row.to);
          expect(next.version, label).toBe(5);
          expect(next.lastSeq, label).toBe(11);
        }
      }
    },
  );
});
