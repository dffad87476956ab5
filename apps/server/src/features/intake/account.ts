/**
 * The intake account: the one user every intake door acts as on the command bus (like the
 * wallboard devices' account). Role `duty_manager` so a door may raise a warning on a ticket
 * already dispatched and resolve it on recovery; nobody signs in as it (a random password
 * nobody knows), and an integration token is never a session: it opens `/api/intake/*` only.
 */
import type { Actor } from '@dutydesk/shared';
import { randomBytes } from 'node:crypto';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { createUser, findUserByUsername, toPublicUser } from '../auth';
import { actorFromUser } from '../tickets';

export const INTAKE_USERNAME = 'intake';

/** The intake account as an actor, created on first use. */
export async function ensureIntakeActor(ctx: AppContext): Promise<Actor> {
  let user = await findUserByUsername(ctx.database.db, INTAKE_USERNAME);
  if (!user) {
    try {
      await createUser(ctx, {
        username: INTAKE_USERNAME,
        password: randomBytes(24).toString('base64url'),
        displayName: 'Monitoring and hotline intake',
        roles: ['duty_manager'],
      });
    } catch (err) {
      if (!(err instanceof HttpError && err.code === 'conflict')) throw err;
    }
    user = await findUserByUsername(ctx.database.db, INTAKE_USERNAME);
  }
  if (!user || user.disabled || !user.roles.includes('duty_manager')) {
    throw new HttpError(
      'conflict',
      `User "${INTAKE_USERNAME}" exists and is not the intake account; rename it`,
    );
  }
  return actorFromUser(toPublicUser(user));
}
