/**
 * An organisation's page: its contacts, open tickets, history, SLA attainment this month and
 * the compensation owed for it, with the SLA feature's compensation lines and the wallboard's
 * attainment definition (docs/metrics.md), so the figures match the reports.
 */
import { summarizeTicket, type OrganisationOverview } from '@dutydesk/shared';
import type { AppContext } from '../../context';
import { HttpError } from '../../http/errors';
import { computeCompensationLines, sumCompensation } from '../sla';
import {
  computeAttainment,
  computeMonthStart,
  createTargetEvaluator,
  DESK_TIME_ZONE,
  readStoredTargets,
} from '../wallboard';
import {
  listContactsOf,
  listOrganisationTickets,
  listOrganisationTicketsSince,
  readOrganisation,
} from './customers.repo';

/** Closed tickets an organisation's page lists (the latest). */
export const HISTORY_LIMIT = 50;

/** `GET /api/organisations/:id/overview` (404 when there is no such organisation). */
export async function buildOrganisationOverview(
  ctx: AppContext,
  id: string,
): Promise<OrganisationOverview> {
  const db = ctx.database.db;
  const organisation = await readOrganisation(db, id);
  if (!organisation) throw new HttpError('not_found', `No organisation ${id}`);
  const now = ctx.clock.now();
  const from = computeMonthStart(now, DESK_TIME_ZONE);
  const [contacts, open, closed, recent] = await Promise.all([
    listContactsOf(db, id),
    listOrganisationTickets(db, id, { open: true, limit: 1000 }),
    listOrganisationTickets(db, id, { open: false, limit: HISTORY_LIMIT + 1 }),
    listOrganisationTicketsSince(db, id, from),
  ]);
  const evaluate = createTargetEvaluator(ctx);
  const targets = recent.map((t) => ({
    targets: t.status === 'closed' ? readStoredTargets(t) : evaluate(t, now),
  }));
  const nowMs = now.getTime();
  const receivedThisMonth = recent.filter((t) => Date.parse(t.receivedAt) >= from.getTime());
  const totals = sumCompensation(computeCompensationLines(ctx, receivedThisMonth, now));
  return {
    organisation,
    contacts,
    openTickets: open.map(summarizeTicket),
    history: closed.slice(0, HISTORY_LIMIT).map(summarizeTicket),
    historyMore: closed.length > HISTORY_LIMIT,
    month: { from: from.toISOString(), to: now.toISOString() },
    sla: {
      response: computeAttainment(targets, 'response', from.getTime(), nowMs),
      resolve: computeAttainment(targets, 'resolve', from.getTime(), nowMs),
    },
    compensation: totals,
  };
}
