/** The SLA feature: settings and calendars over REST, the scheduler that fires thresholds, background re-plans. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createSlaScheduler, type SlaScheduler } from './scheduler';
import { createSlaRouter } from './sla.routes';
import { slaApi } from './sla.openapi';

export function createSlaModule(
  ctx: AppContext,
): FeatureModule & { readonly scheduler: SlaScheduler } {
  const scheduler = createSlaScheduler(ctx);
  return {
    name: 'sla',
    scheduler,
    http: [{ path: '/api', handler: createSlaRouter(ctx) }],
    openapi: slaApi,
    onCommitted: () => scheduler.onCommitted(),
    start: () => scheduler.start(),
    stop: () => scheduler.stop(),
  };
}
