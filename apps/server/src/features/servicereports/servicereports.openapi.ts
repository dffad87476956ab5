import {
  serviceReportCreateSchema,
  serviceReportSchema,
  serviceReportSummarySchema,
  SERVICE_REPORT_ROLES,
} from '@dutydesk/shared';
import { z } from 'zod';
import { defineApi, json, named } from '../openapi';
import { serviceReportListQuerySchema, serviceReportPdfQuerySchema } from './servicereports.routes';

const summary = named(serviceReportSummarySchema, 'ServiceReportSummary');
const report = named(serviceReportSchema, 'ServiceReport');
const idParam = z.object({ id: z.string().min(1).max(64).describe('The report’s id') });
const exampleId = '7c1f3e2a-5b6d-4e8f-9a0b-1c2d3e4f5a6b';
const roles = [...SERVICE_REPORT_ROLES];

/** The monthly service report (servicereports.routes.ts, issue 22, decision 60). */
export const serviceReportsApi = defineApi('servicereports', [
  {
    method: 'get',
    path: '/api/service-reports',
    operationId: 'listServiceReports',
    tagDescription:
      'Service reports: per customer and for the whole desk, the reports of a period with counts, kept with a PDF; made on the 1st for the past month and on demand (decision 60).',
    summary: 'The kept service reports, newest first',
    auth: 'staff',
    roles,
    query: serviceReportListQuerySchema,
    responses: { 200: json(z.object({ reports: z.array(summary) }), 'The reports') },
    example: { query: { limit: '20' } },
  },
  {
    method: 'post',
    path: '/api/service-reports',
    operationId: 'makeServiceReport',
    summary: 'Make and keep a service report for a period (the desk, or one organisation)',
    description:
      'Computes the reports of the period (decision 59’s functions), the counts of tickets, major incidents and problem records, renders the PDF in `locale` (default `DUTYDESK_REPORT_LANG`) and keeps both.',
    auth: 'staff',
    roles,
    body: serviceReportCreateSchema,
    responses: { 201: json(report, 'The report as kept') },
    example: { body: { from: '2026-11-01', to: '2026-11-30', organisationId: null } },
  },
  {
    method: 'get',
    path: '/api/service-reports/{id}',
    operationId: 'getServiceReport',
    summary: 'A kept service report with its content (what the printable page shows)',
    auth: 'staff',
    roles,
    params: idParam,
    responses: { 200: json(report, 'The report') },
    errors: [404],
    example: { params: { id: exampleId } },
  },
  {
    method: 'get',
    path: '/api/service-reports/{id}/pdf',
    operationId: 'getServiceReportPdf',
    summary: 'A kept service report’s PDF',
    description:
      'The bytes kept when the report was made (`ETag` their SHA-256); with `lang` another than the kept one, a PDF of the same content in that language, rendered now.',
    auth: 'staff',
    roles,
    params: idParam,
    query: serviceReportPdfQuerySchema,
    responses: {
      200: {
        description: 'The PDF',
        contentType: 'application/pdf',
        schema: z.string().describe('The PDF file'),
      },
    },
    errors: [404],
    example: { params: { id: exampleId } },
  },
]);
