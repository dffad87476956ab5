import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../db/client';
import { verifyAuditChain } from '../events/events.repo';
import { ADMIN_PASSWORD, startTestServer, type TestServer } from '../../testing/harness';

async function upload(
  server: TestServer,
  token: string,
  body: string,
  type = 'text/csv',
): Promise<{ status: number; body: Record<string, unknown> }> {
  const res = await server.api('POST', '/api/import/tickets', {
    token,
    raw: body,
    contentType: type,
  });
  return { status: res.status, body: res.body as Record<string, unknown> };
}

interface Job {
  status: string;
  total: number;
  done: number;
  failed: number;
  errors: Array<{ line: number; message: string }>;
}

describe.each(['pglite', 'postgres'] as const)('historical import (%s)', (driver) => {
  let server: TestServer;
  let admin: string;

  beforeAll(async () => {
    server = await startTestServer({ driver });
    admin = await server.login('admin', ADMIN_PASSWORD);
  });
  afterAll(async () => {
    await server?.dispose();
  });

  it('imports closed tickets with their past times through the log, reports bad rows by line', async () => {
    const csv = [
      'title,description,category,module,priority,receivedAt,closedAt',
      'VPN drops,"The VPN client disconnects every hour, reconnect works",Network,VPN,P2,2025-03-02T08:10:00Z,2025-03-02T11:40:00Z',
      ',"打印机卡纸，三楼",Hardware,,,2024-11-05T01:00:00Z,',
      'Bad priority,something,Access,,P9,,',
      'Backwards,something,Access,,,2025-03-02T08:10:00Z,2025-03-01T08:10:00Z',
      'No category,something,,,,,',
      'Future,something,Access,,,,2999-01-01T00:00:00Z',
    ].join('\n');
    const res = await upload(server, admin, csv);
    expect(res.status).toBe(202);
    const jobId = res.body.jobId as string;
    await server.imports.idle();
    const job = (await server.api('GET', `/api/import/jobs/${jobId}`, { token: admin }))
      .body as Job;
    expect(job).toMatchObject({ status: 'done', total: 6, done: 2, failed: 4 });
    expect(job.errors.map((e) => e.line)).toEqual([4, 5, 6, 7]);
    expect(job.errors[0]?.message).toMatch(/^priority/);
    expect(job.errors[1]?.message).toMatch(/receivedAt: after closedAt/);

    const rows = await queryRows<{ state: Ticket }>(
      server.ctx.database.db,
      sql`select state from tickets where status = 'closed' order by received_at`,
    );
    const [chinese, vpn] = rows.map((r) => r.state);
    expect(vpn).toMatchObject({
      title: 'VPN drops',
      category: 'Network',
      module: 'VPN',
      priority: 'P2',
      status: 'closed',
      receivedAt: '2025-03-02T08:10:00.000Z',
      closedAt: '2025-03-02T11:40:00.000Z',
      sla: { targets: [] },
    });
    expect(vpn?.number).toBe('INC-2025-000001');
    // No title: the start of the description; one instant stands for both.
    expect(chinese).toMatchObject({ title: '打印机卡纸，三楼', status: 'closed' });
    expect(chinese?.closedAt).toBe('2024-11-05T01:00:00.000Z');
    // The audit chain covers them; no SLA plan, timer or alert for the past.
    expect((await verifyAuditChain(server.ctx.database.db)).ok).toBe(true);
    const types = await queryRows<{ type: string }>(
      server.ctx.database.db,
      sql`select distinct type from events where ticket_id in (select id from tickets where status = 'closed')`,
    );
    expect(types.map((t) => t.type).sort()).toEqual(['ticket.closed', 'ticket.created']);
    const timers = await queryRows<{ n: number }>(
      server.ctx.database.db,
      sql`select count(*)::int as n from sla_timers`,
    );
    expect(timers[0]?.n).toBe(0);
  });

  it('takes JSON lines, refuses unknown columns, other media types and non-admins', async () => {
    const jsonl =
      '{"description":"Outlook keeps asking for the password","category":"Access","kind":"service_request"}\n' +
      'not json\n\n' +
      '{"description":"x","category":"Access","colour":"red"}\n';
    const res = await upload(server, admin, jsonl, 'application/x-ndjson');
    expect(res.status).toBe(202);
    await server.imports.idle();
    const job = (
      await server.api('GET', `/api/import/jobs/${res.body.jobId as string}`, { token: admin })
    ).body as Job;
    expect(job).toMatchObject({ status: 'done', done: 1, failed: 2 });
    expect(job.errors).toEqual([
      { line: 2, message: 'not valid JSON' },
      { line: 4, message: expect.stringMatching(/colour/) as unknown as string },
    ]);

    const unknown = await upload(server, admin, 'title,description,categroy\na,b,c\n');
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toMatch(/categroy/);
    expect((await upload(server, admin, 'x', 'text/plain')).status).toBe(415);
    expect((await upload(server, 'nope', 'x')).status).toBe(401);
    expect(
      (
        await server.api('GET', '/api/import/jobs/00000000-0000-4000-8000-000000000000', {
          token: admin,
        })
      ).status,
    ).toBe(404);
  });

  it('imports a few thousand rows in batches with progress (rows/s printed)', async () => {
    const n = 3000;
    const lines = ['description,category,closedAt'];
    for (let i = 0; i < n; i++)
      lines.push(
        `ticket ${i} about printer ${i % 17},Cat${i % 5},2025-01-0${1 + (i % 9)}T10:00:00Z`,
      );
    // Progress is visible while it runs: the job read over REST after each committed batch.
    const readings: Array<Promise<Job & { id: string }>> = [];
    server.imports.onProgress((jobId) => {
      readings.push(
        server
          .api('GET', `/api/import/jobs/${jobId}`, { token: admin })
          .then((r) => r.body as Job & { id: string })
          .catch(() => ({ id: '', status: 'unread', total: 0, done: 0, failed: 0, errors: [] })),
      );
    });
    const started = performance.now();
    const res = await upload(server, admin, lines.join('\n'));
    expect(res.status).toBe(202);
    const id = res.body.jobId as string;
    await server.imports.idle();
    const seconds = (performance.now() - started) / 1000;
    const job = (await server.api('GET', `/api/import/jobs/${id}`, { token: admin })).body as Job;
    expect(job).toMatchObject({ status: 'done', total: n, done: n, failed: 0 });
    const seen = (await Promise.all(readings)).filter((j) => j.id === id).map((j) => j.done);
    console.log(
      `import ${driver}: ${n} rows in ${seconds.toFixed(2)} s = ${Math.round(n / seconds)} rows/s; progress read after each batch: ${seen.join(', ')}`,
    );
    expect(seen.some((d) => d > 0 && d < n)).toBe(true);
    expect((await verifyAuditChain(server.ctx.database.db)).ok).toBe(true);
  }, 120_000);
});
