import { Router } from 'express';
import type { AppContext } from '../../context';
import { requireAuth, requireRole } from '../../http/auth';
import { createDevice, readDevices, revokeDevice } from './devices.service';
import type { WallboardHub } from './wallboard.socket';

/** `GET /api/wallboard/metrics` (any session) and the admin's `/api/devices`. */
export function createWallboardRouter(ctx: AppContext, hub: () => WallboardHub): Router {
  const r = Router();
  const auth = requireAuth(ctx);
  const admin = requireRole('admin');

  r.get('/wallboard/metrics', auth, async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await hub().current());
  });

  r.post('/devices', auth, admin, async (req, res) => {
    res.status(201).json(await createDevice(ctx, req.body));
  });
  r.get('/devices', auth, admin, async (_req, res) => {
    res.json({ devices: await readDevices(ctx) });
  });
  r.delete('/devices/:id', auth, admin, async (req, res) => {
    await revokeDevice(ctx, String(req.params.id));
    res.json({ ok: true });
  });
  return r;
}
