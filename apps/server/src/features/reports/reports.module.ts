/** Reports (issue 22, decision 59): the desk's figures over a period as tables, CSV and XLSX. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { reportsApi } from './reports.openapi';
import { createReportsRouter } from './reports.routes';

export function createReportsModule(ctx: AppContext): FeatureModule {
  return {
    name: 'reports',
    http: [{ path: '/api', handler: createReportsRouter(ctx) }],
    openapi: reportsApi,
  };
}
