/** The auth feature: sign-in, sessions, own password; the admin account on first start. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createAuthRouter } from './auth.routes';
import { authApi } from './auth.openapi';

export function createAuthModule(ctx: AppContext): FeatureModule {
  return {
    name: 'auth',
    http: [{ path: '/api/auth', handler: createAuthRouter(ctx) }],
    openapi: authApi,
  };
}
