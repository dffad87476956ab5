/** The updates feature: the desktop app's update feed (`/updates/*`, decision 28). */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createUpdatesRouter } from './updates.routes';

export function createUpdatesModule(ctx: AppContext): FeatureModule {
  return {
    name: 'updates',
    http: [{ path: '/updates', handler: createUpdatesRouter(ctx.config.updatesDir) }],
  };
}
