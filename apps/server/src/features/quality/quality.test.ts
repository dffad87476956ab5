import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import type { DomainEvent } from '@dutydesk/shared';
import { ManualClock } from '../../clock';
import { qaItems, tickets } from '../../db/schema';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { TestSeat } from '../../testing/seat';
import { verifyAuditChain } from '../events/events.repo';
import type { QaItemView, QaSampleView } from './quality.repo';
import { drawAndStore, QA_TIME_ZONE } from './quality.service';
import { handMadeQa, handMadeState, type HandMade } from './quality.fixtures';
import { drawQaSample, monthPeriod } from './sampling';

const PASSWORD = 'password-123';
const LATE = 't-003';
const MISSING = 't-012';

/**
 * The April 2026 population (desk time): 23 closed tickets in five agent × priority strata,
 * among them one closed 25 % past its resolve target (t-003), one 15 % past (t-004, within
 * the allowance), one with three key fields missing (t-012) and one with two (t-013).
 */
function april(): HandMade[] {
  const strata: Array<[string | null, HandMade['priority'], number]> = [
    ['agent-a', 'P1', 5],
    ['agent-a', 'P2', 8],
    ['agent-b', 'P2', 6],
    ['agent-b', 'P3', 3],
    [null, 'P3', 1],
  ];
  const out: HandMade[] = [];
  for (const [assigneeId, priority, count] of strata)
    for (let i = 0; i < count; i++) {
      const n = out.length + 1;
      const id = `t-${String(n).padStart(3, '0')}`;
      out.push({
        id,
        number: `QA-${n}`,
        priority,
        assigneeId,
        startedAt: new Date(Date.UTC(2026, 3, 2 + n, 1)).toISOString(),
        windowHours: 8,
        stoppedPercent: id === LATE ? 125 : id === 't-004' ? 115 : 60,
        closedAt: new Date(Date.UTC(2026, 3, 3 + n, 1)).toISOString(),
        missing:
          id === MISSING
            ? ['category', 'module', 'resolution_note']
            : id === 't-013'
              ? ['execution_log', 'supervision_log']
              : [],
      });
    }
  return out;
}

/**
 * Issue 22, acceptance 1 (QA sampling): the monthly job draws 10 % (rounded up) of the
 * previous month's closed tickets, stratified by agent and priority, reproducible from its
 * stored seed, once; the automatic findings on hand-made tickets are exactly right; reviewers
 * record checklist verdicts.
 */
describe.each(DRIVERS)('QA sampling on %s', (driver) => {
  let server: TestServer;
  // 30 April 23:00 in Shanghai: the month turns within the sessions' life.
  const clock = new ManualClock('2026-04-30T15:00:00.000Z');
  const tokens: Record<string, string> = {};
  const population = april();

  const call = async (who: string, method: string, path: string, body?: unknown, status = 200) => {
    const res = await server.api(method, path, { token: tokens[who], body });
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };

  beforeAll(async () => {
    server = await startTestServer({ driver, clock });
    tokens.admin = await server.login('admin', ADMIN_PASSWORD);
    for (const [username, role] of [
      ['qdm', 'duty_manager'],
      ['qag', 'agent'],
    ] as const) {
      const res = await server.api('POST', '/api/users', {
        token: tokens.admin,
        body: { username, password: PASSWORD, displayName: username, roles: [role] },
      });
      expect(res.status).toBe(201);
      tokens[username] = await server.login(username, PASSWORD);
    }
    // Besides April's 23: one closed in March, one closed on 1 May (desk time), one still open.
    const outside: HandMade[] = [
      { ...population[0]!, id: 'x-march', number: 'QA-X1', closedAt: '2026-03-31T15:59:59.000Z' },
      { ...population[0]!, id: 'x-may', number: 'QA-X2', closedAt: '2026-04-30T16:00:00.000Z' },
    ];
    const rows = [...population, ...outside].map((h) => {
      const state = handMadeState(h);
      return {
        id: h.id,
        number: h.number,
        kind: state.kind,
        status: state.status,
        priority: state.priority,
        groupId: state.groupId,
        assigneeId: state.assigneeId,
        open: false,
        version: state.version,
        lastSeq: 0,
        receivedAt: new Date(state.receivedAt),
        updatedAt: new Date(state.updatedAt),
        state,
      };
    });
    const open = { ...handMadeState({ ...population[1]!, id: 'x-open', number: 'QA-X3' }) };
    open.status = 'resolved';
    rows.push({
      ...rows[1]!,
      id: 'x-open',
      number: 'QA-X3',
      status: 'resolved',
      open: true,
      state: open,
    });
    await server.ctx.database.db.insert(tickets).values(rows);
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses agents and callers without a token', async () => {
    await call('qag', 'GET', '/api/qa/samples', undefined, 403);
    const res = await server.api('GET', '/api/qa/samples', {});
    expect(res.status).toBe(401);
  });

  it('draws the previous month once, 10 % rounded up, stratified, reproducible from its seed', async () => {
    // 1 May 00:30 in Shanghai: April has ended.
    clock.set('2026-04-30T16:30:00.000Z');
    await server.escalation.tick();
    await server.escalation.tick();
    const { samples } = (await call('qdm', 'GET', '/api/qa/samples')) as {
      samples: QaSampleView[];
    };
    const aprils = samples.filter((s) => s.period === '2026-04');
    expect(aprils).toHaveLength(1);
    const sample = aprils[0]!;
    expect(sample).toMatchObject({
      drawnBy: null,
      population: 23,
      size: 3,
      from: '2026-03-31T16:00:00.000Z',
      to: '2026-04-30T16:00:00.000Z',
    });
    // Largest remainder by hand: 3 × (5, 8, 6, 3, 1) / 23 = .65, 1.04, .78, .39, .13.
    expect(Object.fromEntries(sample.strata.map((s) => [s.key, [s.population, s.quota]]))).toEqual({
      'agent-a|P1': [5, 1],
      'agent-a|P2': [8, 1],
      'agent-b|P2': [6, 1],
      'agent-b|P3': [3, 0],
      '-|P3': [1, 0],
    });
    const { items } = (await call('qdm', 'GET', `/api/qa/samples/${sample.id}`)) as {
      items: QaItemView[];
    };
    expect(items.map((i) => i.stratum).sort()).toEqual(['agent-a|P1', 'agent-a|P2', 'agent-b|P2']);
    // The stored seed draws the same tickets again from the hand-made population.
    const again = drawQaSample(population.map(handMadeQa), sample.seed);
    expect(items.map((i) => i.ticketId)).toEqual(again.items.map((i) => i.ticket.id));
    expect(items.map((i) => i.findings)).toEqual(again.items.map((i) => i.findings));
    // Once: a second monthly draw of April (another node's) stores nothing.
    const period = monthPeriod('2026-04', QA_TIME_ZONE);
    expect(await drawAndStore(server.ctx, period, 'another-node', null)).toBeNull();
  });

  it('finds exactly the late closure and the three missing key fields', async () => {
    // A seed whose sample holds both hand-made tickets (they are in different strata).
    const qa = population.map(handMadeQa);
    let seed = '';
    for (let i = 0; i < 10_000 && !seed; i++) {
      const ids = drawQaSample(qa, `find-${i}`).items.map((x) => x.ticket.id);
      if (ids.includes(LATE) && ids.includes(MISSING)) seed = `find-${i}`;
    }
    expect(seed).not.toBe('');
    const drawn = (await call(
      'qdm',
      'POST',
      '/api/qa/samples',
      { period: '2026-04', seed },
      201,
    )) as {
      sample: QaSampleView;
      items: QaItemView[];
    };
    expect(drawn.sample).toMatchObject({ seed, size: 3, population: 23, flagged: 2 });
    const byTicket = new Map(drawn.items.map((i) => [i.ticketId, i]));
    expect(byTicket.get(LATE)?.findings).toEqual([
      {
        code: 'late_closure',
        dueAt: '2026-04-05T09:00:00.000Z',
        stoppedAt: '2026-04-05T11:00:00.000Z',
        overrunPercent: 25,
      },
    ]);
    expect(byTicket.get(MISSING)?.findings).toEqual([
      { code: 'missing_fields', missing: ['category', 'module', 'resolution_note'] },
    ]);
    for (const item of drawn.items)
      if (item.ticketId !== LATE && item.ticketId !== MISSING) expect(item.findings).toEqual([]);
    // Every ticket's findings, sampled or not: only the two hand-made ones are flagged.
    const flagged = drawQaSample(qa, seed, 100).items.filter((i) => i.findings.length > 0);
    expect(flagged.map((i) => i.ticket.id).sort()).toEqual([LATE, MISSING]);
  });

  it('records a reviewer’s checklist verdict (duty managers only, 400 with the field)', async () => {
    const { samples } = (await call('qdm', 'GET', '/api/qa/samples')) as {
      samples: QaSampleView[];
    };
    const { items } = (await call('qdm', 'GET', `/api/qa/samples/${samples[0]!.id}`)) as {
      items: QaItemView[];
    };
    const item = items[0]!;
    const body = {
      checklist: {
        timely: 'fail',
        fields_complete: 'pass',
        logs_kept: 'pass',
        customer_informed: 'pass',
        resolution_sound: 'na',
      },
      outcome: 'responsibility_review',
      note: 'Closed late without a pending reason',
    };
    await call('qag', 'PUT', `/api/qa/items/${item.id}/verdict`, body, 403);
    const bad = await call(
      'qdm',
      'PUT',
      `/api/qa/items/${item.id}/verdict`,
      { ...body, checklist: { ...body.checklist, timely: 'maybe' } },
      400,
    );
    expect(JSON.stringify(bad)).toContain('checklist.timely');
    await call('qdm', 'PUT', '/api/qa/items/nope/verdict', body, 404);
    const saved = (await call(
      'qdm',
      'PUT',
      `/api/qa/items/${item.id}/verdict`,
      body,
    )) as QaItemView;
    expect(saved.verdict).toEqual({
      checklist: body.checklist,
      outcome: 'responsibility_review',
      score: 75,
      note: 'Closed late without a pending reason',
    });
    expect(saved.reviewedAt).toBe(clock.now().toISOString());
    const after = (await call('qdm', 'GET', `/api/qa/samples/${samples[0]!.id}`)) as {
      sample: QaSampleView;
    };
    expect(after.sample.reviewed).toBe(1);
  });

  it('records a verdict as a command: in the audit chain, live to reviewers and the agent concerned only', async () => {
    const { samples } = (await call('qdm', 'GET', '/api/qa/samples')) as {
      samples: QaSampleView[];
    };
    const { items } = (await call('qdm', 'GET', `/api/qa/samples/${samples[0]!.id}`)) as {
      items: QaItemView[];
    };
    const [reviewed, other] = [items[0]!, items[1]!];
    const me = (await call('qag', 'GET', '/api/auth/me')) as { user: { id: string } };
    // The second item is (made) the agent's own ticket: they may read its verdict.
    await server.ctx.database.db
      .update(qaItems)
      .set({ agentId: me.user.id })
      .where(eq(qaItems.id, other.id));
    const manager = await TestSeat.open(server, tokens.qdm!);
    const agent = await TestSeat.open(server, tokens.qag!);
    const heard = { manager: [] as DomainEvent[], agent: [] as DomainEvent[] };
    manager.socket.on('event', (e: DomainEvent) => heard.manager.push(e));
    agent.socket.on('event', (e: DomainEvent) => heard.agent.push(e));
    try {
      const checklist = {
        timely: 'pass',
        fields_complete: 'pass',
        logs_kept: 'fail',
        customer_informed: 'pass',
        resolution_sound: 'pass',
      };
      const refused = await agent.command({
        type: 'qa.verdict.record',
        itemId: reviewed.id,
        checklist,
        outcome: 'pass',
      });
      expect(refused.error?.code).toBe('forbidden');
      const started = performance.now();
      const ack = await manager.command({
        type: 'qa.verdict.record',
        itemId: reviewed.id,
        checklist,
        outcome: 'fail',
        note: '  Log thin  ',
      });
      expect(ack.ok, JSON.stringify(ack)).toBe(true);
      const event = ack.events![0]!;
      expect(event).toMatchObject({ type: 'qa.verdictRecorded', ticketId: null });
      expect(event.data).toEqual({
        itemId: reviewed.id,
        sampleId: samples[0]!.id,
        period: '2026-04',
        ticketId: reviewed.ticketId,
        ticketNumber: reviewed.ticketNumber,
        agentId: reviewed.agentId,
        verdict: { checklist, outcome: 'fail', score: 80, note: 'Log thin' },
        // The REST verdict of the case before is the one replaced.
        previous: { outcome: 'responsibility_review', score: 75 },
      });
      await manager.waitForSeq(event.seq);
      await agent.waitForSeq(event.seq);
      console.log(
        `[${driver}] verdict ack + both seats at seq ${event.seq}: ${(performance.now() - started).toFixed(1)} ms`,
      );
      expect(heard.manager.find((e) => e.seq === event.seq)?.type).toBe('qa.verdictRecorded');
      // Another agent's verdict reaches this agent as a stand-in only.
      expect(heard.agent.find((e) => e.seq === event.seq)).toMatchObject({
        type: 'event.withheld',
        data: {},
      });
      const own = (await call('qdm', 'PUT', `/api/qa/items/${other.id}/verdict`, {
        checklist,
        outcome: 'pass',
      })) as QaItemView;
      expect(own.verdict?.score).toBe(80);
      const head = (
        (await call('admin', 'GET', '/api/events?after=0&limit=5000')) as {
          events: DomainEvent[];
        }
      ).events.filter((e) => e.type === 'qa.verdictRecorded');
      expect(head.map((e) => e.data)).toMatchObject([
        { itemId: reviewed.id, previous: null },
        { itemId: reviewed.id, verdict: { outcome: 'fail' } },
        { itemId: other.id, agentId: me.user.id, previous: null },
      ]);
      const last = head.at(-1)!;
      await agent.waitForSeq(last.seq);
      expect(heard.agent.find((e) => e.seq === last.seq)?.type).toBe('qa.verdictRecorded');
      // The agent's own event log reads the other verdicts withheld, its own whole.
      const theirs = (
        (await call('qag', 'GET', `/api/events?after=${head[0]!.seq - 1}&limit=5000`)) as {
          events: DomainEvent[];
        }
      ).events.filter((e) => head.some((h) => h.seq === e.seq));
      expect(theirs.map((e) => e.type)).toEqual([
        'event.withheld',
        'event.withheld',
        'qa.verdictRecorded',
      ]);
      // The hand-made tickets have no events (their rows were inserted), so the chain alone.
      const chain = await verifyAuditChain(server.ctx.database.db);
      expect(chain, JSON.stringify(chain)).toMatchObject({ ok: true, checked: last.seq });
    } finally {
      manager.close();
      agent.close();
    }
  });

  it('serves April’s scorecards: duty managers all, an agent only their own', async () => {
    const q = '?from=2026-03-31T16:00:00.000Z&to=2026-04-30T16:00:00.000Z';
    const me = (await call('qag', 'GET', '/api/auth/me')) as { user: { id: string } };
    const all = (await call('qdm', 'GET', `/api/reports/scorecards${q}`)) as {
      scorecards: Array<{
        agentId: string;
        resolved: number;
        overruns: number;
        timeliness: number;
      }>;
      teams: unknown[];
    };
    // Resolved in April: agent-a 13 + the three extra rows (copies of its tickets, resolved in\n    // April whatever their closure), t-003 25 % and t-004 15 % late: two overruns; agent-b 9.
    // qag: the verdict on the item the case before made theirs, and nothing resolved.
    expect(
      all.scorecards
        .map((c) => [c.agentId, c.resolved, c.overruns])
        .sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    ).toEqual(
      [
        ['agent-a', 16, 2],
        ['agent-b', 9, 0],
        [me.user.id, 0, 0],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    );
    // The hand-made agents are in no group, and qag in none either.
    expect(all.teams).toEqual([]);
    const own = (await call('qag', 'GET', `/api/reports/scorecards${q}`)) as {
      scorecards: Array<{ agentId: string; qaReviewed: number; quality: number }>;
      teams: unknown[];
    };
    expect(own.scorecards).toMatchObject([{ agentId: me.user.id, qaReviewed: 1, quality: 0.8 }]);
    expect(own.teams).toEqual([]);
    await call(
      'qag',
      'GET',
      '/api/reports/scorecards?from=2026-05-01T00:00:00Z&to=2026-04-01T00:00:00Z',
      undefined,
      400,
    );
  });
});
