/** The major-incident feature: declare, announce, update, close, and the root-cause deadline after closure. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import { createMajorRouter, createRootCauseJob } from './major.routes';
import { majorApi } from './major.openapi';

export function createMajorModule(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): FeatureModule {
  return {
    name: 'major',
    http: [{ path: '/api', handler: createMajorRouter(ctx, () => deps.escalation) }],
    openapi: majorApi,
    jobs: [createRootCauseJob(ctx, deps.escalation)],
  };
}
