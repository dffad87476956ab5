/**
 * The customer portal's access on a real server (PGlite and PostgreSQL; decision 52): a signed
 * link shows exactly its ticket's public data; tampered, expired and revoked links get 401/403
 * with a clear page and message; customer accounts see their own or their organisation's
 * tickets only; every staff command is refused to the `customer` role (a role × command
 * matrix); the customer's supervision entry and milestone sign-off reach the engineer's seat
 * (a real socket.io client) live, the event log says who signed, and resolve waits for it.
 */
import {
  CommandType,
  CUSTOMER_COMMANDS,
  parseCommand,
  type PublicTicket,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { TestSeat } from '../../testing/seat';
import { createTicket, prepareDesk, sendCommand, startWork } from '../sla/sla.testing';

const DAY = 86_400_000;

/** One valid command of every type on `ticketId` (the matrix sends each as a customer). */
function sampleCommands(
  ticketId: string,
  ids: { contactId: string; organisationId: string; milestoneId: string; userId: string },
): Record<CommandType, Record<string, unknown>> {
  const onTicket = { ticketId };
  return {
    'ticket.create': {
      type: 'ticket.create',
      title: 'x',
      description: '',
      channel: 'portal',
      priority: 'P1',
    },
    'ticket.classify': { type: 'ticket.classify', ...onTicket, category: 'network' },
    'ticket.assign': { type: 'ticket.assign', ...onTicket, groupId: 'l2' },
    'ticket.accept': { type: 'ticket.accept', ...onTicket },
    'ticket.comment': { type: 'ticket.comment', ...onTicket, body: 'x', internal: true },
    'ticket.log.execution': {
      type: 'ticket.log.execution',
      ...onTicket,
      work: 'x',
      progress: 10,
      minutesSpent: 5,
    },
    'ticket.log.supervision': {
      type: 'ticket.log.supervision',
      ...onTicket,
      source: 'on_behalf',
      feedback: 'x',
    },
    'ticket.milestone.add': { type: 'ticket.milestone.add', ...onTicket, title: 'x' },
    'ticket.milestone.confirm': {
      type: 'ticket.milestone.confirm',
      ...onTicket,
      milestoneId: ids.milestoneId,
      side: 'lead',
    },
    'ticket.pend': { type: 'ticket.pend', ...onTicket, reason: 'customer' },
    'ticket.resume': { type: 'ticket.resume', ...onTicket },
    'ticket.resolve': { type: 'ticket.resolve', ...onTicket, code: 'fixed', summary: 'x' },
    'ticket.followUp': { type: 'ticket.followUp', ...onTicket, outcome: 'satisfied' },
    'ticket.close': { type: 'ticket.close', ...onTicket },
    'ticket.reopen': { type: 'ticket.reopen', ...onTicket, reason: 'x' },
    'ticket.contact.record': {
      type: 'ticket.contact.record',
      ...onTicket,
      channel: 'phone',
      summary: 'x',
    },
    'ticket.refuse': { type: 'ticket.refuse', ...onTicket, reason: 'x' },
    'ticket.customer.link': {
      type: 'ticket.customer.link',
      ...onTicket,
      organisationId: null,
      contactId: null,
    },
    'ticket.attachment.add': {
      type: 'ticket.attachment.add',
      ...onTicket,
      attachmentId: randomUUID(),
      name: 'a.txt',
      contentType: 'text/plain',
      size: 1,
      sha256: 'a'.repeat(64),
    },
    'ticket.intake.record': {
      type: 'ticket.intake.record',
      ...onTicket,
      source: 'call',
      signal: 'repeat',
      at: new Date(0).toISOString(),
      summary: 'x',
    },
    'alert.ack': { type: 'alert.ack', alertId: randomUUID() },
    'organisation.create': { type: 'organisation.create', name: 'Evil Corp' },
    'organisation.update': {
      type: 'organisation.update',
      organisationId: ids.organisationId,
      name: 'Renamed',
    },
    'organisation.delete': { type: 'organisation.delete', organisationId: ids.organisationId },
    'contact.create': { type: 'contact.create', name: 'Someone' },
    'contact.update': { type: 'contact.update', contactId: ids.contactId, name: 'Renamed' },
    'contact.delete': { type: 'contact.delete', contactId: ids.contactId },
    'kb.article.create': { type: 'kb.article.create', title: 'x', body: 'x', language: 'en' },
    'kb.article.edit': { type: 'kb.article.edit', articleId: 'kb-1', title: 'y' },
    'kb.article.review': { type: 'kb.article.review', articleId: 'kb-1' },
    'kb.article.publish': { type: 'kb.article.publish', articleId: 'kb-1' },
    'kb.article.retire': { type: 'kb.article.retire', articleId: 'kb-1' },
    'kb.article.feedback': { type: 'kb.article.feedback', articleId: 'kb-1', helped: true },
    'survey.answer': { type: 'survey.answer', invitationId: 'a'.repeat(64), score: 5 },
    'problem.create': { type: 'problem.create', title: 'x' },
    'problem.update': { type: 'problem.update', problemId: 'p-1', rootCause: 'x' },
    'problem.action.save': {
      type: 'problem.action.save',
      problemId: 'p-1',
      title: 'x',
      ownerId: ids.userId,
      dueAt: '2026-12-10T10:00:00.000Z',
    },
    // A signed per-ticket link confirms no problem (only a portal account does).
    'problem.confirm': { type: 'problem.confirm', problemId: 'p-1' },
    'problem.close': { type: 'problem.close', problemId: 'p-1' },
    'problem.report': {
      type: 'problem.report',
      problemId: 'p-1',
      cause: 'x',
      process: 'x',
      prevention: 'x',
    },
    'change.create': {
      type: 'change.create',
      summary: 'x',
      risk: 'low',
      plannedStart: '2026-12-10T01:00:00.000Z',
      plannedEnd: '2026-12-10T02:00:00.000Z',
    },
    'change.decide': { type: 'change.decide', changeId: 'c-1', approved: true },
    'change.done': { type: 'change.done', changeId: 'c-1' },
    'qa.verdict.record': {
      type: 'qa.verdict.record',
      itemId: 'qi-1',
      checklist: {
        timely: 'pass',
        fields_complete: 'pass',
        logs_kept: 'pass',
        customer_informed: 'pass',
        resolution_sound: 'pass',
      },
      outcome: 'pass',
    },
  };
}

describe.each(DRIVERS)('customer portal access on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let adminId: string;
  let orgA: string;
  let orgB: string;
  let a1: string;
  let a2: string;
  let b1: string;
  let t1: Ticket;
  let t2: Ticket;
  let t3: Ticket;
  let link: string;
  let milestoneId: string;

  const portal = (method: string, path: string, token: string, body?: unknown) =>
    server.api(method, `/api/portal${path}`, { token, body });
  const customerCommand = (token: string, body: Record<string, unknown>) =>
    portal('POST', '/commands', token, { commandId: randomUUID(), ...body });

  async function post<T>(path: string, body: unknown, token = admin): Promise<T> {
    const res = await server.api('POST', path, { token, body });
    expect(res.status, `${path}: ${JSON.stringify(res.body)}`).toBe(201);
    return res.body as T;
  }

  async function mint(ticketId: string, days?: number): Promise<{ id: string; token: string }> {
    return post('/api/portal/links', { ticketId, ...(days ? { days } : {}) });
  }

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    server = await startTestServer({ driver, clock });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
    orgA = (await post<{ id: string }>('/api/organisations', { name: 'Acme Shanghai' })).id;
    orgB = (await post<{ id: string }>('/api/organisations', { name: 'Beta Beijing' })).id;
    const contact = async (name: string, email: string, organisationId: string) =>
      (await post<{ id: string }>('/api/contacts', { name, email, organisationId })).id;
    a1 = await contact('Li Wei', 'li.wei@acme.example', orgA);
    a2 = await contact('Wang Fang', 'wang.fang@acme.example', orgA);
    b1 = await contact('Zhao Lei', 'zhao.lei@beta.example', orgB);
    t1 = await createTicket(server, admin, { title: 'VPN down at Acme', contactId: a1 });
    t2 = await createTicket(server, admin, { title: 'Acme printer jam', contactId: a2 });
    t3 = await createTicket(server, admin, { title: 'Beta mail bounce', contactId: b1 });
    await startWork(server, admin, t1.id, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId: t1.id,
      body: 'INTERNAL: firewall rule 17 is the culprit',
      internal: true,
    });
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId: t1.id,
      body: 'We are restoring the tunnel now.',
      internal: false,
    });
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId: t1.id,
      work: 'EXECUTION: reloaded the ASA',
      progress: 50,
      minutesSpent: 20,
    });
    const withMilestone = await sendCommand(server, admin, {
      type: 'ticket.milestone.add',
      ticketId: t1.id,
      title: 'Tunnel restored',
    });
    milestoneId = withMilestone.milestones[0]?.id ?? '';
    link = (await mint(t1.id)).token;
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it("shows exactly the link's ticket, its public data only", async () => {
    const res = await portal('GET', `/tickets/${t1.id}`, link);
    expect(res.status).toBe(200);
    const view = res.body as PublicTicket;
    expect(view.number).toBe(t1.number);
    expect(view.comments.map((c) => c.body)).toEqual(['We are restoring the tunnel now.']);
    expect(view.comments[0]?.by).toBe('desk');
    expect(view.milestones.map((m) => m.title)).toEqual(['Tunnel restored']);
    expect(view.promise.length).toBeGreaterThan(0);
    const text = JSON.stringify(view);
    for (const secret of ['INTERNAL', 'EXECUTION', adminId, 'Administrator', 'l2'])
      expect(text, `the public view carries ${secret}`).not.toContain(secret);
    // No other ticket, whoever it belongs to.
    expect((await portal('GET', `/tickets/${t2.id}`, link)).status).toBe(404);
    expect((await portal('GET', `/tickets/${t3.id}`, link)).status).toBe(404);
    const list = await portal('GET', '/tickets', link);
    expect((list.body as { tickets: Array<{ id: string }> }).tickets.map((t) => t.id)).toEqual([
      t1.id,
    ]);
    const me = await portal('GET', '/me', link);
    expect(me.body).toMatchObject({ kind: 'link', contactName: 'Li Wei', ticketId: t1.id });
    // The page opens; a staff session is no portal token and a portal token no staff session.
    const page = await fetch(`${server.url}/portal/tickets/${t1.id}?t=${link}`);
    expect(page.status).toBe(200);
    expect((await portal('GET', `/tickets/${t1.id}`, admin)).status).toBe(401);
    expect((await server.api('GET', '/api/tickets', { token: link })).status).toBe(401);
    expect((await server.api('GET', `/api/tickets/${t1.id}`, { token: link })).status).toBe(401);
  });

  it('refuses a tampered, an expired and a revoked link with 401/403 and a clear page', async () => {
    const tampered = `${link.slice(0, -2)}${link.endsWith('AA') ? 'BB' : 'AA'}`;
    const bad = await portal('GET', `/tickets/${t1.id}`, tampered);
    expect(bad.status).toBe(401);
    expect(JSON.stringify(bad.body)).toContain('not valid');
    const badPage = await fetch(`${server.url}/portal/tickets/${t1.id}?t=${tampered}`);
    expect(badPage.status).toBe(401);
    expect(await badPage.text()).toContain('This link is not valid');

    const doomed = await mint(t1.id);
    const del = await server.api('DELETE', `/api/portal/links/${doomed.id}`, { token: admin });
    expect(del.status).toBe(204);
    const revoked = await portal('GET', `/tickets/${t1.id}`, doomed.token);
    expect(revoked.status).toBe(403);
    expect(JSON.stringify(revoked.body)).toContain('withdrawn');
    const revokedPage = await fetch(`${server.url}/portal/tickets/${t1.id}?t=${doomed.token}`);
    expect(revokedPage.status).toBe(403);
    expect(await revokedPage.text()).toContain('withdrawn');
    // A revoked link sends nothing either.
    const refused = await customerCommand(doomed.token, {
      type: 'ticket.comment',
      ticketId: t1.id,
      body: 'still here?',
    });
    expect(refused.status).toBe(403);

    const short = await mint(t1.id, 1);
    expect((await portal('GET', `/tickets/${t1.id}`, short.token)).status).toBe(200);
    clock.advance(DAY + 1000);
    const expired = await portal('GET', `/tickets/${t1.id}`, short.token);
    expect(expired.status).toBe(401);
    expect(JSON.stringify(expired.body)).toContain('expired');
    const expiredPage = await fetch(`${server.url}/portal/tickets/${t1.id}?t=${short.token}`);
    expect(expiredPage.status).toBe(401);
    expect(await expiredPage.text()).toContain('expired');
    // The 30-day link is still good; the admin's session ended with the day (signed in again).
    expect((await portal('GET', `/tickets/${t1.id}`, link)).status).toBe(200);
    admin = await server.login('admin', ADMIN_PASSWORD);
  });

  it("lets a customer account see its own tickets, or its organisation's when allowed", async () => {
    await post('/api/portal/accounts', { contactId: a1, password: 'li-wei-secret-1' });
    await post('/api/portal/accounts', {
      contactId: a2,
      password: 'wang-fang-secret-1',
      organisationWide: true,
    });
    const login = async (l: string, password: string) => {
      const res = await server.api('POST', '/api/portal/login', { body: { login: l, password } });
      expect(res.status, JSON.stringify(res.body)).toBe(200);
      return (res.body as { token: string }).token;
    };
    const wrong = await server.api('POST', '/api/portal/login', {
      body: { login: 'li.wei@acme.example', password: 'nope-nope-nope' },
    });
    expect(wrong.status).toBe(401);
    const own = await login('li.wei@acme.example', 'li-wei-secret-1');
    const wide = await login('WANG.FANG@acme.example', 'wang-fang-secret-1');
    const ids = async (token: string) =>
      ((await portal('GET', '/tickets', token)).body as { tickets: Array<{ id: string }> }).tickets
        .map((t) => t.id)
        .sort();
    expect(await ids(own)).toEqual([t1.id]);
    expect(await ids(wide)).toEqual([t1.id, t2.id].sort());
    expect((await portal('GET', `/tickets/${t2.id}`, own)).status).toBe(404);
    expect((await portal('GET', `/tickets/${t2.id}`, wide)).status).toBe(200);
    expect((await portal('GET', `/tickets/${t3.id}`, wide)).status).toBe(404);
    // A new request from the account is its own, on the portal; it lists it.
    const raised = await customerCommand(own, {
      type: 'ticket.create',
      kind: 'complaint',
      title: 'Nobody called back',
      description: 'Promised a call yesterday',
    });
    expect(raised.status, JSON.stringify(raised.body)).toBe(200);
    const made = (raised.body as { ticket: PublicTicket }).ticket;
    expect(made.kind).toBe('complaint');
    expect(await ids(own)).toContain(made.id);
    const stored = await server.api('GET', `/api/tickets/${made.id}`, { token: admin });
    expect(stored.body).toMatchObject({ channel: 'portal', contactId: a1, organisationId: orgA });
    // Guessing is slowed like staff sign-in: after five failures the sixth waits (429).
    for (let i = 0; i < 5; i += 1) {
      const guess = await server.api('POST', '/api/portal/login', {
        body: { login: 'nobody@acme.example', password: `guess-${i}-guess` },
      });
      expect(guess.status).toBe(401);
    }
    const slowed = await server.api('POST', '/api/portal/login', {
      body: { login: 'nobody@acme.example', password: 'guess-6-guess' },
    });
    expect(slowed.status).toBe(429);
    expect(slowed.headers.get('retry-after')).toMatch(/^\d+$/);
    // Signing out ends the session.
    expect((await portal('POST', '/logout', own)).status).toBe(204);
    expect((await portal('GET', '/tickets', own)).status).toBe(401);
  });

  it('refuses every staff command to the customer role (role × command matrix)', async () => {
    const samples = sampleCommands(t1.id, {
      contactId: a1,
      organisationId: orgA,
      milestoneId,
      userId: adminId,
    });
    const before = (await server.api('GET', `/api/tickets/${t1.id}`, { token: admin }))
      .body as Ticket;
    const refused: string[] = [];
    // `ticket.reopen` has no staff form: the customer's reopen is the last test's.
    for (const type of CommandType.filter((t) => t !== 'ticket.reopen')) {
      const body = { commandId: randomUUID(), ...samples[type] };
      expect(parseCommand(body).ok, `${type} sample parses`).toBe(true);
      const res = await portal('POST', '/commands', link, body);
      // The customer's own commands are here in a staff form (internal, on behalf, lead's
      // side, a priority): refused as well.
      expect(res.status, `${type}: ${JSON.stringify(res.body)}`).toBe(403);
      refused.push(type);
    }
    expect(refused.length).toBe(CommandType.length - 1);
    // Its own commands on a ticket it may not see: as absent as a missing one.
    const other = await customerCommand(link, {
      type: 'ticket.comment',
      ticketId: t2.id,
      body: 'hello?',
    });
    expect(other.status).toBe(404);
    const stored = await server.api('GET', `/api/tickets/${t1.id}`, { token: admin });
    // Nothing changed (SLA events may have come in between: they leave the version).
    expect((stored.body as Ticket).version).toBe(before.version);
    expect(CUSTOMER_COMMANDS.length).toBe(6);
  });

  it("puts the customer's supervision entry and sign-off on the engineer's seat live; resolve waits for it", async () => {
    const users = await server.api('POST', '/api/users', {
      token: admin,
      body: {
        username: 'eng1',
        password: 'engineer-pass-1',
        displayName: 'Engineer One',
        roles: ['engineer'],
        groups: ['l2'],
      },
    });
    expect(users.status, JSON.stringify(users.body)).toBe(201);
    const refusedRole = await server.api('POST', '/api/users', {
      token: admin,
      body: {
        username: 'cust1',
        password: 'customer-pass-1',
        displayName: 'Not staff',
        roles: ['customer'],
      },
    });
    expect(refusedRole.status).toBe(400);
    const seat = await TestSeat.open(server, await server.login('eng1', 'engineer-pass-1'));
    try {
      const wrote = await customerCommand(link, {
        type: 'ticket.log.supervision',
        ticketId: t1.id,
        source: 'customer',
        attitude: 'Patient and clear',
        feedback: 'Kept us informed every hour',
      });
      expect(wrote.status, JSON.stringify(wrote.body)).toBe(200);
      const afterWrite = (await server.api('GET', `/api/tickets/${t1.id}`, { token: admin }))
        .body as Ticket;
      await seat.waitForSeq(afterWrite.lastSeq);
      const held = seat.tickets.get(t1.id);
      expect(held?.supervisionLog.at(-1)).toMatchObject({
        source: 'customer',
        feedback: 'Kept us informed every hour',
        actorId: `customer:${a1}`,
      });

      // The lead confirms; resolve still waits for the customer's signature.
      await sendCommand(server, admin, {
        type: 'ticket.milestone.confirm',
        ticketId: t1.id,
        milestoneId,
        side: 'lead',
      });
      const early = await server.api('POST', '/api/commands', {
        token: admin,
        body: {
          commandId: randomUUID(),
          type: 'ticket.resolve',
          ticketId: t1.id,
          code: 'fixed',
          summary: 'Tunnel back',
        },
      });
      expect(early.status).toBe(409);
      expect(JSON.stringify(early.body)).toContain('customer');

      const signed = await customerCommand(link, {
        type: 'ticket.milestone.confirm',
        ticketId: t1.id,
        milestoneId,
        side: 'customer',
      });
      expect(signed.status, JSON.stringify(signed.body)).toBe(200);
      const view = (signed.body as { ticket: PublicTicket }).ticket;
      expect(view.milestones[0]?.customerConfirmation?.onBehalf).toBe(false);
      const afterSign = (await server.api('GET', `/api/tickets/${t1.id}`, { token: admin }))
        .body as Ticket;
      await seat.waitForSeq(afterSign.lastSeq);
      expect(seat.tickets.get(t1.id)?.milestones[0]?.customerConfirmation).toMatchObject({
        by: `customer:${a1}`,
        onBehalf: false,
      });
      // The event log records who signed: the customer, not staff on behalf.
      const events = await server.api('GET', `/api/events?after=0&limit=5000`, { token: admin });
      const confirmations = (
        events.body as {
          events: Array<{ type: string; actorId: string | null; data: Record<string, unknown> }>;
        }
      ).events.filter((e) => e.type === 'ticket.milestoneConfirmed' && e.data.side === 'customer');
      expect(confirmations.at(-1)).toMatchObject({
        actorId: `customer:${a1}`,
        data: { onBehalf: false },
      });

      // The staff path on the customer's behalf stays, marked as such.
      const second = await sendCommand(server, admin, {
        type: 'ticket.milestone.add',
        ticketId: t1.id,
        title: 'Users reconnected',
      });
      const m2 = second.milestones[1]?.id ?? '';
      await sendCommand(server, admin, {
        type: 'ticket.milestone.confirm',
        ticketId: t1.id,
        milestoneId: m2,
        side: 'lead',
      });
      const behalf = await sendCommand(server, admin, {
        type: 'ticket.milestone.confirm',
        ticketId: t1.id,
        milestoneId: m2,
        side: 'customer',
        onBehalf: true,
      });
      expect(behalf.milestones[1]?.customerConfirmation).toMatchObject({
        by: adminId,
        onBehalf: true,
      });
      const resolved = await sendCommand(server, admin, {
        type: 'ticket.resolve',
        ticketId: t1.id,
        code: 'fixed',
        summary: 'Tunnel back',
      });
      expect(resolved.status).toBe('resolved');
      // The customer may reopen the resolved ticket.
      const reopened = await customerCommand(link, {
        type: 'ticket.reopen',
        ticketId: t1.id,
        reason: 'It dropped again at 16:00',
      });
      expect(reopened.status, JSON.stringify(reopened.body)).toBe(200);
      expect((reopened.body as { ticket: PublicTicket }).ticket.status).toBe('reopened');
    } finally {
      seat.close();
    }
  });
});
