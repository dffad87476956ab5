/** The historical import (issue 21, decision 50): closed tickets from CSV or JSON lines into the log. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { importsApi } from './imports.openapi';
import { createImportsRouter } from './imports.routes';
import { createImportService, type ImportService } from './imports.service';

export interface ImportsModule extends FeatureModule {
  readonly service: ImportService;
}

export function createImportsModule(ctx: AppContext): ImportsModule {
  const service = createImportService(ctx);
  return {
    name: 'imports',
    service,
    http: [
      { path: '/api/import', handler: createImportsRouter(ctx, () => service), readsOwnBody: true },
    ],
    openapi: importsApi,
    stop: () => service.stop(),
  };
}
