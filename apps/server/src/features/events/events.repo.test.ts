import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
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
    const read = await readEventsAfter(db, before, 10);
    expect(read.map((e) => e.data)).toEqual([...payloads, { again: true }]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: before + 4 });
  });
});
