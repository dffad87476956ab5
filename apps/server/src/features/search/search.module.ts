/** The search feature: `GET /api/search` and the projector that keeps the index current from the event log. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createSearchProjector, type SearchProjector } from './projector';
import { searchApi } from './search.openapi';
import { createSearchRouter } from './search.routes';

export function createSearchModule(
  ctx: AppContext,
): FeatureModule & { projector: SearchProjector } {
  const projector = createSearchProjector(ctx);
  return {
    name: 'search',
    projector,
    http: [{ path: '/api', handler: createSearchRouter(ctx, projector) }],
    openapi: searchApi,
    // What this node commits is indexed at once; other nodes' events within the loop's poll.
    onCommitted: () => projector.loop.wake(0),
    start: () => projector.loop.start(),
    stop: () => projector.loop.stop(),
  };
}
