import { toFieldErrors } from '@dutydesk/shared';
import { Router } from 'express';
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, denyDevices, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { readInstantParam } from '../../http/params';
import { Duty, DUTIES } from '../escalation';
import {
  insertAssignment,
  insertShifts,
  listAssignments,
  listExistingUsers,
  insertHandover,
  listHandovers,
  listShifts,
  readHandover,
  updateHandover,
  listTemplates,
  queryOnDuty,
  readShift,
  readTemplate,
  removeAssignment,
  saveTemplate,
  swapAssignments,
  type Shift,
} from './roster.repo';
import { buildHandover, buildShift } from './roster.service';

const DAY_MS = 86_400_000;
const instant = z.iso.datetime({ offset: true });
const templateSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]{1,40}$/),
    name: z.string().trim().min(1).max(100),
    kind: z.enum(['day', 'night', 'custom']),
    startTime: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/),
    durationMinutes: z.number().int().min(15).max(2880),
    timeZone: z.string().min(1).max(64).default('Asia/Shanghai'),
  })
  .strict();
const shiftSchema = z.union([
  z.object({ templateId: z.string().min(1), date: z.iso.date() }).strict(),
  z
    .object({
      id: z.string().min(1).max(100).optional(),
      name: z.string().trim().min(1).max(100),
      kind: z.enum(['day', 'night', 'custom']).default('custom'),
      startsAt: instant,
      endsAt: instant,
    })
    .strict(),
]);
const generateSchema = z
  .object({
    templateIds: z.array(z.string().min(1)).min(1).max(10),
    from: z.iso.date(),
    days: z.number().int().min(1).max(366),
  })
  .strict();
const assignmentSchema = z
  .object({
    shiftId: z.string().min(1),
    userId: z.string().min(1),
    duty: z.enum(DUTIES),
    coverFor: z.string().min(1).optional(),
    from: instant.optional(),
    to: instant.optional(),
  })
  .strict();
const noteSchema = z.object({ text: z.string().trim().min(1).max(4000) }).strict();
const ackHandoverSchema = z.object({}).strict();
const MAX_HANDOVER_NOTES = 100;
const swapSchema = z
  .object({ assignmentId: z.string().min(1), withAssignmentId: z.string().min(1) })
  .strict();

function parse<T>(schema: z.ZodType<T>, body: unknown): T {
  const r = schema.safeParse(body ?? {});
  if (!r.success) throw new HttpError('invalid', 'Invalid body', toFieldErrors(r.error.issues));
  return r.data;
}

/**
 * The duty roster over REST. Reads for every staff member; writes for duty managers and admins.
 * `GET /api/roster/on-duty?at=&duty=` is a query over the stored shifts and assignments.
 */
export function createRosterRouter(ctx: AppContext): Router {
  const r = Router();
  r.use('/roster', requireAuth(ctx), denyDevices);
  const manage = requireRole('duty_manager', 'admin');

  r.get('/roster/templates', async (_req, res) => {
    res.json({ templates: await listTemplates(ctx.database.db) });
  });
  r.put('/roster/templates/:id', manage, async (req, res) => {
    const t = parse(templateSchema, { ...(req.body as object), id: String(req.params.id) });
    await saveTemplate(ctx.database.db, t, ctx.clock.now());
    res.json(t);
  });

  r.get('/roster/shifts', async (req, res) => {
    const now = ctx.clock.now();
    const from = readInstantParam(req, 'from', new Date(now.getTime() - DAY_MS));
    const to = readInstantParam(req, 'to', new Date(now.getTime() + 7 * DAY_MS));
    const shifts = await listShifts(ctx.database.db, from, to);
    const assignments = await listAssignments(
      ctx.database.db,
      shifts.map((s) => s.id),
    );
    res.json({
      shifts: shifts.map((s) => ({
        ...s,
        assignments: assignments.filter((a) => a.shiftId === s.id),
      })),
    });
  });

  r.post('/roster/shifts', manage, async (req, res) => {
    const body = parse(shiftSchema, req.body);
    let shift: Shift;
    if ('templateId' in body) {
      const t = await readTemplate(ctx.database.db, body.templateId);
      if (!t)
        throw new HttpError('invalid', 'Unknown template', [
          { path: 'templateId', message: 'no such template' },
        ]);
      shift = buildShift(t, body.date);
    } else {
      if (Date.parse(body.endsAt) <= Date.parse(body.startsAt))
        throw new HttpError('invalid', 'endsAt must follow startsAt', [
          { path: 'endsAt', message: 'before startsAt' },
        ]);
      shift = {
        id: body.id ?? randomUUID(),
        templateId: null,
        name: body.name,
        kind: body.kind,
        startsAt: new Date(body.startsAt).toISOString(),
        endsAt: new Date(body.endsAt).toISOString(),
      };
    }
    await insertShifts(ctx.database.db, [shift], ctx.clock.now());
    res.status(201).json((await readShift(ctx.database.db, shift.id)) ?? shift);
  });

  r.post('/roster/shifts/generate', manage, async (req, res) => {
    const body = parse(generateSchema, req.body);
    const out: Shift[] = [];
    for (const id of body.templateIds) {
      const t = await readTemplate(ctx.database.db, id);
      if (!t)
        throw new HttpError('invalid', 'Unknown template', [
          { path: 'templateIds', message: `no template ${id}` },
        ]);
      const start = Date.parse(`${body.from}T00:00:00Z`);
      for (let d = 0; d < body.days; d += 1)
        out.push(buildShift(t, new Date(start + d * DAY_MS).toISOString().slice(0, 10)));
    }
    await insertShifts(ctx.database.db, out, ctx.clock.now());
    res.status(201).json({ shifts: out });
  });

  r.post('/roster/assignments', manage, async (req, res) => {
    const body = parse(assignmentSchema, req.body);
    if (!(await readShift(ctx.database.db, body.shiftId)))
      throw new HttpError('invalid', 'Unknown shift', [
        { path: 'shiftId', message: 'no such shift' },
      ]);
    const ids = [body.userId, ...(body.coverFor ? [body.coverFor] : [])];
    const known = await listExistingUsers(ctx.database.db, ids);
    const unknown = ids.filter((id) => !known.has(id));
    if (unknown.length > 0)
      throw new HttpError(
        'invalid',
        'Unknown user',
        unknown.map((u) => ({
          path: u === body.userId ? 'userId' : 'coverFor',
          message: `no user ${u}`,
        })),
      );
    const a = {
      id: randomUUID(),
      shiftId: body.shiftId,
      userId: body.userId,
      duty: body.duty,
      coverFor: body.coverFor ?? null,
      from: body.from ?? null,
      to: body.to ?? null,
    };
    await insertAssignment(ctx.database.db, a, authOf(res).user.id, ctx.clock.now());
    res.status(201).json(a);
  });

  r.delete('/roster/assignments/:id', manage, async (req, res) => {
    if (!(await removeAssignment(ctx.database.db, String(req.params.id), ctx.clock.now())))
      throw new HttpError('not_found', 'No such assignment');
    res.json({ removed: true });
  });

  r.post('/roster/swaps', manage, async (req, res) => {
    const body = parse(swapSchema, req.body);
    if (!(await swapAssignments(ctx.database.db, body.assignmentId, body.withAssignmentId)))
      throw new HttpError('not_found', 'No such assignment');
    res.json({ swapped: true });
  });

  r.get('/roster/on-duty', async (req, res) => {
    const at = readInstantParam(req, 'at', ctx.clock.now());
    const duty = typeof req.query.duty === 'string' ? req.query.duty : undefined;
    res.json({ at: at.toISOString(), onDuty: await queryOnDuty(ctx.database.db, at, duty) });
  });

  r.get('/roster/handovers', async (req, res) => {
    const limit = Math.min(Math.max(Number(req.query.limit ?? 10) || 10, 1), 100);
    res.json({ handovers: await listHandovers(ctx.database.db, limit) });
  });

  // One shift's report: the stored one, or (a duty-manager shift that has started, whose
  // report the job has not made yet) made and stored now, so it can be opened at any time.
  r.get('/roster/handovers/:shiftId', async (req, res) => {
    const shiftId = String(req.params.shiftId);
    const stored = await readHandover(ctx.database.db, shiftId);
    if (stored) return void res.json(stored);
    const shift = await readShift(ctx.database.db, shiftId);
    const now = ctx.clock.now();
    const managers = shift
      ? (await listAssignments(ctx.database.db, [shift.id])).filter(
          (a) => a.duty === Duty.dutyManager,
        )
      : [];
    if (!shift || managers.length === 0 || Date.parse(shift.startsAt) > now.getTime())
      throw new HttpError('not_found', 'No handover report for this shift');
    const report = await buildHandover(ctx, shift, now);
    await ctx.database.db.transaction((tx) => insertHandover(tx, shift.id, report, now));
    res.json((await readHandover(ctx.database.db, shiftId)) ?? report);
  });

  r.post('/roster/handovers/:shiftId/notes', manage, async (req, res) => {
    const body = parse(noteSchema, req.body);
    const user = authOf(res).user;
    const at = ctx.clock.now().toISOString();
    let full = false;
    const report = await updateHandover(ctx.database.db, String(req.params.shiftId), (r0) => {
      const notes = Array.isArray(r0.notes) ? (r0.notes as unknown[]) : [];
      if (notes.length >= MAX_HANDOVER_NOTES) {
        full = true;
        return null;
      }
      const note = { at, by: user.id, byName: user.displayName, text: body.text };
      return { ...r0, notes: [...notes, note] };
    });
    if (!report) throw new HttpError('not_found', 'No handover report for this shift');
    if (full) throw new HttpError('conflict', `At most ${MAX_HANDOVER_NOTES} notes`);
    res.status(201).json(report);
  });

  r.post('/roster/handovers/:shiftId/ack', manage, async (req, res) => {
    parse(ackHandoverSchema, req.body);
    const user = authOf(res).user;
    const at = ctx.clock.now().toISOString();
    const report = await updateHandover(ctx.database.db, String(req.params.shiftId), (r0) =>
      r0.acknowledgement
        ? null
        : { ...r0, acknowledgement: { at, by: user.id, byName: user.displayName } },
    );
    if (!report) throw new HttpError('not_found', 'No handover report for this shift');
    res.json(report);
  });

  return r;
}
