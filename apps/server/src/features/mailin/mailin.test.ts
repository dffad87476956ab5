import { createHash, randomBytes, randomUUID } from 'node:crypto';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import nodemailer, { type Transporter } from 'nodemailer';
import type { Ticket } from '@dutydesk/shared';
import { createLogger } from '../../log';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../testing/harness';
import { startLocalImap, type LocalImap } from '../../testing/imap';
import { countMailStates } from './mailin.repo';
import { stripQuoted } from './intake';

const WAIT = 60_000;
const MAX_BYTES = 256 * 1024;
const OWN_DOMAIN = 'desk.dutydesk.test';

/** A PNG's signature and random bytes after it (the desk sniffs the head). */
function fakePng(size: number): Buffer {
  const head = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
  return Buffer.concat([head, randomBytes(size - head.length)]);
}

function sha256(b: Buffer): string {
  return createHash('sha256').update(b).digest('hex');
}

async function metricValue(
  metric: { get(): Promise<{ values: Array<{ value: number; labels: Record<string, unknown> }> }> },
  labels: Record<string, string>,
): Promise<number> {
  const { values } = await metric.get();
  return values
    .filter((v) => Object.entries(labels).every(([k, x]) => v.labels[k] === x))
    .reduce((n, v) => n + v.value, 0);
}

describe.each([{ driver: 'pglite' as const }, { driver: 'postgres' as const }])(
  'e-mail intake on $driver',
  ({ driver }) => {
    let server: TestServer;
    let imap: LocalImap;
    let token: string;
    let smtp: Transporter;
    const logLines: string[] = [];
    let seq = 0;
    const mid = (): string => `<${randomUUID()}-${(seq += 1)}@customer.example>`;

    async function ticketByNumber(number: string): Promise<Ticket> {
      const res = await server.api('GET', `/api/tickets/by-number/${number}`, { token });
      expect(res.status).toBe(200);
      return ((res.body as { ticket?: Ticket }).ticket ?? res.body) as Ticket;
    }

    /** The ticket number in the listener's 250 answer (`Queued as INC-…`). */
    function numberOf(response: string | undefined): string {
      const m = /Queued as (\S+)/.exec(response ?? '');
      if (!m?.[1]) throw new Error(`no ticket in the answer: ${response}`);
      return m[1];
    }

    beforeAll(async () => {
      imap = await startLocalImap();
      const sink = new Writable({
        write(chunk: Buffer, _enc, done) {
          logLines.push(chunk.toString());
          done();
        },
      });
      server = await startTestServer({
        driver,
        log: createLogger('info', sink, { format: 'json' }),
        env: {
          DUTYDESK_SMTP_LISTEN: '0',
          DUTYDESK_MAIL_MAX_BYTES: String(MAX_BYTES),
          DUTYDESK_MAIL_ID_DOMAINS: OWN_DOMAIN,
          DUTYDESK_IMAP_URL: imap.url,
          // The test drives the poller with tick().
          DUTYDESK_IMAP_POLL_SECONDS: '3600',
        },
      });
      token = await server.login('admin', ADMIN_PASSWORD);
      const port = server.mailIn.smtp()?.port;
      expect(port).toBeGreaterThan(0);
      smtp = nodemailer.createTransport({
        host: '127.0.0.1',
        port,
        secure: false,
        ignoreTLS: true,
        pool: false,
      });
    }, WAIT);

    afterAll(async () => {
      smtp?.close();
      await server?.dispose();
      await imap?.close();
    }, WAIT);

    it(
      'a new mail opens an e-mail ticket for a new, flagged contact, with its attachment; a reply lands on it',
      async () => {
        const png = fakePng(20_000);
        const first = mid();
        const sent = await smtp.sendMail({
          from: '"Li Wei" <li.wei@customer.example>',
          to: 'desk@dutydesk.test',
          subject: 'VPN gateway unreachable',
          text: 'Since 07:00 nobody in Shanghai reaches the VPN.',
          messageId: first,
          attachments: [{ filename: 'screen.png', content: png, contentType: 'image/png' }],
        });
        const number = numberOf(sent.response);
        const ticket = await ticketByNumber(number);
        expect(ticket).toMatchObject({
          channel: 'email',
          title: 'VPN gateway unreachable',
          description: 'Since 07:00 nobody in Shanghai reaches the VPN.',
        });
        expect(ticket.customer.email).toBe('li.wei@customer.example');
        expect(ticket.contactId).toBeTruthy();
        const contact = await server.api('GET', `/api/contacts/${ticket.contactId}`, { token });
        expect(contact.status).toBe(200);
        expect(contact.body).toMatchObject({ name: 'Li Wei', email: 'li.wei@customer.example' });
        // The unknown sender is flagged on the ticket for the desk to check.
        const flag = ticket.comments.find((c) => c.internal);
        expect(flag?.body).toMatch(/New contact: li\.wei@customer\.example/);
        const list = await server.api('GET', `/api/tickets/${ticket.id}/attachments`, { token });
        const attachments = (
          list.body as { attachments: Array<{ name: string; sha256: string; contentType: string }> }
        ).attachments;
        expect(attachments).toHaveLength(1);
        expect(attachments[0]).toMatchObject({
          name: 'screen.png',
          contentType: 'image/png',
          sha256: sha256(png),
        });

        // A reply (In-Reply-To) is the customer's public comment; the quoted mail is cut off.
        const reply = await smtp.sendMail({
          from: 'li.wei@customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Re: VPN gateway unreachable',
          text: 'It is back since 08:10.\n\nOn Fri, 4 Dec 2026 Dutydesk wrote:\n> We are on it',
          messageId: mid(),
          inReplyTo: first,
          references: [first],
        });
        expect(numberOf(reply.response)).toBe(number);
        // Another reply found by the number in its subject alone.
        const bySubject = await smtp.sendMail({
          from: 'li.wei@customer.example',
          to: 'desk@dutydesk.test',
          subject: `Re: [${number}] one more thing`,
          text: 'The log is attached.',
          messageId: mid(),
          attachments: [
            { filename: 'vpn.log', content: 'line 1\nline 2\n', contentType: 'text/plain' },
          ],
        });
        expect(numberOf(bySubject.response)).toBe(number);
        const after = await ticketByNumber(number);
        const customerComments = after.comments.filter((c) => c.fromCustomer);
        expect(customerComments.map((c) => c.body)).toEqual([
          'It is back since 08:10.',
          'The log is attached.',
        ]);
        expect(customerComments.every((c) => !c.internal)).toBe(true);
        // The customer's words are no first response of the desk.
        expect(after.firstResponseAt).toBeNull();
        const list2 = await server.api('GET', `/api/tickets/${ticket.id}/attachments`, { token });
        const names = (
          list2.body as { attachments: Array<{ name: string; logEntryId: string | null }> }
        ).attachments;
        expect(names.map((a) => a.name).sort()).toEqual(['screen.png', 'vpn.log']);
        expect(names.find((a) => a.name === 'vpn.log')?.logEntryId).toBe(customerComments[1]?.id);
        expect(
          await metricValue(server.ctx.metrics.mailReceived, { source: 'smtp', outcome: 'reply' }),
        ).toBe(2);
      },
      WAIT,
    );

    it(
      'a known sender is linked, not created again; auto-replies, bounces and our own mail are ignored',
      async () => {
        const created = await server.api('POST', '/api/contacts', {
          token,
          body: { name: 'Zhang Min', email: 'Zhang.Min@customer.example' },
        });
        expect(created.status).toBe(201);
        const contactId = (created.body as { id: string }).id;
        const first = mid();
        const sent = await smtp.sendMail({
          from: 'zhang.min@customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Printer jam',
          text: 'Floor 3.',
          messageId: first,
        });
        const ticket = await ticketByNumber(numberOf(sent.response));
        expect(ticket.contactId).toBe(contactId);
        expect(ticket.comments).toEqual([]);

        const auto = await smtp.sendMail({
          from: 'zhang.min@customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Out of office: Printer jam',
          text: 'I am away until Monday.',
          messageId: mid(),
          inReplyTo: first,
          headers: { 'Auto-Submitted': 'auto-replied' },
        });
        expect(auto.response).toMatch(/Ignored \(auto_reply\)/);
        const bulk = await smtp.sendMail({
          from: 'news@customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Newsletter',
          text: 'News.',
          messageId: mid(),
          headers: { Precedence: 'bulk' },
        });
        expect(bulk.response).toMatch(/Ignored \(auto_reply\)/);
        const bounce = await smtp.sendMail({
          envelope: { from: '', to: ['desk@dutydesk.test'] },
          from: 'MAILER-DAEMON@mx.customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Undelivered Mail Returned to Sender',
          text: 'The mail could not be delivered.',
          messageId: mid(),
        });
        expect(bounce.response).toMatch(/Ignored \(bounce\)/);
        const loop = await smtp.sendMail({
          from: 'zhang.min@customer.example',
          to: 'desk@dutydesk.test',
          subject: `Re: ${ticket.number}`,
          text: 'ours',
          messageId: `<notify-1@${OWN_DOMAIN}>`,
        });
        expect(loop.response).toMatch(/Ignored \(loop\)/);
        const after = await ticketByNumber(ticket.number);
        expect(after.version).toBe(ticket.version);
        expect(after.comments).toEqual([]);
        expect(await metricValue(server.ctx.metrics.mailIgnored, { reason: 'auto_reply' })).toBe(2);
        expect(await metricValue(server.ctx.metrics.mailIgnored, { reason: 'bounce' })).toBe(1);
        expect(await metricValue(server.ctx.metrics.mailIgnored, { reason: 'loop' })).toBe(1);
      },
      WAIT,
    );

    it(
      'the same message twice, or twice at once, has one effect',
      async () => {
        const id = mid();
        const message = {
          from: 'wang.fang@customer.example',
          to: 'desk@dutydesk.test',
          subject: 'Disk full on db-7',
          text: 'See subject.',
          messageId: id,
        };
        const a = await smtp.sendMail(message);
        const b = await smtp.sendMail(message);
        const number = numberOf(a.response);
        expect(b.response).toMatch(/Ignored \(duplicate\)/);
        const before = await ticketByNumber(number);
        // Two nodes (one database) fetching one mail at the same moment: one ticket.
        const raw = Buffer.from(
          `From: wang.fang@customer.example\r\nTo: desk@dutydesk.test\r\nSubject: Twice at once\r\nMessage-ID: ${mid()}\r\n\r\nhello\r\n`,
        );
        const outcomes = await Promise.all([
          server.mailIn.intake.process(raw, 'imap'),
          server.mailIn.intake.process(raw, 'imap'),
        ]);
        const kinds = outcomes.map((o) => o.kind).sort();
        // The loser of the claim is told to come back (busy) or finds it done (duplicate).
        expect(kinds.filter((k) => k === 'ticket')).toHaveLength(1);
        const again = await server.mailIn.intake.process(raw, 'imap');
        expect(again).toEqual({ kind: 'ignored', reason: 'duplicate' });
        const list = await server.api('GET', '/api/tickets?limit=200', { token });
        const titles = JSON.stringify(list.body).match(/Twice at once/g) ?? [];
        expect(titles).toHaveLength(1);
        expect((await ticketByNumber(number)).version).toBe(before.version);
        expect(
          await metricValue(server.ctx.metrics.mailIgnored, { reason: 'duplicate' }),
        ).toBeGreaterThanOrEqual(2);
      },
      WAIT,
    );

    it(
      'a mail over DUTYDESK_MAIL_MAX_BYTES is refused with 552 and a logged refusal',
      async () => {
        const states = await countMailStates(server.ctx.database.db);
        const err = await smtp
          .sendMail({
            from: 'big@customer.example',
            to: 'desk@dutydesk.test',
            subject: 'Huge',
            text: 'x',
            messageId: mid(),
            attachments: [{ filename: 'big.png', content: fakePng(MAX_BYTES + 10_000) }],
          })
          .then(
            () => null,
            (e: unknown) => e as { responseCode?: number },
          );
        expect(err?.responseCode).toBe(552);
        expect(
          logLines.some((l) => l.includes('mail refused: larger than DUTYDESK_MAIL_MAX_BYTES')),
        ).toBe(true);
        expect(
          await metricValue(server.ctx.metrics.mailRefused, { source: 'smtp', reason: 'size' }),
        ).toBe(1);
        expect(await countMailStates(server.ctx.database.db)).toEqual(states);
      },
      WAIT,
    );

    it(
      'IMAP: an unseen mail in the mailbox opens a ticket, is marked seen, and is not taken twice',
      async () => {
        const takenBefore = await metricValue(server.ctx.metrics.mailReceived, {
          source: 'imap',
          outcome: 'ticket',
        });
        const png = fakePng(5_000);
        const id = mid();
        const raw = [
          'From: "Chen Jie" <chen.jie@customer.example>',
          'To: desk@dutydesk.test',
          'Subject: Switch in rack B4 reboots',
          `Message-ID: ${id}`,
          'MIME-Version: 1.0',
          'Content-Type: multipart/mixed; boundary="XX"',
          '',
          '--XX',
          'Content-Type: text/plain; charset=utf-8',
          '',
          'Every 10 minutes since the update.',
          '--XX',
          'Content-Type: image/png; name="rack.png"',
          'Content-Disposition: attachment; filename="rack.png"',
          'Content-Transfer-Encoding: base64',
          '',
          png.toString('base64').replace(/.{76}/g, '$&\r\n'),
          '--XX--',
          '',
        ].join('\r\n');
        await imap.append(raw);
        await imap.append(
          'From: chen.jie@customer.example\r\nTo: desk@dutydesk.test\r\nSubject: Auto: away\r\nAuto-Submitted: auto-replied\r\nMessage-ID: <away-1@customer.example>\r\n\r\naway\r\n',
        );
        const report = await server.mailIn.imap?.tick();
        expect(report).toMatchObject({ fetched: 2, taken: 1, ignored: 1, retried: 0 });
        const flags = await imap.flags();
        expect(flags).toHaveLength(2);
        expect(flags.every((f) => f.flags.includes('\\Seen'))).toBe(true);
        const list = await server.api('GET', '/api/tickets?limit=200', { token });
        const found = (list.body as { tickets: Ticket[] }).tickets.find(
          (t) => t.title === 'Switch in rack B4 reboots',
        );
        expect(found?.channel).toBe('email');
        const atts = await server.api('GET', `/api/tickets/${found?.id}/attachments`, { token });
        expect(
          (atts.body as { attachments: Array<{ sha256: string }> }).attachments.map(
            (a) => a.sha256,
          ),
        ).toEqual([sha256(png)]);
        // The same mail again in the mailbox (a copy, unseen): no second ticket.
        await imap.append(raw);
        const second = await server.mailIn.imap?.tick();
        expect(second).toMatchObject({ fetched: 1, taken: 0, ignored: 1 });
        // Oversized: not fetched, flagged and left, its refusal logged.
        await imap.append(
          `From: big@customer.example\r\nSubject: big\r\nMessage-ID: ${mid()}\r\n\r\n${'y'.repeat(MAX_BYTES + 100)}\r\n`,
        );
        const third = await server.mailIn.imap?.tick();
        expect(third).toMatchObject({ fetched: 0, refused: 1 });
        expect(
          await metricValue(server.ctx.metrics.mailRefused, { source: 'imap', reason: 'size' }),
        ).toBe(1);
        expect(
          await metricValue(server.ctx.metrics.mailReceived, { source: 'imap', outcome: 'ticket' }),
        ).toBe(takenBefore + 1);
      },
      WAIT,
    );
  },
);

describe('stripQuoted', () => {
  it('keeps the reply and cuts the quoted mail', () => {
    expect(stripQuoted('Fixed.\n\nOn Mon, 1 Jan 2026, Desk wrote:\n> old')).toBe('Fixed.');
    expect(stripQuoted('好了\n\n在 2026年1月1日，服务台 写道：\n> 旧')).toBe('好了');
    expect(stripQuoted('> only quoted')).toBe('> only quoted');
  });
});
