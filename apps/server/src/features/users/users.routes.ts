import { createGroupRequestSchema, toFieldErrors } from '@dutydesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { findUserById, listUsers, toPublicUser } from '../auth/auth.repo';
import { createUser, revokeUser } from '../auth/auth.service';
import { insertGroup, listGroups } from './groups.repo';

/** Users and groups: admins create, duty managers list and revoke. */
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
    const user = await findUserById(db, String(req.params.id));
    if (!user) throw new HttpError('not_found', 'No such user');
    res.json({ revoked: await revokeUser(ctx, user.id) });
  });

  // Every seat needs names for ids (queues, timelines); no contact details or credentials.
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
