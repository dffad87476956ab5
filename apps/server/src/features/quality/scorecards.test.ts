import { describe, expect, it } from 'vitest';
import { seededRandom } from './sampling';
import {
  computeScorecards,
  computeTeamScorecards,
  countAssignments,
  type ScoreInput,
  type ScoreTicket,
} from './scorecards';

const FROM = new Date('2026-03-31T16:00:00.000Z');
const TO = new Date('2026-04-30T16:00:00.000Z');
const HOUR = 3_600_000;

/** Overruns and complaints per agent chosen around the cards' thresholds. */
const PLAN: Record<string, { overruns: number; complaints: number }> = {
  'agent-1': { overruns: 0, complaints: 0 },
  'agent-2': { overruns: 1, complaints: 2 },
  'agent-3': { overruns: 2, complaints: 3 },
  'agent-4': { overruns: 3, complaints: 1 },
  'agent-5': { overruns: 2, complaints: 4 },
};

/** A month of generated activity, with the facts each ticket was generated from. */
function generateMonth(seed: string) {
  const rnd = seededRandom(seed);
  const tickets: ScoreTicket[] = [];
  const truth: Array<{
    agent: string;
    late: boolean;
    timed: boolean;
    multi: boolean;
    reopened: boolean;
    inside: boolean;
  }> = [];
  const verdicts: ScoreInput['verdicts'][number][] = [];
  const csat: Array<{ agentId: string; score: number }> = [];
  const complaints: Array<{ agentId: string; at: string }> = [];
  let n = 0;
  for (const [agent, plan] of Object.entries(PLAN)) {
    const count = 20 + Math.floor(rnd() * 30);
    for (let i = 0; i < count; i++) {
      n += 1;
      const late = i < plan.overruns;
      const timed = late || rnd() < 0.9;
      const multi = rnd() < 0.2;
      const reopened = rnd() < 0.1;
      // A few resolved just outside the month (they must not count).
      const inside = late || rnd() < 0.92;
      const resolvedAt = inside
        ? FROM.getTime() + Math.floor(rnd() * (TO.getTime() - FROM.getTime()))
        : TO.getTime() + Math.floor(rnd() * 48 * HOUR);
      const due =
        resolvedAt + (late ? -Math.ceil(rnd() * 5 * HOUR) - 1 : Math.floor(rnd() * 5 * HOUR));
      const metLate = late && rnd() < 0.5;
      tickets.push({
        id: `t${n}`,
        assigneeId: agent,
        resolvedAt: new Date(resolvedAt).toISOString(),
        resolve: timed
          ? {
              dueAt: new Date(due).toISOString(),
              state: late ? 'breached' : 'met',
              metAt: late && !metLate ? null : new Date(resolvedAt).toISOString(),
            }
          : null,
        assignments: multi ? 2 + Math.floor(rnd() * 3) : 1,
        reopened,
      });
      truth.push({ agent, late, timed, multi, reopened, inside });
    }
    const reviewed = 2 + Math.floor(rnd() * 3);
    for (let i = 0; i < reviewed; i++)
      verdicts.push({ agentId: agent, score: Math.round(rnd() * 1000) / 10 });
    verdicts.push({ agentId: agent, score: null }); // all n/a: not counted
    const answers = Math.floor(rnd() * 8);
    for (let i = 0; i < answers; i++)
      csat.push({ agentId: agent, score: 1 + Math.floor(rnd() * 5) });
    for (let i = 0; i < plan.complaints; i++)
      complaints.push({
        agentId: agent,
        at: new Date(FROM.getTime() + (i + 1) * 24 * HOUR).toISOString(),
      });
    complaints.push({ agentId: agent, at: new Date(TO.getTime() + HOUR).toISOString() }); // next month
  }
  return { tickets, truth, verdicts, csat, complaints };
}

describe('scorecards', () => {
  it('equal an independent recomputation on a generated month, cards exactly at 2 overruns and 3 complaints', () => {
    const month = generateMonth('scorecards-2026-04');
    const cards = computeScorecards({ from: FROM, to: TO, ...month });
    expect(cards.map((c) => c.agentId)).toEqual(Object.keys(PLAN));
    for (const c of cards) {
      const mine = month.truth.filter((t) => t.agent === c.agentId && t.inside);
      const timed = mine.filter((t) => t.timed);
      const late = timed.filter((t) => t.late).length;
      const timeliness = timed.length ? (timed.length - late) / timed.length : null;
      const scores = month.verdicts
        .filter((v) => v.agentId === c.agentId && v.score !== null)
        .map((v) => v.score as number);
      const quality = scores.length
        ? scores.reduce((a, b) => a + b, 0) / scores.length / 100
        : null;
      const answers = month.csat.filter((a) => a.agentId === c.agentId);
      const satisfaction = answers.length
        ? answers.filter((a) => a.score >= 4).length / answers.length
        : null;
      let num = 0;
      let den = 0;
      for (const [v, w] of [
        [timeliness, 40],
        [quality, 30],
        [satisfaction, 30],
      ] as const)
        if (v !== null) {
          num += v * w;
          den += w;
        }
      const plan = PLAN[c.agentId]!;
      expect(c).toEqual({
        agentId: c.agentId,
        resolved: mine.length,
        onTime: timed.length - late,
        overruns: plan.overruns,
        complaints: plan.complaints,
        timeliness,
        quality,
        qaReviewed: scores.length,
        satisfaction,
        csatResponses: answers.length,
        score: den ? Math.round((num / den) * 1000) / 10 : null,
        cards: { yellow: plan.overruns >= 2, blue: plan.complaints >= 3 },
        redispatchRate: mine.filter((t) => t.multi).length / mine.length,
        firstTimeFixRate: mine.filter((t) => !t.reopened).length / mine.length,
      });
    }
    const byAgent = Object.fromEntries(cards.map((c) => [c.agentId, c.cards]));
    expect(byAgent).toEqual({
      'agent-1': { yellow: false, blue: false },
      'agent-2': { yellow: false, blue: false },
      'agent-3': { yellow: true, blue: true },
      'agent-4': { yellow: true, blue: false },
      'agent-5': { yellow: true, blue: true },
    });
  });

  it('leaves satisfaction out (weights renormalised) when there is no CSAT source', () => {
    const [card] = computeScorecards({
      from: FROM,
      to: TO,
      tickets: [
        {
          id: 'a',
          assigneeId: 'x',
          resolvedAt: '2026-04-10T00:00:00.000Z',
          resolve: {
            dueAt: '2026-04-11T00:00:00.000Z',
            state: 'met',
            metAt: '2026-04-10T00:00:00.000Z',
          },
          assignments: 1,
          reopened: false,
        },
      ],
      verdicts: [{ agentId: 'x', score: 50 }],
      csat: null,
      complaints: [],
    });
    // (1 × 40 + 0.5 × 30) ÷ 70 = 78.57…
    expect(card).toMatchObject({ timeliness: 1, quality: 0.5, satisfaction: null, score: 78.6 });
  });

  it('sums a team over its members (an agent in two groups counts in both)', () => {
    const month = generateMonth('scorecards-teams');
    const groupsOf = new Map([
      ['agent-1', ['l1']],
      ['agent-2', ['l1']],
      ['agent-3', ['l1', 'l2']],
      ['agent-4', ['l2']],
      // agent-5 in no group: on no team card.
    ]);
    const teams = computeTeamScorecards({ from: FROM, to: TO, ...month }, groupsOf);
    const agents = computeScorecards({ from: FROM, to: TO, ...month });
    expect(teams.map((t) => [t.groupId, t.members])).toEqual([
      ['l1', 3],
      ['l2', 2],
    ]);
    for (const team of teams) {
      const members = agents.filter((c) => groupsOf.get(c.agentId)?.includes(team.groupId));
      const sum = (k: 'resolved' | 'onTime' | 'overruns' | 'complaints' | 'qaReviewed') =>
        members.reduce((n, c) => n + c[k], 0);
      expect(team).toMatchObject({
        resolved: sum('resolved'),
        onTime: sum('onTime'),
        overruns: sum('overruns'),
        complaints: sum('complaints'),
        qaReviewed: sum('qaReviewed'),
        cards: { yellow: sum('overruns') >= 2, blue: sum('complaints') >= 3 },
      });
      expect(team.timeliness).toBeCloseTo(
        sum('onTime') / members.reduce((n, c) => n + c.onTime + c.overruns, 0),
        12,
      );
    }
  });
});

describe('countAssignments', () => {
  it('counts the dispatch at creation, every reassignment, and no refusal', () => {
    const moved = { previousGroupId: 'l1', previousAssigneeId: 'a' };
    // Created with a group, reassigned once: two assignments (re-dispatched).
    expect(countAssignments({ groupId: 'l2', assigneeId: 'b', assignments: [moved] })).toBe(2);
    // Created without one, dispatched once: one.
    const first = { previousGroupId: null, previousAssigneeId: null };
    expect(countAssignments({ groupId: 'l2', assigneeId: 'b', assignments: [first] })).toBe(1);
    // Created with an assignee, never reassigned: one; nothing at all: none.
    expect(countAssignments({ groupId: null, assigneeId: 'a', assignments: [] })).toBe(1);
    expect(countAssignments({ groupId: null, assigneeId: null })).toBe(0);
    // A refusal is not an assignment, but still tells what the creation dispatched.
    const refusal = { refused: true, previousGroupId: 'l1', previousAssigneeId: 'a' };
    expect(countAssignments({ groupId: 'l1', assigneeId: null, assignments: [refusal] })).toBe(1);
  });
});
