import { rmSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Ticket } from '@dutydesk/shared';
import { verifyAuditChain } from '../features/events/events.repo';
import { startTestServer } from '../testing/harness';
import { DEMO_PASSWORD } from './seed';

describe('DUTYDESK_DEMO=1', () => {
  it('seeds groups, a dozen users across roles and a couple of dozen tickets once', async () => {
    const first = await startTestServer({ driver: 'pglite', env: { DUTYDESK_DEMO: '1' } });
    const token = await first.login('sunli', DEMO_PASSWORD);
    const tickets = (await first.api('GET', '/api/tickets', { token })).body as {
      tickets: Ticket[];
    };
    expect(tickets.tickets.length).toBeGreaterThanOrEqual(20);
    expect(new Set(tickets.tickets.map((t) => t.status)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(tickets.tickets.map((t) => t.priority))).toEqual(new Set(['P1', 'P2', 'P3']));
    const users = (await first.api('GET', '/api/users', { token })).body as {
      users: Array<{ roles: string[] }>;
    };
    expect(users.users.length).toBeGreaterThanOrEqual(12);
    expect(new Set(users.users.flatMap((u) => u.roles))).toEqual(
      new Set(['admin', 'agent', 'engineer', 'duty_manager', 'wallboard']),
    );
    expect((await verifyAuditChain(first.ctx.database.db)).ok).toBe(true);
    await first.close();
    const second = await startTestServer({
      driver: 'pglite',
      reuse: { dataDir: first.dataDir },
      env: { DUTYDESK_DEMO: '1' },
    });
    try {
      const again = (await second.api('GET', '/api/tickets', { token })).body as {
        tickets: Ticket[];
      };
      expect(again.tickets.length).toBe(tickets.tickets.length);
    } finally {
      await second.dispose();
      rmSync(first.dataDir, { recursive: true, force: true });
    }
  });
});
