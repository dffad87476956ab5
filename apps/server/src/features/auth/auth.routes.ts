import { Router } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth } from '../../http/auth';
import { toPublicUser } from './auth.repo';
import { changeOwnPassword, DEVICE_COOKIE, DEVICE_TTL_MS, login, logout } from './auth.service';

/**
 * `POST /api/auth/login`, `POST /api/auth/logout`, `GET /api/auth/me`, `POST /api/auth/password`.
 * Every answer here carries `Cache-Control: no-store`: tokens and accounts stay out of caches.
 */
export function createAuthRouter(ctx: AppContext): Router {
  const r = Router();
  r.use((_req, res, next) => {
    res.set('Cache-Control', 'no-store');
    next();
  });
  r.post('/login', async (req, res) => {
    const outcome = await login(ctx, req.body, {
      address: req.ip ?? 'unknown',
      cookie: req.get('cookie'),
    });
    if (outcome.deviceCookie) {
      res.cookie(DEVICE_COOKIE, outcome.deviceCookie, {
        httpOnly: true,
        sameSite: 'strict',
        secure: req.secure,
        path: '/api/auth',
        maxAge: DEVICE_TTL_MS,
      });
    }
    res.json(outcome.response);
  });
  r.post('/logout', requireAuth(ctx), async (_req, res) => {
    await logout(ctx, authOf(res).session.id);
    res.json({ ok: true });
  });
  r.get('/me', requireAuth(ctx), (_req, res) => {
    const auth = authOf(res);
    res.json({ user: toPublicUser(auth.user), expiresAt: auth.session.expiresAt.toISOString() });
  });
  r.post('/password', requireAuth(ctx), async (req, res) => {
    res.json(await changeOwnPassword(ctx, authOf(res), req.body));
  });
  return r;
}
