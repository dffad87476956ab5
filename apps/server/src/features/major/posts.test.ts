/**
 * What a major incident's posts reach, and what its close acknowledges (decision 49), on a real
 * server (PGlite and PostgreSQL) with a local SMTP sink: a post is the parent's public comment
 * (its customer's update mail) and a staff comment on each open child, and each distinct
 * customer of the children gets it once, about their own ticket — never once per child, never
 * the parent's customer twice. Closing acknowledges the incident's open alerts (the declaration
 * and the cadence clocks') as the closing duty manager.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { SmtpSink, type SunkMail } from '../../testing/smtpSink';
import { createTicket, prepareDesk } from '../sla/sla.testing';

const WAIT = { timeoutMs: 30_000 };
const MINUTE = 60_000;

interface AlertView {
  id: string;
  kind: string;
  status: string;
  acknowledgedBy?: string | null;
  data?: { target?: string };
}

describe.each(DRIVERS)('a major incident’s posts and close on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let sink: SmtpSink;
  let admin: string;
  let adminId: string;

  async function api<T>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const res = await server.api(method, path, { token: admin, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as T;
  }
  async function contact(name: string, email: string, preferredLanguage: string): Promise<string> {
    return (
      await api<{ id: string }>('POST', '/api/contacts', { name, email, preferredLanguage }, 201)
    ).id;
  }
  async function flush(): Promise<void> {
    await server.mail.rules.tick();
    await server.mail.sender.tick();
  }
  const to = (addr: string) => (m: SunkMail) => m.rcptTo.includes(addr);
  const carrying = (text: string) => (m: SunkMail) => m.text.includes(text);

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    sink = await SmtpSink.start({});
    server = await startTestServer({
      driver,
      clock,
      env: { DUTYDESK_SMTP_URL: sink.url, DUTYDESK_MAIL_FROM: 'Desk <desk@dutydesk.test>' },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
  });
  afterAll(async () => {
    await server?.dispose();
    await sink?.close();
  });

  it('mails each customer once per post and acknowledges the incident’s alerts at close', async () => {
    const owner = await contact('Facilities desk', 'facilities@example.com', 'en');
    const tanaka = await contact('田中 一郎', 'tanaka@example.jp', 'ja');
    const minjun = await contact('김민준', 'minjun@example.kr', 'ko');
    const parent = await createTicket(server, admin, {
      title: 'Core switch down',
      contactId: owner,
    });
    const first = await createTicket(server, admin, {
      title: 'Floor 2 offline',
      contactId: tanaka,
    });
    const second = await createTicket(server, admin, { title: 'Floor 2 VPN', contactId: tanaka });
    const third = await createTicket(server, admin, {
      title: 'Floor 3 offline',
      contactId: minjun,
    });
    const quiet = await createTicket(server, admin, { title: 'Lobby screen', contactId: owner });
    const nobody = await createTicket(server, admin, { title: 'Printer room' });
    const children = [first, second, third, quiet, nobody];
    await api(
      'POST',
      `/api/major-incidents/${parent.id}`,
      { childTicketIds: children.map((c) => c.id) },
      201,
    );
    // 50 minutes without an announcement: the announce clock's warning (75 % of the hour).
    clock.set(new Date(clock.now().getTime() + 50 * MINUTE));
    await server.scheduler.tick();
    await server.escalation.tick();
    // The incident's own alerts (the ticket's P1 response clock may alert too: not the incident's).
    const incident = (a: AlertView): boolean =>
      a.kind.startsWith('major.') ||
      ['announce', 'update', 'restore'].includes(a.data?.target ?? '');
    const before = (
      await api<{ alerts: AlertView[] }>('GET', `/api/alerts?open=true&ticketId=${parent.id}`)
    ).alerts.filter(incident);
    // (the hourly update clock's warning may be among them, as the loops' timing has it).
    expect(before.map((a) => `${a.kind}:${a.data?.target ?? ''}`)).toEqual(
      expect.arrayContaining(['major.declared:', 'sla.warning:announce']),
    );
    await flush();
    const receipts = sink.messages.length;

    const words = 'Building B is off the network; engineers on site. Next update 10:30.';
    await api(
      'POST',
      `/api/major-incidents/${parent.id}/announcements`,
      { kind: 'announcement', text: words },
      201,
    );
    await flush();
    // The parent's customer (also the quiet child's) once, Tanaka once for two children, Minjun once.
    await sink.waitFor((m) => to('facilities@example.com')(m) && carrying(words)(m), WAIT);
    const toTanaka = await sink.waitFor(
      (m) => to('tanaka@example.jp')(m) && carrying(words)(m),
      WAIT,
    );
    expect(toTanaka.subject).toContain(first.number);
    const toMinjun = await sink.waitFor(
      (m) => to('minjun@example.kr')(m) && carrying(words)(m),
      WAIT,
    );
    expect(toMinjun.subject).toContain(third.number);
    await flush();
    const sent = sink.messages.slice(receipts);
    expect(
      sent
        .filter(carrying(words))
        .map((m) => m.rcptTo.join(','))
        .sort(),
    ).toEqual(['facilities@example.com', 'minjun@example.kr', 'tanaka@example.jp']);
    // On the children, a staff comment: the words are there, not as a public comment.
    for (const child of children) {
      const t = await api<{ comments: Array<{ body: string; internal: boolean }> }>(
        'GET',
        `/api/tickets/${child.id}`,
      );
      expect(t.comments.filter((c) => c.body === words)).toEqual([
        expect.objectContaining({ internal: true }),
      ]);
    }

    // A second post: once more each, and nothing of the first again.
    const update = 'Replacement switch on site; cut-over at 11:00.';
    await api(
      'POST',
      `/api/major-incidents/${parent.id}/announcements`,
      { kind: 'update', text: update },
      201,
    );
    await flush();
    await sink.waitFor((m) => to('minjun@example.kr')(m) && carrying(update)(m), WAIT);
    await sink.waitFor((m) => to('tanaka@example.jp')(m) && carrying(update)(m), WAIT);
    await sink.waitFor((m) => to('facilities@example.com')(m) && carrying(update)(m), WAIT);
    await flush();
    expect(sink.messages.filter(carrying(update))).toHaveLength(3);
    expect(sink.messages.filter(carrying(words))).toHaveLength(3);

    // Close: the declaration's and the announce clock's alerts are acknowledged by the closer;
    // the root-cause task is the one left open.
    await api('POST', `/api/major-incidents/${parent.id}/close`, { summary: 'Switch replaced.' });
    const after = await api<{ alerts: AlertView[] }>('GET', `/api/alerts?ticketId=${parent.id}`);
    for (const id of before.map((a) => a.id)) {
      expect(after.alerts.find((a) => a.id === id)).toMatchObject({
        status: 'acknowledged',
        acknowledgedBy: adminId,
      });
    }
    expect(
      after.alerts.filter((a) => incident(a) && a.status === 'open').map((a) => a.kind),
    ).toEqual(['major.rootCauseTask']);
  });
});
