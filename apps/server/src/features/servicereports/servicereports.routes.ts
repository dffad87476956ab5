/**
 * The service reports over REST (decision 60), duty managers and admins: the kept reports
 * (`GET /api/service-reports`), one with its content (the printable page reads it), its PDF
 * (`/pdf`, the kept bytes; `?lang=` another language rendered from the same content), and one
 * made on demand for any period (`POST`).
 */
import { localeSchema, serviceReportCreateSchema, SERVICE_REPORT_ROLES } from '@dutydesk/shared';
import { Router } from 'express';
import { z } from 'zod';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { HttpError } from '../../http/errors';
import { dayPeriod } from './period';
import {
  listServiceReports,
  readOrganisationName,
  readServiceReport,
  readServiceReportPdf,
} from './servicereports.repo';
import type { ServiceReports } from './servicereports.service';

export const serviceReportListQuerySchema = z
  .object({
    organisationId: z
      .string()
      .min(1)
      .max(200)
      .optional()
      .describe('Only this organisation’s reports; `desk` for the whole desk’s'),
    month: z
      .string()
      .regex(/^\d{4}-(0[1-9]|1[0-2])$/, 'a month YYYY-MM')
      .optional()
      .describe('Only the monthly reports of this month'),
    limit: z.coerce.number().int().min(1).max(500).default(100),
  })
  .strict();

export const serviceReportPdfQuerySchema = z
  .object({ lang: localeSchema.optional().describe('Another language than the kept PDF’s') })
  .strict();

/** The PDF's file name: `service-report-<period>[-<organisation>].pdf` (ASCII and UTF-8). */
function pdfDisposition(period: string, organisation: string | null): string {
  const base = `service-report-${period}${organisation ? `-${organisation}` : ''}.pdf`;
  const ascii = base.replace(/[^\w.-]+/g, '_');
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(base)}`;
}

export function createServiceReportsRouter(ctx: AppContext, reports: ServiceReports): Router {
  const r = Router();
  const db = ctx.database.db;
  r.use('/service-reports', requireAuth(ctx), requireRole(...SERVICE_REPORT_ROLES));

  r.get('/service-reports', async (req, res) => {
    const q = parseBody(serviceReportListQuerySchema, singleQuery(req), 'query');
    res.json({
      reports: await listServiceReports(db, {
        scope: q.organisationId,
        month: q.month,
        limit: q.limit,
      }),
    });
  });

  r.post('/service-reports', async (req, res) => {
    const body = parseBody(serviceReportCreateSchema, req.body, 'report');
    const id = body.organisationId ?? null;
    const name = id ? await readOrganisationName(db, id) : null;
    if (id && name === null)
      throw new HttpError('invalid', `No organisation ${id}`, [
        { path: 'organisationId', message: 'unknown' },
      ]);
    const made = await reports.make({
      kind: 'on_demand',
      month: null,
      period: dayPeriod(body.from, body.to),
      organisation: id && name !== null ? { id, name } : null,
      locale: body.locale ?? ctx.config.reports.locale,
      by: authOf(res).user.id,
    });
    if (!made) throw new HttpError('internal', 'The report was not kept');
    res.status(201).json(made);
  });

  r.get('/service-reports/:id', async (req, res) => {
    const id = String(req.params.id);
    const report = await readServiceReport(db, id);
    if (!report) throw new HttpError('not_found', `No service report ${id}`);
    res.json(report);
  });

  r.get('/service-reports/:id/pdf', async (req, res) => {
    const id = String(req.params.id);
    const q = parseBody(serviceReportPdfQuerySchema, singleQuery(req), 'query');
    const kept = await readServiceReportPdf(db, id);
    if (!kept) throw new HttpError('not_found', `No service report ${id}`);
    const report = await readServiceReport(db, id);
    if (!report) throw new HttpError('not_found', `No service report ${id}`);
    const pdf =
      q.lang && q.lang !== kept.locale ? await reports.renderPdf(report, q.lang) : kept.pdf;
    res.setHeader('Content-Type', 'application/pdf');
    res.setHeader(
      'Content-Disposition',
      pdfDisposition(report.month ?? `${report.from}_${report.to}`, report.organisationName),
    );
    res.setHeader('Cache-Control', 'private, no-store');
    if (pdf === kept.pdf) res.setHeader('ETag', `"${kept.sha256}"`);
    res.send(pdf);
  });
  return r;
}
