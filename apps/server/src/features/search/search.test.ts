import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SearchResponse, SearchResult, Ticket } from '@dutydesk/shared';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import type { Ack } from '../../testing/seat';
import { TERMS_VERSION } from './terms';

const PASSWORD = 'password-123';

/**
 * Issue 17, acceptance 1 (search): an agent finds a ticket by a Chinese phrase from a log
 * entry, by an English word, by its number and by its caller's phone and organisation; an
 * internal note is found exactly by those the ticket reads show it to, never in a snippet of
 * anyone else; filters, errors, reading one's own writes, a rebuild of the index.
 */
describe.each(DRIVERS)('search on %s', (driver) => {
  let server: TestServer;
  const tokens: Record<string, string> = {};
  let vpn: Ticket;
  let secret: Ticket;

  const ok = async (who: string, body: Record<string, unknown>): Promise<Ticket> => {
    const res = await server.api('POST', '/api/commands', {
      token: tokens[who],
      body: { commandId: randomUUID(), ...body },
    });
    expect(res.status, `${who} ${String(body.type)}: ${JSON.stringify(res.body)}`).toBe(200);
    return (res.body as Ack).ticket as Ticket;
  };
  const search = async (who: string, query: string): Promise<SearchResponse> => {
    const res = await server.api('GET', `/api/search?${query}`, { token: tokens[who] });
    expect(res.status, `${who} search ${query}: ${JSON.stringify(res.body)}`).toBe(200);
    return res.body as SearchResponse;
  };
  const find = async (who: string, q: string, extra = ''): Promise<SearchResult[]> =>
    (await search(who, `q=${encodeURIComponent(q)}${extra}`)).results;
  const marked = (r: SearchResult | undefined): string[] =>
    r ? r.highlights.map((h) => r.snippet.slice(h.start, h.end)) : [];

  beforeAll(async () => {
    server = await startTestServer({ driver, env: { DUTYDESK_COMMAND_RATE: '2000' } });
    tokens.admin = await server.login('admin', ADMIN_PASSWORD);
    for (const g of [
      { id: 'l1', name: 'L1 desk', nameZh: '一线', tier: 1 },
      { id: 'l2', name: 'L2 network', nameZh: '二线网络', tier: 2 },
      { id: 'l3', name: 'L3', nameZh: '三线', tier: 3 },
    ]) {
      const res = await server.api('POST', '/api/groups', { token: tokens.admin, body: g });
      expect(res.status).toBe(201);
    }
    for (const u of [
      { username: 'agent1', roles: ['agent'], groups: ['l1'] },
      { username: 'eng2', roles: ['engineer'], groups: ['l2'] },
      { username: 'eng3', roles: ['engineer'], groups: ['l3'] },
      { username: 'dm1', roles: ['duty_manager'], groups: [] },
      { username: 'board', roles: ['wallboard'], groups: [] },
    ]) {
      const res = await server.api('POST', '/api/users', {
        token: tokens.admin,
        body: { ...u, password: PASSWORD, displayName: u.username },
      });
      expect(res.status, JSON.stringify(res.body)).toBe(201);
      tokens[u.username] = await server.login(u.username, PASSWORD);
    }

    vpn = await ok('agent1', {
      type: 'ticket.create',
      title: 'VPN 无法连接 error 809',
      description: 'The branch router drops the tunnel every few minutes',
      channel: 'hotline',
      priority: 'P2',
      customer: { org: '华东电力公司', contact: '王伟', phone: '138-0013-8000', email: null },
    });
    await ok('agent1', { type: 'ticket.classify', ticketId: vpn.id, category: 'network' });
    await ok('agent1', {
      type: 'ticket.assign',
      ticketId: vpn.id,
      groupId: 'l2',
      reason: 'network',
    });
    await ok('eng2', { type: 'ticket.accept', ticketId: vpn.id });
    await ok('eng2', {
      type: 'ticket.log.execution',
      ticketId: vpn.id,
      work: '今晚数据库备份失败，已重启备份任务',
      progress: 40,
      minutesSpent: 20,
    });

    secret = await ok('agent1', {
      type: 'ticket.create',
      title: 'Payroll export slow',
      description: 'Export takes an hour',
      channel: 'portal',
      priority: 'P3',
    });
    await ok('agent1', { type: 'ticket.classify', ticketId: secret.id, category: 'software' });
    await ok('agent1', {
      type: 'ticket.assign',
      ticketId: secret.id,
      groupId: 'l2',
      reason: 'apps',
    });
    await ok('eng2', {
      type: 'ticket.comment',
      ticketId: secret.id,
      body: '内部备注：管理员口令 zebraquartz 已重置',
      internal: true,
    });
  }, 120_000);
  afterAll(async () => {
    await server?.dispose();
  });

  it('finds a ticket by a Chinese phrase from a log entry, highlighted in the snippet', async () => {
    const results = await find('agent1', '数据库备份');
    const hit = results.find((r) => r.id === vpn.id);
    expect(hit).toMatchObject({ kind: 'ticket', number: vpn.number, source: 'execution' });
    expect(hit?.snippet).toContain('今晚数据库备份失败');
    expect(marked(hit)).toEqual(['数据库备份']);
    // Characters of the phrase apart are not the phrase.
    expect((await find('agent1', '备份数据库')).some((r) => r.id === vpn.id)).toBe(false);
  });

  it('finds it by an English word, by mixed text and by its number', async () => {
    const byWord = await find('agent1', 'router');
    expect(byWord.map((r) => r.id)).toContain(vpn.id);
    expect(marked(byWord.find((r) => r.id === vpn.id))).toEqual(['router']);
    const mixed = await find('agent1', 'VPN 无法连接 809');
    expect(mixed[0]?.id).toBe(vpn.id);
    expect(mixed[0]?.titleHighlights.map((h) => mixed[0]?.title.slice(h.start, h.end))).toEqual([
      'VPN',
      '无法连接',
      '809',
    ]);
    const byNumber = await find('agent1', vpn.number);
    expect(byNumber[0]).toMatchObject({ id: vpn.id, source: 'number', number: vpn.number });
    const digits = vpn.number.split('-').pop() ?? '';
    expect((await find('agent1', digits)).map((r) => r.id)).toContain(vpn.id);
    expect((await find('agent1', vpn.number.toLowerCase()))[0]?.id).toBe(vpn.id);
  });

  it("finds it by the caller's phone (any spelling) and organisation", async () => {
    for (const q of ['13800138000', '138-0013-8000', '138 0013 8000', '华东电力']) {
      const results = await find('agent1', q);
      expect(
        results.map((r) => r.id),
        q,
      ).toContain(vpn.id);
      expect(results.find((r) => r.id === vpn.id)?.source, q).toBe('customer');
    }
  });

  it('finds an internal note exactly for those the ticket reads show it to', async () => {
    for (const who of ['agent1', 'eng2', 'eng3', 'dm1', 'board']) {
      const read = await server.api('GET', `/api/tickets/${secret.id}`, { token: tokens[who] });
      expect(read.status).toBe(200);
      const shown = (read.body as Ticket).comments.some((c) => c.body.includes('zebraquartz'));
      const found = (await find(who, 'zebraquartz')).some((r) => r.id === secret.id);
      const foundZh = (await find(who, '管理员口令')).some((r) => r.id === secret.id);
      expect({ who, found, foundZh }).toEqual({ who, found: shown, foundZh: shown });
    }
    // A device reads the summary: the ticket is found by its title, never with the note.
    const device = await find('board', 'payroll');
    expect(device.map((r) => r.id)).toEqual([secret.id]);
    expect(device[0]?.source).toBe('title');
    expect(JSON.stringify(device)).not.toContain('zebraquartz');
    expect(await find('board', 'router')).toEqual([]);
    expect(await find('board', '华东电力')).toEqual([]);
  });

  it("finds a ticket by its linked contact's phone and organisation, and the records themselves", async () => {
    const org = await server.api('POST', '/api/organisations', {
      token: tokens.agent1,
      body: { name: '江南水务集团', businessType: 'Utilities', coreNeeds: '调度系统 7×24' },
    });
    expect(org.status, JSON.stringify(org.body)).toBe(201);
    const orgId = (org.body as { id: string }).id;
    const contact = await server.api('POST', '/api/contacts', {
      token: tokens.agent1,
      body: { name: '李娜', phone: '+86 139-1234-5678', organisationId: orgId },
    });
    expect(contact.status, JSON.stringify(contact.body)).toBe(201);
    const contactId = (contact.body as { id: string }).id;
    const linked = await ok('agent1', {
      type: 'ticket.create',
      title: 'Pump station SCADA offline',
      description: 'No telemetry since 02:00',
      channel: 'hotline',
      priority: 'P1',
      organisationId: orgId,
      contactId,
    });
    for (const q of ['13912345678', '139-1234-5678', '江南水务']) {
      const results = await find('agent1', q);
      const ids = results.map((r) => `${r.kind}:${r.id}`);
      expect(ids, q).toContain(`ticket:${linked.id}`);
    }
    const records = await find('eng3', '江南水务', '&kind=organisation,contact');
    expect(records.map((r) => [r.kind, r.id, r.title])).toEqual(
      expect.arrayContaining([['organisation', orgId, '江南水务集团']]),
    );
    const byPhone = await find('eng3', '13912345678', '&kind=contact');
    expect(byPhone[0]).toMatchObject({
      kind: 'contact',
      id: contactId,
      title: '李娜',
      organisationId: orgId,
      organisationName: '江南水务集团',
    });
    expect(marked(byPhone[0])).toEqual(['139-1234-5678']);
    // The organisation filter: its tickets, itself and its contacts; nothing of others.
    const within = await find('agent1', 'SCADA', `&organisationId=${orgId}`);
    expect(within.map((r) => r.id)).toEqual([linked.id]);
    expect(await find('agent1', 'router', `&organisationId=${orgId}`)).toEqual([]);
    // Devices read no customer records.
    expect(await find('board', '江南水务')).toEqual([]);
    // A deleted contact is found no more.
    const unlinked = await ok('agent1', {
      type: 'ticket.customer.link',
      ticketId: linked.id,
      organisationId: orgId,
      contactId: null,
    });
    expect(unlinked.id).toBe(linked.id);
    const deleted = await server.api('DELETE', `/api/contacts/${contactId}`, {
      token: tokens.agent1,
    });
    expect(deleted.status, JSON.stringify(deleted.body)).toBeLessThan(300);
    expect(await find('agent1', '李娜', '&kind=contact')).toEqual([]);
  });

  it('filters by kind, status, priority, group and date', async () => {
    const q = 'q=' + encodeURIComponent('VPN');
    const ids = async (extra: string): Promise<string[]> =>
      (await search('agent1', `${q}${extra}`)).results.map((r) => r.id);
    expect(await ids('')).toContain(vpn.id);
    expect(await ids('&kind=ticket')).toContain(vpn.id);
    expect(await ids('&kind=organisation,contact')).toEqual([]);
    expect(await ids('&status=in_progress')).toContain(vpn.id);
    expect(await ids('&status=closed,resolved')).toEqual([]);
    expect(await ids('&priority=P2')).toContain(vpn.id);
    expect(await ids('&priority=P1&priority=P3')).toEqual([]);
    expect(await ids('&groupId=l2')).toContain(vpn.id);
    expect(await ids('&groupId=l3')).toEqual([]);
    const at = Date.parse(vpn.receivedAt);
    const iso = (ms: number): string => encodeURIComponent(new Date(ms).toISOString());
    expect(await ids(`&from=${iso(at - 60_000)}&to=${iso(at + 60_000)}`)).toContain(vpn.id);
    expect(await ids(`&from=${iso(at + 60_000)}`)).toEqual([]);
    // The filters read the ticket as it is now: a status change moves it between them.
    await ok('eng2', { type: 'ticket.pend', ticketId: vpn.id, reason: 'customer' });
    expect(await ids('&status=pending')).toContain(vpn.id);
    expect(await ids('&status=in_progress')).toEqual([]);
    await ok('eng2', { type: 'ticket.resume', ticketId: vpn.id });
    expect(await ids('&status=in_progress&priority=P2&groupId=l2')).toContain(vpn.id);
    expect(await ids('&status=pending')).toEqual([]);
  });

  it('answers 400 with field paths for what it cannot search, 401 without a session', async () => {
    const bad = async (query: string, path: string): Promise<void> => {
      const res = await server.api('GET', `/api/search?${query}`, { token: tokens.agent1 });
      expect(res.status, query).toBe(400);
      const fields = (res.body as { error: { fields?: Array<{ path: string }> } }).error.fields;
      expect(
        fields?.map((f) => f.path),
        query,
      ).toContain(path);
    };
    await bad('', 'q');
    await bad('q=%20', 'q');
    await bad(`q=${'x'.repeat(201)}`, 'q');
    await bad('q=!!!', 'q');
    await bad('q=vpn&kind=ticket,planet', 'kind.1');
    await bad('q=vpn&status=open', 'status.0');
    await bad('q=vpn&limit=500', 'limit');
    await bad('q=vpn&from=yesterday', 'from');
    await bad('q=vpn&sort=asc', 'sort');
    expect((await server.api('GET', '/api/search?q=vpn')).status).toBe(401);
  });

  it('sees a comment committed just before it, and every result is one the index had read', async () => {
    await ok('agent1', {
      type: 'ticket.comment',
      ticketId: vpn.id,
      body: 'callback booked 坐席回访',
    });
    const answer = await search('agent1', `q=${encodeURIComponent('坐席回访')}`);
    expect(answer.complete).toBe(true);
    expect(answer.results.map((r) => r.id)).toEqual([vpn.id]);
    expect(answer.results[0]?.source).toBe('comment');
  });

  it('rebuilds the index from the event log when its terms are of another version', async () => {
    await server.ctx.database.db.execute(
      sql`update search_cursor set version = 0 where name = 'search'`,
    );
    const answer = await search('agent1', `q=${encodeURIComponent('数据库备份')}`);
    expect(answer.complete).toBe(true);
    expect(answer.results.map((r) => r.id)).toEqual([vpn.id]);
    const rows = await server.ctx.database.db.execute(
      sql`select version from search_cursor where name = 'search'`,
    );
    expect((rows as unknown as { rows: Array<{ version: number }> }).rows[0]?.version).toBe(
      TERMS_VERSION,
    );
  });
});
