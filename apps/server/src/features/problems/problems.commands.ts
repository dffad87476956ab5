/**
 * Problem records and change requests on the bus (`problem.*`, `change.*`; issue 22, decision
 * 58): each command writes the record's row and appends one event carrying the whole record in
 * the same transaction, so the hash-chained log holds every version and every seat hears of it
 * live. `change.done` resumes, in the same transaction and through the tickets' own command, the
 * linked tickets pending on a change (their SLA clocks resume as any `ticket.resume`).
 */
import {
  CHANGE_APPROVE_ROLES,
  CHANGE_DONE_ROLES,
  FAULT_REPORT_TARGET_MS,
  PROBLEM_CLOSE_ROLES,
  PROBLEM_COMMAND_TYPES,
  PROBLEM_LIMITS,
  PROBLEM_WRITE_ROLES,
  ROOT_CAUSE_TARGET_MS,
  asTicketId,
  closeRefusal,
  customerMaySeeProblem,
  isCustomerActor,
  makeError,
  type Actor,
  type AppError,
  type ChangeRequest,
  type CommandAck,
  type Problem,
  type ProblemCommand,
  type ProblemCommandType,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import type { CommandResult, CommandSpec } from '../../commands/bus';
import { saveCommandResult } from '../../commands/results.repo';
import type { AppContext } from '../../context';
import type { Tx } from '../../db/client';
import { readTicketsByIds } from '../escalation';
import { appendEvents, asWireEvents, type StoredEvent } from '../events';
import { DEFAULT_MAIL_LOCALE, enqueueMail } from '../mail';
import { lockTicket, nextCounter, runTicketCommand } from '../tickets';
import {
  findMissingIds,
  lockChange,
  lockProblem,
  readContactAddress,
  saveChange,
  saveProblem,
  type LinkTable,
} from './problems.repo';

const ROLES: Record<ProblemCommandType, { roles: readonly string[]; what: string }> = {
  'problem.create': { roles: PROBLEM_WRITE_ROLES, what: 'raise problems' },
  'problem.update': { roles: PROBLEM_WRITE_ROLES, what: 'edit problems' },
  'problem.action.save': { roles: PROBLEM_WRITE_ROLES, what: 'edit corrective actions' },
  'problem.confirm': { roles: [...PROBLEM_WRITE_ROLES, 'customer'], what: 'confirm problems' },
  'problem.close': { roles: PROBLEM_CLOSE_ROLES, what: 'close problems' },
  'problem.report': { roles: PROBLEM_WRITE_ROLES, what: 'write fault-analysis reports' },
  'change.create': { roles: PROBLEM_WRITE_ROLES, what: 'request changes' },
  'change.decide': { roles: CHANGE_APPROVE_ROLES, what: 'approve or reject changes' },
  'change.done': { roles: CHANGE_DONE_ROLES, what: 'mark changes done' },
};

/** Ticket kinds a source must be (a complaint problem comes from a complaint). */
const SOURCE_TICKET_KINDS: Partial<Record<Problem['source']['kind'], string>> = {
  complaint: 'complaint',
};

export function createProblemCommands(ctx: AppContext): CommandSpec<ProblemCommandType> {
  return {
    types: PROBLEM_COMMAND_TYPES,
    precheck(actor, command) {
      const rule = ROLES[command.type];
      if (!actor.roles.some((r) => rule.roles.includes(r)))
        return makeError(
          'forbidden',
          `${actor.roles.join(', ') || 'no role'} may not ${rule.what} (${rule.roles.join(', ')} do)`,
        );
      return null;
    },
    handle: (tx, actor, command) => runProblemCommand(ctx, tx, actor, command),
  };
}

type Refusal = { ok: false; error: AppError };
const refuse = (code: AppError['code'], message: string, path?: string): Refusal => ({
  ok: false,
  error: makeError(code, message, path ? [{ path, message }] : undefined),
});

type Outcome =
  | Refusal
  | {
      ok: true;
      type: string;
      problem?: Problem;
      change?: ChangeRequest;
      /** Events of other commands run in this transaction (the resumes of `change.done`). */
      before?: StoredEvent[];
    };

async function missing(tx: Tx, table: LinkTable, ids: readonly string[], path: string) {
  const gone = await findMissingIds(tx, table, ids);
  return gone.length > 0 ? refuse('invalid', `No ${path} ${gone.join(', ')}`, path) : null;
}

async function runProblemCommand(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: ProblemCommand,
): Promise<CommandResult> {
  const now = ctx.clock.now();
  const outcome = isChangeCommand(command)
    ? await decideChange(ctx, tx, actor, command, now)
    : await decideProblem(ctx, tx, actor, command, now);
  if (!outcome.ok) return { ack: { ok: false, error: outcome.error }, events: [], fresh: false };
  if (outcome.problem) await saveProblem(tx, outcome.problem);
  if (outcome.change) await saveChange(tx, outcome.change);
  const data = outcome.problem ? { problem: outcome.problem } : { change: outcome.change };
  const stored = await appendEvents(
    tx,
    [
      {
        id: randomUUID(),
        ticketId: null,
        actorId: actor.id,
        at: now.toISOString(),
        type: outcome.type,
        data,
      },
    ],
    command.commandId,
  );
  const events = [...(outcome.before ?? []), ...stored];
  const ack: CommandAck = { ok: true, events: asWireEvents(events) };
  await saveCommandResult(tx, command.commandId, actor.id, ack, now);
  return { ack, events, fresh: true };
}

type ChangeCommand = Extract<ProblemCommand, { type: `change.${string}` }>;
function isChangeCommand(c: ProblemCommand): c is ChangeCommand {
  return c.type.startsWith('change.');
}

function checkVersion(
  record: { version: number; number: string },
  expected: number | undefined,
): Refusal | null {
  if (expected === undefined || expected === record.version) return null;
  return refuse(
    'conflict',
    `${record.number} has changed (version ${record.version}, you had ${expected}); review and retry`,
    'expectedVersion',
  );
}

function number(prefix: string, year: number, n: number): string {
  return `${prefix}-${year}-${String(n).padStart(6, '0')}`;
}

async function decideProblem(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: Exclude<ProblemCommand, ChangeCommand>,
  now: Date,
): Promise<Outcome> {
  const at = now.toISOString();
  if (command.type === 'problem.create') return createProblem(tx, actor, command, now);
  const before = await lockProblem(tx, command.problemId);
  if (!before) return refuse('not_found', `No problem ${command.problemId}`, 'problemId');
  if (command.type !== 'problem.confirm') {
    const stale = checkVersion(before, command.expectedVersion);
    if (stale) return stale;
  }
  if (before.status === 'closed')
    return refuse('conflict', `${before.number} is closed`, 'problemId');
  const p: Problem = { ...before, version: before.version + 1, updatedAt: at };
  switch (command.type) {
    case 'problem.update': {
      if (command.ticketIds) {
        const bad = await missing(tx, 'tickets', command.ticketIds, 'ticketIds');
        if (bad) return bad;
        p.ticketIds = [...new Set(command.ticketIds)];
      }
      if (command.knownErrorArticleId) {
        const bad = await missing(
          tx,
          'kb_articles',
          [command.knownErrorArticleId],
          'knownErrorArticleId',
        );
        if (bad) return bad;
      }
      if (command.organisationId) {
        const bad = await missing(tx, 'organisations', [command.organisationId], 'organisationId');
        if (bad) return bad;
      }
      if (command.contactId) {
        const bad = await missing(tx, 'contacts', [command.contactId], 'contactId');
        if (bad) return bad;
      }
      if (command.title !== undefined) p.title = command.title;
      if (command.description !== undefined) p.description = command.description;
      if (command.whys !== undefined) p.whys = command.whys.filter((w) => w.length > 0);
      if (command.organisationId !== undefined) p.organisationId = command.organisationId;
      if (command.contactId !== undefined) p.contactId = command.contactId;
      if (command.knownErrorArticleId !== undefined)
        p.knownErrorArticleId = command.knownErrorArticleId;
      if (command.rootCause !== undefined && command.rootCause !== (before.rootCause ?? '')) {
        if (command.rootCause === '') {
          if (before.confirmation)
            return refuse('conflict', 'The customer confirmed this root cause', 'rootCause');
          p.rootCause = null;
          p.rootCauseAt = null;
          p.rootCauseBy = null;
          p.status = 'open';
        } else {
          p.rootCause = command.rootCause;
          p.rootCauseAt = at;
          p.rootCauseBy = actor.id;
          p.status = 'known_error';
        }
      }
      return { ok: true, type: 'problem.updated', problem: p };
    }
    case 'problem.action.save': {
      const bad = await missing(tx, 'users', [command.ownerId], 'ownerId');
      if (bad) return bad;
      const fields = {
        title: command.title,
        ownerId: command.ownerId,
        dueAt: command.dueAt,
        status: command.status,
        updatedAt: at,
        updatedBy: actor.id,
      };
      if (command.actionId) {
        const old = before.actions.find((a) => a.id === command.actionId);
        if (!old) return refuse('not_found', `No action ${command.actionId}`, 'actionId');
        const doneAt = command.status === 'done' ? (old.doneAt ?? at) : null;
        p.actions = before.actions.map((a) =>
          a.id === old.id ? { ...old, ...fields, doneAt } : a,
        );
      } else {
        if (before.actions.length >= PROBLEM_LIMITS.actions)
          return refuse('invalid', `At most ${PROBLEM_LIMITS.actions} actions`, 'actionId');
        p.actions = [
          ...before.actions,
          { id: randomUUID(), ...fields, doneAt: command.status === 'done' ? at : null },
        ];
      }
      return { ok: true, type: 'problem.actionSaved', problem: p };
    }
    case 'problem.confirm': {
      if (before.confirmation)
        return refuse('conflict', `${before.number} is already confirmed`, 'problemId');
      if (!before.rootCause)
        return refuse('conflict', `${before.number} has no root cause yet`, 'problemId');
      if (isCustomerActor(actor)) {
        const scope = actor.customer;
        const mine = customerMaySeeProblem(scope, before);
        // A problem outside the customer's organisation is as good as absent to them.
        if (!mine) return refuse('not_found', `No problem ${command.problemId}`, 'problemId');
        p.confirmation = {
          at,
          by: actor.id,
          contactId: scope?.contactId ?? null,
          onBehalf: false,
          note: command.note,
        };
      } else {
        const contactId = command.contactId === undefined ? before.contactId : command.contactId;
        if (contactId) {
          const bad = await missing(tx, 'contacts', [contactId], 'contactId');
          if (bad) return bad;
        }
        p.confirmation = { at, by: actor.id, contactId, onBehalf: true, note: command.note };
      }
      return { ok: true, type: 'problem.confirmed', problem: p };
    }
    case 'problem.close': {
      const why = closeRefusal(before);
      const messages = {
        closed: `${before.number} is closed`,
        no_root_cause: `${before.number} has no root cause yet`,
        actions_open: `${before.number} has corrective actions not done`,
        not_confirmed: `${before.number} waits for the customer's confirmation`,
      } as const;
      if (why) return refuse('conflict', messages[why], 'status');
      p.status = 'closed';
      p.closedAt = at;
      p.closedBy = actor.id;
      return { ok: true, type: 'problem.closed', problem: p };
    }
    case 'problem.report': {
      const tickets = await readTicketsByIds(tx, before.ticketIds);
      const p1 = [...tickets.values()]
        .filter((t) => t.priority === 'P1' && t.resolvedAt)
        .sort((a, b) => Date.parse(a.resolvedAt ?? '') - Date.parse(b.resolvedAt ?? ''))[0];
      const sentTo = await mailFaultReport(ctx, tx, before, p1 ?? null, command, tickets);
      p.faultReport = {
        cause: command.cause,
        process: command.process,
        prevention: command.prevention,
        writtenAt: at,
        writtenBy: actor.id,
        ticketId: p1?.id ?? null,
        dueAt: p1?.resolvedAt
          ? new Date(Date.parse(p1.resolvedAt) + FAULT_REPORT_TARGET_MS).toISOString()
          : null,
        sentTo,
      };
      return { ok: true, type: 'problem.reported', problem: p };
    }
  }
}

/** The fault-analysis report to the technical contact (the problem's, else the P1 ticket's), in this transaction. */
async function mailFaultReport(
  ctx: AppContext,
  tx: Tx,
  p: Problem,
  p1: Ticket | null,
  report: { cause: string; process: string; prevention: string },
  tickets: Map<string, Ticket>,
): Promise<string | null> {
  const ticket = p1 ?? tickets.get(p.ticketIds[0] ?? '') ?? null;
  const contactId = p.contactId ?? ticket?.contactId ?? null;
  if (!contactId) return null;
  const contact = await readContactAddress(tx, contactId);
  if (!contact?.email) return null;
  try {
    const { enqueued } = await enqueueMail(tx, {
      dedupeKey: `problem:${p.id}:report:${p.version + 1}`,
      to: contact.email,
      template: 'problem.faultReport',
      locale: contact.language ?? DEFAULT_MAIL_LOCALE,
      now: ctx.clock.now(),
      params: {
        ticketId: ticket?.id ?? '',
        contactId: contact.id,
        ticketNumber: ticket?.number ?? p.number,
        contactName: contact.name,
        problemNumber: p.number,
        problemTitle: p.title,
        cause: report.cause,
        process: report.process,
        prevention: report.prevention,
      },
    });
    return enqueued ? contact.email : null;
  } catch (err) {
    // A contact's malformed address: the report is kept, the mail is not sent.
    ctx.log.warn({ err, problemId: p.id }, 'fault report mail not enqueued');
    return null;
  }
}

async function createProblem(
  tx: Tx,
  actor: Actor,
  command: Extract<ProblemCommand, { type: 'problem.create' }>,
  now: Date,
): Promise<Outcome> {
  const at = now.toISOString();
  const ticketIds = [...new Set(command.ticketIds)];
  let sourceTicket: Ticket | null = null;
  const { kind, ref } = command.source;
  if (kind === 'qa_finding') {
    if (!ref) return refuse('invalid', 'A QA finding names its QA item', 'source.ref');
    const bad = await missing(tx, 'qa_items', [ref], 'source.ref');
    if (bad) return bad;
  } else if (kind !== 'manual') {
    if (!ref) return refuse('invalid', `A ${kind} source names its ticket`, 'source.ref');
    sourceTicket = await lockTicket(tx, ref);
    if (!sourceTicket) return refuse('invalid', `No ticket ${ref}`, 'source.ref');
    const want = SOURCE_TICKET_KINDS[kind];
    if (want && sourceTicket.kind !== want)
      return refuse('invalid', `${sourceTicket.number} is not a ${want}`, 'source.ref');
    if (!ticketIds.includes(sourceTicket.id)) ticketIds.unshift(sourceTicket.id);
  }
  const bad =
    (await missing(tx, 'tickets', ticketIds, 'ticketIds')) ??
    (command.organisationId
      ? await missing(tx, 'organisations', [command.organisationId], 'organisationId')
      : null) ??
    (command.contactId ? await missing(tx, 'contacts', [command.contactId], 'contactId') : null);
  if (bad) return bad;
  const year = now.getUTCFullYear();
  const n = await nextCounter(tx, `problem:${year}`);
  const problem: Problem = {
    id: randomUUID(),
    number: number('PRB', year, n),
    version: 1,
    title: command.title,
    description: command.description,
    status: 'open',
    source: { kind, ref: ref ?? null },
    organisationId: command.organisationId ?? sourceTicket?.organisationId ?? null,
    contactId: command.contactId ?? sourceTicket?.contactId ?? null,
    ticketIds,
    whys: [],
    rootCause: null,
    rootCauseAt: null,
    rootCauseBy: null,
    rootCauseDueAt: new Date(now.getTime() + ROOT_CAUSE_TARGET_MS).toISOString(),
    escalatedAt: null,
    actions: [],
    knownErrorArticleId: null,
    confirmation: null,
    faultReport: null,
    createdAt: at,
    createdBy: actor.id,
    updatedAt: at,
    closedAt: null,
    closedBy: null,
  };
  return { ok: true, type: 'problem.raised', problem };
}

async function decideChange(
  ctx: AppContext,
  tx: Tx,
  actor: Actor,
  command: ChangeCommand,
  now: Date,
): Promise<Outcome> {
  const at = now.toISOString();
  if (command.type === 'change.create') {
    if (Date.parse(command.plannedEnd) <= Date.parse(command.plannedStart))
      return refuse('invalid', 'The planned window ends after it starts', 'plannedEnd');
    const ticketIds = [...new Set(command.ticketIds)];
    const bad = await missing(tx, 'tickets', ticketIds, 'ticketIds');
    if (bad) return bad;
    if (command.problemId) {
      const problem = await lockProblem(tx, command.problemId);
      if (!problem) return refuse('invalid', `No problem ${command.problemId}`, 'problemId');
    }
    const year = now.getUTCFullYear();
    const n = await nextCounter(tx, `change:${year}`);
    const change: ChangeRequest = {
      id: randomUUID(),
      number: number('CHG', year, n),
      version: 1,
      summary: command.summary,
      description: command.description,
      risk: command.risk,
      plannedStart: command.plannedStart,
      plannedEnd: command.plannedEnd,
      status: 'requested',
      problemId: command.problemId ?? null,
      ticketIds,
      decidedAt: null,
      decidedBy: null,
      decisionNote: null,
      doneAt: null,
      doneBy: null,
      resumedTicketIds: [],
      createdAt: at,
      createdBy: actor.id,
      updatedAt: at,
    };
    return { ok: true, type: 'change.requested', change };
  }
  const before = await lockChange(tx, command.changeId);
  if (!before) return refuse('not_found', `No change request ${command.changeId}`, 'changeId');
  const stale = checkVersion(before, command.expectedVersion);
  if (stale) return stale;
  const c: ChangeRequest = { ...before, version: before.version + 1, updatedAt: at };
  if (command.type === 'change.decide') {
    if (before.status !== 'requested')
      return refuse('conflict', `${before.number} is ${before.status}`, 'status');
    c.status = command.approved ? 'approved' : 'rejected';
    c.decidedAt = at;
    c.decidedBy = actor.id;
    c.decisionNote = command.note || null;
    return { ok: true, type: command.approved ? 'change.approved' : 'change.rejected', change: c };
  }
  if (before.status !== 'approved')
    return refuse(
      'conflict',
      `${before.number} is ${before.status}: a duty manager approves it first`,
      'status',
    );
  c.status = 'done';
  c.doneAt = at;
  c.doneBy = actor.id;
  // The tickets pending on a change leave pending: their own command, in this transaction.
  const resumed: StoredEvent[] = [];
  const resumedIds: string[] = [];
  for (const ticketId of before.ticketIds) {
    const ticket = await lockTicket(tx, ticketId);
    if (!ticket || ticket.status !== 'pending' || ticket.pendingReason !== 'change') continue;
    const result = await runTicketCommand(
      ctx,
      tx,
      actor,
      {
        type: 'ticket.resume',
        commandId: `${command.commandId}:resume:${ticketId}`,
        ticketId: asTicketId(ticketId),
        note: `${before.number} done${command.note ? `: ${command.note}` : ''}`,
      },
      { commitNow: false },
    );
    if (result.ack.ok) {
      resumedIds.push(ticketId);
      resumed.push(...result.events);
    } else {
      ctx.log.warn({ ticketId, code: result.ack.error.code }, 'change done: resume refused');
    }
  }
  c.resumedTicketIds = resumedIds;
  return { ok: true, type: 'change.done', change: c, before: resumed };
}
