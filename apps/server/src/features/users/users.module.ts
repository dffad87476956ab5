/** The users feature: accounts, groups and the staff directory. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createUsersRouter } from './users.routes';
import { usersApi } from './users.openapi';

export function createUsersModule(ctx: AppContext): FeatureModule {
  return {
    name: 'users',
    http: [{ path: '/api', handler: createUsersRouter(ctx) }],
    openapi: usersApi,
  };
}
