/**
 * Surveys end to end on a real server (PGlite and PostgreSQL) against a local SMTP sink
 * (decision 53): the CSAT link is parsed out of the resolution mail caught by the sink and
 * answered through the public routes with its token only; a ticket takes one answer (a second
 * is refused clearly, so is a staff seat sending `survey.answer`); a CSAT of 1 raises the
 * duty manager's alert on their seat (real socket.io-client, latency printed); the figures are
 * in `GET /api/reports/surveys` and the wallboard's metrics; an expired link answers 410; the
 * quarterly NPS round samples contacts reproducibly, once, and its mail's link is answered.
 */
import { randomUUID } from 'node:crypto';
import type { Socket } from 'socket.io-client';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import {
  addDutyManagerOnShift,
  ADMIN_PASSWORD,
  DRIVERS,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { SmtpSink, type SunkMail } from '../../testing/smtpSink';
import { createTicket, prepareDesk, sendCommand, startWork } from '../sla/sla.testing';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { roundOf, roundStart, sampleContacts } from './sample';
import { listMailableContacts } from './surveys.repo';

const WAIT = { timeoutMs: 30_000 };

interface PushedAlert {
  id: string;
  kind: string;
  stepKey: string;
  ticketId: string | null;
  recipientIds: string[];
  message: string;
  data: Record<string, unknown>;
}

/** Resolves on the first `alert` push a check accepts (no sleeping), or fails after 30 s. */
function nextAlert(socket: Socket, check: (a: PushedAlert) => boolean, what: string) {
  return new Promise<PushedAlert>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no alert push in 30 s: ${what}`)), 30_000);
    const on = (a: PushedAlert) => {
      if (!check(a)) return;
      clearTimeout(timer);
      socket.off('alert', on);
      resolve(a);
    };
    socket.on('alert', on);
  });
}

/** The token of the survey link in a mail. */
function tokenIn(mail: SunkMail, base: string): string {
  const m = new RegExp(
    `${base.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}/survey#([A-Za-z0-9_-]+)`,
  ).exec(mail.text);
  if (!m?.[1]) throw new Error(`no survey link in: ${mail.text}`);
  return m[1];
}

function nextRound(round: string): string {
  const [y, q] = round.split('-Q').map(Number) as [number, number];
  return q === 4 ? `${y + 1}-Q1` : `${y}-Q${q + 1}`;
}

describe.each(DRIVERS)('surveys on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let sink: SmtpSink;
  let admin: string;
  let adminId: string;
  let dm: { id: string; token: string };
  let orgId: string;
  const tokens: string[] = [];

  async function flushMail(): Promise<void> {
    await server.mail.rules.tick();
    await server.mail.sender.tick();
  }

  async function contact(name: string, email: string, preferredLanguage: string): Promise<string> {
    const res = await server.api('POST', '/api/contacts', {
      token: admin,
      body: { name, email, preferredLanguage, organisationId: orgId },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  }

  /** A ticket of `contactId` resolved; its resolution mail's survey token. */
  async function resolvedTicketToken(contactId: string, email: string, title: string) {
    const t = await createTicket(server, admin, { title, contactId, priority: 'P3' });
    await startWork(server, admin, t.id, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.resolve',
      ticketId: t.id,
      code: 'fixed',
      summary: 'Replaced the power supply',
    });
    await flushMail();
    const mail = await sink.waitFor(
      (m) =>
        m.rcptTo.includes(email) && m.subject.includes(t.number) && m.text.includes('/survey#'),
      WAIT,
    );
    return { ticket: t, token: tokenIn(mail, server.url), mail };
  }

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    sink = await SmtpSink.start();
    server = await startTestServer({
      driver,
      clock,
      env: {
        DUTYDESK_SMTP_URL: sink.url,
        DUTYDESK_MAIL_FROM: 'Desk <desk@dutydesk.test>',
        DUTYDESK_NPS_PERCENT: '50',
        DUTYDESK_NPS_SEED: 'survey-test',
      },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
    dm = await addDutyManagerOnShift(server, admin, clock.now(), 'Duty Manager');
    const org = await server.api('POST', '/api/organisations', {
      token: admin,
      body: { name: 'Survey Bank' },
    });
    expect(org.status).toBe(201);
    orgId = (org.body as { id: string }).id;
  });

  afterAll(async () => {
    await server?.dispose();
    await sink?.close();
  });

  it('a CSAT answered from the resolution mail’s link; one answer per ticket; staff may not answer', async () => {
    const cId = await contact('Alex Chen', 'alex.csat@example.com', 'en');
    const { ticket, token } = await resolvedTicketToken(
      cId,
      'alex.csat@example.com',
      'Printer jam',
    );
    tokens.push(token);
    const opened = await server.api('POST', '/api/surveys/open', { body: { token } });
    expect(opened.status).toBe(200);
    expect(opened.body).toMatchObject({
      kind: 'csat',
      state: 'open',
      ticketNumber: ticket.number,
      ticketTitle: 'Printer jam',
      locale: 'en',
    });
    // Out of range, too long, unknown token: clear 400 / 401.
    expect(
      (await server.api('POST', '/api/surveys/answer', { body: { token, score: 6 } })).status,
    ).toBe(400);
    expect(
      (
        await server.api('POST', '/api/surveys/answer', {
          body: { token, score: 4, comment: 'x'.repeat(2_001) },
        })
      ).status,
    ).toBe(400);
    const unknown = await server.api('POST', '/api/surveys/answer', {
      body: { token: `${token.slice(0, -2)}AA`, score: 5 },
    });
    expect(unknown.status).toBe(401);
    expect(unknown.body).toMatchObject({
      error: { fields: [{ path: 'token', message: 'unknown' }] },
    });

    const answered = await server.api('POST', '/api/surveys/answer', {
      body: { token, score: 4, comment: 'Quick and friendly' },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    expect(answered.body).toMatchObject({ kind: 'csat', followUp: false });

    // The same link again, and a second link of the same ticket: refused, saying why.
    const again = await server.api('POST', '/api/surveys/answer', { body: { token, score: 5 } });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { fields: [{ message: 'used' }] } });
    const link = await server.api('POST', '/api/surveys/links', {
      token: admin,
      body: { ticketId: ticket.id },
    });
    expect(link.status).toBe(201);
    const second = (link.body as { url: string }).url.split('#')[1] ?? '';
    expect(
      (await server.api('POST', '/api/surveys/open', { body: { token: second } })).body,
    ).toMatchObject({
      state: 'answered',
    });
    const twice = await server.api('POST', '/api/surveys/answer', {
      body: { token: second, score: 1 },
    });
    expect(twice.status).toBe(409);
    expect(twice.body).toMatchObject({
      error: {
        message: 'This ticket has its satisfaction answer already',
        fields: [{ message: 'answered' }],
      },
    });

    // A staff seat cannot send survey.answer, even with a real invitation id.
    const staff = await server.api('POST', '/api/commands', {
      token: admin,
      body: {
        commandId: randomUUID(),
        type: 'survey.answer',
        invitationId: 'a'.repeat(64),
        score: 5,
      },
    });
    expect(staff.status).toBe(403);

    // The answer is an event of the audited log.
    const events = await server.api('GET', '/api/events?after=0&limit=1000', { token: admin });
    const list = (events.body as { events: Array<{ type: string; data: Record<string, unknown> }> })
      .events;
    expect(list.filter((e) => e.type === 'survey.answered')).toEqual([
      expect.objectContaining({
        data: expect.objectContaining({
          kind: 'csat',
          score: 4,
          ticketId: ticket.id,
          contactId: cId,
        }),
      }),
    ]);
  });

  it('a CSAT of 1 raises the duty manager’s alert on their seat at once (latency printed), and shows on the organisation', async () => {
    const cId = await contact('王芳', 'wangfang.csat@example.cn', 'zh-CN');
    const { ticket, token, mail } = await resolvedTicketToken(
      cId,
      'wangfang.csat@example.cn',
      '网络中断',
    );
    expect(mail.subject).toContain('已解决');
    const { socket } = await server.connect(dm.token);
    const pushed = nextAlert(
      socket,
      (a) => a.stepKey === 'survey/low-score' && a.ticketId === ticket.id,
      'the CSAT 1 follow-up on the duty manager seat',
    );
    const started = performance.now();
    const res = await server.api('POST', '/api/surveys/answer', {
      body: { token, score: 1, comment: '三天才修好' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ followUp: true });
    const alert = await pushed;
    const latencyMs = performance.now() - started;
    console.log(
      `[surveys ${driver}] CSAT 1 answer sent → duty manager seat alert: ${latencyMs.toFixed(1)} ms`,
    );
    // The target is a second (printed above); asserted is what a loaded machine still meets.
    expect(latencyMs).toBeLessThan(10_000);
    expect(alert.recipientIds).toEqual([dm.id]);
    expect(alert.message).toContain('CSAT 1/5');
    expect(alert.message).toContain('三天才修好');

    const follow = await server.api('GET', `/api/organisations/${orgId}/survey-follow-ups`, {
      token: admin,
    });
    expect(follow.status).toBe(200);
    expect((follow.body as { followUps: unknown[] }).followUps).toEqual([
      expect.objectContaining({
        kind: 'csat',
        score: 1,
        ticketId: ticket.id,
        ticketNumber: ticket.number,
        contactName: '王芳',
        alertId: alert.id,
        acknowledged: false,
      }),
    ]);
    // The engine's job finds nothing more to raise (once only).
    expect(await server.surveys.followUps.raiseDue()).toBe(0);
    socket.disconnect();
  });

  it('CSAT in the report and on the wallboard; authorisation on the staff routes', async () => {
    const now = clock.now();
    const from = new Date(now.getTime() - 3_600_000).toISOString();
    const to = new Date(now.getTime() + 60_000).toISOString();
    const report = await server.api('GET', `/api/reports/surveys?from=${from}&to=${to}`, {
      token: dm.token,
    });
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({
      csat: {
        responses: 2,
        average: 2.5,
        distribution: [1, 0, 0, 1, 0],
        invited: 2,
        responseRate: 1,
      },
      nps: { responses: 0, score: null },
    });
    expect(
      (await server.api('GET', `/api/reports/surveys?from=${to}&to=${from}`, { token: dm.token }))
        .status,
    ).toBe(400);
    expect((await server.api('GET', '/api/reports/surveys')).status).toBe(401);
    const engineer = await server.api('POST', '/api/users', {
      token: admin,
      body: { username: 'eng1', password: 'password-123', displayName: 'Eng', roles: ['engineer'] },
    });
    expect(engineer.status).toBe(201);
    const engToken = await server.login('eng1', 'password-123');
    expect((await server.api('GET', '/api/reports/surveys', { token: engToken })).status).toBe(403);
    expect(
      (await server.api('POST', '/api/surveys/links', { token: engToken, body: { ticketId: 'x' } }))
        .status,
    ).toBe(403);

    const wall = await server.api('GET', '/api/wallboard/metrics', { token: admin });
    expect(wall.status).toBe(200);
    expect((wall.body as { surveys: unknown }).surveys).toMatchObject({
      today: { csat: { responses: 2, average: 2.5 } },
      month: { csat: { responses: 2, average: 2.5 } },
    });
  });

  it('an expired link answers 410', async () => {
    const cId = await contact('Late Larry', 'late@example.com', 'en');
    const { token } = await resolvedTicketToken(cId, 'late@example.com', 'Old laptop');
    clock.advance(31 * 86_400_000);
    // Sessions expire too: sign in again for what follows.
    admin = await server.login('admin', ADMIN_PASSWORD);
    dm.token = await server.login('dm1', 'password-123');
    const opened = await server.api('POST', '/api/surveys/open', { body: { token } });
    expect(opened.status).toBe(410);
    expect(opened.body).toMatchObject({ error: { fields: [{ message: 'expired' }] } });
    const res = await server.api('POST', '/api/surveys/answer', { body: { token, score: 5 } });
    expect(res.status).toBe(410);
  });

  it('the quarterly NPS: a seeded sample mailed once in each contact’s language, answered from its link; a detractor alerts', async () => {
    const ids: Record<string, string> = {};
    const langs = ['en', 'zh-CN', 'ja', 'ko'];
    for (let i = 0; i < 8; i += 1) {
      const email = `nps${i}@example.com`;
      ids[email] = await contact(`NPS ${i}`, email, langs[i % 4] ?? 'en');
    }
    // This quarter's round (the clock moved a month on above) is over and its mails sent.
    await server.escalation.tick();
    await flushMail();
    const earlier = new Set(sink.messages);
    // The next quarter starts: one round, sampled once whoever runs it.
    const round = nextRound(roundOf(clock.now()));
    clock.set(new Date(roundStart(round).getTime() + 3_600_000));
    await server.escalation.tick();
    expect(await server.surveys.nps.run(clock.now())).toBeNull();
    // The clock moved on by months: sessions of before have expired.
    admin = await server.login('admin', ADMIN_PASSWORD);
    dm.token = await server.login('dm1', 'password-123');
    const mailable = await listMailableContacts(server.ctx.database.db);
    const emails = await queryRows<{ id: string; email: string }>(
      server.ctx.database.db,
      sql`select id, email from contacts where email is not null`,
    );
    const expected = sampleContacts(mailable, 'survey-test', round, 50);
    expect(expected.length).toBe(Math.ceil(mailable.length / 2));
    // Reproducible: the same seed, round and contacts give the same sample.
    expect(sampleContacts([...mailable].reverse(), 'survey-test', round, 50)).toEqual(expected);
    await flushMail();
    const byId = new Map(emails.map((c) => [c.id, c.email]));
    const isNps = (m: SunkMail) => /recommend|推荐|勧める|추천/.test(m.subject);
    for (const id of expected)
      await sink.waitFor(
        (m) => isNps(m) && m.rcptTo.includes(byId.get(id) ?? '') && !earlier.has(m),
        WAIT,
      );
    // A second run of the round (another node, a restart) sends nothing more.
    await server.escalation.tick();
    await flushMail();
    const npsMails = sink.messages.filter((m) => isNps(m) && !earlier.has(m));
    expect(npsMails.map((m) => m.rcptTo[0]).sort()).toEqual(
      expected.map((id) => byId.get(id)).sort(),
    );
    // Each in its contact's language.
    const langOf = new Map(Object.entries(ids).map(([email, id]) => [id, email]));
    for (const m of npsMails) {
      const i = Number(/nps(\d)@/.exec(m.rcptTo[0] ?? '')?.[1] ?? -1);
      if (i < 0) continue;
      const word = ['recommend', '推荐', '勧める', '추천'][i % 4] ?? '';
      expect(m.subject, m.rcptTo[0]).toContain(word);
    }
    expect(langOf.size).toBe(8);

    const first = npsMails[0] as SunkMail;
    const token = tokenIn(first, server.url);
    const opened = await server.api('POST', '/api/surveys/open', { body: { token } });
    expect(opened.body).toMatchObject({ kind: 'nps', state: 'open', ticketNumber: null });
    const { socket } = await server.connect(dm.token);
    const pushed = nextAlert(
      socket,
      (a) => a.stepKey === 'survey/low-score' && a.ticketId === null,
      'the NPS detractor alert',
    );
    const res = await server.api('POST', '/api/surveys/answer', {
      body: { token, score: 3, comment: 'Too many handovers' },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    expect(res.body).toMatchObject({ kind: 'nps', followUp: true });
    expect((await pushed).message).toContain('NPS 3/10');
    const promoter = tokenIn(npsMails[1] as SunkMail, server.url);
    expect(
      (await server.api('POST', '/api/surveys/answer', { body: { token: promoter, score: 10 } }))
        .status,
    ).toBe(201);

    const now = clock.now();
    const report = await server.api(
      'GET',
      `/api/reports/surveys?from=${new Date(now.getTime() - 7_200_000).toISOString()}&to=${new Date(now.getTime() + 60_000).toISOString()}`,
      { token: admin },
    );
    expect(report.body).toMatchObject({
      nps: {
        responses: 2,
        promoters: 1,
        detractors: 1,
        passives: 0,
        score: 0,
        invited: expected.length,
      },
      csat: { responses: 0 },
    });
    const wall = await server.api('GET', '/api/wallboard/metrics', { token: admin });
    expect((wall.body as { surveys: unknown }).surveys).toMatchObject({
      today: { nps: { responses: 2, score: 0 } },
      month: { nps: { responses: 2, score: 0 } },
    });
    socket.disconnect();
  });
  it('the portal’s survey route: the caller’s ticket only, once resolved, answered once', async () => {
    const cId = await contact('Portal Survey', 'portal.survey@example.com', 'zh-CN');
    const portalLink = async (ticketId: string) => {
      const res = await server.api('POST', '/api/portal/links', {
        token: admin,
        body: { ticketId },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      return (res.body as { token: string }).token;
    };
    const { ticket } = await resolvedTicketToken(cId, 'portal.survey@example.com', '门禁卡失效');
    const open = await createTicket(server, admin, { title: 'Still open', contactId: cId });
    const mine = await portalLink(ticket.id);
    const other = await portalLink(open.id);
    const path = (id: string) => `/api/portal/tickets/${id}/survey`;

    // No token, a staff session, another ticket's link: refused (401, 401, 404).
    expect((await server.api('GET', path(ticket.id))).status).toBe(401);
    expect((await server.api('POST', path(ticket.id), { token: admin })).status).toBe(401);
    expect((await server.api('GET', path(ticket.id), { token: other })).status).toBe(404);
    expect((await server.api('POST', path(ticket.id), { token: other })).status).toBe(404);
    // An open ticket: no survey yet (state `unavailable`, minting is 409).
    const notYet = await server.api('GET', path(open.id), { token: other });
    expect(notYet.status).toBe(200);
    expect(notYet.body).toEqual({ state: 'unavailable' });
    const refused = await server.api('POST', path(open.id), { token: other });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({ error: { fields: [{ path: 'status' }] } });

    // The resolved ticket: open, a link minted through the surveys feature, answered from it.
    expect((await server.api('GET', path(ticket.id), { token: mine })).body).toEqual({
      state: 'open',
    });
    const minted = await server.api('POST', path(ticket.id), { token: mine });
    expect(minted.status, JSON.stringify(minted.body)).toBe(201);
    const url = (minted.body as { state: string; url: string }).url;
    expect(url.startsWith(`${server.url}/survey#`)).toBe(true);
    const token = url.slice(url.indexOf('#') + 1);
    const opened = await server.api('POST', '/api/surveys/open', { body: { token } });
    expect(opened.body).toMatchObject({ kind: 'csat', state: 'open', locale: 'zh-CN' });
    const second = await server.api('POST', path(ticket.id), { token: mine });
    expect(second.status).toBe(201);
    const secondToken = (second.body as { url: string }).url.split('#')[1] ?? '';
    const answered = await server.api('POST', '/api/surveys/answer', {
      body: { token, score: 5 },
    });
    expect(answered.status, JSON.stringify(answered.body)).toBe(201);
    // Answered: the portal says so, mints nothing more, and the other link is refused (409).
    expect((await server.api('GET', path(ticket.id), { token: mine })).body).toEqual({
      state: 'answered',
    });
    const after = await server.api('POST', path(ticket.id), { token: mine });
    expect(after.status).toBe(200);
    expect(after.body).toEqual({ state: 'answered', url: null });
    const twice = await server.api('POST', '/api/surveys/answer', {
      body: { token: secondToken, score: 1 },
    });
    expect(twice.status).toBe(409);
  });
});
