import { REPORT_NAMES, reportQuerySchema, type RoleName } from '@dutydesk/shared';
import { Router } from 'express';
import type { AppContext } from '../../context';
import { requireAuth, requireRole } from '../../http/auth';
import { parseBody, singleQuery } from '../../http/body';
import { withReadSlot } from '../../http/readSlot';
import { toCsv, toXlsx } from './export';
import { buildReport } from './reports.service';

/** Who reads the reports: duty managers and admins. */
export const REPORT_ROLES: readonly RoleName[] = ['duty_manager', 'admin'];

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * `GET /api/reports/<name>?from=&to=&format=json|csv|xlsx&lang=&customerId=` (issue 22,
 * decision 59): one route per report name, so the scorecards' and the surveys' own report
 * routes beside them stay theirs. Each report is one heavy read: a slot of the read gate.
 */
export function createReportsRouter(ctx: AppContext): Router {
  const r = Router();
  for (const name of REPORT_NAMES) {
    r.get(`/reports/${name}`, requireAuth(ctx), requireRole(...REPORT_ROLES), async (req, res) => {
      const q = parseBody(reportQuerySchema, singleQuery(req), 'query');
      const table = await withReadSlot(ctx, res, () => buildReport(ctx, name, q));
      const file = `dutydesk-${name}-${q.from}_${q.to}${q.customerId ? '-customer' : ''}`;
      res.set('Cache-Control', 'no-store');
      if (q.format === 'json') {
        res.json(table);
        return;
      }
      if (q.format === 'csv') {
        res.set('Content-Type', 'text/csv; charset=utf-8');
        res.set('Content-Disposition', `attachment; filename="${file}.csv"`);
        res.send(toCsv(table, q.lang));
        return;
      }
      const bytes = await toXlsx(table, q.lang, new Date(table.generatedAt));
      res.set('Content-Type', XLSX_TYPE);
      res.set('Content-Disposition', `attachment; filename="${file}.xlsx"`);
      res.send(bytes);
    });
  }
  return r;
}
