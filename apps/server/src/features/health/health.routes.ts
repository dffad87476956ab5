import { Router } from 'express';
import type { AppContext } from '../../context';
import { SERVER_VERSION } from '../../version';
import { registerCollectors } from './collectors';

/**
 * `/healthz` (liveness + database kind) and `/metrics` (Prometheus text; its scrape-time
 * series are registered here, collectors.ts).
 */
export function createHealthRouter(ctx: AppContext): Router {
  registerCollectors(ctx);
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
