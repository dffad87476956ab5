/**
 * Webhooks end to end on a real server (PGlite and PostgreSQL) with a receiver on loopback
 * (allowed explicitly with DUTYDESK_WEBHOOK_ALLOW_HOSTS): every matching event once per
 * message id, in seq order, verified with standardwebhooks; a receiver that answers 500 and
 * then goes down loses nothing; 24 h of failures pause and alert; replay, rotation, the REST
 * surface and its refusals. The server clock is a ManualClock: retries are moved along by
 * advancing it and running the node's dispatcher (`webhooks.tick()`), never by sleeping.
 */
import {
  matchesEventPattern,
  type Webhook as WebhookView,
  type WebhookDelivery,
  type WebhookWithSecret,
} from '@dutydesk/shared';
import { Webhook } from 'standardwebhooks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { WebhookReceiver, type ReceivedRequest } from '../../testing/webhookReceiver';
import { createTicket, prepareDesk, sendCommand } from '../sla/sla.testing';

const HOUR = 3_600_000;

interface LoggedEvent {
  seq: number;
  id: string;
  type: string;
  ticketId: string | null;
  at: string;
  data: unknown;
}

interface Payload {
  type: string;
  timestamp: string;
  data: LoggedEvent;
}

function payloadOf(r: ReceivedRequest): Payload {
  return JSON.parse(r.body) as Payload;
}

describe.each(DRIVERS)('webhooks on %s', (driver) => {
  let server: TestServer;
  let clock: ManualClock;
  let admin: string;
  let agent: string;
  let receiver: WebhookReceiver;

  beforeAll(async () => {
    clock = new ManualClock(new Date());
    server = await startTestServer({
      driver,
      clock,
      env: { DUTYDESK_WEBHOOK_ALLOW_HOSTS: '127.0.0.1' },
    });
    admin = await server.login('admin', ADMIN_PASSWORD);
    await prepareDesk(server, admin);
    const u = await server.api('POST', '/api/users', {
      token: admin,
      body: { username: 'agent1', password: 'password-123', displayName: 'A', roles: ['agent'] },
    });
    expect(u.status).toBe(201);
    agent = await server.login('agent1', 'password-123');
    receiver = await WebhookReceiver.start();
  });

  afterAll(async () => {
    await server?.dispose();
    await receiver?.close();
  });

  /** Moves the server clock on; sessions expire after 14 h of it, so sign in again. */
  async function advance(ms: number): Promise<void> {
    clock.advance(ms);
    admin = await server.login('admin', ADMIN_PASSWORD);
    agent = await server.login('agent1', 'password-123');
  }

  async function subscribe(body: Record<string, unknown>): Promise<WebhookWithSecret> {
    const res = await server.api('POST', '/api/webhooks', { token: admin, body });
    expect(res.status, JSON.stringify(res.body)).toBe(201);
    return res.body as WebhookWithSecret;
  }

  async function read(id: string): Promise<WebhookView> {
    const res = await server.api('GET', `/api/webhooks/${id}`, { token: admin });
    expect(res.status).toBe(200);
    return res.body as WebhookView;
  }

  /** The log's events after `after` that `patterns` cover, in seq order. */
  async function expectedEvents(after: number, patterns: string[]): Promise<LoggedEvent[]> {
    const res = await server.api('GET', `/api/events?after=${after}&limit=1000`, { token: admin });
    expect(res.status).toBe(200);
    const list = (res.body as { events: LoggedEvent[] }).events;
    return list.filter((e) => patterns.some((p) => matchesEventPattern(p, e.type)));
  }

  /** The receiver's 2xx requests for one subscription (by its message-id prefix). */
  function deliveredTo(id: string): ReceivedRequest[] {
    return receiver.delivered.filter((r) => r.headers['webhook-id']?.startsWith(`msg_${id}_`));
  }

  function attemptsTo(id: string): ReceivedRequest[] {
    return receiver.requests.filter((r) => r.headers['webhook-id']?.startsWith(`msg_${id}_`));
  }

  async function makeEvents(n: number, extra: Record<string, unknown> = {}): Promise<void> {
    for (let i = 0; i < n; i += 1) {
      const t = await createTicket(server, agent, { title: `Hook ${i}`, priority: 'P3', ...extra });
      await sendCommand(server, agent, {
        type: 'ticket.comment',
        ticketId: t.id,
        expectedVersion: t.version,
        body: `comment ${i}`,
      });
    }
  }

  it('refuses non-admins, invalid bodies and non-public addresses, with the field paths', async () => {
    const denied = await server.api('POST', '/api/webhooks', {
      token: agent,
      body: { url: receiver.url, events: ['ticket.*'] },
    });
    expect(denied.status).toBe(403);
    expect((await server.api('GET', '/api/webhooks', { token: agent })).status).toBe(403);
    expect((await server.api('GET', '/api/webhooks')).status).toBe(401);

    const bad = await server.api('POST', '/api/webhooks', {
      token: admin,
      body: { url: 'ftp://example.com/x', events: ['ticket.*', 'nosuch.*', 'ticket.exploded'] },
    });
    expect(bad.status).toBe(400);
    const fields = (bad.body as { error: { fields: Array<{ path: string }> } }).error.fields;
    expect(fields.map((f) => f.path).sort()).toEqual(['events.1', 'events.2', 'url']);

    const extra = await server.api('POST', '/api/webhooks', {
      token: admin,
      body: { url: receiver.url, events: ['*'], secret: 'mine' },
    });
    expect(extra.status).toBe(400);

    const noGroup = await server.api('POST', '/api/webhooks', {
      token: admin,
      body: { url: receiver.url, events: ['*'], groupIds: ['nosuch'] },
    });
    expect(noGroup.status).toBe(400);
    expect(JSON.stringify(noGroup.body)).toContain('groupIds');

    // Not allowed although the operator allows 127.0.0.1: other loopback addresses, IPv6
    // loopback (localhost resolves to ::1 too), private, link-local, mapped and unspecified.
    for (const url of [
      'http://10.1.2.3/hook',
      'http://192.168.0.10/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://127.0.0.2/hook',
      'http://[::1]:8080/hook',
      'http://[fd00::1]/hook',
      'http://[::ffff:10.0.0.1]/hook',
      'http://0.0.0.0/hook',
    ]) {
      const res = await server.api('POST', '/api/webhooks', {
        token: admin,
        body: { url, events: ['ticket.*'] },
      });
      expect(res.status, url).toBe(400);
      const err = (res.body as { error: { message: string; fields: Array<{ path: string }> } })
        .error;
      expect(err.fields[0]?.path).toBe('url');
      expect(err.message).toMatch(/not a public address/);
      expect(err.message).toContain('DUTYDESK_WEBHOOK_ALLOW_HOSTS');
    }
    const list = await server.api('GET', '/api/webhooks', { token: admin });
    expect((list.body as { webhooks: unknown[] }).webhooks).toHaveLength(0);
  });

  it('delivers every matching event once per id, in seq order, signed per Standard Webhooks', async () => {
    const patterns = ['ticket.*', 'sla.breached'];
    const sub = await subscribe({
      url: receiver.url,
      events: patterns,
      description: 'all tickets',
    });
    expect(sub.secret).toMatch(/^whsec_[A-Za-z0-9+/=]{40,}$/);
    expect(sub.status).toBe('active');
    const got = await server.api('GET', `/api/webhooks/${sub.id}`, { token: admin });
    expect(JSON.stringify(got.body)).not.toContain(sub.secret);

    await makeEvents(8);
    const expected = await expectedEvents(sub.cursorSeq, patterns);
    expect(expected.length).toBe(16);
    await receiver.waitFor(
      () => deliveredTo(sub.id).length >= expected.length,
      `${expected.length} deliveries to ${sub.id}`,
    );
    await server.webhooks.tick();

    const wh = new Webhook(sub.secret);
    const delivered = deliveredTo(sub.id);
    const ids = delivered.map((r) => r.headers['webhook-id']);
    expect(new Set(ids).size).toBe(ids.length);
    for (const r of delivered) {
      // Throws unless the signature and timestamp verify.
      const verified = wh.verify(r.body, r.headers) as Payload;
      expect(verified.type).toBe(verified.data.type);
      expect(r.headers['webhook-signature']).toMatch(/^v1,[A-Za-z0-9+/=]+$/);
      expect(r.headers['content-type']).toBe('application/json');
    }
    const seqs = delivered.map((r) => payloadOf(r).data.seq);
    expect(seqs).toEqual(expected.map((e) => e.seq));
    expect(delivered.map((r) => payloadOf(r).data)).toEqual(
      expected.map((e) => expect.objectContaining({ id: e.id, type: e.type, data: e.data })),
    );
    expect(ids[0]).toBe(`msg_${sub.id}_${expected[0]?.seq}`);
    expect(() =>
      new Webhook(`whsec_${Buffer.from('x'.repeat(32)).toString('base64')}`).verify(
        delivered[0]?.body ?? '',
        delivered[0]?.headers ?? {},
      ),
    ).toThrow();

    const after = await read(sub.id);
    expect(after.cursorSeq).toBeGreaterThanOrEqual(expected[expected.length - 1]?.seq ?? 0);
    const log = await server.api('GET', `/api/webhooks/${sub.id}/deliveries?limit=5`, {
      token: admin,
    });
    const rows = (log.body as { deliveries: WebhookDelivery[]; next: string | null }).deliveries;
    expect(rows).toHaveLength(5);
    expect(rows[0]).toMatchObject({ outcome: 'delivered', httpStatus: 200, attempt: 1 });
    expect(rows[0]?.seq).toBe(expected[expected.length - 1]?.seq);
    expect(typeof rows[0]?.durationMs).toBe('number');
    expect((log.body as { next: string | null }).next).toMatch(/^\?before=\d+&limit=5$/);

    const metrics = await server.api('GET', '/metrics');
    const text = String(metrics.body);
    expect(text).toMatch(/dutydesk_webhook_deliveries_total\{outcome="delivered"\} (\d+)/);
    expect(text).toMatch(/dutydesk_webhook_subscriptions\{state="active"\} 1/);
    expect(text).toMatch(/dutydesk_webhook_backlog_events 0/);

    expect((await server.api('DELETE', `/api/webhooks/${sub.id}`, { token: admin })).status).toBe(
      204,
    );
    expect((await server.api('GET', `/api/webhooks/${sub.id}`, { token: admin })).status).toBe(404);
  });

  it('filters by group and organisation', async () => {
    const byGroup = await subscribe({
      url: receiver.url,
      events: ['ticket.created'],
      groupIds: ['l2'],
    });
    const byOrg = await subscribe({
      url: receiver.url,
      events: ['ticket.created'],
      organisations: ['ACME'],
    });
    const inL2 = await createTicket(server, agent, {
      title: 'In L2',
      priority: 'P3',
      groupId: 'l2',
    });
    const acme = await createTicket(server, agent, {
      title: 'For ACME',
      priority: 'P3',
      customer: { org: 'ACME', contact: null, phone: null },
    });
    await createTicket(server, agent, { title: 'Neither', priority: 'P3' });
    await server.webhooks.tick();
    await receiver.waitFor(
      () => deliveredTo(byGroup.id).length >= 1 && deliveredTo(byOrg.id).length >= 1,
      'one delivery each to the filtered subscriptions',
    );
    await server.webhooks.tick();
    expect(deliveredTo(byGroup.id).map((r) => payloadOf(r).data.ticketId)).toEqual([inL2.id]);
    expect(deliveredTo(byOrg.id).map((r) => payloadOf(r).data.ticketId)).toEqual([acme.id]);
    await server.api('DELETE', `/api/webhooks/${byGroup.id}`, { token: admin });
    await server.api('DELETE', `/api/webhooks/${byOrg.id}`, { token: admin });
  });

  it('loses nothing while the receiver answers 500 and then is down: every event arrives, in order', async () => {
    const patterns = ['ticket.*'];
    const sub = await subscribe({ url: receiver.url, events: patterns });
    receiver.respond = () => 500;
    await makeEvents(3);
    await receiver.waitFor(
      () => attemptsTo(sub.id).some((r) => r.status === 500),
      'a delivery answered 500',
    );
    await server.webhooks.tick();
    const failing = await read(sub.id);
    expect(failing.failing).toMatchObject({ lastError: 'answered 500' });
    expect(failing.failing?.nextAttemptAt).not.toBeNull();
    // Not due yet on the server clock: a tick tries nothing.
    const before = attemptsTo(sub.id).length;
    await server.webhooks.tick();
    expect(attemptsTo(sub.id).length).toBe(before);

    // The receiver goes down; more events come in meanwhile.
    await receiver.close();
    await makeEvents(3);
    await advance(2 * HOUR);
    await server.webhooks.tick();
    const down = await read(sub.id);
    expect(down.failing?.attempts).toBeGreaterThanOrEqual(2);
    const log = await server.api('GET', `/api/webhooks/${sub.id}/deliveries`, { token: admin });
    const outcomes = (log.body as { deliveries: WebhookDelivery[] }).deliveries.map(
      (d) => d.outcome,
    );
    expect(outcomes).toContain('http_error');
    expect(outcomes).toContain('network');

    // Back up: the retry comes due and the whole stream goes through in order.
    await receiver.reopen();
    receiver.respond = () => 200;
    await makeEvents(2);
    await advance(2 * HOUR);
    await server.webhooks.tick();
    const expected = await expectedEvents(sub.cursorSeq, patterns);
    expect(expected.length).toBe(16);
    await receiver.waitFor(
      () =>
        new Set(deliveredTo(sub.id).map((r) => r.headers['webhook-id'])).size >= expected.length,
      `all ${expected.length} events delivered after the outage`,
    );
    await server.webhooks.tick();
    const wh = new Webhook(sub.secret);
    const delivered = deliveredTo(sub.id);
    for (const r of delivered) wh.verify(r.body, r.headers);
    expect(delivered.map((r) => payloadOf(r).data.seq)).toEqual(expected.map((e) => e.seq));
    // The 500s carried the id of the event later delivered: a receiver can drop repeats by it.
    const first500 = attemptsTo(sub.id).find((r) => r.status === 500);
    expect(delivered[0]?.headers['webhook-id']).toBe(first500?.headers['webhook-id']);
    expect((await read(sub.id)).failing).toBeNull();
    await server.api('DELETE', `/api/webhooks/${sub.id}`, { token: admin });
  });

  it('pauses after 24 h of failures, alerts the duty manager, and resumes from where it stopped', async () => {
    const sub = await subscribe({ url: receiver.url, events: ['ticket.created'] });
    receiver.respond = () => 503;
    await makeEvents(1);
    await server.webhooks.tick();
    let view = await read(sub.id);
    for (let i = 0; i < 40 && view.status === 'active'; i += 1) {
      await advance(2 * HOUR);
      await server.webhooks.tick();
      view = await read(sub.id);
    }
    expect(view).toMatchObject({ status: 'paused', pausedReason: 'failing' });
    const tries = attemptsTo(sub.id);
    expect(new Set(tries.map((r) => r.headers['webhook-id'])).size).toBe(1);
    expect(tries.length).toBeGreaterThan(10);

    const events = await server.api('GET', '/api/events?after=0&limit=1000', { token: admin });
    const alert = (events.body as { events: LoggedEvent[] }).events.find(
      (e) => e.type === 'alert.raised' && (e.data as { kind?: string }).kind === 'webhook.paused',
    );
    expect(alert?.data).toMatchObject({
      kind: 'webhook.paused',
      severity: 'warning',
      roles: ['duty_manager'],
    });
    expect((alert?.data as { message: string }).message).toContain('http://127.0.0.1:');
    const metrics = String((await server.api('GET', '/metrics')).body);
    expect(metrics).toMatch(/dutydesk_webhook_subscriptions\{state="paused_failing"\} 1/);

    // Paused: nothing more is tried, however late.
    await advance(48 * HOUR);
    await server.webhooks.tick();
    expect(attemptsTo(sub.id).length).toBe(tries.length);

    receiver.respond = () => 200;
    const resumed = await server.api('POST', `/api/webhooks/${sub.id}/resume`, { token: admin });
    expect(resumed.body).toMatchObject({ status: 'active', pausedReason: null, failing: null });
    await server.webhooks.tick();
    await receiver.waitFor(() => deliveredTo(sub.id).length >= 1, 'the delivery after resume');
    await server.api('DELETE', `/api/webhooks/${sub.id}`, { token: admin });
  });

  it('replays from a seq with new message ids, pauses on request, signs with both secrets after a rotation', async () => {
    const sub = await subscribe({ url: receiver.url, events: ['ticket.created'] });
    await makeEvents(2);
    await receiver.waitFor(() => deliveredTo(sub.id).length >= 2, 'two deliveries');
    await server.webhooks.tick();
    const firstSeq = payloadOf(deliveredTo(sub.id)[0]!).data.seq;

    const paused = await server.api('POST', `/api/webhooks/${sub.id}/pause`, { token: admin });
    expect(paused.body).toMatchObject({ status: 'paused', pausedReason: 'admin' });
    await makeEvents(1);
    await server.webhooks.tick();
    expect(deliveredTo(sub.id)).toHaveLength(2);

    const rotated = await server.api('POST', `/api/webhooks/${sub.id}/rotate-secret`, {
      token: admin,
    });
    const fresh = rotated.body as WebhookWithSecret;
    expect(fresh.secret).not.toBe(sub.secret);
    expect(fresh.previousSecretExpiresAt).not.toBeNull();

    const bad = await server.api('POST', `/api/webhooks/${sub.id}/replay`, {
      token: admin,
      body: { fromSeq: 0 },
    });
    expect(bad.status).toBe(400);
    const replay = await server.api('POST', `/api/webhooks/${sub.id}/replay`, {
      token: admin,
      body: { fromSeq: firstSeq },
    });
    expect(replay.status).toBe(202);
    expect(replay.body).toMatchObject({ cursorSeq: firstSeq - 1, status: 'paused' });
    await server.api('POST', `/api/webhooks/${sub.id}/resume`, { token: admin });
    await receiver.waitFor(
      () => deliveredTo(sub.id).length >= 5,
      'the replayed and the new deliveries',
    );
    await server.webhooks.tick();
    const all = deliveredTo(sub.id);
    const replayed = all.slice(2);
    expect(replayed.map((r) => payloadOf(r).data.seq)).toEqual([
      ...all.slice(0, 2).map((r) => payloadOf(r).data.seq),
      payloadOf(all[4]!).data.seq,
    ]);
    expect(replayed.every((r) => r.headers['webhook-id']?.endsWith('_r1'))).toBe(true);
    for (const r of replayed) {
      // Two signatures while the old secret is honoured: receivers on either verify.
      expect(r.headers['webhook-signature']?.split(' ')).toHaveLength(2);
      new Webhook(fresh.secret).verify(r.body, r.headers);
      new Webhook(sub.secret).verify(r.body, r.headers);
    }

    const patched = await server.api('PATCH', `/api/webhooks/${sub.id}`, {
      token: admin,
      body: { events: ['alert.*'], description: 'alerts only' },
    });
    expect(patched.body).toMatchObject({ events: ['alert.*'], description: 'alerts only' });
    const empty = await server.api('PATCH', `/api/webhooks/${sub.id}`, { token: admin, body: {} });
    expect(empty.status).toBe(400);
    const toPrivate = await server.api('PATCH', `/api/webhooks/${sub.id}`, {
      token: admin,
      body: { url: 'http://10.0.0.8/x' },
    });
    expect(toPrivate.status).toBe(400);
    await server.api('DELETE', `/api/webhooks/${sub.id}`, { token: admin });
  });
});

describe('webhooks without DUTYDESK_WEBHOOK_ALLOW_HOSTS', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ driver: 'pglite' });
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('refuses a loopback or private receiver by default', async () => {
    const admin = await server.login('admin', ADMIN_PASSWORD);
    for (const url of ['http://127.0.0.1:9/hook', 'http://localhost:9/hook', 'http://10.0.0.1/']) {
      const res = await server.api('POST', '/api/webhooks', {
        token: admin,
        body: { url, events: ['ticket.*'] },
      });
      expect(res.status, url).toBe(400);
      expect(JSON.stringify(res.body)).toMatch(/not a public address \((loopback|private)\)/);
    }
  });
});
