import { OPEN_STATUSES, TIMELINE_LOGS, type TimelineLog } from '@dutydesk/shared';
import { Router, type Request, type Response } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError, statusForError } from '../../http/errors';
import { readEventsAfter } from '../events';
import { executeCommand } from '../../commands';
import { findTicketByNumber, listTickets, readTicket } from './tickets.repo';
import { actorFromUser } from './actor';
import { PAGE_MAX_BYTES, cutPage } from '../../realtime/paging';
import { readKeysOf, readRefused } from '../../realtime/readGate';
import { viewEventsFromDb, viewTicket, viewTickets, type Viewer } from '../../realtime/visibility';
import { pageTimeline, trimTimeline } from './timeline';

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

function viewerOf(res: Response): Viewer {
  return authOf(res).user;
}

/** A slot of the read gate for this request's session, or a 429 with `Retry-After`. */
function enterRead(ctx: AppContext, res: Response): () => void {
  const auth = authOf(res);
  const release = ctx.readGate.tryEnter(...readKeysOf(auth));
  if (release) return release;
  const refused = readRefused();
  throw new HttpError('rate_limited', refused.message, undefined, {
    'Retry-After': String(Math.ceil(refused.retryAfterMs / 1000)),
  });
}

/** A ticket number from a query or path: 1–32 letters, digits and dashes, else a 400. */
function numberParam(raw: unknown): string | undefined {
  if (raw === undefined || raw === '') return undefined;
  const value = typeof raw === 'string' ? raw.trim() : '';
  if (!/^[A-Za-z0-9-]{1,32}$/.test(value)) {
    throw new HttpError('invalid', 'number must be a ticket number such as INC-2026-000123', [
      { path: 'number', message: 'not a ticket number' },
    ]);
  }
  return value;
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
      number: numberParam(req.query.number),
      open,
      limit: intParam(req, 'limit', 1000, 1, 10_000),
    });
    const keep = ctx.config.timelineCarried;
    res.json({ tickets: viewTickets(viewerOf(res), tickets).map((t) => trimTimeline(t, keep)) });
  });

  // Any ticket by its number, open or closed, also by a number it had before a change of kind.
  r.get(
    '/tickets/by-number/:number',
    auth,
    requireRole('agent', 'engineer', 'duty_manager', 'admin'),
    async (req, res) => {
      const number = numberParam(req.params.number);
      if (number === undefined) throw new HttpError('invalid', 'Give a ticket number');
      const ticket = await findTicketByNumber(db, number);
      if (!ticket) throw new HttpError('not_found', `No ticket ${number}`);
      res.json(ticket);
    },
  );

  r.get('/tickets/:id', auth, async (req, res) => {
    const ticket = await readTicket(db, String(req.params.id));
    if (!ticket) throw new HttpError('not_found', `No ticket ${String(req.params.id)}`);
    res.json(viewTicket(viewerOf(res), ticket));
  });

  r.get('/tickets/:id/timeline', auth, async (req, res) => {
    const log = listParam(req, 'log', TIMELINE_LOGS)?.[0] ?? 'comments';
    const before = req.query.before === undefined ? undefined : intParam(req, 'before', 0, 0, 1e9);
    const limit = intParam(req, 'limit', 100, 1, 500);
    const release = enterRead(ctx, res);
    try {
      const ticket = await readTicket(db, String(req.params.id));
      if (!ticket) throw new HttpError('not_found', `No ticket ${String(req.params.id)}`);
      res.json(pageTimeline(viewTicket(viewerOf(res), ticket), log as TimelineLog, before, limit));
    } finally {
      release();
    }
  });

  r.get('/events', auth, async (req, res) => {
    const after = intParam(req, 'after', 0, 0, Number.MAX_SAFE_INTEGER);
    const limit = intParam(req, 'limit', 1000, 1, 5000);
    const release = enterRead(ctx, res);
    try {
      const read = await readEventsAfter(db, after, limit);
      const page = cutPage(read, PAGE_MAX_BYTES);
      const more = page.cut || read.length === limit;
      const last = page.events[page.events.length - 1]?.seq ?? after;
      res.json({
        events: await viewEventsFromDb(db, viewerOf(res), page.events),
        more,
        next: more ? last : null,
      });
    } finally {
      release();
    }
  });
  return r;
}
