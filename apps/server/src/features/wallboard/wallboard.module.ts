/** The wallboard feature: desk metrics pushed to wallboards and subscribed seats, device tokens over REST. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { DutyServer } from '../../realtime/io';
import { createWallboardRouter } from './wallboard.routes';
import { createWallboardHub, type WallboardHub } from './wallboard.socket';
import { wallboardApi } from './wallboard.openapi';

export function createWallboardModule(
  ctx: AppContext,
  deps: { io: () => DutyServer },
): FeatureModule & { readonly hub: WallboardHub } {
  const hub = createWallboardHub(ctx, deps.io);
  return {
    name: 'wallboard',
    hub,
    http: [{ path: '/api', handler: createWallboardRouter(ctx, () => hub) }],
    openapi: wallboardApi,
    socket: hub.handler,
    onCommitted: (events) => hub.notify(events),
    stop: () => hub.stop(),
  };
}
