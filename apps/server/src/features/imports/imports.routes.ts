import express, { Router, type Request } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { actorFromUser } from '../tickets';
import { readImportJob } from './imports.repo';
import type { ImportService } from './imports.service';
import { IMPORT_COLUMNS, unknownColumns, type ImportFormat } from './parse';

/** The largest upload (40 000 tickets of a few hundred characters are about 12 MB). */
export const IMPORT_BODY_LIMIT = '64mb';
export const CSV_TYPES = ['text/csv'];
export const JSONL_TYPES = ['application/x-ndjson', 'application/jsonl', 'application/json-lines'];

export const importJobParamsSchema = z.object({ id: z.uuid() });

function formatOf(req: Request): ImportFormat | null {
  if (req.is(CSV_TYPES)) return 'csv';
  if (req.is(JSONL_TYPES)) return 'jsonl';
  return null;
}

/**
 * `POST /api/import/tickets` (admins): CSV or JSON lines of closed tickets → 202 { jobId };
 * `GET /api/import/jobs/:id` (admins): its progress. Mounted before the API's JSON parser: the
 * upload is read here as text up to {@link IMPORT_BODY_LIMIT}.
 */
export function createImportsRouter(ctx: AppContext, service: () => ImportService): Router {
  const router = Router();
  const text = express.text({ type: [...CSV_TYPES, ...JSONL_TYPES], limit: IMPORT_BODY_LIMIT });
  router.post(
    '/tickets',
    requireAuth(ctx),
    requireRole('admin'),
    (req, _res, next) => {
      if (formatOf(req)) next();
      else
        next(
          new HttpError(
            'invalid',
            'Send text/csv (a header row) or application/x-ndjson (one JSON object per line)',
            [{ path: 'content-type', message: 'expected text/csv or application/x-ndjson' }],
            undefined,
            415,
          ),
        );
    },
    text,
    async (req, res) => {
      const format = formatOf(req) as ImportFormat;
      const body = typeof req.body === 'string' ? req.body : '';
      if (body.trim() === '')
        throw new HttpError('invalid', 'The upload is empty', [{ path: '', message: 'no rows' }]);
      const unknown = unknownColumns(body, format);
      if (unknown.length > 0)
        throw new HttpError(
          'invalid',
          `Unknown column${unknown.length > 1 ? 's' : ''}: ${unknown.join(', ')} (known: ${IMPORT_COLUMNS.join(', ')})`,
          unknown.map((c) => ({ path: c, message: 'unknown column' })),
        );
      const jobId = await service().start(actorFromUser(authOf(res).user), body, format);
      res.status(202).location(`/api/import/jobs/${jobId}`).json({ jobId });
    },
  );
  router.get('/jobs/:id', requireAuth(ctx), requireRole('admin'), async (req, res) => {
    const parsed = importJobParamsSchema.safeParse(req.params);
    const job = parsed.success ? await readImportJob(ctx.database.db, parsed.data.id) : null;
    if (!job) throw new HttpError('not_found', 'No such import job');
    res.json(job);
  });
  return router;
}
