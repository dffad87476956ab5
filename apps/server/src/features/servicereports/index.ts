/** What other features may use of the service reports (its module is composed by server.ts). */
export { createServiceReportsModule, type ServiceReportsModule } from './servicereports.module';
export type { ReportSource } from './servicereports.service';
export type { ServiceReports } from './servicereports.service';
