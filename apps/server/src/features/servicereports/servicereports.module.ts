/** The monthly service report (issue 22, decision 60): kept reports, their PDF, the monthly job. */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import { serviceReportsApi } from './servicereports.openapi';
import { createServiceReportsRouter } from './servicereports.routes';
import {
  createServiceReports,
  type ReportSource,
  type ServiceReports,
} from './servicereports.service';

export interface ServiceReportsModule extends FeatureModule {
  readonly reports: ServiceReports;
}

export function createServiceReportsModule(
  ctx: AppContext,
  deps: { source: ReportSource },
): ServiceReportsModule {
  const reports = createServiceReports(ctx, deps);
  return {
    name: 'servicereports',
    http: [{ path: '/api', handler: createServiceReportsRouter(ctx, reports) }],
    openapi: serviceReportsApi,
    jobs: [reports.job],
    reports,
    async stop() {
      await reports.idle();
    },
  };
}
