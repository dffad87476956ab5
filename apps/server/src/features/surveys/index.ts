/**
 * What other features may use of the surveys feature (its module, surveys.module.ts, is
 * composed by server.ts): the figures of a window for the wallboard (decision 53).
 */
import type { SurveyFigures } from '@dutydesk/shared';
import type { Db } from '../../db/client';
import { computeSurveyFigures } from './figures';
import { readFigureInput } from './surveys.repo';

/** CSAT and NPS of `[from, to)`; with an organisation, only its contacts' surveys. */
export async function readSurveyFigures(
  db: Db,
  from: Date,
  to: Date,
  organisationId: string | null = null,
): Promise<SurveyFigures> {
  return computeSurveyFigures(await readFigureInput(db, from, to, organisationId));
}
export { roundOf, sampleContacts } from './sample';
