import type { KbArticle, KbHit, KbPublicArticle, KbUnhelpful } from '@dutydesk/shared';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Socket } from 'socket.io-client';
import { ManualClock } from '../../clock';
import { ADMIN_PASSWORD, DRIVERS, startTestServer, type TestServer } from '../../testing/harness';
import { verifyAudit } from '../events/audit';
import { createTicket, prepareDesk, sendCommand, startWork, T0 } from '../sla/sla.testing';

const PASSWORD = 'password-123';

interface LiveEvent {
  type: string;
  data: Record<string, unknown>;
}

function waitForEvent(socket: Socket, type: string, articleId: string): Promise<LiveEvent> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`no live ${type} event for ${articleId} within 30 s`)),
      30_000,
    );
    const on = (e: LiveEvent) => {
      if (e.type !== type || e.data.articleId !== articleId) return;
      clearTimeout(timer);
      socket.off('event', on);
      resolve(e);
    };
    socket.on('event', on);
  });
}

const marked = (h: Pick<KbHit, 'snippet' | 'highlights'>): string[] =>
  h.highlights.map((x) => h.snippet.slice(x.start, x.end));

/**
 * Issue 21, acceptance 3 (knowledge base): the review flow with four eyes, publishing, search in
 * Chinese and English with highlights, public against internal visibility on the portal's read
 * path, a case made from a resolved ticket, "this helped" and the report of articles that never
 * help, the changes on the bus (live on a seat, in the audited chain).
 */
describe.each(DRIVERS)('knowledge base on %s', (driver) => {
  let server: TestServer;
  let admin: string;
  let adminId: string;
  const tokens: Record<string, string> = {};
  const ids: Record<string, string> = {};

  const call = async (
    who: string,
    method: string,
    path: string,
    body?: unknown,
    status = 200,
  ): Promise<unknown> => {
    const res = await server.api(method, path, { token: tokens[who], body });
    expect(res.status, `${who} ${method} ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const publicGet = async (path: string, status = 200): Promise<unknown> => {
    const res = await server.api('GET', path, {});
    expect(res.status, `public GET ${path}: ${JSON.stringify(res.body)}`).toBe(status);
    return res.body;
  };
  const search = async (who: string, q: string, extra = ''): Promise<KbHit[]> =>
    (
      (await call(who, 'GET', `/api/kb/search?q=${encodeURIComponent(q)}${extra}`)) as {
        results: KbHit[];
      }
    ).results;

  beforeAll(async () => {
    server = await startTestServer({ driver, clock: new ManualClock(T0) });
    admin = await server.login('admin', ADMIN_PASSWORD);
    adminId = await prepareDesk(server, admin);
    tokens.admin = admin;
    for (const [username, role] of [
      ['kag', 'agent'],
      ['kag2', 'agent'],
      ['ken', 'engineer'],
      ['kwb', 'wallboard'],
    ] as const) {
      const res = await server.api('POST', '/api/users', {
        token: admin,
        body: { username, password: PASSWORD, displayName: username, roles: [role] },
      });
      expect(res.status).toBe(201);
      ids[username] = (res.body as { id: string }).id;
      tokens[username] = await server.login(username, PASSWORD);
    }
  }, 120_000);

  afterAll(async () => {
    await server?.dispose();
  });

  let vpn: KbArticle;
  let printer: KbArticle;
  let internal: KbArticle;

  it('walks an article through draft → reviewed → published with four eyes, live on a seat', async () => {
    const { socket: seat } = await server.connect(tokens.ken as string);
    vpn = (await call(
      'kag',
      'POST',
      '/api/kb/articles',
      {
        title: 'VPN 无法连接：证书过期',
        body: '## 症状\n\n客户端提示“证书已过期”，无法建立隧道。\n\n## 解决方法\n\n在门户重新下载证书并导入。',
        language: 'zh-CN',
        visibility: 'public',
        category: '网络',
        module: 'VPN',
        subFunction: '证书',
        tags: ['vpn', '证书'],
      },
      201,
    )) as KbArticle;
    expect(vpn.latest).toMatchObject({ revision: 1, state: 'draft', authorId: ids.kag });
    expect(vpn.published).toBeNull();

    // The author may not review their own draft (four eyes); a wallboard reads nothing.
    const own = (await call('kag', 'POST', `/api/kb/articles/${vpn.id}/review`, {}, 403)) as {
      error: { message: string };
    };
    expect(own.error.message).toMatch(/four eyes/);
    await call('kwb', 'GET', '/api/kb/articles', undefined, 403);
    // Publishing a draft that was not reviewed is a conflict; an agent may not publish at all.
    await call('ken', 'POST', `/api/kb/articles/${vpn.id}/publish`, {}, 409);

    const reviewedLive = waitForEvent(seat, 'kb.articleReviewed', vpn.id);
    const reviewed = (await call('kag2', 'POST', `/api/kb/articles/${vpn.id}/review`, {
      expectedVersion: vpn.version,
    })) as KbArticle;
    expect(reviewed.latest).toMatchObject({ state: 'reviewed', reviewerId: ids.kag2 });
    expect((await reviewedLive).data).toMatchObject({ state: 'reviewed', revision: 1 });

    await call('kag', 'POST', `/api/kb/articles/${vpn.id}/publish`, {}, 403);
    // A stale version is refused.
    await call(
      'ken',
      'POST',
      `/api/kb/articles/${vpn.id}/publish`,
      { expectedVersion: vpn.version },
      409,
    );
    vpn = (await call('ken', 'POST', `/api/kb/articles/${vpn.id}/publish`, {})) as KbArticle;
    expect(vpn.published).toMatchObject({ revision: 1, state: 'published', publisherId: ids.ken });
  });

  it('finds articles in Chinese and English, ranked, with highlights', async () => {
    const make = async (fields: Record<string, unknown>): Promise<KbArticle> => {
      const a = (await call('kag', 'POST', '/api/kb/articles', fields, 201)) as KbArticle;
      await call('ken', 'POST', `/api/kb/articles/${a.id}/review`, {});
      return (await call('ken', 'POST', `/api/kb/articles/${a.id}/publish`, {})) as KbArticle;
    };
    printer = await make({
      title: 'Printer paper jam on floor 3',
      body: '## Symptom\n\nThe printer reports a paper jam.\n\n## Fix\n\nOpen tray 2 and remove the jammed paper.',
      language: 'en',
      visibility: 'public',
      category: 'Hardware',
      module: 'Printer',
      tags: ['printer'],
    });
    internal = await make({
      title: '核心交换机 VPN 网关重启步骤',
      body: '仅限二线：重启 VPN 网关前先切换备用链路。',
      language: 'zh-CN',
      visibility: 'internal',
      category: '网络',
      module: 'VPN',
    });

    // A Chinese phrase inside a sentence matches as a substring, highlighted as written.
    const zh = await search('kag', '证书过期');
    expect(zh.map((h) => h.id)).toEqual([vpn.id]);
    expect(zh[0]?.titleHighlights.length).toBeGreaterThan(0);
    const title = zh[0]?.title ?? '';
    expect(zh[0]?.titleHighlights.map((x) => title.slice(x.start, x.end))).toEqual(['证书过期']);

    // English words, every word must match; the snippet shows where.
    const en = await search('kag', 'paper jam');
    expect(en.map((h) => h.id)).toEqual([printer.id]);
    expect(
      marked(en[0] as KbHit)
        .join(' ')
        .toLowerCase(),
    ).toContain('paper jam');
    expect(await search('kag', 'paper nonexistentword')).toEqual([]);

    // Both VPN articles for staff, best first; a title match outranks a body-only one.
    const both = await search('kag', 'vpn');
    expect(both.map((h) => h.id).sort()).toEqual([vpn.id, internal.id].sort());
    expect((both[0]?.rank ?? 0) >= (both[1]?.rank ?? 0)).toBe(true);

    expect(await search('kag', 'VPN', '&language=en')).toEqual([]);

    const bad = await server.api('GET', '/api/kb/search?q=%20%21', { token: tokens.kag });
    expect(bad.status).toBe(400);
  });

  it('shows public published articles on the portal path and never internal ones', async () => {
    const list = (await publicGet('/api/kb/public/articles')) as { articles: KbPublicArticle[] };
    const listed = list.articles.map((a) => a.id);
    expect(listed).toContain(vpn.id);
    expect(listed).toContain(printer.id);
    expect(listed).not.toContain(internal.id);
    expect(list.articles[0]).not.toHaveProperty('authorId');

    await publicGet(`/api/kb/public/articles/${internal.id}`, 404);
    const one = (await publicGet(`/api/kb/public/articles/${vpn.id}`)) as KbPublicArticle;
    expect(one.title).toBe('VPN 无法连接：证书过期');

    const found = (await publicGet('/api/kb/public/search?q=VPN')) as { results: KbHit[] };
    expect(found.results.map((h) => h.id)).toEqual([vpn.id]);

    // A draft is not public either, even a public one.
    const draft = (await call(
      'kag',
      'POST',
      '/api/kb/articles',
      { title: 'VPN draft for customers', body: 'VPN soon', language: 'en', visibility: 'public' },
      201,
    )) as KbArticle;
    await publicGet(`/api/kb/public/articles/${draft.id}`, 404);
    expect(
      ((await publicGet('/api/kb/public/search?q=VPN')) as { results: KbHit[] }).results.map(
        (h) => h.id,
      ),
    ).not.toContain(draft.id);
    // Staff find it among the revisions being worked on.
    expect((await search('kag', 'VPN draft', '&scope=latest')).map((h) => h.id)).toContain(
      draft.id,
    );
  });

  it('keeps the published revision for readers while a new one is drafted, then retires the old one', async () => {
    const edited = (await call('kag', 'PATCH', `/api/kb/articles/${vpn.id}`, {
      body: '## 症状\n\n证书已过期。\n\n## 解决方法\n\n使用自助门户续期证书。',
    })) as KbArticle;
    expect(edited.latest).toMatchObject({ revision: 2, state: 'draft' });
    expect(edited.published?.revision).toBe(1);
    const portal = (await publicGet(`/api/kb/public/articles/${vpn.id}`)) as KbPublicArticle;
    expect(portal.revision).toBe(1);
    expect(await search('kag', '续期')).toEqual([]);

    await call('kag2', 'POST', `/api/kb/articles/${vpn.id}/review`, {});
    vpn = (await call('ken', 'POST', `/api/kb/articles/${vpn.id}/publish`, {})) as KbArticle;
    expect(vpn.published?.revision).toBe(2);
    const revisions = (
      (await call('kag', 'GET', `/api/kb/articles/${vpn.id}/revisions`)) as {
        revisions: Array<{ revision: number; state: string }>;
      }
    ).revisions;
    expect(revisions.map((r) => [r.revision, r.state])).toEqual([
      [2, 'published'],
      [1, 'retired'],
    ]);
    expect((await search('kag', '续期')).map((h) => h.id)).toEqual([vpn.id]);
  });

  it('makes a case from a resolved ticket: symptom, cause and fix from its logs', async () => {
    const ticket = await createTicket(server, admin, {
      title: '邮件客户端无法同步',
      description: 'Outlook 一直提示“正在连接”，邮件收不到。',
      priority: 'P3',
    });
    await server.api('POST', '/api/kb/cases', { token: admin, body: { ticketId: ticket.id } });
    const early = await server.api('POST', '/api/kb/cases', {
      token: admin,
      body: { ticketId: ticket.id },
    });
    expect(early.status).toBe(409);
    await startWork(server, admin, ticket.id, adminId);
    await sendCommand(server, admin, {
      type: 'ticket.log.execution',
      ticketId: ticket.id,
      work: '重建 Outlook 配置文件',
      problems: '本地 OST 文件损坏',
      progress: 80,
      minutesSpent: 15,
    });
    await sendCommand(server, admin, {
      type: 'ticket.resolve',
      ticketId: ticket.id,
      code: 'fixed',
      summary: '删除损坏的 OST 文件后重新同步，恢复正常。',
    });
    const draft = (await call(
      'kag',
      'POST',
      '/api/kb/cases',
      { ticketId: ticket.id },
      201,
    )) as KbArticle;
    expect(draft.sourceTicketId).toBe(ticket.id);
    expect(draft.ticketIds).toEqual([ticket.id]);
    expect(draft.latest).toMatchObject({
      state: 'draft',
      language: 'zh-CN',
      visibility: 'internal',
      title: '邮件客户端无法同步',
      category: 'network',
      authorId: ids.kag,
    });
    const body = draft.latest.body;
    expect(body.indexOf('## 症状')).toBeLessThan(body.indexOf('## 原因'));
    expect(body.indexOf('## 原因')).toBeLessThan(body.indexOf('## 解决方法'));
    expect(body).toContain('Outlook 一直提示');
    expect(body.slice(body.indexOf('## 原因'), body.indexOf('## 解决方法'))).toContain(
      '本地 OST 文件损坏',
    );
    expect(body.slice(body.indexOf('## 解决方法'))).toContain('删除损坏的 OST 文件后重新同步');
    expect(body.slice(body.indexOf('## 解决方法'))).toContain('重建 Outlook 配置文件');
  });

  it('suggests published articles for what is typed; "this helped" lifts them; the report lists the rest', async () => {
    const suggest = async (description: string, title?: string): Promise<KbHit[]> =>
      (
        (await call('kag', 'POST', '/api/kb/suggest', { description, title, limit: 5 })) as {
          results: KbHit[];
        }
      ).results;
    const zh = await suggest('用户反馈：VPN 连接时提示证书已过期，无法上网');
    expect(zh[0]?.id).toBe(vpn.id);
    expect(marked(zh[0] as KbHit).length).toBeGreaterThan(0);
    const en = await suggest('the printer on floor 3 says paper jam again');
    expect(en[0]?.id).toBe(printer.id);
    expect(await suggest('   ')).toEqual([]);

    const before = (await search('kag', 'vpn')).find((h) => h.id === internal.id)?.rank ?? 0;
    for (const who of ['kag', 'kag2', 'ken'])
      await call(who, 'POST', `/api/kb/articles/${internal.id}/helped`, { helped: true });
    const rated = (await call('kag', 'GET', `/api/kb/articles/${internal.id}`)) as KbArticle;
    expect(rated.helped).toBe(3);
    const after = (await search('kag', 'vpn')).find((h) => h.id === internal.id)?.rank ?? 0;
    expect(after).toBeGreaterThan(before);
    await call('kag', 'POST', `/api/kb/articles/${printer.id}/helped`, { helped: false });

    const report = (
      (await call('kag', 'GET', '/api/kb/reports/unhelpful?days=0')) as { articles: KbUnhelpful[] }
    ).articles;
    const reported = report.map((a) => a.id);
    expect(reported).toContain(printer.id);
    expect(reported).toContain(vpn.id);
    expect(reported).not.toContain(internal.id);
    expect(report[0]?.id).toBe(printer.id);
  });

  it('retires a published article: gone from the portal and from suggestions; the chain verifies', async () => {
    await call('ken', 'POST', `/api/kb/articles/${printer.id}/retire`, {}, 403);
    const retired = (await call(
      'admin',
      'POST',
      `/api/kb/articles/${printer.id}/retire`,
      {},
    )) as KbArticle;
    expect(retired.published).toBeNull();
    expect(retired.latest.state).toBe('retired');
    await publicGet(`/api/kb/public/articles/${printer.id}`, 404);
    expect(await search('kag', 'paper jam')).toEqual([]);

    const report = await verifyAudit(server.ctx.database.db);
    expect(report.ok, JSON.stringify(report)).toBe(true);
    const events = await server.api('GET', '/api/events?after=0&limit=5000', { token: admin });
    const kb = (events.body as { events: Array<{ type: string }> }).events.filter((e) =>
      e.type.startsWith('kb.'),
    );
    expect(kb.length).toBeGreaterThanOrEqual(15);
  });
});
