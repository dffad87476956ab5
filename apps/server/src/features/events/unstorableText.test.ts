import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UNSTORABLE_TEXT_MESSAGE } from '@dutydesk/shared';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { TestSeat, type Ack } from '../../testing/seat';
import { createLogger } from '../../log';
import { readCurrentSeq } from './events.repo';

/** NUL and lone surrogates: PostgreSQL's jsonb refuses them; they used to answer 503 "retry". */
const BAD: Array<[string, string]> = [
  ['NUL', 'x\u0000y'],
  ['lone high surrogate', 'x\ud83dy'],
  ['lone low surrogate', 'x\ude00y'],
];

/** Everything the server logged, one parsed JSON object per line. */
class CapturedLog {
  readonly lines: string[] = [];
  write(s: string): void {
    this.lines.push(s);
  }
  get text(): string {
    return this.lines.join('');
  }
}

describe.each(DRIVERS)('text the database cannot store, on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let seat: TestSeat;
  let ticketId: string;
  const log = new CapturedLog();

  beforeAll(async () => {
    server = await startTestServer({ driver, log: createLogger('info', log) });
    admin = await server.login('admin', ADMIN_PASSWORD);
    seat = await TestSeat.open(server, admin);
    const created = await seat.command({
      type: 'ticket.create',
      title: 'Printer on fire',
      description: 'd',
      channel: 'hotline',
      priority: 'P2',
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    ticketId = (created as { ticket: { id: string } }).ticket.id;
  });
  afterAll(async () => {
    seat?.close();
    await server?.dispose();
  });

  const commands = (bad: string): Array<[string, Record<string, unknown>]> => [
    ['title', { type: 'ticket.create', title: `T ${bad}`, description: 'd', channel: 'api' }],
    ['body', { type: 'ticket.comment', ticketId, body: `comment ${bad}` }],
    ['work', { type: 'ticket.log.execution', ticketId, work: bad, progress: 10, minutesSpent: 5 }],
    ['feedback', { type: 'ticket.log.supervision', ticketId, source: 'customer', feedback: bad }],
    ['title', { type: 'ticket.milestone.add', ticketId, title: bad }],
  ];

  it.each(BAD)(
    '%s over REST and over the socket: 400 invalid naming the field',
    async (_n, bad) => {
      const before = await readCurrentSeq(server.ctx.database.db);
      for (const [field, body] of commands(bad)) {
        const rest = await server.api('POST', '/api/commands', {
          token: admin,
          body: { commandId: randomUUID(), ...body },
        });
        expect(rest.status, `${body.type as string} ${field} over REST`).toBe(400);
        expect(rest.body).toMatchObject({
          error: { code: 'invalid', fields: [{ path: field, message: UNSTORABLE_TEXT_MESSAGE }] },
        });
        const ack: Ack = await seat.command(body);
        expect(ack, `${body.type as string} ${field} over the socket`).toMatchObject({
          ok: false,
          error: { code: 'invalid', fields: [{ path: field, message: UNSTORABLE_TEXT_MESSAGE }] },
        });
      }
      // Names: a user's display name and a group's names.
      const user = await server.api('POST', '/api/users', {
        token: admin,
        body: {
          username: 'lin',
          password: 'long enough password',
          displayName: `Lin ${bad}`,
          roles: ['agent'],
        },
      });
      expect(user.status).toBe(400);
      expect(JSON.stringify(user.body)).toContain('displayName');
      const group = await server.api('POST', '/api/groups', {
        token: admin,
        body: { id: 'l2-db', name: `DB ${bad}`, nameZh: '数据库', tier: 2 },
      });
      expect(group.status).toBe(400);
      expect(JSON.stringify(group.body)).toContain('name');
      expect(await readCurrentSeq(server.ctx.database.db)).toBe(before);
    },
  );

  it('a value the database still refuses (SQLSTATE class 22) answers 400 on REST routes too, not 500', async () => {
    // The roster's template name is not (yet) a contract text field: the database refuses it.
    const res = await server.api('PUT', '/api/roster/templates/day-nul', {
      token: admin,
      body: { name: 'Day\u0000shift', kind: 'day', startTime: '09:00', durationMinutes: 480 },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(400);
    expect(res.body).toMatchObject({ error: { code: 'invalid' } });
  });

  it('a command the database refuses as data answers 400, and its log line holds neither the payload nor the statement', async () => {
    // Any remaining data exception on the write path (here one raised by a trigger, as a
    // character the schemas let through would be): invalid, not "unavailable, retry".
    const { db } = server.ctx.database;
    await db.execute(
      sql.raw(`create or replace function test_refuse_marker() returns trigger language plpgsql as $$
        begin
          if new.state::text like '%REFUSE-ME%' then
            raise exception 'unsupported Unicode escape sequence' using errcode = '22P05';
          end if;
          return new;
        end $$`),
    );
    await db.execute(
      sql.raw(`create trigger test_refuse_marker before insert or update on tickets
        for each row execute function test_refuse_marker()`),
    );
    try {
      const secret = `REFUSE-ME ${'s3cr3t-payload '.repeat(1000)}`;
      log.lines.length = 0;
      const rest = await server.api('POST', '/api/commands', {
        token: admin,
        body: { commandId: randomUUID(), type: 'ticket.comment', ticketId, body: secret },
      });
      expect(rest.status, JSON.stringify(rest.body)).toBe(400);
      expect(rest.body).toMatchObject({ error: { code: 'invalid' } });
      expect((rest.body as { error: { message: string } }).error.message).toContain('22P05');
      const ack = await seat.command({ type: 'ticket.comment', ticketId, body: secret });
      expect(ack).toMatchObject({ ok: false, error: { code: 'invalid' } });

      const refusals = log.lines.filter((l) => l.includes('refused by the database'));
      expect(refusals, 'one log line per refused command').toHaveLength(2);
      expect(log.text).not.toContain('s3cr3t-payload');
      expect(log.text).not.toContain('REFUSE-ME');
      expect(log.text).not.toContain('params');
      expect(log.text.length, 'log written for two refused commands').toBeLessThan(8_000);
      const line = JSON.parse(refusals[0] as string) as {
        err: { sqlState?: string; query?: string };
      };
      expect(line.err.sqlState).toBe('22P05');
      expect(line.err.query).toMatch(/^(insert into|update) "tickets"/);
    } finally {
      await db.execute(sql.raw('drop trigger test_refuse_marker on tickets'));
    }
    const ok = await seat.command({ type: 'ticket.comment', ticketId, body: 'fine again' });
    expect(ok.ok).toBe(true);
  });
});
