import {
  defaultSlaPolicy,
  type ContactMatch,
  type Organisation,
  type Ticket,
} from '@dutydesk/shared';
import { rmSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { verifyAudit } from '../events/audit';
import { createTicket, MINUTE, sendCommand, T0 } from '../sla/sla.testing';
import { FREE_TEXT_BACKFILL } from './backfill';
import { goldPolicy } from './customers.testing';
import { advanceBackfill } from './customers.repo';

/**
 * The free-text migration of decision 31: tickets created the old way (free text only), then
 * the migration's step at the next start, then the links. The first start of a test database
 * finds no tickets and finishes the step; the test marks it due again, as migration 0011 does
 * on a database that already had tickets, and restarts on the same database.
 */
describe.each(DRIVERS)('free-text customers become records on %s', (driver) => {
  let first: TestServer;
  let server: TestServer;
  const clock = new ManualClock(T0);
  const made: Record<string, Ticket> = {};
  let policyDueBefore: string | null | undefined;

  async function restart(from: TestServer): Promise<TestServer> {
    await from.close();
    return startTestServer({
      driver,
      clock,
      reuse: { dataDir: from.dataDir, databaseUrl: from.databaseUrl },
    });
  }

  async function markDue(s: TestServer): Promise<void> {
    await s.ctx.database.db.transaction((tx) => advanceBackfill(tx, FREE_TEXT_BACKFILL, '', null));
  }

  beforeAll(async () => {
    first = await startTestServer({ driver, clock });
    const admin = await first.login('admin', ADMIN_PASSWORD);
    // Before the records, a contract policy named its customers by their free-text name.
    const saved = await first.api('PUT', '/api/sla/policies', {
      token: admin,
      body: { policies: [defaultSlaPolicy, goldPolicy(['ACME Bank'])] },
    });
    expect(saved.status).toBe(202);
    const customers = {
      acme1: { org: 'ACME Bank', contact: '张伟', phone: '+86 138-0013-8000' },
      // Same organisation and the same number, written differently.
      acme2: { org: ' acme   bank ', contact: 'Zhang Wei', phone: '(+86) 138 0013 8000' },
      beta1: { org: 'Beta 公司', contact: 'Li Na', email: 'li.na@beta.example' },
      // No phone: the same name in the same organisation is the same person.
      beta2: { org: 'Beta 公司', contact: 'li  na' },
      walkIn: { contact: 'Walk-in visitor', phone: '021 5555 0101' },
      none: {},
    };
    // A minute apart: the earliest ticket to name a customer gives the record its spelling.
    for (const [key, customer] of Object.entries(customers)) {
      made[key] = await createTicket(first, admin, { title: `ticket ${key}`, customer });
      clock.advance(MINUTE);
    }
    // A closed ticket is moved too (its history belongs to the organisation).
    const closed = made.beta1 as Ticket;
    const group = await first.api('POST', '/api/groups', {
      token: admin,
      body: { id: 'l1', name: 'L1', nameZh: '一线', tier: 1 },
    });
    expect(group.status).toBe(201);
    await sendCommand(first, admin, {
      type: 'ticket.classify',
      ticketId: closed.id,
      category: 'network',
    });
    await sendCommand(first, admin, { type: 'ticket.assign', ticketId: closed.id, groupId: 'l1' });
    await sendCommand(first, admin, { type: 'ticket.accept', ticketId: closed.id });
    await sendCommand(first, admin, {
      type: 'ticket.resolve',
      ticketId: closed.id,
      code: 'fixed',
      summary: 'ok',
    });
    await sendCommand(first, admin, {
      type: 'ticket.followUp',
      ticketId: closed.id,
      outcome: 'satisfied',
    });
    await sendCommand(first, admin, { type: 'ticket.close', ticketId: closed.id });
    policyDueBefore = (made.acme1 as Ticket).sla.targets.find((t) => t.name === 'resolve')?.dueAt;
    await markDue(first);
    server = await restart(first);
  });

  afterAll(async () => {
    await server?.dispose();
    if (driver === 'pglite') rmSync(first.dataDir, { recursive: true, force: true });
  });

  async function read(token: string, key: string): Promise<Ticket> {
    const res = await server.api('GET', `/api/tickets/${(made[key] as Ticket).id}`, { token });
    expect(res.status).toBe(200);
    return res.body as Ticket;
  }

  it('links every ticket that named a customer, de-duplicated', async () => {
    const token = await server.login('admin', ADMIN_PASSWORD);
    const orgs = (await server.api('GET', '/api/organisations', { token })).body as {
      organisations: Organisation[];
    };
    expect(orgs.organisations.map((o) => o.name).sort()).toEqual(['ACME Bank', 'Beta 公司']);
    const contacts = (await server.api('GET', '/api/contacts?limit=50', { token })).body as {
      contacts: ContactMatch[];
    };
    expect(contacts.contacts.map((c) => c.name).sort()).toEqual([
      'Li Na',
      'Walk-in visitor',
      '张伟',
    ]);

    const [acme1, acme2, beta1, beta2, walkIn, none] = await Promise.all(
      ['acme1', 'acme2', 'beta1', 'beta2', 'walkIn', 'none'].map((k) => read(token, k)),
    );
    const acme = orgs.organisations.find((o) => o.name === 'ACME Bank') as Organisation;
    expect(acme1?.organisationId).toBe(acme.id);
    expect(acme2?.organisationId).toBe(acme.id);
    expect(acme2?.contactId).toBe(acme1?.contactId);
    expect(beta1?.organisationId).toBe(beta2?.organisationId);
    expect(beta1?.contactId).toBe(beta2?.contactId);
    expect(beta1?.status).toBe('closed');
    expect(walkIn?.organisationId).toBeNull();
    expect(walkIn?.contactId).toBe(contacts.contacts.find((c) => c.name === 'Walk-in visitor')?.id);
    expect(none?.organisationId).toBeUndefined();
    // The caller's words stay as typed, beside the records.
    expect(acme2?.customer).toEqual({
      org: 'acme   bank', // trimmed by the command's schema, inner spaces kept
      contact: 'Zhang Wei',
      phone: '(+86) 138 0013 8000',
      email: null,
    });
    // The contract policy that matched the free text is the organisation's now: no clock moved.
    expect(acme.slaPolicyId).toBe('gold');
    expect(acme1?.slaPolicyId).toBe('gold');
    expect(acme1?.sla.targets.find((t) => t.name === 'resolve')?.dueAt).toBe(policyDueBefore);
    // Found by the phone lookup, and listed on the organisation's page with its history.
    const byPhone = (await server.api('GET', '/api/contacts?q=13800138000', { token })).body as {
      contacts: ContactMatch[];
    };
    expect(byPhone.contacts.map((c) => c.organisation?.name)).toEqual(['ACME Bank']);
    const beta = orgs.organisations.find((o) => o.name === 'Beta 公司') as Organisation;
    const page = (await server.api('GET', `/api/organisations/${beta.id}/overview`, { token }))
      .body as {
      openTickets: unknown[];
      history: Array<{ id: string }>;
    };
    expect(page.history.map((t) => t.id)).toEqual([(made.beta1 as Ticket).id]);
    expect(page.openTickets.length).toBe(1);
  });

  it('records the move as events the audit covers, once', async () => {
    const token = await server.login('admin', ADMIN_PASSWORD);
    const read = async () =>
      (
        (await server.api('GET', '/api/events?after=0&limit=5000', { token })).body as {
          events: Array<{ type: string; actorId: string | null; data: { source?: string } }>;
        }
      ).events;
    const events = await read();
    const links = events.filter((e) => e.type === 'ticket.customerLinked');
    expect(links.length).toBe(5);
    expect(links.every((e) => e.data.source === 'migration' && e.actorId === null)).toBe(true);
    expect(events.filter((e) => e.type === 'organisation.created').length).toBe(2);
    expect(events.filter((e) => e.type === 'contact.created').length).toBe(3);
    const report = await verifyAudit(server.ctx.database.db);
    expect(report.problems).toEqual([]);

    // Another start does nothing more: the step is done.
    server = await restart(server);
    expect((await read()).length).toBe(events.length);
  });
});
