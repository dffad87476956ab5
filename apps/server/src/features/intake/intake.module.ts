/** The intake feature (issue 19, decision 41): integration tokens and the monitoring, hotline and chat doors. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import { intakeApi } from './intake.openapi';
import { createIntakeAdminRouter, createIntakeDoorsRouter } from './intake.routes';
import { createIntakeService, type IntakeService } from './intake.service';

export function createIntakeModule(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): FeatureModule & { readonly service: IntakeService } {
  const service = createIntakeService(ctx, { escalation: deps.escalation });
  return {
    name: 'intake',
    service,
    http: [
      {
        path: '/api/intake',
        handler: createIntakeDoorsRouter(ctx, () => service),
        readsOwnBody: true,
      },
      { path: '/api', handler: createIntakeAdminRouter(ctx, () => service) },
    ],
    openapi: intakeApi,
  };
}
