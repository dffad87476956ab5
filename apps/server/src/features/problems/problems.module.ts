/** Problem records and change requests (issue 22, decision 58): commands, REST, the 48 h / 24 h deadlines. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import { createProblemCommands } from './problems.commands';
import { problemsApi } from './problems.openapi';
import { createProblemsRouter } from './problems.routes';
import { createProblemDeadlineJob } from './problems.service';

export function createProblemsModule(
  ctx: AppContext,
  deps: { escalation: EscalationEngine },
): FeatureModule {
  return {
    name: 'problems',
    http: [{ path: '/api', handler: createProblemsRouter(ctx) }],
    openapi: problemsApi,
    registerCommands: (bus) => bus.register(createProblemCommands(ctx)),
    jobs: [createProblemDeadlineJob(ctx, deps.escalation)],
  };
}
