import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import type { Ticket } from '@dutydesk/shared';
import { readTicket, saveTicketStatement } from '../tickets/tickets.repo';
import { appendEvents, readEventsAfter, verifyAuditChain, type NewEvent } from './events.repo';

function newEvent(data: unknown): NewEvent {
  return {
    id: randomUUID(),
    type: 'test.appended',
    ticketId: null,
    actorId: null,
    at: new Date().toISOString(),
    data,
  };
}

describe.each(DRIVERS)('appendEvents on %s', (driver) => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('assigns contiguous seqs and a hash chain the audit accepts, for any JSON (unicode, nested seq, quotes)', async () => {
    const { db } = server.ctx.database;
    const before = (await readEventsAfter(db, 0, 100_000)).length;
    const payloads = [
      { body: '服务台 🚨 résumé', seq: 7, nested: { seq: 0, q: `"'\\` } },
      { list: [1, 2.5, -3, null, true], empty: {}, text: 'line\nbreak\ttab' },
      'plain string',
    ];
    const stored = await db.transaction((tx) =>
      appendEvents(tx, payloads.map(newEvent), 'cmd-test'),
    );
    expect(stored.map((e) => e.seq)).toEqual([before + 1, before + 2, before + 3]);
    const committed = await db.transaction((tx) =>
      appendEvents(
        tx,
        [newEvent({ again: true })],
        null,
        {},
        {
          commitNow: server.ctx.database.kind === 'postgres',
        },
      ),
    );
    expect(committed[0]?.seq).toBe(before + 4);
    // A statement sent ahead of the append in the same round trip, its parameters inlined.
    const ticket = {
      id: 'inline-1',
      number: 'INC-2026-999999',
      kind: 'incident',
      status: 'received',
      priority: 'P2',
      groupId: null,
      assigneeId: null,
      majorIncident: false,
      version: 1,
      lastSeq: 0,
      receivedAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
      title: `it's a \\ "quoted" 服务台 🚨 $1 title`,
    } as unknown as Ticket;
    await db.transaction((tx) =>
      appendEvents(
        tx,
        [newEvent({ inline: true })],
        null,
        { ticket: { id: 'inline-1', offset: 0 } },
        {
          commitNow: server.ctx.database.kind === 'postgres',
          before: saveTicketStatement(tx, ticket),
        },
      ),
    );
    expect(await readTicket(db, 'inline-1')).toEqual(ticket);
    const read = await readEventsAfter(db, before, 10);
    expect(read.map((e) => e.data)).toEqual([...payloads, { again: true }, { inline: true }]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: before + 5 });
  });
});
