/**
 * Outgoing mail end to end on a real server (PGlite and PostgreSQL) against a local SMTP sink
 * (smtp-server on loopback, with AUTH): the receipt, a public update, the signature request and
 * the resolution (survey) mail arrive once each in the contact's language with their links;
 * re-reading the log enqueues nothing twice; with the SMTP server stopped the mails wait in the
 * outbox (the admin's status read says so, never the password) and go out once it is back,
 * across a server restart on the same database, sending nothing twice; an alert to a staff
 * member off shift is mailed; two nodes on one PostgreSQL send each mail once. The server clock
 * is a ManualClock: retries are moved along by advancing it and ticking the node's loops.
 */
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { queryRows } from '../../db/client';
import { sql } from 'drizzle-orm';
import { createLogger } from '../../log';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { SmtpSink, type SunkMail } from '../../testing/smtpSink';
import { createTicket, prepareDesk, sendCommand, startWork } from '../sla/sla.testing';
import { enqueueMail } from './index';

const SMTP_PASS = 'smtp-pass-Zq81xv';
const WAIT = { timeoutMs: 30_000 };

/** Drives a node's mail loops: events → outbox, then the outbox → SMTP. */
async function flush(server: TestServer): Promise<void> {
  await server.mail.rules.tick();
  await server.mail.sender.tick();
}

describe.each(DRIVERS)('mail on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let sink: SmtpSink;
  let admin: string;
  let adminId: string;
  const logLines: string[] = [];
  const logStream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      logLines.push(chunk.toString());
      cb();
    },
  });

  async function boot(reuse?: { dataDir?: string; databaseUrl?: string }): Promise<TestServer> {
    return startTestServer({
      driver,
      clock,
      reuse,
      env: { DUTYDESK_SMTP_URL: sink.url, DUTYDESK_MAIL_FROM: 'Desk <desk@dutydesk.test>' },
      log: createLogger('info', logStream),
    });
  }

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    sink = await SmtpSink.start({ auth: { user: 'desk', pass: SMTP_PASS } });
    server = await boot();
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
  });

  afterAll(async () => {
    await server?.dispose();
    await sink?.close();
  });

  async function contact(name: string, email: string, preferredLanguage: string): Promise<string> {
    const res = await server.api('POST', '/api/contacts', {
      token: admin,
      body: { name, email, preferredLanguage },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return (res.body as { id: string }).id;
  }

  const to = (addr: string) => (m: SunkMail) => m.rcptTo.includes(addr);
  const about = (addr: string, number: string) => (m: SunkMail) =>
    m.rcptTo.includes(addr) && m.subject.includes(number);

  it('sends the receipt, an update, the signature request and the survey mail once each, in the contact’s language', async () => {
    const jaId = await contact('田中 一郎', 'tanaka@example.jp', 'ja');
    const koId = await contact('김민준', 'minjun@example.kr', 'ko');
    const t = await createTicket(server, admin, { title: 'VPN 接続不可', contactId: jaId });
    await flush(server);
    const receipt = await sink.waitFor(about('tanaka@example.jp', t.number), WAIT);
    expect(receipt.subject).toContain('お問い合わせを受け付けました');
    expect(receipt.text).toContain('田中 一郎 様');
    expect(receipt.mailFrom).toBe('desk@dutydesk.test');
    expect(receipt.user).toBe('desk');
    expect(receipt.headers.get('auto-submitted')).toBe('auto-generated');
    // The portal's signed link (decision 52): it opens that ticket's public view.
    const link = portalLinkIn(receipt.text, server.url, t.id);
    expect(receipt.html).toContain(`href="${link}"`);
    const opened = await server.api('GET', `/api/portal/tickets/${t.id}`, {
      token: new URL(link).searchParams.get('t') ?? '',
    });
    expect(opened.status).toBe(200);

    // An internal note sends nothing; a public comment is an update.
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId: t.id,
      body: 'internal only: reboot the firewall',
      internal: true,
    });
    await sendCommand(server, admin, {
      type: 'ticket.comment',
      ticketId: t.id,
      body: 'ファイアウォールを再起動しました。',
      internal: false,
    });
    await flush(server);
    const update = await sink.waitFor(
      (m) => to('tanaka@example.jp')(m) && m.subject.includes('進捗'),
      WAIT,
    );
    expect(update.text).toContain('ファイアウォールを再起動しました。');
    expect(sink.messages.some((m) => m.text.includes('internal only'))).toBe(false);

    await startWork(server, admin, t.id, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.resolve',
      ticketId: t.id,
      code: 'fixed',
      summary: 'ファームウェアを更新しました',
    });
    await flush(server);
    const resolved = await sink.waitFor(
      (m) => to('tanaka@example.jp')(m) && m.subject.includes('解決しました'),
      WAIT,
    );
    // The surveys' link (decision 53): a single-use token in the fragment.
    expect(resolved.text).toMatch(new RegExp(`${server.url}/survey#[A-Za-z0-9_-]{43}\\b`));
    expect(resolved.text).toContain('ファームウェアを更新しました');

    // A second ticket, in Korean: the receipt and a milestone's signature request.
    const k = await createTicket(server, admin, { title: '프린터 고장', contactId: koId });
    await sendCommand(server, admin, {
      type: 'ticket.milestone.add',
      ticketId: k.id,
      title: '부품 교체',
    });
    await flush(server);
    const sign = await sink.waitFor(
      (m) => to('minjun@example.kr')(m) && m.subject.includes('서명이 필요합니다'),
      WAIT,
    );
    expect(sign.text).toContain('부품 교체');
    portalLinkIn(sign.text, server.url, k.id);
    await sink.waitFor(
      (m) => to('minjun@example.kr')(m) && m.subject.includes('요청이 접수되었습니다'),
      WAIT,
    );

    // Linking the same contact again sends no second receipt.
    await sendCommand(server, admin, {
      type: 'ticket.customer.link',
      ticketId: k.id,
      organisationId: null,
      contactId: koId,
    });

    // Processing the same events again (the cursor set back) enqueues nothing new.
    const before = sink.messages.length;
    await server.ctx.database.db.execute(sql`update mail_cursor set seq = 0`);
    await flush(server);
    await flush(server);
    expect(sink.messages.length).toBe(before);
    for (const addr of ['tanaka@example.jp', 'minjun@example.kr']) {
      const ids = sink.filter(to(addr)).map((m) => m.messageId);
      expect(new Set(ids).size).toBe(ids.length);
    }
    expect(sink.filter(to('tanaka@example.jp'))).toHaveLength(3);
    expect(sink.filter(to('minjun@example.kr'))).toHaveLength(2);

    // The log of what was sent: to, template, sent-at, Message-ID.
    const log = await queryRows<{ to_address: string; template: string; message_id: string }>(
      server.ctx.database.db,
      sql`select to_address, template, message_id from mail_attempts where outcome = 'sent' order by n`,
    );
    // (Mails enqueued in one pass go out in key order, not in their events' order.)
    expect(log.map((r) => r.template).sort()).toEqual([
      'ticket.receipt',
      'ticket.receipt',
      'ticket.resolved',
      'ticket.signature',
      'ticket.update',
    ]);
    expect(log.map((r) => r.message_id)).toContain(receipt.messageId);
  });

  it('keeps mails in the outbox while the SMTP server is down and sends them once after a restart', async () => {
    const enId = await contact('Alex Morgan', 'alex@example.com', 'en-GB');
    const zhId = await contact('王芳', 'wangfang@example.cn', 'zh-CN');
    await sink.stop();
    const a = await createTicket(server, admin, { title: 'Mail server down', contactId: enId });
    const b = await createTicket(server, admin, { title: '打印机卡纸', contactId: zhId });
    await flush(server);
    const status = await server.api('GET', '/api/mail/status', { token: admin });
    expect(status.status).toBe(200);
    const s = status.body as {
      configured: boolean;
      smtpServer: string;
      queued: number;
      lastError: string | null;
    };
    expect(s.configured).toBe(true);
    expect(s.smtpServer).toBe(`127.0.0.1:${sink.port}`);
    expect(s.queued).toBeGreaterThanOrEqual(2);
    expect(s.lastError).toMatch(/ECONNREFUSED|ECONNECTION|connect/i);
    expect(JSON.stringify(status.body)).not.toContain(SMTP_PASS);

    // A restart on the same database while the SMTP server is still down.
    const reuse = { dataDir: server.dataDir, databaseUrl: server.databaseUrl };
    await server.close();
    server = await boot(reuse);
    admin = await server.login('admin', ADMIN_PASSWORD);
    await flush(server);
    expect(sink.filter(to('alex@example.com'))).toHaveLength(0);

    await sink.start();
    clock.advance(5 * 60_000);
    await flush(server);
    const en = await sink.waitFor(about('alex@example.com', a.number), WAIT);
    expect(en.subject).toBe(`[${a.number}] We have received your request: Mail server down`);
    const zh = await sink.waitFor(about('wangfang@example.cn', b.number), WAIT);
    expect(zh.subject).toBe(`【${b.number}】我们已收到您的请求：打印机卡纸`);
    clock.advance(2 * 3_600_000);
    await flush(server);
    await flush(server);
    expect(sink.filter(to('alex@example.com'))).toHaveLength(1);
    expect(sink.filter(to('wangfang@example.cn'))).toHaveLength(1);
    // The earlier test's mails were not sent again after the restart.
    expect(sink.filter(to('tanaka@example.jp'))).toHaveLength(3);
    const after = (await server.api('GET', '/api/mail/status', { token: admin })).body as {
      queued: number;
      sent: number;
    };
    expect(after.queued).toBe(0);
    expect(after.sent).toBe(7);
    // Never the SMTP password in the logs.
    expect(logLines.some((l) => l.includes('mail not sent'))).toBe(true);
    expect(logLines.join('')).not.toContain(SMTP_PASS);
  });

  it('mails an alert to a staff member who is off shift', async () => {
    const created = await server.api('POST', '/api/users', {
      token: admin,
      body: {
        username: 'nightlead',
        password: 'password-123',
        displayName: 'Night Lead',
        roles: ['duty_manager'],
        locale: 'ko',
        email: 'night.lead@dutydesk.test',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const userId = (created.body as { id: string }).id;
    await server.escalation.raise([
      {
        ticket: null,
        stepKey: 'mail-test/off-shift',
        kind: 'test.alert',
        severity: 'critical',
        message: 'Core switch unreachable',
        levels: [{ notify: 'duty_manager', ackMinutes: null }],
        recipientIds: [userId],
      },
    ]);
    await flush(server);
    const m = await sink.waitFor(to('night.lead@dutydesk.test'), WAIT);
    expect(m.subject).toContain('Core switch unreachable');
    expect(m.text).toContain('근무 시간 외');
  });

  it('enqueueMail adds a mail once per dedupe key and refuses a malformed one', async () => {
    const mail = {
      dedupeKey: `device:dev-1:cpu:red:${driver}`,
      to: 'ops.lead@example.com',
      template: 'device.alert' as const,
      locale: 'zh-CN',
      params: { ticketNumber: 'INC-1', contactName: '李雷', device: 'gw-01', metric: 'cpu' },
    };
    expect(await enqueueMail(server.ctx, mail)).toEqual({ enqueued: true });
    expect(await enqueueMail(server.ctx, mail)).toEqual({ enqueued: false });
    await expect(enqueueMail(server.ctx, { ...mail, to: 'not an address' })).rejects.toThrow();
    await server.mail.sender.tick();
    const m = await sink.waitFor(to('ops.lead@example.com'), WAIT);
    expect(m.subject).toContain('设备 gw-01');
    expect(sink.filter(to('ops.lead@example.com'))).toHaveLength(1);
  });
});

describe('mail on two nodes of one PostgreSQL', () => {
  const clock = new ManualClock(new Date());
  let sink: SmtpSink;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    sink = await SmtpSink.start();
    const env = { DUTYDESK_SMTP_URL: sink.url };
    a = await startTestServer({ driver: 'postgres', clock, env });
    b = await startTestServer({
      driver: 'postgres',
      clock,
      env,
      reuse: { databaseUrl: a.databaseUrl },
    });
  });
  afterAll(async () => {
    await b?.dispose();
    await a?.dispose();
    await sink?.close();
  });

  const to = (addr: string) => (m: SunkMail) => m.rcptTo.includes(addr);

  it('sends each mail once while both nodes work the same events and outbox', async () => {
    const admin = await a.login('admin', ADMIN_PASSWORD);
    const keys = Array.from({ length: 30 }, (_v, i) => `test:two-nodes:${i}`);
    for (const [i, key] of keys.entries())
      await enqueueMail(i % 2 === 0 ? a.ctx : b.ctx, {
        dedupeKey: key,
        to: `pair${i}@example.com`,
        template: 'staff.alert',
        locale: 'en',
        params: { userName: `Pair ${i}`, message: `two nodes ${i}`, severity: 'info' },
      });
    const c = await a.api('POST', '/api/contacts', {
      token: admin,
      body: { name: 'Two Nodes', email: 'two.nodes@example.com', preferredLanguage: 'en' },
    });
    expect(c.status).toBe(201);
    const tickets = [];
    for (let i = 0; i < 5; i += 1)
      tickets.push(
        await createTicket(i % 2 === 0 ? a : b, admin, {
          title: `Two nodes ${i}`,
          contactId: (c.body as { id: string }).id,
        }),
      );
    // Both nodes' rules and senders at once, several times over.
    await Promise.all([flush(a), flush(b), flush(a), flush(b)]);
    for (let i = 0; i < keys.length; i += 1)
      await sink.waitFor(to(`pair${i}@example.com`), { ...WAIT, what: `to pair${i}` });
    for (const t of tickets)
      await sink.waitFor((m) => to('two.nodes@example.com')(m) && m.subject.includes(t.number), {
        ...WAIT,
        what: `receipt of ${t.number}`,
      });
    await Promise.all([flush(a), flush(b)]);
    for (let i = 0; i < keys.length; i += 1)
      expect(sink.filter(to(`pair${i}@example.com`))).toHaveLength(1);
    expect(sink.filter(to('two.nodes@example.com'))).toHaveLength(tickets.length);
  });
});

describe('mail without DUTYDESK_SMTP_URL', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite', clock: new ManualClock(new Date()) });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('sends nothing, keeps the mails queued and says so to the admin only', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    const c = await server.api('POST', '/api/contacts', {
      token: admin,
      body: { name: 'No Mail', email: 'no.mail@example.com' },
    });
    expect(c.status).toBe(201);
    await createTicket(server, admin, { title: 'Quiet', contactId: (c.body as { id: string }).id });
    await server.mail.rules.tick();
    expect(await server.mail.sender.tick()).toBe(0);
    const status = await server.api('GET', '/api/mail/status', { token: admin });
    expect(status.body).toMatchObject({
      configured: false,
      smtpServer: null,
      queued: 1,
      sent: 0,
      lastError: null,
    });
    await server.api('POST', '/api/users', {
      token: admin,
      body: { username: 'agent9', password: 'password-123', displayName: 'A9', roles: ['agent'] },
    });
    const agent = await server.login('agent9', 'password-123');
    expect((await server.api('GET', '/api/mail/status', { token: agent })).status).toBe(403);
    expect((await server.api('GET', '/api/mail/status')).status).toBe(401);
  });
});

/** The portal's signed ticket link in a mail's text (`/portal/tickets/<id>?t=ddl_…`). */
function portalLinkIn(text: string, base: string, ticketId: string): string {
  const escaped = `${base}/portal/tickets/${ticketId}`.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
  const m = new RegExp(`${escaped}\\?t=ddl_[A-Za-z0-9_-]+`).exec(text);
  expect(m, `a signed portal link to ${ticketId} in the mail`).not.toBeNull();
  return m?.[0] ?? '';
}
