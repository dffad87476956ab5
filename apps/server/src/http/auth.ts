import type { RoleName } from '@dutydesk/shared';
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from '../context';
import { authenticateToken, type Authenticated } from '../features/auth/auth.service';
import { HttpError } from './errors';

/** The bearer token of a request, or null. */
export function bearerToken(req: Request): string | null {
  const h = req.get('authorization');
  if (!h) return null;
  const m = /^Bearer\s+(\S+)$/i.exec(h);
  return m?.[1] ?? null;
}

/** Rejects requests without a live session (401) and keeps the session on `res.locals.auth`. */
export function requireAuth(ctx: AppContext): RequestHandler {
  return async (req: Request, res: Response, next: NextFunction) => {
    const auth = await authenticateToken(ctx, bearerToken(req));
    if (!auth) {
      next(
        new HttpError(
          'unauthorized',
          'A valid session token is required (Authorization: Bearer …)',
        ),
      );
      return;
    }
    res.locals.auth = auth;
    next();
  };
}

/** 403 unless the session's user holds one of these roles. Use after requireAuth. */
export function requireRole(...roles: RoleName[]): RequestHandler {
  return (_req, res, next) => {
    const auth = authOf(res);
    if (!auth.user.roles.some((r) => roles.includes(r))) {
      next(new HttpError('forbidden', `This needs one of the roles: ${roles.join(', ')}`));
      return;
    }
    next();
  };
}

/**
 * 403 for a device session (a user holding only `wallboard`, e.g. a wallboard device token):
 * it reads only what the wallboard shows (decision 20). Use after requireAuth.
 */
export const denyDevices: RequestHandler = (_req, res, next) => {
  const roles = authOf(res).user.roles;
  if (roles.length > 0 && roles.every((r) => r === 'wallboard')) {
    next(new HttpError('forbidden', 'Wallboard devices read the wallboard only'));
    return;
  }
  next();
};

/** The authenticated session of a request that passed requireAuth. */
export function authOf(res: Response): Authenticated {
  const auth = res.locals.auth as Authenticated | undefined;
  if (!auth) throw new HttpError('unauthorized', 'Not authenticated');
  return auth;
}
