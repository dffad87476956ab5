import { canActOnTicket, isUnscoped, type Actor, type Ticket } from '@dutydesk/shared';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, denyDevices, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { toPublicUser } from '../auth';
import type { EscalationEngine } from '../escalation';
import { findStep } from '../escalation';
import { listAlerts, readTicketsByIds } from '../escalation';
import { DEFAULT_MAIL_LOCALE, enqueueMail, readTicketContact } from '../mail';
import { actorFromUser } from '../tickets';
import { executeCommand } from '../../commands';
import {
  claimOverdueRootCauses,
  listMajors,
  lockMajor,
  readMajor,
  saveMajor,
  type MajorIncident,
} from './major.repo';

/** The root-cause report of a closed major incident is due this long after closure. */
export const ROOT_CAUSE_DUE_MS = 48 * 3_600_000;
/** The SLA targets only a major incident has: its announcement, update and restore clocks. */
const CADENCE_TARGETS: ReadonlySet<string> = new Set(['announce', 'update', 'restore']);

const declareSchema = z
  .object({
    childTicketIds: z.array(z.string().min(1).max(64)).max(500).default([]),
    note: z.string().trim().max(2000).optional(),
  })
  .strict();
const announceSchema = z
  .object({
    kind: z.enum(['announcement', 'update', 'restored']),
    text: z.string().trim().min(1).max(20_000),
  })
  .strict();
const closeSchema = z.object({ summary: z.string().trim().min(1).max(20_000) }).strict();
const linkSchema = z
  .object({ childTicketIds: z.array(z.string().min(1).max(64)).min(1).max(500) })
  .strict();

async function runCommand(
  ctx: AppContext,
  actor: Actor,
  body: Record<string, unknown>,
): Promise<Ticket | undefined> {
  const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...body });
  if (!ack.ok) throw new HttpError(ack.error.code, ack.error.message, ack.error.fields);
  return ack.ticket;
}

/** Marks a milestone reached (both sign-offs, the customer's on their behalf): meets `announce` / `restore`. */
async function reachMilestone(
  ctx: AppContext,
  actor: Actor,
  ticket: Ticket,
  title: string,
): Promise<void> {
  let t = ticket;
  let m = t.milestones.find((x) => x.title === title);
  if (!m) {
    t =
      (await runCommand(ctx, actor, { type: 'ticket.milestone.add', ticketId: t.id, title })) ?? t;
    m = t.milestones.find((x) => x.title === title);
  }
  if (!m) return;
  for (const side of ['lead', 'customer'] as const) {
    const done = side === 'lead' ? m.leadConfirmation : m.customerConfirmation;
    if (!done)
      await runCommand(ctx, actor, {
        type: 'ticket.milestone.confirm',
        ticketId: t.id,
        milestoneId: m.id,
        side,
      });
  }
}

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success)
    throw new HttpError(
      'invalid',
      'Invalid body',
      r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  return r.data;
}

/**
 * The parent's post on each open child (a closed child is left as it is), decision 49: as a
 * staff (internal) comment, so the child's workers read it on their ticket and the mail
 * feature's public-comment rule sends nothing per child. The children's customers hear the post
 * once each instead: one update mail per distinct contact of the open children, about their own
 * ticket, unless that contact is the parent's (the parent's public comment already mails them).
 */
async function followOnChildren(
  ctx: AppContext,
  actor: Actor,
  parent: Ticket | null,
  childIds: readonly string[],
  post: { kind: string; text: string; at: string },
): Promise<void> {
  if (childIds.length === 0) return;
  const children = await readTicketsByIds(ctx.database.db, [...childIds]);
  const told = new Set<string>(parent?.contactId ? [parent.contactId] : []);
  for (const id of childIds) {
    const child = children.get(id);
    if (!child || child.status === 'closed') continue;
    const ack = await executeCommand(ctx, actor, {
      commandId: randomUUID(),
      type: 'ticket.comment',
      ticketId: id,
      body: post.text,
      internal: true,
    });
    if (!ack.ok) ctx.log.warn({ ticketId: id, code: ack.error.code }, 'child update refused');
    if (!child.contactId || told.has(child.contactId)) continue;
    told.add(child.contactId);
    const contact = await readTicketContact(ctx.database.db, id);
    if (!contact?.email) continue;
    try {
      await enqueueMail(ctx, {
        dedupeKey: `major:${parent?.id ?? ''}:${post.at}:${post.kind}:${contact.contactId}`,
        to: contact.email,
        template: 'ticket.update',
        locale: contact.language ?? DEFAULT_MAIL_LOCALE,
        params: {
          ticketId: contact.ticketId,
          contactId: contact.contactId,
          ticketNumber: contact.number,
          ticketTitle: contact.title,
          contactName: contact.name,
          body: post.text,
        },
      });
    } catch (err) {
      // A contact's malformed address: that mail only, never the post.
      ctx.log.warn({ err, ticketId: id }, 'major-incident update mail not enqueued');
    }
  }
}

/**
 * Closing acknowledges what the incident still has open: the declaration's alert and the
 * cadence clocks' (announce / update / restore) alerts of the parent, as the closing duty
 * manager, through the command bus (so every seat drops the prompts).
 */
async function acknowledgeIncidentAlerts(
  ctx: AppContext,
  actor: Actor,
  ticketId: string,
): Promise<void> {
  const open = await listAlerts(ctx.database.db, { open: true, ticketId, limit: 500 });
  for (const alert of open) {
    const target = typeof alert.data.target === 'string' ? alert.data.target : '';
    if (!alert.kind.startsWith('major.') && !CADENCE_TARGETS.has(target)) continue;
    const ack = await executeCommand(ctx, actor, {
      commandId: randomUUID(),
      type: 'alert.ack',
      alertId: alert.id,
    });
    if (!ack.ok) ctx.log.warn({ alertId: alert.id, code: ack.error.code }, 'close ack refused');
  }
}

/**
 * After closing: the ticket moves on. Its major-incident flag is cleared (its announce /
 * update / restore clocks stop, the markers go) and, when it is being worked, it is resolved
 * with the closing summary. A step the ticket's state refuses is logged and skipped.
 */
async function moveOnAfterClose(
  ctx: AppContext,
  actor: Actor,
  ticketId: string,
  summary: string,
): Promise<void> {
  const ticket = (await readTicketsByIds(ctx.database.db, [ticketId])).get(ticketId);
  if (!ticket) return;
  const steps: Array<Record<string, unknown>> = [];
  if (ticket.majorIncident)
    steps.push({
      type: 'ticket.classify',
      ticketId,
      category: ticket.category ?? 'major-incident',
      majorIncident: false,
    });
  if (ticket.status === 'in_progress')
    steps.push({ type: 'ticket.resolve', ticketId, code: 'major-incident', summary });
  for (const step of steps) {
    const ack = await executeCommand(ctx, actor, { commandId: randomUUID(), ...step });
    if (!ack.ok)
      ctx.log.warn({ ticketId, type: step.type, code: ack.error.code }, 'close step refused');
  }
}

/**
 * Major incidents over REST (duty managers and admins): declare on a ticket (sets the ticket's
 * `majorIncident` through `ticket.classify`, links children, alerts the service director),
 * announce / update / restored (a public comment on the ticket; the first announcement and the
 * restoration meet the `announce` / `restore` clocks), close (opens a root-cause task due in
 * 48 h) and record the root cause. The clocks themselves are SLA targets of the ticket and
 * escalate through the `major` policy.
 */
export function createMajorRouter(ctx: AppContext, engine: () => EscalationEngine): Router {
  const r = Router();
  r.use('/major-incidents', requireAuth(ctx), denyDevices);

  r.get('/major-incidents', async (req, res) => {
    const status = typeof req.query.status === 'string' ? req.query.status : undefined;
    res.json({ majorIncidents: await listMajors(ctx.database.db, status) });
  });

  r.get('/major-incidents/:ticketId', async (req, res) => {
    const m = await readMajor(ctx.database.db, String(req.params.ticketId));
    if (!m) throw new HttpError('not_found', 'No such major incident');
    res.json(m);
  });

  r.post('/major-incidents/:ticketId', requireRole('duty_manager', 'admin'), async (req, res) => {
    const body = parse(declareSchema, req.body);
    const auth = authOf(res);
    const actor = actorFromUser(toPublicUser(auth.user));
    const id = String(req.params.ticketId);
    const tickets = await readTicketsByIds(ctx.database.db, [id, ...body.childTicketIds]);
    const ticket = tickets.get(id);
    if (!ticket) throw new HttpError('not_found', `No ticket ${id}`);
    const missing = body.childTicketIds.filter((c) => !tickets.has(c));
    if (missing.length > 0)
      throw new HttpError(
        'invalid',
        'Unknown child tickets',
        missing.map((m) => ({ path: 'childTicketIds', message: `no ticket ${m}` })),
      );
    if (await readMajor(ctx.database.db, id))
      throw new HttpError('conflict', 'Already a major incident');
    const updated =
      (await runCommand(ctx, actor, {
        type: 'ticket.classify',
        ticketId: id,
        category: ticket.category ?? 'major-incident',
        majorIncident: true,
      })) ?? ticket;
    const now = ctx.clock.now();
    const major: MajorIncident = {
      ticketId: id,
      status: 'open',
      declaredAt: now.toISOString(),
      declaredBy: actor.id,
      childTicketIds: body.childTicketIds,
      timeline: [
        {
          at: now.toISOString(),
          by: actor.id,
          kind: 'declared',
          text: body.note ?? `${ticket.number} declared a major incident`,
        },
      ],
      closedAt: null,
      rootCause: null,
    };
    await ctx.database.db.transaction((tx) => saveMajor(tx, major));
    const levels = findStep(await engine().readPolicies(), 'major/declared')?.levels ?? [
      { notify: 'service_director' as const, ackMinutes: null },
    ];
    await engine().raise([
      {
        ticket: updated,
        stepKey: 'major/declared',
        kind: 'major.declared',
        severity: 'critical',
        message: `Major incident declared: ${updated.number} ${updated.title}`,
        levels,
        data: { childTicketIds: body.childTicketIds },
      },
    ]);
    res.status(201).json({ ...major, ticket: updated });
  });

  r.post(
    '/major-incidents/:ticketId/announcements',
    requireRole('duty_manager', 'admin'),
    async (req, res) => {
      const body = parse(announceSchema, req.body);
      const actor = actorFromUser(toPublicUser(authOf(res).user));
      const id = String(req.params.ticketId);
      const existing = await readMajor(ctx.database.db, id);
      if (!existing || existing.status !== 'open')
        throw new HttpError('not_found', 'No open major incident');
      const ticket = await runCommand(ctx, actor, {
        type: 'ticket.comment',
        ticketId: id,
        body: body.text,
        internal: false,
      });
      if (ticket && body.kind === 'announcement')
        await reachMilestone(ctx, actor, ticket, 'announce');
      if (ticket && body.kind === 'restored') await reachMilestone(ctx, actor, ticket, 'restore');
      // The children follow the parent: the same words on each open child (decision 49).
      const now = ctx.clock.now();
      await followOnChildren(ctx, actor, ticket ?? null, existing.childTicketIds, {
        kind: body.kind,
        text: body.text,
        at: now.toISOString(),
      });
      const major = await ctx.database.db.transaction(async (tx) => {
        const m = await lockMajor(tx, id);
        if (!m) return null;
        m.timeline = [
          ...m.timeline,
          { at: now.toISOString(), by: actor.id, kind: body.kind, text: body.text },
        ];
        await saveMajor(tx, m);
        return m;
      });
      res.status(201).json(major);
    },
  );

  r.post(
    '/major-incidents/:ticketId/close',
    requireRole('duty_manager', 'admin'),
    async (req, res) => {
      const body = parse(closeSchema, req.body);
      const actor = actorFromUser(toPublicUser(authOf(res).user));
      const id = String(req.params.ticketId);
      const now = ctx.clock.now();
      const major = await ctx.database.db.transaction(async (tx) => {
        const m = await lockMajor(tx, id);
        if (!m || m.status !== 'open') return null;
        m.status = 'closed';
        m.closedAt = now.toISOString();
        m.rootCause = {
          dueAt: new Date(now.getTime() + ROOT_CAUSE_DUE_MS).toISOString(),
          doneAt: null,
          summary: null,
        };
        m.timeline = [
          ...m.timeline,
          { at: now.toISOString(), by: actor.id, kind: 'closed', text: body.summary },
        ];
        await saveMajor(tx, m);
        return m;
      });
      if (!major) throw new HttpError('not_found', 'No open major incident');
      await acknowledgeIncidentAlerts(ctx, actor, id);
      await moveOnAfterClose(ctx, actor, id, body.summary);
      const tickets = await readTicketsByIds(ctx.database.db, [id]);
      await engine().raise([
        {
          ticket: tickets.get(id) ?? null,
          stepKey: 'major/root-cause-task',
          kind: 'major.rootCauseTask',
          severity: 'info',
          message: `Root-cause report for ${tickets.get(id)?.number ?? id} due by ${major.rootCause?.dueAt ?? ''}`,
          levels: [{ notify: 'duty_manager', ackMinutes: null }],
          recipientIds: [actor.id],
          data: { dueAt: major.rootCause?.dueAt },
        },
      ]);
      res.json(major);
    },
  );

  r.post(
    '/major-incidents/:ticketId/children',
    requireRole('duty_manager', 'admin'),
    async (req, res) => {
      const body = parse(linkSchema, req.body);
      const actor = actorFromUser(toPublicUser(authOf(res).user));
      const id = String(req.params.ticketId);
      if (body.childTicketIds.includes(id))
        throw new HttpError('invalid', 'A major incident is not its own child', [
          { path: 'childTicketIds', message: 'the parent itself' },
        ]);
      const found = await readTicketsByIds(ctx.database.db, body.childTicketIds);
      const missing = body.childTicketIds.filter((c) => !found.has(c));
      if (missing.length > 0)
        throw new HttpError(
          'invalid',
          'Unknown child tickets',
          missing.map((m) => ({ path: 'childTicketIds', message: `no ticket ${m}` })),
        );
      const now = ctx.clock.now();
      const major = await ctx.database.db.transaction(async (tx) => {
        const m = await lockMajor(tx, id);
        if (!m || m.status !== 'open') return null;
        const added = body.childTicketIds.filter((c) => !m.childTicketIds.includes(c));
        if (added.length === 0) return m;
        m.childTicketIds = [...m.childTicketIds, ...added];
        m.timeline = [
          ...m.timeline,
          {
            at: now.toISOString(),
            by: actor.id,
            kind: 'linked',
            text: added.map((c) => found.get(c)?.number ?? c).join(', '),
          },
        ];
        await saveMajor(tx, m);
        return m;
      });
      if (!major) throw new HttpError('not_found', 'No open major incident');
      res.json(major);
    },
  );

  r.delete(
    '/major-incidents/:ticketId/children/:childId',
    requireRole('duty_manager', 'admin'),
    async (req, res) => {
      const actor = actorFromUser(toPublicUser(authOf(res).user));
      const id = String(req.params.ticketId);
      const childId = String(req.params.childId);
      const child = (await readTicketsByIds(ctx.database.db, [childId])).get(childId);
      const now = ctx.clock.now();
      const major = await ctx.database.db.transaction(async (tx) => {
        const m = await lockMajor(tx, id);
        if (!m || m.status !== 'open' || !m.childTicketIds.includes(childId)) return null;
        m.childTicketIds = m.childTicketIds.filter((c) => c !== childId);
        m.timeline = [
          ...m.timeline,
          { at: now.toISOString(), by: actor.id, kind: 'unlinked', text: child?.number ?? childId },
        ];
        await saveMajor(tx, m);
        return m;
      });
      if (!major) throw new HttpError('not_found', 'No such child of an open major incident');
      res.json(major);
    },
  );

  r.post(
    '/major-incidents/:ticketId/root-cause',
    requireRole('duty_manager', 'admin', 'engineer'),
    async (req, res) => {
      const body = parse(closeSchema, req.body);
      const actor = authOf(res).user;
      const now = ctx.clock.now();
      const ticketId = String(req.params.ticketId);
      const who = actorFromUser(toPublicUser(actor));
      if (!isUnscoped(who)) {
        // An engineer records the root cause of an incident their group works, once; a
        // recorded one is changed only by a duty manager or an admin.
        const ticket = (await readTicketsByIds(ctx.database.db, [ticketId])).get(ticketId);
        if (ticket && !canActOnTicket(who, ticket)) {
          throw new HttpError('forbidden', `ticket ${ticket.number} is outside your groups`);
        }
      }
      const major = await ctx.database.db.transaction(async (tx) => {
        const m = await lockMajor(tx, ticketId);
        if (!m?.rootCause) return null;
        if (m.rootCause.doneAt !== null && !isUnscoped(who)) {
          throw new HttpError(
            'forbidden',
            'The root cause is recorded; a duty manager or an admin may change it',
          );
        }
        m.rootCause = { ...m.rootCause, doneAt: now.toISOString(), summary: body.summary };
        m.timeline = [
          ...m.timeline,
          { at: now.toISOString(), by: actor.id, kind: 'root_cause', text: body.summary },
        ];
        await saveMajor(tx, m);
        return m;
      });
      if (!major) throw new HttpError('not_found', 'No closed major incident');
      res.json(major);
    },
  );

  return r;
}

/** The job that escalates root-cause reports not recorded within 48 h of closure. */
export function createRootCauseJob(
  ctx: AppContext,
  engine: EscalationEngine,
): (now: Date) => Promise<void> {
  return async (now) => {
    const ids = await ctx.database.db.transaction((tx) => claimOverdueRootCauses(tx, now));
    if (ids.length === 0) return;
    const tickets = await readTicketsByIds(ctx.database.db, ids);
    const levels = findStep(await engine.readPolicies(), 'major/root-cause-overdue')?.levels ?? [
      { notify: 'duty_manager' as const, ackMinutes: null },
    ];
    await engine.raise(
      ids.map((id) => ({
        ticket: tickets.get(id) ?? null,
        stepKey: 'major/root-cause-overdue',
        kind: 'major.rootCauseOverdue',
        severity: 'warning' as const,
        message: `Root-cause report for ${tickets.get(id)?.number ?? id} is overdue`,
        levels,
      })),
    );
  };
}
