/** The classifier (issue 21, decision 50): trained from the desk's closed tickets, stored in the database. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { ImportService } from '../imports';
import { classifierApi } from './classifier.openapi';
import { createClassifierRouter } from './classifier.routes';
import { createClassifierService, type ClassifierService } from './classifier.service';

export interface ClassifierModule extends FeatureModule {
  readonly service: ClassifierService;
}

export function createClassifierModule(
  ctx: AppContext,
  deps: { imports: ImportService },
): ClassifierModule {
  const service = createClassifierService(ctx);
  // A finished import brings new history: a new model follows it.
  deps.imports.onFinished(() => {
    service.train('import').catch((err: unknown) => ctx.log.error({ err }, 'training not started'));
  });
  return {
    name: 'classifier',
    service,
    http: [{ path: '/api', handler: createClassifierRouter(ctx, service) }],
    openapi: classifierApi,
    jobs: [(now) => service.nightly(now)],
    start() {
      service
        .current()
        .catch((err: unknown) => ctx.log.warn({ err }, 'classifier model not loaded'));
    },
    stop: () => service.stop(),
  };
}
