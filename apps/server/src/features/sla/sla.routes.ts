import {
  formatHolidayCnJson,
  parseHolidayCnJson,
  toFieldErrors,
  type BusinessCalendar,
  type HolidayList,
} from '@dutydesk/shared';
import express, { Router, type Request } from 'express';
import type { AppContext } from '../../context';
import { authOf, requireAuth, requireRole } from '../../http/auth';
import { HttpError } from '../../http/errors';
import { readInstantParam } from '../../http/params';
import { withReadSlot } from '../../http/readSlot';
import { buildCompensationReport } from './compensation';
import { formatIcsHolidays, IcsError, parseIcsHolidays } from './ics';
import { readReplanJob, startReplanJob, type ReplanJob } from './replan';
import { mergeHolidays, parseCalendar, parsePolicyList } from './sla.schemas';
import { diffCalendars, previewSettings, withCalendar, withPolicies } from './preview';
import { assertCalendarFits, findCalendar, saveCalendar, savePolicies } from './settings';

/** What a change of settings answers: 202 with the background re-plan to follow. */
function describeAccepted(version: number, job: ReplanJob): Record<string, unknown> {
  return {
    version,
    replan: { id: job.id, status: job.status, href: `/api/sla/replans/${job.id}` },
  };
}

function parseImport(req: Request, calendar: BusinessCalendar): HolidayList {
  const type = req.get('content-type') ?? '';
  try {
    if (/^text\/calendar\b/i.test(type) || typeof req.body === 'string') {
      return parseIcsHolidays(String(req.body ?? ''), { timeZone: calendar.timeZone });
    }
    const body: unknown = req.body;
    return Array.isArray(body)
      ? parseHolidayCnJson(...(body as unknown[]))
      : parseHolidayCnJson(body);
  } catch (err) {
    if (err instanceof IcsError) throw new HttpError('invalid', err.message);
    const issues = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues;
    throw new HttpError(
      'invalid',
      'Expected holiday-cn JSON (one year or a list of years) or iCalendar text',
      issues ? toFieldErrors(issues) : undefined,
    );
  }
}

/**
 * SLA administration (admin): policies, calendars, holiday import/export, background re-plans;
 * the compensation report (duty manager, admin).
 */
export function createSlaRouter(ctx: AppContext): Router {
  const r = Router();
  const auth = requireAuth(ctx);
  const admin = requireRole('admin');
  const calendarText = express.text({ type: ['text/calendar', 'text/plain'], limit: '1mb' });

  r.get('/sla/policies', auth, admin, (_req, res) => {
    res.json({ version: ctx.sla.version, policies: ctx.sla.policies() });
  });

  r.put('/sla/policies', auth, admin, async (req, res) => {
    const policies = parsePolicyList(ctx, req.body);
    const version = await savePolicies(ctx, policies, authOf(res).user.id);
    const job = await startReplanJob(ctx, 'policies changed');
    res.status(202).json({ ...describeAccepted(version, job), policies: ctx.sla.policies() });
  });

  // Dry run of a PUT: the same validation, then what the re-plan would move; nothing stored.
  r.post('/sla/policies/preview', auth, admin, async (req, res) => {
    const policies = parsePolicyList(ctx, req.body);
    const preview = await withReadSlot(ctx, res, () =>
      previewSettings(ctx, withPolicies(ctx, policies)),
    );
    res.set('Cache-Control', 'no-store');
    res.json({ version: ctx.sla.version, preview });
  });

  r.get('/sla/calendars', auth, admin, (_req, res) => {
    res.json({ version: ctx.sla.version, calendars: Object.values(ctx.sla.calendars()) });
  });

  r.get('/sla/calendars/:id', auth, admin, (req, res) => {
    res.json(findCalendar(ctx, String(req.params.id)));
  });

  r.put('/sla/calendars/:id', auth, admin, async (req, res) => {
    const calendar = parseCalendar(String(req.params.id), req.body);
    const version = await saveCalendar(ctx, calendar, authOf(res).user.id);
    const job = await startReplanJob(ctx, `calendar ${calendar.id} changed`);
    res.status(202).json({ ...describeAccepted(version, job), calendar });
  });

  r.post('/sla/calendars/:id/import', auth, admin, calendarText, async (req, res) => {
    const current = findCalendar(ctx, String(req.params.id));
    const list = parseImport(req, current);
    if (list.holidays.length + list.workdays.length === 0) {
      throw new HttpError('invalid', 'Nothing to import: no holidays or working days found');
    }
    const calendar = mergeHolidays(current, list);
    const version = await saveCalendar(ctx, calendar, authOf(res).user.id);
    const job = await startReplanJob(ctx, `holidays imported into ${calendar.id}`);
    res.status(202).json({
      ...describeAccepted(version, job),
      imported: { holidays: list.holidays.length, workdays: list.workdays.length },
    });
  });

  // Dry run of an import: the days it adds, removes and changes, and what the re-plan would
  // move; refused exactly as the import would be; nothing stored.
  r.post('/sla/calendars/:id/import/preview', auth, admin, calendarText, async (req, res) => {
    const current = findCalendar(ctx, String(req.params.id));
    const list = parseImport(req, current);
    if (list.holidays.length + list.workdays.length === 0) {
      throw new HttpError('invalid', 'Nothing to import: no holidays or working days found');
    }
    const calendar = mergeHolidays(current, list);
    assertCalendarFits(ctx, calendar);
    const preview = await withReadSlot(ctx, res, () =>
      previewSettings(ctx, withCalendar(ctx, calendar)),
    );
    res.set('Cache-Control', 'no-store');
    res.json({
      version: ctx.sla.version,
      imported: { holidays: list.holidays.length, workdays: list.workdays.length },
      diff: diffCalendars(current, calendar),
      preview,
    });
  });

  r.get('/sla/calendars/:id/export', auth, admin, (req, res) => {
    const calendar = findCalendar(ctx, String(req.params.id));
    const list: HolidayList = { holidays: calendar.holidays, workdays: calendar.workdays };
    const format = req.query.format === undefined ? 'ics' : String(req.query.format);
    if (format === 'ics') {
      res
        .type('text/calendar; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${calendar.id}.ics"`)
        .send(
          formatIcsHolidays(list, {
            now: ctx.clock.now(),
            name: calendar.name ?? calendar.id,
            timeZone: calendar.timeZone,
          }),
        );
      return;
    }
    if (format !== 'json') {
      throw new HttpError('invalid', 'format must be ics or json', [
        { path: 'format', message: 'one of ics, json' },
      ]);
    }
    const years = [
      ...new Set([...list.holidays, ...list.workdays].map((d) => Number(d.date.slice(0, 4)))),
    ].sort();
    if (req.query.year !== undefined) {
      const year = Number(req.query.year);
      if (!Number.isInteger(year)) {
        throw new HttpError('invalid', 'year must be a whole number', [
          { path: 'year', message: 'expected a year' },
        ]);
      }
      res.json(formatHolidayCnJson(list, year));
      return;
    }
    res.json(years.map((y) => formatHolidayCnJson(list, y)));
  });

  r.get('/sla/replans/:id', auth, admin, async (req, res) => {
    const job = await readReplanJob(ctx, String(req.params.id));
    if (!job) throw new HttpError('not_found', 'No such re-plan');
    res.json(job);
  });

  r.get('/sla/compensation', auth, requireRole('admin', 'duty_manager'), async (req, res) => {
    const from = readInstantParam(req, 'from');
    const to = readInstantParam(req, 'to');
    if (to <= from) {
      throw new HttpError('invalid', 'to must be after from', [
        { path: 'to', message: 'before from' },
      ]);
    }
    res.json(await buildCompensationReport(ctx, from, to));
  });
  return r;
}
