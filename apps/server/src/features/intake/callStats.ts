/** The hotline's figures of a day for the wallboard: calls waiting and answered within the target. */
import type { AppContext } from '../../context';
import { countCallsSince, readIntakeSettingsRow } from './intake.repo';
import { DEFAULT_INTAKE_SETTINGS, intakeSettingsSchema, type CallStats } from './intake.schemas';

/** Calls queued since `from` (the desk's day): waiting now, answered, and within the answer target. */
export async function readCallStats(ctx: AppContext, from: Date): Promise<CallStats> {
  const parsed = intakeSettingsSchema.safeParse(await readIntakeSettingsRow(ctx.database.db));
  const withinSeconds = (parsed.success ? parsed.data : DEFAULT_INTAKE_SETTINGS).answerSeconds;
  const c = await countCallsSince(ctx.database.db, from, withinSeconds * 1000);
  return {
    ...c,
    shareWithin: c.answered === 0 ? null : c.answeredWithin / c.answered,
    withinSeconds,
    since: from.toISOString(),
  };
}
