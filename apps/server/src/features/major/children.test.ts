import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';

interface Major {
  status: string;
  childTicketIds: string[];
  timeline: Array<{ kind: string; text: string }>;
}
interface TicketView {
  id: string;
  number: string;
  status: string;
  majorIncident: boolean;
  timeline?: unknown;
}

/**
 * Major-incident children from the console's side (issue 23): link and unlink after the
 * declaration, the parent's announcements posted on each open child, and closing moves the
 * ticket on (flag cleared, resolved when in progress).
 */
describe.each(DRIVERS)('major-incident children and close on %s', (driver) => {
  let server: TestServer;
  let admin: string;

  async function api<T>(method: string, path: string, body?: unknown, status = 200): Promise<T> {
    const res = await server.api(method, path, { token: admin, body });
    expect(res.status, `${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body as T;
  }
  async function command(body: Record<string, unknown>): Promise<TicketView> {
    const ack = await api<{ ok: boolean; ticket: TicketView }>('POST', '/api/commands', {
      commandId: randomUUID(),
      ...body,
    });
    expect(ack.ok).toBe(true);
    return ack.ticket;
  }
  const create = (title: string): Promise<TicketView> =>
    command({
      type: 'ticket.create',
      title,
      description: title,
      channel: 'hotline',
      priority: 'P2',
    });

  beforeAll(async () => {
    server = await startTestServer({ driver });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('links, unlinks, posts updates on the children and moves the ticket on at close', async () => {
    const parent = await create('Core switch down');
    const [a, b, c] = [
      await create('Floor 2 offline'),
      await create('Floor 3'),
      await create('VPN'),
    ];
    await api('POST', `/api/major-incidents/${parent.id}`, { childTicketIds: [a.id] }, 201);
    const linked = await api<Major>('POST', `/api/major-incidents/${parent.id}/children`, {
      childTicketIds: [b.id, c.id, a.id],
    });
    expect(linked.childTicketIds).toEqual([a.id, b.id, c.id]);
    expect(linked.timeline.at(-1)).toMatchObject({
      kind: 'linked',
      text: `${b.number}, ${c.number}`,
    });
    const unlinked = await api<Major>(
      'DELETE',
      `/api/major-incidents/${parent.id}/children/${c.id}`,
    );
    expect(unlinked.childTicketIds).toEqual([a.id, b.id]);
    expect(unlinked.timeline.at(-1)).toMatchObject({ kind: 'unlinked', text: c.number });
    await api('DELETE', `/api/major-incidents/${parent.id}/children/${c.id}`, undefined, 404);
    await api(
      'POST',
      `/api/major-incidents/${parent.id}/children`,
      { childTicketIds: [parent.id] },
      400,
    );
    await api(
      'POST',
      `/api/major-incidents/${parent.id}/children`,
      { childTicketIds: ['nope'] },
      400,
    );

    await api(
      'POST',
      `/api/major-incidents/${parent.id}/announcements`,
      { kind: 'announcement', text: 'Building B is off the network; next update 10:30.' },
      201,
    );
    const comments = async (id: string): Promise<string[]> => {
      const t = await api<{ comments?: Array<{ body: string }> }>('GET', `/api/tickets/${id}`);
      return (t.comments ?? []).map((x) => x.body);
    };
    expect(await comments(a.id)).toContain('Building B is off the network; next update 10:30.');
    expect(await comments(b.id)).toContain('Building B is off the network; next update 10:30.');
    expect(await comments(c.id)).not.toContain('Building B is off the network; next update 10:30.');

    const closed = await api<Major>('POST', `/api/major-incidents/${parent.id}/close`, {
      summary: 'Switch replaced.',
    });
    expect(closed.status).toBe('closed');
    const after = await api<TicketView>('GET', `/api/tickets/${parent.id}`);
    expect(after.majorIncident).toBe(false);
    await api(
      'POST',
      `/api/major-incidents/${parent.id}/children`,
      { childTicketIds: [c.id] },
      404,
    );
  });
});
