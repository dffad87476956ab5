/** Quality (issue 22): the monthly QA sample and its review. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { createQualityCommands } from './quality.commands';
import { qualityApi } from './quality.openapi';
import { createQualityRouter } from './quality.routes';
import { createQaSampleJob } from './quality.service';

export function createQualityModule(ctx: AppContext): FeatureModule {
  return {
    name: 'quality',
    http: [{ path: '/api', handler: createQualityRouter(ctx) }],
    openapi: qualityApi,
    registerCommands: (bus) => bus.register(createQualityCommands(ctx)),
    jobs: [createQaSampleJob(ctx)],
  };
}
