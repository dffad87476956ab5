/** The roster feature: shifts and templates over REST, and the handover report at each duty-manager shift start. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import { createRosterRouter } from './roster.routes';
import { createHandoverJob } from './roster.service';
import { rosterApi } from './roster.openapi';

export function createRosterModule(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): FeatureModule {
  return {
    name: 'roster',
    http: [{ path: '/api', handler: createRosterRouter(ctx) }],
    openapi: rosterApi,
    jobs: [createHandoverJob(ctx, deps.escalation)],
  };
}
