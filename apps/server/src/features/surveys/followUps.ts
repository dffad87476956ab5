/**
 * Low answers raise the duty manager's follow-up alert through the ladder (decision 53): step
 * `survey/low-score` (stored policies may change its levels), raised at once after the answer
 * commits and again by the engine's job for any a crash left behind. Each answer is claimed
 * before its alert is raised, so two nodes raise it once.
 */
import type { AppContext } from '../../context';
import { findStep, readTicketsByIds, SURVEY_STEP, type EscalationEngine } from '../escalation';
import { claimFollowUps, setAnswerAlert } from './surveys.repo';

/** A claim older than this without its alert is taken over (the node died in between). */
const STALE_CLAIM_MS = 60_000;
const BATCH = 20;

export function createFollowUps(ctx: AppContext, engine: EscalationEngine) {
  /** Raises the alerts of unraised low answers; returns how many were raised. */
  async function raiseDue(): Promise<number> {
    const db = ctx.database.db;
    const claimed = await claimFollowUps(db, ctx.clock.now(), STALE_CLAIM_MS, BATCH);
    if (claimed.length === 0) return 0;
    const levels =
      findStep(await engine.readPolicies(), SURVEY_STEP.key)?.levels ?? SURVEY_STEP.step.levels;
    const tickets = await readTicketsByIds(
      db,
      claimed.flatMap((c) => (c.ticketId ? [c.ticketId] : [])),
    );
    let raised = 0;
    for (const c of claimed) {
      const who = [c.contactName, c.organisationName].filter(Boolean).join(', ');
      const what =
        c.kind === 'csat'
          ? `CSAT ${c.score}/5 on ${c.ticketNumber ?? 'a ticket'}`
          : `NPS ${c.score}/10 (detractor)`;
      const message = `Follow up: ${what}${who ? ` from ${who}` : ''}${c.comment ? `: “${c.comment.slice(0, 160)}”` : ''}`;
      try {
        const [alert] = await engine.raise([
          {
            ticket: c.ticketId ? (tickets.get(c.ticketId) ?? null) : null,
            stepKey: SURVEY_STEP.key,
            kind: 'survey',
            severity: SURVEY_STEP.step.severity,
            message,
            levels,
            data: {
              answerId: c.id,
              surveyKind: c.kind,
              score: c.score,
              contactId: c.contactId,
              organisationId: c.organisationId,
            },
          },
        ]);
        await setAnswerAlert(db, c.id, alert?.id ?? null);
        if (alert) raised += 1;
      } catch (err) {
        ctx.log.error({ err, answerId: c.id }, 'survey follow-up alert not raised');
        await setAnswerAlert(db, c.id, null).catch(() => {});
      }
    }
    return raised;
  }
  return { raiseDue };
}
export type FollowUps = ReturnType<typeof createFollowUps>;
