/**
 * Webhooks across node processes on one PostgreSQL (bounded, loopback only): the node that is
 * delivering a subscription's stream is killed with SIGKILL in the middle of a request; the
 * other node takes the lease over once it expires and finishes the stream. Every event
 * arrives, signed, and the first arrival of each message id is in seq order; what arrives twice
 * is a redelivery of an id already seen (at-least-once), never a hole.
 */
import type { ChildProcess } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import {
  WebhookReceiver,
  type ReceivedRequest,
} from '../../apps/server/src/testing/webhookReceiver';
import { startPostgresCluster, type PostgresCluster } from '../support/postgres';
import { spawnServerProcess } from '../support/serverProcess';

const ADMIN_PASSWORD = 'hooks-admin-1';
const children: ChildProcess[] = [];

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

async function startNode(databaseUrl: string): Promise<{ url: string; child: ChildProcess }> {
  const node = await spawnServerProcess({
    DATABASE_URL: databaseUrl,
    DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DUTYDESK_COMMAND_RATE: '100000',
    DUTYDESK_WEBHOOK_ALLOW_HOSTS: '127.0.0.1',
    // A dead node's lease runs out after 40 s; a held request times out after 20 s: long
    // enough for the test to find and kill its sender on a loaded machine (at load 27 two
    // scrapes took longer than 8 s, the held request timed out and no node held the stream).
    DUTYDESK_WEBHOOK_LEASE_MS: '40000',
    DUTYDESK_WEBHOOK_TIMEOUT_MS: '20000',
    LOG_LEVEL: 'silent',
  });
  children.push(node.child);
  return node;
}

async function api<T>(
  base: string,
  method: string,
  path: string,
  token?: string,
  body?: unknown,
): Promise<{ status: number; body: T }> {
  const res = await fetch(base + path, {
    method,
    headers: {
      ...(token ? { authorization: `Bearer ${token}` } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as T };
}

async function streamsOn(base: string): Promise<number> {
  const text = await (await fetch(`${base}/metrics`)).text();
  const m = /^dutydesk_webhook_streams (\d+)/m.exec(text);
  return Number(m?.[1] ?? 0);
}

async function createTickets(base: string, token: string, n: number): Promise<void> {
  for (let i = 0; i < n; i += 1) {
    const res = await api<{ ok: boolean }>(base, 'POST', '/api/commands', token, {
      commandId: randomUUID(),
      type: 'ticket.create',
      title: `Hook fault ${i}`,
      description: 'x',
      channel: 'hotline',
      priority: 'P3',
    });
    expect(res.status).toBe(200);
  }
}

describe('webhooks across nodes', () => {
  let cluster: PostgresCluster | undefined;
  let receiver: WebhookReceiver | undefined;

  afterEach(async () => {
    await Promise.all(
      children.splice(0).map((c) => {
        const done = exited(c);
        c.kill('SIGKILL');
        return done;
      }),
    );
    await receiver?.close();
    await cluster?.stop();
    cluster = undefined;
  });

  it('kill -9 of the delivering node mid-stream: the other node finishes the stream, nothing lost, in order', async () => {
    cluster = await startPostgresCluster();
    const a = await startNode(cluster.url);
    const b = await startNode(cluster.url);
    receiver = await WebhookReceiver.start();
    const token = (
      await api<{ token: string }>(a.url, 'POST', '/api/auth/login', undefined, {
        username: 'admin',
        password: ADMIN_PASSWORD,
      })
    ).body.token;
    const created = await api<{ id: string; secret: string; cursorSeq: number }>(
      a.url,
      'POST',
      '/api/webhooks',
      token,
      { url: receiver.url, events: ['ticket.created'] },
    );
    expect(created.status).toBe(201);
    const sub = created.body;

    // The 25th request is held unanswered: the node sending it is the one to kill.
    let release: (status: number) => void = () => {};
    let onHeld: () => void = () => {};
    const held = new Promise<void>((r) => (onHeld = r));
    let seen = 0;
    receiver.respond = () => {
      seen += 1;
      if (seen !== 25) return 200;
      onHeld();
      return new Promise<number>((r) => (release = r));
    };
    await createTickets(b.url, token, 40);
    await held;

    const streams = [await streamsOn(a.url), await streamsOn(b.url)];
    expect(streams.sort()).toEqual([0, 1]);
    const [victim, survivor] = (await streamsOn(a.url)) === 1 ? [a, b] : [b, a];
    victim.child.kill('SIGKILL');
    await exited(victim.child);
    release(200);

    // More events while the survivor waits out the dead node's lease.
    await createTickets(survivor.url, token, 20);
    const log = await api<{ events: Array<{ seq: number; type: string }> }>(
      survivor.url,
      'GET',
      `/api/events?after=${sub.cursorSeq}&limit=1000`,
      token,
    );
    const expected = log.body.events.filter((e) => e.type === 'ticket.created').map((e) => e.seq);
    expect(expected).toHaveLength(60);

    const idsOf = (list: ReceivedRequest[]) => new Set(list.map((r) => r.headers['webhook-id']));
    await receiver.waitFor(
      () => idsOf(receiver?.delivered ?? []).size >= expected.length,
      `all ${expected.length} events delivered after the kill`,
      150_000,
    );

    const delivered = receiver.delivered;
    const firstSeen: number[] = [];
    const ids = new Set<string>();
    let previous = 0;
    for (const r of delivered) {
      const payload = WebhookReceiver.verify(sub.secret, r) as { data: { seq: number } };
      const id = r.headers['webhook-id'] ?? '';
      expect(id).toBe(`msg_${sub.id}_${payload.data.seq}`);
      if (!ids.has(id)) {
        ids.add(id);
        firstSeen.push(payload.data.seq);
        // A new id always comes after the ones before it (a take-over re-sends, never skips).
        expect(payload.data.seq).toBeGreaterThan(previous);
      }
      previous = Math.max(previous, payload.data.seq);
    }
    expect(firstSeen).toEqual(expected);

    const view = await api<{ status: string; failing: unknown }>(
      survivor.url,
      'GET',
      `/api/webhooks/${sub.id}`,
      token,
    );
    expect(view.body).toMatchObject({ status: 'active', failing: null });
  }, 300_000);
});
