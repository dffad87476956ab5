/**
 * Agents' scorecards for a period (issue 22), pure: timeliness 40 %, quality 30 % (the QA
 * verdicts), satisfaction 30 % (CSAT), the yellow card (2 overruns) and the blue card
 * (3 complaints), the re-dispatch and first-time-fix rates. Rates are part ÷ whole in [0, 1]
 * or null when the whole is 0, as in docs/metrics.md.
 */

export const SCORE_WEIGHTS = { timeliness: 0.4, quality: 0.3, satisfaction: 0.3 } as const;
export const YELLOW_CARD_OVERRUNS = 2;
export const BLUE_CARD_COMPLAINTS = 3;

/** A ticket an agent resolved, as the scorecard reads it. */
export interface ScoreTicket {
  id: string;
  assigneeId: string | null;
  resolvedAt: string | null;
  /** The resolve target: `metAt` after `dueAt`, or state `breached`, is an overrun. */
  resolve: { dueAt: string | null; state: string; metAt?: string | null } | null;
  /** Assignments so far (`ticket.created` with an assignee or group, `ticket.assigned`). */
  assignments: number;
  /** Reopened, or followed up `not_resolved`. */
  reopened: boolean;
}

export interface ScoreInput {
  from: Date;
  to: Date;
  tickets: readonly ScoreTicket[];
  /** QA verdict scores (0–100) of sampled tickets of the period, by agent. */
  verdicts: ReadonlyArray<{ agentId: string | null; score: number | null }>;
  /** CSAT answers (1–5; satisfied ≥ 4) on the agent's tickets in the period; null: no CSAT source. */
  csat: ReadonlyArray<{ agentId: string | null; score: number }> | null;
  /** Complaints attributed to an agent, received in the period. */
  complaints: ReadonlyArray<{ agentId: string | null; at: string }>;
}

export interface Scorecard {
  agentId: string;
  resolved: number;
  onTime: number;
  overruns: number;
  complaints: number;
  /** On time ÷ resolved with a resolve target. */
  timeliness: number | null;
  /** Mean QA score ÷ 100. */
  quality: number | null;
  qaReviewed: number;
  /** Satisfied ÷ CSAT answers. */
  satisfaction: number | null;
  csatResponses: number;
  /** Weighted over the parts present (weights renormalised), 0–100 one decimal; null if none. */
  score: number | null;
  cards: { yellow: boolean; blue: boolean };
  redispatchRate: number | null;
  firstTimeFixRate: number | null;
}

/** What a ticket's dispatch history is read from: its row's group, assignee and assignments. */
export interface DispatchHistory {
  groupId: string | null;
  assigneeId: string | null;
  assignments?: ReadonlyArray<{
    refused?: boolean;
    previousGroupId?: string | null;
    previousAssigneeId?: string | null;
  }> | null;
}

/**
 * A ticket's assignments (docs/metrics.md): the dispatch at creation when `ticket.created` named
 * a group or an assignee, plus every `ticket.assigned`; refused dispatches not counted. The
 * creation's dispatch is known from the first later entry's previous group or assignee (or,
 * none, from the row's own group and assignee).
 */
export function countAssignments(t: DispatchHistory): number {
  const list = t.assignments ?? [];
  const first = list[0];
  const atCreation = first
    ? Boolean(first.previousGroupId ?? first.previousAssigneeId)
    : Boolean(t.groupId ?? t.assigneeId);
  return list.filter((a) => !a.refused).length + (atCreation ? 1 : 0);
}

const inPeriod = (at: string | null, from: Date, to: Date): boolean => {
  if (!at) return false;
  const t = Date.parse(at);
  return t >= from.getTime() && t < to.getTime();
};
const rate = (part: number, whole: number): number | null => (whole === 0 ? null : part / whole);

/** Whether the resolve target was overrun (met late, or breached). */
export function isOverrun(r: ScoreTicket['resolve']): boolean {
  if (!r?.dueAt) return false;
  if (r.metAt) return Date.parse(r.metAt) > Date.parse(r.dueAt);
  return r.state === 'breached';
}

/** One scorecard per agent with any ticket, verdict, answer or complaint in the period. */
export function computeScorecards(input: ScoreInput): Scorecard[] {
  const { from, to } = input;
  const cards = new Map<
    string,
    Scorecard & { qaSum: number; satisfied: number; ftf: number; redis: number; timed: number }
  >();
  const card = (agentId: string) => {
    let c = cards.get(agentId);
    if (!c) {
      c = {
        agentId,
        resolved: 0,
        onTime: 0,
        overruns: 0,
        complaints: 0,
        timeliness: null,
        quality: null,
        qaReviewed: 0,
        satisfaction: null,
        csatResponses: 0,
        score: null,
        cards: { yellow: false, blue: false },
        redispatchRate: null,
        firstTimeFixRate: null,
        qaSum: 0,
        satisfied: 0,
        ftf: 0,
        redis: 0,
        timed: 0,
      };
      cards.set(agentId, c);
    }
    return c;
  };
  for (const t of input.tickets) {
    if (!t.assigneeId || !inPeriod(t.resolvedAt, from, to)) continue;
    const c = card(t.assigneeId);
    c.resolved += 1;
    if (t.resolve?.dueAt) {
      c.timed += 1;
      if (isOverrun(t.resolve)) c.overruns += 1;
      else c.onTime += 1;
    }
    if (t.assignments >= 2) c.redis += 1;
    if (!t.reopened) c.ftf += 1;
  }
  for (const v of input.verdicts) {
    if (!v.agentId || v.score == null) continue;
    const c = card(v.agentId);
    c.qaReviewed += 1;
    c.qaSum += v.score;
  }
  for (const a of input.csat ?? []) {
    if (!a.agentId) continue;
    const c = card(a.agentId);
    c.csatResponses += 1;
    if (a.score >= 4) c.satisfied += 1;
  }
  for (const k of input.complaints) {
    if (!k.agentId || !inPeriod(k.at, from, to)) continue;
    card(k.agentId).complaints += 1;
  }
  return [...cards.values()]
    .sort((a, b) => (a.agentId < b.agentId ? -1 : a.agentId > b.agentId ? 1 : 0))
    .map(({ qaSum, satisfied, ftf, redis, timed, ...c }) => {
      const timeliness = rate(c.onTime, timed);
      const quality = c.qaReviewed === 0 ? null : qaSum / c.qaReviewed / 100;
      const satisfaction = rate(satisfied, c.csatResponses);
      const parts: Array<[number | null, number]> = [
        [timeliness, SCORE_WEIGHTS.timeliness],
        [quality, SCORE_WEIGHTS.quality],
        [satisfaction, SCORE_WEIGHTS.satisfaction],
      ];
      const present = parts.filter((p): p is [number, number] => p[0] !== null);
      const weight = present.reduce((s, [, w]) => s + w, 0);
      const score =
        weight === 0
          ? null
          : Math.round((present.reduce((s, [v, w]) => s + v * w, 0) / weight) * 1000) / 10;
      return {
        ...c,
        timeliness,
        quality,
        satisfaction,
        score,
        cards: {
          yellow: c.overruns >= YELLOW_CARD_OVERRUNS,
          blue: c.complaints >= BLUE_CARD_COMPLAINTS,
        },
        redispatchRate: rate(redis, c.resolved),
        firstTimeFixRate: rate(ftf, c.resolved),
      };
    });
}

/**
 * One scorecard per group over its members' work (the same figures and cards as an agent's):
 * every ticket, verdict, answer and complaint of an agent counts in each of the agent's groups.
 * `members` is how many of the group's agents have a card of their own in the period.
 */
export function computeTeamScorecards(
  input: ScoreInput,
  groupsOf: ReadonlyMap<string, readonly string[]>,
): Array<Omit<Scorecard, 'agentId'> & { groupId: string; members: number }> {
  const spread = <T extends { agentId?: string | null; assigneeId?: string | null }>(
    rows: readonly T[],
    key: 'agentId' | 'assigneeId',
  ): T[] =>
    rows.flatMap((r) => {
      const agent = r[key];
      return agent ? (groupsOf.get(agent) ?? []).map((g) => ({ ...r, [key]: g })) : [];
    });
  const members = new Map<string, number>();
  for (const c of computeScorecards(input))
    for (const g of groupsOf.get(c.agentId) ?? []) members.set(g, (members.get(g) ?? 0) + 1);
  return computeScorecards({
    from: input.from,
    to: input.to,
    tickets: spread(input.tickets, 'assigneeId'),
    verdicts: spread(input.verdicts, 'agentId'),
    csat: input.csat ? spread(input.csat, 'agentId') : null,
    complaints: spread(input.complaints, 'agentId'),
  }).map(({ agentId, ...card }) => ({
    groupId: agentId,
    members: members.get(agentId) ?? 0,
    ...card,
  }));
}
