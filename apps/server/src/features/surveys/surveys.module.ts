/**
 * The surveys feature (issue 18, decision 53): CSAT after close and the quarterly NPS, their
 * links in mails (through the mail module's `setLinks`), the `survey.answer` command, the
 * follow-up alerts of low answers and the NPS round as jobs of the escalation engine's runs.
 */
import type { AppContext } from '../../context';
import type { FeatureModule } from '../../modules';
import type { EscalationEngine } from '../escalation';
import type { MailLinks } from '../mail';
import { createFollowUps, type FollowUps } from './followUps';
import { createSurveyLinks, SURVEY_PATH } from './links';
import { createSurveyPages } from './pages';
import { createNpsJob, type NpsJob } from './nps';
import { createSurveyCommands } from './surveys.commands';
import { surveysApi } from './surveys.openapi';
import { createSurveysRouter } from './surveys.routes';

export interface SurveysModule extends FeatureModule {
  readonly followUps: FollowUps;
  readonly nps: NpsJob;
}

export function createSurveysModule(
  ctx: AppContext,
  deps: {
    escalation: EscalationEngine;
    baseUrl: () => string;
    setMailLinks: (links: Partial<MailLinks>) => void;
    /** The renderer's build (its `survey.html`). */
    staticDir: string;
  },
): SurveysModule {
  const links = createSurveyLinks(ctx, deps.baseUrl);
  deps.setMailLinks(links);
  const followUps = createFollowUps(ctx, deps.escalation);
  const nps = createNpsJob(ctx);
  return {
    name: 'surveys',
    followUps,
    nps,
    http: [
      { path: '/api', handler: createSurveysRouter(ctx, { followUps, links }) },
      { path: SURVEY_PATH, handler: createSurveyPages(deps.staticDir) },
    ],
    openapi: surveysApi,
    registerCommands: (bus) => bus.register(createSurveyCommands(ctx)),
    jobs: [
      async () => {
        await followUps.raiseDue();
      },
      async (now) => {
        await nps.run(now);
      },
    ],
  };
}
