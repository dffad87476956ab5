import { OPEN_STATUSES } from '@dutydesk/shared';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth } from '../../http/auth';
import { HttpError, statusForError } from '../../http/errors';
import { readEventsAfter } from '../events/events.repo';
import { executeCommand } from './tickets.commands';
import { listTickets, readTicket } from './tickets.repo';
import { actorFromUser } from './actor';

function listParam(req: Request, name: string, allowed?: readonly string[]): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  const list = (Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => String(v).split(','))
    .filter(Boolean);
  if (allowed) {
    const bad = list.filter((v) => !allowed.includes(v));
    if (bad.length)
      throw new HttpError('invalid', `Unknown ${name}: ${bad.join(', ')}`, [
        { path: name, message: `one of ${allowed.join(', ')}` },
      ]);
  }
  return list;
}

function intParam(req: Request, name: string, fallback: number, min: number, max: number): number {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) {
    throw new HttpError('invalid', `${name} must be a whole number from ${min} to ${max}`, [
      { path: name, message: 'out of range' },
    ]);
  }
  return n;
}

const STATUSES = [...OPEN_STATUSES, 'resolved', 'follow_up', 'closed'];

/** `POST /api/commands`, `GET /api/tickets`, `GET /api/tickets/:id`, `GET /api/events`. */
export function createTicketsRouter(ctx: AppContext): Router {
  const r = Router();
  const auth = requireAuth(ctx);
  const db = ctx.database.db;

  r.post('/commands', auth, async (req, res) => {
    // In-flight tracking for a graceful stop is the HTTP middleware's (server.ts), per request.
    const ack = await executeCommand(ctx, actorFromUser(authOf(res).user), req.body);
    res.status(ack.ok ? 200 : statusForError(ack.error)).json(ack);
  });

  r.get('/tickets', auth, async (req, res) => {
    const open = req.query.open === undefined ? undefined : req.query.open === 'true';
    const tickets = await listTickets(db, {
      status: listParam(req, 'status', [...new Set(STATUSES)]),
      priority: listParam(req, 'priority', ['P1', 'P2', 'P3']),
      groupId: listParam(req, 'groupId'),
      assigneeId: typeof req.query.assigneeId === 'string' ? req.query.assigneeId : undefined,
      open,
      limit: intParam(req, 'limit', 1000, 1, 10_000),
    });
    res.json({ tickets });
  });

  r.get('/tickets/:id', auth, async (req, res) => {
    const ticket = await readTicket(db, String(req.params.id));
    if (!ticket) throw new HttpError('not_found', `No ticket ${String(req.params.id)}`);
    res.json(ticket);
  });

  r.get('/events', auth, async (req, res) => {
    const after = intParam(req, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(req, 'limit', 1000, 1, 5000);
    res.json({ events: await readEventsAfter(db, after, limit) });
  });
  return r;
}
