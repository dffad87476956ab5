import { createGroupRequestSchema, toFieldErrors } from '@dutydesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { listUsers, toPublicUser } from '../auth';
import { createUser } from '../auth';
import {
  disableUser,
  enableUser,
  listSessionsAs,
  resetPasswordAs,
  revokeSessionAs,
  revokeUserAs,
  updateUserAs,
} from './accounts.service';
import { insertGroup, listGroups } from './groups.repo';

/**
 * Users and groups: admins create and reset passwords; admins and duty managers list accounts,
 * revoke, disable and enable within their reach (`accountRules.ts`); every seat reads the staff
 * directory (`/api/staff`).
 */
export function createUsersRouter(ctx: AppContext): Router {
  const r = Router();
  const db = ctx.database.db;
  const auth = requireAuth(ctx);

  r.post('/users', auth, requireRole('admin'), async (req, res) => {
    res.status(201).json(await createUser(ctx, req.body));
  });
  r.get('/users', auth, requireRole('admin', 'duty_manager'), async (_req, res) => {
    res.json({ users: (await listUsers(db)).map(toPublicUser) });
  });
  r.post('/users/:id/revoke', auth, requireRole('admin', 'duty_manager'), async (req, res) => {
    res.json(await revokeUserAs(ctx, authOf(res).user, String(req.params.id)));
  });
  r.post('/users/:id/disable', auth, requireRole('admin', 'duty_manager'), async (req, res) => {
    res.json(await disableUser(ctx, authOf(res).user, String(req.params.id)));
  });
  r.post('/users/:id/enable', auth, requireRole('admin', 'duty_manager'), async (req, res) => {
    res.json(await enableUser(ctx, authOf(res).user, String(req.params.id)));
  });
  r.patch('/users/:id', auth, requireRole('admin'), async (req, res) => {
    res.json(await updateUserAs(ctx, authOf(res).user, String(req.params.id), req.body));
  });
  r.get('/users/:id/sessions', auth, requireRole('admin', 'duty_manager'), async (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(await listSessionsAs(ctx, authOf(res), String(req.params.id)));
  });
  r.delete(
    '/users/:id/sessions/:sessionId',
    auth,
    requireRole('admin', 'duty_manager'),
    async (req, res) => {
      const { id, sessionId } = req.params;
      res.json(await revokeSessionAs(ctx, authOf(res).user, String(id), String(sessionId)));
    },
  );
  r.post('/users/:id/password', auth, requireRole('admin'), async (req, res) => {
    res.json(await resetPasswordAs(ctx, authOf(res).user, String(req.params.id), req.body));
  });

  // Every seat needs names for ids (queues, timelines, assignment): active staff only, no
  // usernames, contact details or credentials. The console asks /api/users only for roles that
  // may list accounts, so an agent's sign-in causes no 403 (decision 18).
  r.get('/staff', auth, async (_req, res) => {
    const staff = (await listUsers(db))
      .filter((u) => !u.disabled && !u.roles.every((role) => role === 'wallboard'))
      .map((u) => ({ id: u.id, displayName: u.displayName, roles: u.roles, groupIds: u.groupIds }));
    res.json({ staff });
  });
  r.get('/groups', auth, async (_req, res) => {
    res.json({ groups: await listGroups(db) });
  });
  r.post('/groups', auth, requireRole('admin'), async (req, res) => {
    const parsed = createGroupRequestSchema.safeParse(req.body);
    if (!parsed.success)
      throw new HttpError('invalid', 'Invalid group', toFieldErrors(parsed.error.issues));
    if (!(await insertGroup(db, parsed.data, ctx.clock.now()))) {
      throw new HttpError('conflict', `Group "${parsed.data.id}" exists`, [
        { path: 'id', message: 'taken' },
      ]);
    }
    res.status(201).json(parsed.data);
  });
  return r;
}
