import { Router } from 'express';
import type { AppContext } from '../../context';
import { SERVER_VERSION } from '../../version';

/** `/healthz` (liveness + database kind) and `/metrics` (Prometheus text). */
export function createHealthRouter(ctx: AppContext): Router {
  const r = Router();
  r.get('/healthz', (_req, res) => {
    res.json({ ok: true, db: ctx.database.kind, version: SERVER_VERSION });
  });
  r.get('/metrics', async (_req, res) => {
    res.set('Content-Type', ctx.metrics.registry.contentType);
    res.send(await ctx.metrics.registry.metrics());
  });
  return r;
}
