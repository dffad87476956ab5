/**
 * The knowledge base with 10 000 articles, Chinese and English (issue 21, acceptance 3), on
 * PostgreSQL and on PGlite: the seeding time, search p50 / p95 / p99 through the service
 * (`searchKb`: the search feature's parser, ranked, snippets and highlights) by kind of query,
 * the same searches over HTTP (`GET /api/kb/search`, loopback, with a token), and the
 * suggestion round trip (`POST /api/kb/suggest` with what an agent types in the create dialog).
 * Targets: search p95 < 50 ms on PostgreSQL, suggestion round trip < 100 ms.
 *
 * Articles are written straight through the feature's repo (`saveArticle`, published revision
 * 1), not through the command bus: the bench measures search, not the commands.
 *
 *   npx tsx bench/kb.ts [--articles 10000] [--queries 300] [--pglite 1] [--postgres 1]
 */
import { randomUUID } from 'node:crypto';
import { loadavg } from 'node:os';
import { analyzeKb, saveArticle, type KbArticleHead } from '../apps/server/src/features/kb/kb.repo';
import { searchKb } from '../apps/server/src/features/kb/kb.service';
import { parseQuery } from '../apps/server/src/features/search/terms';
import type { KbRevision } from '@dutydesk/shared';
import { startInProcessServer } from './inProcess';
import {
  ADMIN_PASSWORD,
  api,
  flags,
  fmt,
  login,
  now,
  pct,
  rng,
  runBench,
  startDatabase,
} from './lib';

type Driver = 'postgres' | 'pglite';

const opts = flags({ articles: 10_000, queries: 300, pglite: 1, postgres: 1, seed: 21 });

const ZH = (
  '数据库 备份 失败 网络 打印机 卡纸 无法 连接 服务器 宕机 邮箱 密码 重置 账号 锁定 交换机 端口 ' +
  '故障 硬盘 空间 不足 升级 系统 蓝屏 显示器 黑屏 电话 客户 投诉 机房 断电 空调 告警 监控 延迟 ' +
  '丢包 财务 报表 导出 缓慢 软件 安装 许可 过期 证书 更新 补丁 病毒 扫描 防火墙 策略 访问 权限 ' +
  '申请 审批 会议室 投影仪 无线 信号 认证 超时 重启 恢复 检查 日志 配置 变更 回滚 迁移 存储 扩容'
).split(' ');
const EN = (
  'password reset account locked outlook mail server printer network access request vpn laptop ' +
  'screen broken install software license expired update backup failed disk full meeting room ' +
  'projector wifi slow connection timeout error login sharepoint certificate firewall switch port ' +
  'database restore migration storage quota token sync calendar teams excel driver patch antivirus'
).split(' ');
const MIXED = ['VPN', 'Outlook', 'SAP', 'Wi-Fi', 'Oracle', 'Windows', 'Excel', 'Teams'];
const CATEGORIES = ['网络', '硬件', '软件', '账号', 'Network', 'Hardware', 'Software', 'Access'];

function pick<T>(r: () => number, list: readonly T[]): T {
  return list[Math.floor(r() * list.length)] as T;
}
function words(r: () => number, list: readonly string[], n: number, sep: string): string {
  return Array.from({ length: n }, () => pick(r, list)).join(sep);
}

function article(r: () => number, i: number, at: string): { head: KbArticleHead; rev: KbRevision } {
  const zh = i % 2 === 0;
  const w = zh ? ZH : EN;
  const sep = zh ? '' : ' ';
  const title = `${pick(r, MIXED)} ${words(r, w, 3, sep)}`;
  const body = zh
    ? `## 症状\n\n${words(r, w, 20, '')}，${pick(r, MIXED)} ${words(r, w, 10, '')}。\n\n## 原因\n\n${words(r, w, 15, '')}。\n\n## 解决方法\n\n1. ${words(r, w, 12, '')}\n2. ${words(r, w, 12, '')}`
    : `## Symptom\n\n${words(r, w, 30, ' ')}.\n\n## Cause\n\n${words(r, w, 20, ' ')}.\n\n## Fix\n\n1. ${words(r, w, 15, ' ')}\n2. ${words(r, w, 15, ' ')}`;
  const id = randomUUID();
  const head: KbArticleHead = {
    id,
    version: 3,
    revision: 1,
    publishedRevision: 1,
    ticketIds: [],
    attachmentIds: [],
    sourceTicketId: null,
    helped: Math.floor(r() * 5),
    notHelped: 0,
    createdAt: at,
    updatedAt: at,
  };
  const rev: KbRevision = {
    revision: 1,
    state: 'published',
    title,
    body,
    language: zh ? 'zh-CN' : 'en',
    visibility: r() < 0.5 ? 'public' : 'internal',
    category: pick(r, CATEGORIES),
    module: pick(r, MIXED),
    subFunction: null,
    tags: [pick(r, w), pick(r, w)],
    authorId: null,
    reviewerId: null,
    publisherId: null,
    createdAt: at,
    reviewedAt: at,
    publishedAt: at,
    retiredAt: null,
  };
  return { head, rev };
}

function queriesOf(r: () => number, n: number): Array<{ kind: string; q: string }> {
  const out: Array<{ kind: string; q: string }> = [];
  for (let i = 0; i < n; i += 1) {
    const k = i % 5;
    if (k === 0) out.push({ kind: 'zh word', q: pick(r, ZH) });
    else if (k === 1) out.push({ kind: 'zh two words', q: `${pick(r, ZH)} ${pick(r, ZH)}` });
    else if (k === 2) out.push({ kind: 'en word', q: pick(r, EN) });
    else if (k === 3) out.push({ kind: 'en two words', q: `${pick(r, EN)} ${pick(r, EN)}` });
    else out.push({ kind: 'mixed', q: `${pick(r, MIXED)} ${pick(r, ZH)}` });
  }
  return out;
}

function line(label: string, ms: number[]): string {
  const s = [...ms].sort((a, b) => a - b);
  return `${label.padEnd(22)} n=${String(s.length).padStart(4)}  p50 ${fmt(pct(s, 50))}  p95 ${fmt(pct(s, 95))}  p99 ${fmt(pct(s, 99))}`;
}

async function runOn(driver: Driver): Promise<void> {
  const env: Record<string, string> =
    driver === 'postgres' ? { DATABASE_URL: (await startDatabase()).databaseUrl } : {};
  const { server } = await startInProcessServer(`dutydesk-bench-kb-${driver}-`, env);
  const db = server.ctx.database.db;
  const r = rng(opts.seed);
  const at = new Date().toISOString();
  const t0 = now();
  const BATCH = 250;
  for (let i = 0; i < opts.articles; i += BATCH) {
    const list = Array.from({ length: Math.min(BATCH, opts.articles - i) }, (_, k) =>
      article(r, i + k, at),
    );
    await db.transaction(async (tx) => {
      for (const a of list) await saveArticle(tx, a.head, a.rev);
    });
  }
  await analyzeKb(db);
  const seeded = now() - t0;
  process.stdout.write(
    `\n[${driver}] ${opts.articles} articles seeded in ${(seeded / 1000).toFixed(1)} s (load ${loadavg()[0]?.toFixed(1)})\n`,
  );

  const queries = queriesOf(rng(opts.seed + 1), opts.queries);
  // Warm-up: plans and caches.
  for (const q of queries.slice(0, 20))
    await searchKb(db, { publicOnly: false, scope: 'published' }, parseQuery(q.q), { limit: 20 });
  const byKind = new Map<string, number[]>();
  const all: number[] = [];
  let hits = 0;
  for (const q of queries) {
    const s = now();
    const res = await searchKb(db, { publicOnly: false, scope: 'published' }, parseQuery(q.q), {
      limit: 20,
    });
    const ms = now() - s;
    hits += res.length;
    all.push(ms);
    byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), ms]);
  }
  process.stdout.write(`search (service, ranked, snippets, highlights), ${hits} hits in all:\n`);
  for (const [kind, ms] of byKind) process.stdout.write(`  ${line(kind, ms)}\n`);
  process.stdout.write(`  ${line('all', all)}\n`);

  const token = await login(server.url, 'admin', ADMIN_PASSWORD);
  const http: number[] = [];
  for (const q of queries.slice(0, 100)) {
    const s = now();
    const res = await api(
      server.url,
      'GET',
      `/api/kb/search?q=${encodeURIComponent(q.q)}&limit=20`,
      {
        token,
      },
    );
    http.push(now() - s);
    if (res.status !== 200) throw new Error(`search answered ${res.status}`);
  }
  process.stdout.write(`  ${line('HTTP GET /api/kb/search', http)}\n`);

  const texts = Array.from({ length: 100 }, (_, i) => {
    const rr = rng(opts.seed + 100 + i);
    return i % 2 === 0
      ? {
          title: `${pick(rr, MIXED)} ${words(rr, ZH, 2, '')}`,
          description: `用户反馈${words(rr, ZH, 12, '')}，${pick(rr, MIXED)} ${words(rr, ZH, 4, '')}`,
        }
      : {
          title: `${pick(rr, MIXED)} ${words(rr, EN, 3, ' ')}`,
          description: `User reports ${words(rr, EN, 18, ' ')}`,
        };
  });
  const suggest: number[] = [];
  let suggested = 0;
  for (const body of texts) {
    const s = now();
    const res = await api<{ results: unknown[] }>(server.url, 'POST', '/api/kb/suggest', {
      token,
      body: { ...body, limit: 5 },
    });
    suggest.push(now() - s);
    if (res.status !== 200) throw new Error(`suggest answered ${res.status}`);
    suggested += res.body.results.length;
  }
  process.stdout.write(
    `suggestions (HTTP round trip, loopback), ${suggested} suggestions for ${texts.length} texts:\n  ${line('POST /api/kb/suggest', suggest)}\n`,
  );
  process.stdout.write(
    `  load ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
  await server.close();
}

runBench(async () => {
  if (opts.postgres) await runOn('postgres');
  if (opts.pglite) await runOn('pglite');
}, 20 * 60_000);
