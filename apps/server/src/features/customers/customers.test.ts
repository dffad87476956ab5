import {
  defaultSlaPolicy,
  type ContactMatch,
  type Organisation,
  type OrganisationOverview,
  type Ticket,
} from '@dutydesk/shared';
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { verifyAudit } from '../events/audit';
import { createTicket, MINUTE, prepareDesk, sendCommand, startWork, T0 } from '../sla/sla.testing';
import { goldPolicy } from './customers.testing';

const PASSWORD = 'password-123';

function dueOf(ticket: Ticket, name: string): string | null | undefined {
  return ticket.sla.targets.find((t) => t.name === name)?.dueAt;
}

interface LiveEvent {
  seq: number;
  type: string;
  ticketId: string | null;
  data: Record<string, unknown>;
}

/** Resolves with the first live event of this type (and test) the socket receives. */
function waitForEvent(
  socket: Socket,
  type: string,
  test: (e: LiveEvent) => boolean = () => true,
): Promise<LiveEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no live ${type} event within 30 s`)), 30_000);
    const on = (e: LiveEvent) => {
      if (e.type !== type || !test(e)) return;
      clearTimeout(timer);
      socket.off('event', on);
      resolve(e);
    };
    socket.on('event', on);
  });
}

describe.each(DRIVERS)('customer records on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let agent: string;
  let engineer: string;
  let manager: string;
  let managerId: string;
  let wallboard: string;
  let adminId: string;
  let acme: Organisation;
  let zhang: ContactMatch;
  let li: ContactMatch;

  beforeAll(async () => {
    clock = new ManualClock(T0);
    server = await startTestServer({ driver, clock });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
    const ids: Record<string, string> = {};
    for (const [username, role] of [
      ['ag', 'agent'],
      ['en', 'engineer'],
      ['dm', 'duty_manager'],
      ['wb', 'wallboard'],
    ] as const) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { username, password: PASSWORD, displayName: username, roles: [role] },
      });
      expect(res.status).toBe(201);
      ids[username] = (res.body as { id: string }).id;
    }
    managerId = ids.dm as string;
    agent = await server.login('ag', PASSWORD);
    engineer = await server.login('en', PASSWORD);
    manager = await server.login('dm', PASSWORD);
    wallboard = await server.login('wb', PASSWORD);
    const policies = await server.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: [defaultSlaPolicy, goldPolicy()] },
    });
    expect(policies.status).toBe(202);
  });

  afterAll(async () => {
    await server?.dispose();
  });

  it('keeps an organisation with its contacts, and seats see them live', async () => {
    const { socket } = await server.connect(engineer);
    const live = waitForEvent(socket, 'organisation.created');
    const created = await server.api('POST', '/api/organisations', {
      token: agent,
      body: {
        name: 'ACME Bank',
        businessType: 'Banking',
        contract: 'SC-2026-001',
        slaPolicyId: 'gold',
        coreNeeds: 'Core banking online 7×24',
        specialConcerns: 'Call the branch manager before any restart',
        serviceManagerId: managerId,
      },
    });
    expect(created.status).toBe(201);
    acme = created.body as Organisation;
    expect(acme).toMatchObject({
      name: 'ACME Bank',
      slaPolicyId: 'gold',
      status: 'active',
      version: 1,
    });
    const event = await live;
    expect(event.data).toMatchObject({
      id: acme.id,
      name: 'ACME Bank',
      serviceManagerId: managerId,
    });

    const a = await server.api('POST', '/api/contacts', {
      token: agent,
      body: {
        name: '张伟',
        phone: '+86 138-0013-8000',
        role: 'IT manager',
        preferredLanguage: 'zh-CN',
        organisationId: acme.id,
      },
    });
    expect(a.status).toBe(201);
    zhang = a.body as ContactMatch;
    expect(zhang).toMatchObject({
      phoneDigits: '8613800138000',
      organisation: { id: acme.id, name: 'ACME Bank' },
    });
    const b = await server.api('POST', '/api/contacts', {
      token: manager,
      body: {
        name: 'Li Na',
        phone: '021 5555 0101',
        email: 'li.na@acme.example',
        organisationId: acme.id,
      },
    });
    expect(b.status).toBe(201);
    li = b.body as ContactMatch;

    const find = async (q: string): Promise<string[]> => {
      const res = await server.api('GET', `/api/contacts?q=${encodeURIComponent(q)}`, {
        token: engineer,
      });
      expect(res.status).toBe(200);
      return (res.body as { contacts: ContactMatch[] }).contacts.map((c) => c.name);
    };
    expect(await find('13800138000')).toEqual(['张伟']); // the national digits: a suffix
    expect(await find('+86 138')).toEqual(['张伟']); // a prefix as typed
    expect(await find('0013 80')).toEqual(['张伟']); // the middle of the number
    expect(await find('021-5555')).toEqual(['Li Na']);
    expect(await find('张')).toEqual(['张伟']);
    expect(await find('LI n')).toEqual(['Li Na']);
    expect((await find('acme')).sort()).toEqual(['Li Na', '张伟']);
    expect(await find('100%')).toEqual([]);

    const page = await server.api('GET', `/api/organisations/${acme.id}/overview`, {
      token: engineer,
    });
    expect(page.status).toBe(200);
    const overview = page.body as OrganisationOverview;
    expect(overview.contacts.map((c) => c.name).sort()).toEqual(['Li Na', '张伟']);
    socket.disconnect();
  });

  it('links tickets to the records: the contract policy, the events, a relink', async () => {
    const { socket } = await server.connect(engineer);
    const live = waitForEvent(socket, 'ticket.created', (e) => e.data.contactId === zhang.id);
    const ticket = await createTicket(server, agent, {
      contactId: zhang.id,
      title: '核心系统无法登录',
    });
    expect(ticket).toMatchObject({
      organisationId: acme.id,
      contactId: zhang.id,
      slaPolicyId: 'gold',
      customer: { org: 'ACME Bank', contact: '张伟', phone: '+86 138-0013-8000', email: null },
    });
    // Gold resolves P1 in 2 hours, not the default 4.
    expect(dueOf(ticket, 'resolve')).toBe(new Date(Date.parse(T0) + 120 * MINUTE).toISOString());
    expect((await live).data).toMatchObject({ organisationId: acme.id, slaPolicyId: 'gold' });

    // The free text given on create is kept beside the records.
    const typed = await createTicket(server, agent, {
      organisationId: acme.id,
      contactId: li.id,
      customer: { contact: 'Li Na (switchboard)' },
    });
    expect(typed.customer).toMatchObject({
      org: 'ACME Bank',
      contact: 'Li Na (switchboard)',
      phone: '021 5555 0101',
    });

    const other = await server.api('POST', '/api/organisations', {
      token: agent,
      body: { name: 'Beta 公司' },
    });
    const beta = other.body as Organisation;
    const mismatch = await server.api('POST', '/api/commands', {
      token: agent,
      body: {
        commandId: randomUUID(),
        type: 'ticket.create',
        title: 'x',
        description: '',
        channel: 'hotline',
        organisationId: beta.id,
        contactId: zhang.id,
      },
    });
    expect(mismatch.status).toBe(400);
    expect(
      (mismatch.body as { error: { fields: Array<{ path: string }> } }).error.fields[0]?.path,
    ).toBe('contactId');
    const unknown = await server.api('POST', '/api/commands', {
      token: agent,
      body: {
        commandId: randomUUID(),
        type: 'ticket.create',
        title: 'x',
        description: '',
        channel: 'hotline',
        contactId: 'no-such-contact',
      },
    });
    expect(unknown.status).toBe(400);

    // Relink to Beta: the default policy now, re-planned at once (resolve 4 h), seen live.
    const relinked = waitForEvent(socket, 'ticket.customerLinked', (e) => e.ticketId === ticket.id);
    const moved = await sendCommand(server, agent, {
      type: 'ticket.customer.link',
      ticketId: ticket.id,
      organisationId: beta.id,
      contactId: null,
    });
    expect(moved).toMatchObject({ organisationId: beta.id, contactId: null, slaPolicyId: null });
    expect(moved.customer.org).toBe('Beta 公司');
    expect(dueOf(moved, 'resolve')).toBe(new Date(Date.parse(T0) + 240 * MINUTE).toISOString());
    expect((await relinked).data).toMatchObject({
      organisationId: beta.id,
      previousOrganisationId: acme.id,
      previousContactId: zhang.id,
      source: 'command',
    });
    const back = await sendCommand(server, agent, {
      type: 'ticket.customer.link',
      ticketId: ticket.id,
      organisationId: null,
      contactId: zhang.id,
    });
    expect(back).toMatchObject({
      organisationId: acme.id,
      contactId: zhang.id,
      slaPolicyId: 'gold',
    });
    socket.disconnect();
  });

  it("shows an organisation's page: open tickets, history, attainment, compensation", async () => {
    // A P1 of ACME worked past its 2-hour gold resolution, with labour logged after the breach.
    const late = await createTicket(server, agent, { contactId: li.id, title: 'Branch VPN down' });
    await sendCommand(server, agent, { type: 'ticket.comment', ticketId: late.id, body: 'On it' });
    await startWork(server, admin, late.id, adminId);
    clock.advance(180 * MINUTE);
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId: late.id,
      work: 'Replaced the router',
      progress: 100,
      minutesSpent: 60,
    });
    await sendCommand(server, admin, {
      type: 'ticket.resolve',
      ticketId: late.id,
      code: 'fixed',
      summary: 'Router replaced',
    });
    await sendCommand(server, agent, {
      type: 'ticket.followUp',
      ticketId: late.id,
      outcome: 'satisfied',
    });
    await sendCommand(server, agent, { type: 'ticket.close', ticketId: late.id });

    const res = await server.api('GET', `/api/organisations/${acme.id}/overview`, {
      token: engineer,
    });
    expect(res.status).toBe(200);
    const page = res.body as OrganisationOverview;
    expect(page.organisation.name).toBe('ACME Bank');
    expect(page.history.map((t) => t.id)).toEqual([late.id]);
    expect(page.history[0]).toMatchObject({ status: 'closed', resolution: { code: 'fixed' } });
    expect(page.openTickets.length).toBe(2);
    expect(page.openTickets.every((t) => t.status !== 'closed')).toBe(true);
    expect(page.month.from).toBe('2026-02-28T16:00:00.000Z'); // 1 March, desk time
    // The closed ticket: response met, resolve breached; the two open ones (gold P1s received
    // at T0, due at T0 + 2 h) are breached by now, T0 + 3 h, though their clocks still run.
    expect(page.sla.response.met).toBeGreaterThanOrEqual(1);
    expect(page.sla.resolve).toMatchObject({ met: 0, breached: 3, rate: 0 });
    expect(page.compensation.breachedTickets).toBe(3);
    // 60 minutes logged wholly after the gold due instant, at the P1 share of 100 %.
    expect(page.compensation.compensationMinutes).toBe(60);

    const missing = await server.api('GET', '/api/organisations/nope/overview', {
      token: engineer,
    });
    expect(missing.status).toBe(404);
  });

  it('lets only staff read and only the desk write', async () => {
    // Engineers read, never write.
    expect((await server.api('GET', '/api/organisations', { token: engineer })).status).toBe(200);
    const byEngineer = await server.api('POST', '/api/organisations', {
      token: engineer,
      body: { name: 'Nope Ltd' },
    });
    expect(byEngineer.status).toBe(403);
    const patch = await server.api('PATCH', `/api/contacts/${zhang.id}`, {
      token: engineer,
      body: { role: 'x' },
    });
    expect(patch.status).toBe(403);
    // Over the socket the same bus refuses the same.
    const { socket } = await server.connect(engineer);
    const ack = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit(
        'command',
        { commandId: randomUUID(), type: 'contact.create', name: 'Ghost' },
        resolve,
      ),
    );
    expect(ack).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    const link = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit(
        'command',
        {
          commandId: randomUUID(),
          type: 'ticket.create',
          title: 't',
          description: '',
          channel: 'hotline',
        },
        resolve,
      ),
    );
    expect(link.ok).toBe(true);
    const ticketId = (link as unknown as { ticket: Ticket }).ticket.id;
    const relink = await new Promise<{ ok: boolean; error?: { code: string } }>((resolve) =>
      socket.emit(
        'command',
        {
          commandId: randomUUID(),
          type: 'ticket.customer.link',
          ticketId,
          organisationId: acme.id,
          contactId: null,
        },
        resolve,
      ),
    );
    expect(relink).toMatchObject({ ok: false, error: { code: 'forbidden' } });
    socket.disconnect();

    // A wallboard reads none of it, and its seat sees the records' events withheld.
    expect((await server.api('GET', '/api/contacts?q=138', { token: wallboard })).status).toBe(403);
    expect(
      (await server.api('GET', `/api/organisations/${acme.id}`, { token: wallboard })).status,
    ).toBe(403);
    expect((await server.api('GET', '/api/contacts')).status).toBe(401);
    const hall = await server.connect(wallboard);
    const withheld = waitForEvent(hall.socket, 'event.withheld');
    const created = await server.api('POST', '/api/contacts', {
      token: agent,
      body: { name: 'Wang Fang', organisationId: acme.id },
    });
    expect(created.status).toBe(201);
    const stand = await withheld;
    expect(stand.data).toEqual({});
    hall.socket.disconnect();

    // Clear 4xx with the field paths.
    const noName = await server.api('POST', '/api/organisations', {
      token: agent,
      body: { businessType: 'x' },
    });
    expect(noName.status).toBe(400);
    expect(
      (noName.body as { error: { fields: Array<{ path: string }> } }).error.fields.map(
        (f) => f.path,
      ),
    ).toContain('name');
    const badMail = await server.api('POST', '/api/contacts', {
      token: agent,
      body: { name: 'M', email: 'not-mail' },
    });
    expect(badMail.status).toBe(400);
    expect(
      (badMail.body as { error: { fields: Array<{ path: string }> } }).error.fields.map(
        (f) => f.path,
      ),
    ).toContain('email');
    const badPolicy = await server.api('PATCH', `/api/organisations/${acme.id}`, {
      token: agent,
      body: { slaPolicyId: 'platinum' },
    });
    expect(badPolicy.status).toBe(400);
    expect(
      (badPolicy.body as { error: { fields: Array<{ path: string }> } }).error.fields[0]?.path,
    ).toBe('slaPolicyId');
    const same = await server.api('POST', '/api/organisations', {
      token: agent,
      body: { name: '  acme   BANK ' },
    });
    expect(same.status).toBe(409);
    const stale = await server.api('PATCH', `/api/organisations/${acme.id}`, {
      token: agent,
      body: { coreNeeds: 'changed', expectedVersion: acme.version + 5 },
    });
    expect(stale.status).toBe(409);
    const inUse = await server.api('DELETE', `/api/organisations/${acme.id}`, { token: manager });
    expect(inUse.status).toBe(409);
    const tooLong = await server.api('GET', `/api/contacts?q=${'x'.repeat(101)}`, { token: agent });
    expect(tooLong.status).toBe(400);

    // An update bumps the version; a delete of an unused record goes through.
    const updated = await server.api('PATCH', `/api/organisations/${acme.id}`, {
      token: agent,
      body: { status: 'inactive', expectedVersion: acme.version },
    });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({ status: 'inactive', version: acme.version + 1 });
    const spare = (created.body as ContactMatch).id;
    expect((await server.api('DELETE', `/api/contacts/${spare}`, { token: agent })).status).toBe(
      204,
    );
    expect((await server.api('GET', `/api/contacts/${spare}`, { token: agent })).status).toBe(404);
  });

  it('leaves the audit chain and every ticket row verifiable', async () => {
    const report = await verifyAudit(server.ctx.database.db);
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
    const events = await server.api('GET', '/api/events?after=0&limit=5000', { token: admin });
    const types = (events.body as { events: LiveEvent[] }).events.map((e) => e.type);
    for (const t of [
      'organisation.created',
      'organisation.updated',
      'contact.created',
      'contact.deleted',
      'ticket.customerLinked',
    ])
      expect(types).toContain(t);
  });
});
