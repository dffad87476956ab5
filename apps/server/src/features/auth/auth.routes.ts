import { Router } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth } from '../../http/auth';
import { toPublicUser } from './auth.repo';
import { login, logout } from './auth.service';

/** `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`. */
export function createAuthRouter(ctx: AppContext): Router {
  const r = Router();
  r.post('/login', async (req, res) => {
    res.json(await login(ctx, req.body, req.ip ?? 'unknown'));
  });
  r.post('/logout', requireAuth(ctx), async (_req, res) => {
    await logout(ctx, authOf(res).session.id);
    res.json({ ok: true });
  });
  r.get('/me', requireAuth(ctx), (_req, res) => {
    const auth = authOf(res);
    res.json({ user: toPublicUser(auth.user), expiresAt: auth.session.expiresAt.toISOString() });
  });
  return r;
}
