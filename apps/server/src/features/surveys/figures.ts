/**
 * Survey figures of a window, pure (decision 53): CSAT average and distribution, NPS (% promoters
 * − % detractors) and the response rates (invitations of the window answered ÷ invitations).
 */
import { npsBand, type SurveyFigures } from '@dutydesk/shared';

export interface FigureInput {
  /** Answers given in the window. */
  answers: ReadonlyArray<{ kind: string; score: number }>;
  /** Surveys (tickets, contact rounds) first invited in the window, and how many of them were answered. */
  invited: { csat: number; csatAnswered: number; nps: number; npsAnswered: number };
}

const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

export function computeSurveyFigures(input: FigureInput): SurveyFigures {
  const distribution = [0, 0, 0, 0, 0];
  let csatSum = 0;
  let csat = 0;
  const bands = { promoter: 0, passive: 0, detractor: 0 };
  for (const a of input.answers) {
    if (a.kind === 'csat' && a.score >= 1 && a.score <= 5) {
      csat += 1;
      csatSum += a.score;
      distribution[a.score - 1] = (distribution[a.score - 1] ?? 0) + 1;
    } else if (a.kind === 'nps') {
      bands[npsBand(a.score)] += 1;
    }
  }
  const nps = bands.promoter + bands.passive + bands.detractor;
  return {
    csat: {
      responses: csat,
      invited: input.invited.csat,
      average: csat ? Math.round((csatSum / csat) * 100) / 100 : null,
      distribution,
      responseRate: rate(input.invited.csatAnswered, input.invited.csat),
    },
    nps: {
      responses: nps,
      invited: input.invited.nps,
      promoters: bands.promoter,
      passives: bands.passive,
      detractors: bands.detractor,
      score: nps ? Math.round(((bands.promoter - bands.detractor) / nps) * 1000) / 10 : null,
      responseRate: rate(input.invited.npsAnswered, input.invited.nps),
    },
  };
}
