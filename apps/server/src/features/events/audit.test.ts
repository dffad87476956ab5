import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asc, gte, sql } from 'drizzle-orm';
import pg from 'pg';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { runCli } from '../../cli';
import { openDatabase } from '../../db/client';
import { events } from '../../db/schema/index';
import { createLogger } from '../../log';
import {
  ADMIN_PASSWORD,
  createTestDatabase,
  DRIVERS,
  startTestServer,
  type TestServer,
} from '../../testing/harness';
import { TestSeat } from '../../testing/seat';
import { tamperAuditLog } from '../../testing/tamper';
import { verifyAudit, type AuditReport } from './audit';
import { loadAuditKey, type AuditKey } from './checkpoints';
import { hashEvent } from './canonical';
import { verifyAuditChain } from './events.repo';

class CapturedLog {
  readonly lines: string[] = [];
  write(s: string): void {
    this.lines.push(s);
  }
}

interface Desk {
  server: TestServer;
  key: AuditKey;
  ticketIds: string[];
  log: CapturedLog;
}

/** A desk with two tickets, some comments and a signed checkpoint of its head. */
async function openDesk(driver: (typeof DRIVERS)[number]): Promise<Desk> {
  const log = new CapturedLog();
  const server = await startTestServer({ driver, log: createLogger('info', log) });
  const admin = await server.login('admin', ADMIN_PASSWORD);
  const seat = await TestSeat.open(server, admin);
  const ticketIds: string[] = [];
  for (const title of ['Mail down', 'VPN flaps']) {
    const ack = await seat.command({
      type: 'ticket.create',
      title,
      description: 'd',
      channel: 'hotline',
      priority: 'P2',
    });
    expect(ack.ok, JSON.stringify(ack)).toBe(true);
    const id = (ack as { ticket: { id: string } }).ticket.id;
    ticketIds.push(id);
    for (const body of ['first', 'second'])
      expect((await seat.command({ type: 'ticket.comment', ticketId: id, body })).ok).toBe(true);
  }
  seat.close();
  expect(await server.checkpoints.checkpoint()).not.toBeNull();
  const key = loadAuditKey(server.ctx.config.auditKeyFile, { create: false });
  if (!key) throw new Error('the server made no audit key');
  return { server, key, ticketIds, log };
}

function kinds(r: AuditReport): string[] {
  return r.problems.map((p) => p.kind);
}

describe.each(DRIVERS)('audit verify on %s', (driver) => {
  let desk: Desk | undefined;
  afterEach(async () => {
    await desk?.server.dispose();
    desk = undefined;
  });

  it('passes an intact desk: chain, signed checkpoints (also in the log output), tickets, command results', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    const r = await verifyAudit(db, { keys: [desk.key] });
    expect(r.problems).toEqual([]);
    expect(r.ok).toBe(true);
    expect(r.checkpoints.stored).toBeGreaterThanOrEqual(1);
    expect(r.checkpoints.signatureChecked).toBe(r.checkpoints.stored);
    expect(r.checkpoints.latestSeq).toBe(r.head?.seq);
    expect(r.tickets).toBe(2);
    expect(r.commandResults).toBeGreaterThanOrEqual(6);
    const logged = desk.log.lines
      .map((l) => JSON.parse(l) as { msg: string; checkpoint?: { seq: number } })
      .filter((l) => l.msg === 'audit checkpoint');
    expect(logged.map((l) => l.checkpoint?.seq)).toContain(r.head?.seq);
    // The key itself never reaches the log.
    expect(desk.log.lines.join('')).not.toContain('PRIVATE KEY');
  });

  it('detects tail truncation of one row', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    await tamperAuditLog(db, [sql`delete from events where seq = (select max(seq) from events)`]);
    // The chain alone cannot tell: what is left links up.
    expect((await verifyAuditChain(db)).ok).toBe(true);
    const r = await verifyAudit(db, { keys: [desk.key] });
    expect(r.ok).toBe(false);
    expect(kinds(r)).toContain('truncated');
    expect(r.problems.find((p) => p.kind === 'truncated')?.message).toMatch(/events were deleted/);
  });

  it('detects a truncation of every row, and a cut past the latest checkpoint through tickets and command results', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    const seat = await TestSeat.open(desk.server, await desk.server.login('admin', ADMIN_PASSWORD));
    // One more command after the checkpoint, then cut it off.
    expect(
      (await seat.command({ type: 'ticket.comment', ticketId: desk.ticketIds[0], body: 'late' }))
        .ok,
    ).toBe(true);
    seat.close();
    await tamperAuditLog(db, [sql`delete from events where seq = (select max(seq) from events)`]);
    const cut = await verifyAudit(db, { keys: [desk.key] });
    expect(kinds(cut)).toEqual(expect.arrayContaining(['ticket_row', 'command_result']));
    expect(kinds(cut)).not.toContain('truncated');

    await tamperAuditLog(db, [sql`delete from events`]);
    expect(await verifyAuditChain(db)).toMatchObject({ ok: true, checked: 0 });
    const all = await verifyAudit(db, { keys: [desk.key] });
    expect(all.ok).toBe(false);
    expect(all.head).toBeNull();
    expect(kinds(all)).toContain('truncated');
    expect(all.problems.find((p) => p.kind === 'truncated')?.message).toMatch(/log is empty/);
  });

  it('detects an edit followed by a recomputed chain', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    const target = 3;
    const rows = await db
      .select()
      .from(events)
      .where(gte(events.seq, target))
      .orderBy(asc(events.seq));
    let prev = rows[0]?.prevHash as string;
    const updates = rows.map((r) => {
      const data = r.seq === target ? { ...(r.data as object), body: 'rewritten' } : r.data;
      const hash = hashEvent(prev, {
        seq: r.seq,
        id: r.id,
        type: r.type,
        ticketId: r.ticketId,
        actorId: r.actorId,
        at: r.at.toISOString(),
        data,
        commandId: r.commandId,
      });
      const stmt = sql`update events set data = ${JSON.stringify(data)}::jsonb, prev_hash = ${prev}, hash = ${hash} where seq = ${r.seq}`;
      prev = hash;
      return stmt;
    });
    await tamperAuditLog(db, updates);
    expect((await verifyAuditChain(db)).ok, 'the recomputed chain links up').toBe(true);
    const r = await verifyAudit(db, { keys: [desk.key] });
    expect(r.ok).toBe(false);
    expect(kinds(r)).toContain('rechained');
    expect(r.problems.find((p) => p.kind === 'rechained')?.message).toMatch(/hashes recomputed/);
  });

  it('detects a changed ticket row (its state or a column queues filter on)', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    const [first, second] = desk.ticketIds as [string, string];
    await db.execute(
      sql`update tickets set state = jsonb_set(state, '{title}', '"Nothing happened"') where id = ${first}`,
    );
    await db.execute(sql`update tickets set assignee_id = 'mallory' where id = ${second}`);
    const r = await verifyAudit(db, { keys: [desk.key] });
    expect(r.ok).toBe(false);
    const messages = r.problems.filter((p) => p.kind === 'ticket_row');
    expect(messages.map((p) => p.ticketId).sort()).toEqual([first, second].sort());
    expect(messages.find((p) => p.ticketId === first)?.message).toMatch(
      /state\.title is "Nothing happened" in the row, "Mail down" from the log/,
    );
    expect(messages.find((p) => p.ticketId === second)?.message).toMatch(/column assigneeId/);
  });

  it('refuses a forged checkpoint; `audit verify` from the CLI uses an exported or logged checkpoint file as the stronger anchor', async () => {
    desk = await openDesk(driver);
    const { server } = desk;
    const folder = mkdtempSync(join(tmpdir(), 'dutydesk-audit-'));
    const env: Record<string, string> = {
      DUTYDESK_DATA_DIR: server.dataDir,
      DUTYDESK_AUDIT_KEY_FILE: server.ctx.config.auditKeyFile,
      ...(server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : {}),
    };
    const logFile = join(folder, 'server.log');
    await server.close();
    const saved = { ...process.env };
    Object.assign(process.env, env);
    if (!server.databaseUrl) delete process.env.DATABASE_URL;
    try {
      let out = '';
      const cli = async (...args: string[]): Promise<number> => {
        out = '';
        return runCli(args, (s) => (out += s));
      };
      expect(await cli('audit', 'verify'), out).toBe(0);
      expect(out).toMatch(/intact: \d+ events, 1 stored and 0 external checkpoints \(1 signatures/);
      const exported = join(folder, 'checkpoints.json');
      expect(await cli('audit', 'checkpoints', '--export', exported)).toBe(0);
      expect(JSON.parse(readFileSync(exported, 'utf8'))).toMatchObject({
        format: 'dutydesk-audit-checkpoints/1',
        keyId: desk.key.keyId,
        checkpoints: [{ keyId: desk.key.keyId }],
      });
      // The server's own log output is a checkpoint file too.
      const { writeFileSync } = await import('node:fs');
      writeFileSync(logFile, desk.log.lines.join(''));

      // An owner wipes everything, checkpoints included, and forges a checkpoint of his own.
      const database = await openDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DUTYDESK_DATA_DIR,
      });
      await tamperAuditLog(database.db, [
        sql`delete from events`,
        sql`delete from tickets`,
        sql`delete from command_results`,
        sql`delete from audit_checkpoints`,
        sql`insert into audit_checkpoints (seq, hash, at, key_id, signature)
            values (0, ${'0'.repeat(64)}, now(), ${desk.key.keyId}, ${randomBytes(64).toString('base64')})`,
      ]);
      await database.close();
      expect(await cli('audit', 'verify')).toBe(1);
      expect(out).toMatch(/checkpoint_signature.*forged or altered/);

      const cleanup = await openDatabase({
        databaseUrl: env.DATABASE_URL,
        dataDir: env.DUTYDESK_DATA_DIR,
      });
      await tamperAuditLog(cleanup.db, [sql`delete from audit_checkpoints`]);
      await cleanup.close();
      // Without an outside anchor an empty desk looks like a new one…
      expect(await cli('audit', 'verify'), out).toBe(0);
      // …with one, it does not.
      expect(await cli('audit', 'verify', '--checkpoints', exported)).toBe(1);
      expect(out).toMatch(/external checkpoint .* the log is empty: events were deleted/);
      expect(await cli('audit', 'verify', '--checkpoints', logFile)).toBe(1);
      expect(out).toMatch(/truncated/);
    } finally {
      process.env = saved;
      rmSync(folder, { recursive: true, force: true });
    }
  });

  it('a restart on a log cut behind its latest checkpoint logs an error', async () => {
    desk = await openDesk(driver);
    const first = desk.server;
    await first.close();
    const reopened = await openDatabase({
      databaseUrl: first.databaseUrl,
      dataDir: first.databaseUrl ? undefined : first.dataDir,
    });
    await tamperAuditLog(reopened.db, [
      sql`delete from events where seq = (select max(seq) from events)`,
    ]);
    await reopened.close();
    const log = new CapturedLog();
    desk = {
      ...desk,
      log,
      server: await startTestServer({
        driver,
        log: createLogger('info', log),
        reuse: { dataDir: first.dataDir, databaseUrl: first.databaseUrl },
      }),
    };
    await vi.waitFor(
      () => {
        expect(log.lines.join('')).toContain(
          'the event log ends before its latest signed checkpoint',
        );
      },
      { timeout: 30_000, interval: 100 },
    );
    // …and the cut head gets no fresh signature, at a stop either.
    expect(await desk.server.checkpoints.checkpoint()).toBeNull();
    await desk.server.dispose();
    desk = undefined;
    rmSync(first.dataDir, { recursive: true, force: true });
  });

  it('the database refuses UPDATE, DELETE and TRUNCATE on events and checkpoints', async () => {
    desk = await openDesk(driver);
    const { db } = desk.server.ctx.database;
    for (const statement of [
      sql`update events set actor_id = 'mallory' where seq = 1`,
      sql`delete from events where seq = 1`,
      sql`truncate events`,
      sql`update audit_checkpoints set hash = 'x'`,
      sql`delete from audit_checkpoints`,
      sql`truncate audit_checkpoints`,
    ]) {
      await expect(db.execute(statement)).rejects.toMatchObject({
        cause: expect.objectContaining({ message: expect.stringMatching(/is append-only/) }),
      });
    }
    expect((await verifyAudit(db, { keys: [desk.key] })).ok).toBe(true);
  });
});

/** The least-privilege role of docs/deploy.md, created on the harness's PostgreSQL. */
describe('the application role of docs/deploy.md on postgres', () => {
  let server: TestServer | undefined;
  afterEach(async () => {
    await server?.dispose();
    server = undefined;
  });

  it('runs the desk, and cannot change, delete, truncate or unguard events', async () => {
    // The owner migrates (what any first start or CLI command does), then the server runs as
    // the application role.
    const ownerUrl = await createTestDatabase();
    await (await openDatabase({ databaseUrl: ownerUrl })).close();
    const keyFolder = mkdtempSync(join(tmpdir(), 'dutydesk-app-role-'));
    const role = `dd_app_${randomBytes(4).toString('hex')}`;
    const password = randomUUID();
    const dbName = new URL(ownerUrl).pathname.slice(1);
    const admin = new pg.Client({ connectionString: ownerUrl });
    await admin.connect();
    try {
      // Exactly the statements of docs/deploy.md (role and database names substituted).
      await admin.query(`create role ${role} login password '${password}'`);
      await admin.query(`grant connect on database ${dbName} to ${role}`);
      await admin.query(`grant usage on schema public, drizzle to ${role}`);
      await admin.query(`grant select on all tables in schema drizzle to ${role}`);
      await admin.query(
        `grant select, insert, update, delete on all tables in schema public to ${role}`,
      );
      await admin.query(
        `revoke update, delete, truncate on events, audit_checkpoints from ${role}`,
      );
      await admin.query(`grant usage, select on all sequences in schema public to ${role}`);
    } finally {
      await admin.end();
    }
    const appUrl = new URL(ownerUrl);
    appUrl.username = role;
    appUrl.password = password;
    server = await startTestServer({
      driver: 'postgres',
      reuse: { databaseUrl: appUrl.toString(), dataDir: keyFolder },
    });
    const token = await server.login('admin', ADMIN_PASSWORD);
    const seat = await TestSeat.open(server, token);
    const created = await seat.command({
      type: 'ticket.create',
      title: 'Runs as the app role',
      description: 'd',
      channel: 'api',
    });
    expect(created.ok, JSON.stringify(created)).toBe(true);
    seat.close();
    expect(await server.checkpoints.checkpoint()).not.toBeNull();

    const app = new pg.Client({ connectionString: appUrl.toString() });
    await app.connect();
    try {
      for (const statement of [
        'update events set actor_id = $$mallory$$',
        'delete from events',
        'truncate events',
        'delete from audit_checkpoints',
        'alter table events disable trigger user',
      ]) {
        await expect(app.query(statement), statement).rejects.toMatchObject({
          message: expect.stringMatching(/permission denied|must be owner/),
        });
      }
    } finally {
      await app.end();
    }
    const key = loadAuditKey(server.ctx.config.auditKeyFile, { create: false });
    const r = await verifyAudit(server.ctx.database.db, { keys: key ? [key] : [] });
    expect(r.problems).toEqual([]);
    await server.dispose();
    server = undefined;
    rmSync(keyFolder, { recursive: true, force: true });
  });
});
