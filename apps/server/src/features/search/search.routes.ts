import { searchQuerySchema, toInvalidError } from '@dutydesk/shared';
import { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { readInstantParam } from '../../http/params';
import { enterReadSlot } from '../../http/readSlot';
import type { SearchProjector } from './projector';
import { runSearch } from './search.service';
import { parseQuery } from './terms';

/** A list parameter: comma-separated and/or repeated; absent or empty → undefined. */
function listParam(req: Request, name: string): string[] | undefined {
  const raw = req.query[name];
  if (raw === undefined || raw === '') return undefined;
  return (Array.isArray(raw) ? raw : [raw])
    .flatMap((v) => (typeof v === 'string' ? v.split(',') : ['']))
    .map((v) => v.trim())
    .filter(Boolean);
}

const KNOWN = new Set([
  'q',
  'kind',
  'status',
  'priority',
  'groupId',
  'organisationId',
  'from',
  'to',
  'limit',
]);

/** `GET /api/search?q=&kind=&status=&priority=&groupId=&from=&to=&limit=` (decision 32). */
export function createSearchRouter(ctx: AppContext, projector: SearchProjector): Router {
  const r = Router();
  r.get(
    '/search',
    requireAuth(ctx),
    requireRole('agent', 'engineer', 'duty_manager', 'admin', 'wallboard'),
    async (req, res) => {
      const unknown = Object.keys(req.query).filter((k) => !KNOWN.has(k));
      if (unknown.length > 0) {
        throw new HttpError(
          'invalid',
          `Unknown search parameter: ${unknown.join(', ')}`,
          unknown.map((k) => ({ path: k, message: `not one of ${[...KNOWN].join(', ')}` })),
        );
      }
      const parsed = searchQuerySchema.safeParse({
        q: req.query.q,
        kind: listParam(req, 'kind'),
        status: listParam(req, 'status'),
        priority: listParam(req, 'priority'),
        groupId: listParam(req, 'groupId'),
        organisationId: listParam(req, 'organisationId'),
        limit: req.query.limit,
      });
      if (!parsed.success) {
        const error = toInvalidError('search', parsed.error.issues);
        throw new HttpError('invalid', error.message, error.fields);
      }
      const from = req.query.from === undefined ? undefined : readInstantParam(req, 'from');
      const to = req.query.to === undefined ? undefined : readInstantParam(req, 'to');
      const query = parseQuery(parsed.data.q);
      if (query.parts.length === 0) {
        throw new HttpError('invalid', 'q has no letters or digits to search for', [
          { path: 'q', message: 'no letters or digits' },
        ]);
      }
      const release = enterReadSlot(ctx, res);
      try {
        const answer = await runSearch(ctx.database.db, projector, authOf(res).user, {
          query,
          kinds: parsed.data.kind,
          tickets: {
            status: parsed.data.status,
            priority: parsed.data.priority,
            groupId: parsed.data.groupId,
            organisationId: parsed.data.organisationId,
            from,
            to,
          },
          limit: parsed.data.limit,
        });
        res.json(answer);
      } finally {
        release();
      }
    },
  );
  return r;
}
