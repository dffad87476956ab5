/**
 * The quarterly NPS round (decision 53), a job on the escalation engine's runs like the
 * handover reports: at the first run of a quarter one node claims the round under a lease
 * (`survey_rounds`), samples the contacts with an e-mail address (sample.ts: seeded,
 * reproducible) and queues each one's `survey.nps` mail in their language through
 * `enqueueMail` (dedupe key `nps:<round>:<contact>`: a node taking a lapsed lease over queues
 * nothing twice), then marks the round done. `DUTYDESK_NPS_PERCENT=0` turns it off.
 */
import { randomUUID } from 'node:crypto';
import type { AppContext } from '../../context';
import { enqueueMail } from '../mail';
import { roundOf, sampleContacts } from './sample';
import {
  claimRound,
  finishRound,
  isRoundDone,
  listMailableContacts,
  readContact,
} from './surveys.repo';

const LEASE_MS = 10 * 60_000;

export interface NpsRun {
  round: string;
  sampled: string[];
}

export function createNpsJob(ctx: AppContext) {
  const node = randomUUID();
  /** Rounds this node saw done (no query per engine run once done). */
  const done = new Set<string>();

  /** Runs the round of `now` if it is due and this node gets its lease; null otherwise. */
  async function run(now: Date): Promise<NpsRun | null> {
    const { npsPercent, npsSeed } = ctx.config.surveys;
    if (npsPercent <= 0) return null;
    const round = roundOf(now);
    if (done.has(round)) return null;
    const db = ctx.database.db;
    if (await isRoundDone(db, round)) {
      done.add(round);
      return null;
    }
    const owner = `${node}:${randomUUID()}`;
    if (!(await claimRound(db, round, owner, LEASE_MS))) return null;
    const sampled = sampleContacts(await listMailableContacts(db), npsSeed, round, npsPercent);
    for (const contactId of sampled) {
      const c = await readContact(db, contactId);
      if (!c?.email) continue;
      try {
        await enqueueMail(ctx, {
          dedupeKey: `nps:${round}:${contactId}`,
          to: c.email,
          template: 'survey.nps',
          locale: c.language,
          params: { contactId, contactName: c.name, round },
          now,
        });
      } catch (err) {
        ctx.log.warn({ err, contactId, round }, 'NPS mail not enqueued');
      }
    }
    if (await finishRound(db, round, owner, sampled.length, now)) {
      done.add(round);
      ctx.log.info({ round, sampled: sampled.length }, 'NPS round sampled');
    }
    return { round, sampled };
  }
  return { run };
}
export type NpsJob = ReturnType<typeof createNpsJob>;
