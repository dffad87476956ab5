/**
 * Search over 100 000 tickets with Chinese and English text (issue 17, acceptance 2), on
 * PostgreSQL and on PGlite: the index build time (the projector reading the whole event log
 * into `search_documents`, in its production batches) and p50 / p95 latency of a mix of
 * queries through the search service (`runSearch`: catch-up check, ranked records, snippets,
 * highlights), by kind of query and overall. Baseline in the same run, on PostgreSQL: the same
 * texts under a `pg_trgm` GIN index, each query as `ILIKE '%…%'` per word (decision 32's
 * alternative).
 *
 * Tickets are written straight into `tickets` and `events` (one `ticket.created` and one to
 * three log entries or comments each), not through the command bus: the bench measures the
 * index, not the commands. English text comes from a CSV of real IT tickets when
 * `SEARCH_BENCH_CSV` names one (first column the text), else from a built-in word list;
 * Chinese text is generated from a word list of service-desk terms.
 *
 * A second same-run baseline, on both databases (`--baseline 1`): the record statement as
 * decision 32 wrote it (every match fetched and sorted), timed right after each query's
 * statement of today (`searchRecords`), so both see the same load (decision 47).
 *
 *   npx tsx bench/search.ts [--tickets 100000] [--queries 400] [--pglite 1] [--postgres 1]
 *     [--trgm 1] [--baseline 1]
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../apps/server/src/clock';
import { openDatabase, type Database } from '../apps/server/src/db/client';
import { createLogger } from '../apps/server/src/log';
import { createSearchProjector } from '../apps/server/src/features/search/projector';
import { runSearch, type SearchRequest } from '../apps/server/src/features/search/search.service';
import { searchRecords } from '../apps/server/src/features/search/search.repo';
import { anyTsquery, parseQuery, partTsquery } from '../apps/server/src/features/search/terms';
import {
  createTrigramIndex,
  insertBenchDesk,
  readIndexSize,
  searchAsDecision32,
  searchByTrigrams,
  type BenchEvent,
  type BenchTicket,
} from '../apps/server/src/testing/searchBench';
import { flags, fmt, now, onCleanup, pct, rng, runBench, startDatabase } from './lib';

const opts = flags({
  tickets: 100_000,
  queries: 400,
  pglite: 1,
  postgres: 1,
  seed: 17,
  trgm: 1,
  baseline: 1,
});

const ZH_WORDS = (
  '数据库 备份 失败 网络 打印机 卡纸 无法 连接 服务器 宕机 邮箱 密码 重置 账号 锁定 交换机 端口 ' +
  '故障 硬盘 空间 不足 升级 系统 蓝屏 显示器 黑屏 电话 回访 客户 投诉 今晚 明天 上午 下午 机房 ' +
  '断电 空调 告警 监控 延迟 丢包 办公室 财务 报表 导出 缓慢 软件 安装 许可 过期 证书 更新 补丁 ' +
  '病毒 扫描 防火墙 策略 访问 权限 申请 审批 会议室 投影仪 无线 信号 弱 认证 超时 重启 恢复 ' +
  '正常 检查 日志 配置 变更 回滚 迁移 存储 扩容 负载 均衡 域名 解析 工单 处理 完成 已经 通知 用户'
).split(' ');
const EN_FALLBACK = (
  'password reset account locked outlook mail server printer network access request vpn ' +
  'laptop screen broken install software license expired update backup failed disk full ' +
  'meeting room projector wifi slow connection timeout error user cannot login sharepoint'
).split(' ');
const MIXED = ['VPN', 'Outlook', 'SAP', 'Wi-Fi', 'Oracle', 'Windows', 'Excel', 'Teams'];
const STATUSES = [
  'received',
  'classified',
  'dispatched',
  'in_progress',
  'pending',
  'resolved',
  'closed',
];
const PRIORITIES = ['P1', 'P2', 'P3'];
const GROUPS = ['l1', 'l2', 'l3'];

function readEnglish(): string[] {
  const file = process.env.SEARCH_BENCH_CSV;
  if (!file) return [];
  const lines = readFileSync(file, 'utf8').split('\n').slice(1);
  return lines
    .map((l) => l.slice(0, l.lastIndexOf(',')).replace(/^"|"$/g, '').trim())
    .filter((l) => l.length > 10);
}

interface Desk {
  tickets: Array<BenchTicket & { phone: string }>;
  events: BenchEvent[];
  /** Phrases that occur in the texts, by kind of query. */
  pools: Record<string, string[]>;
}

function buildDesk(count: number, english: string[]): Desk {
  const rand = rng(opts.seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rand() * list.length)] as T;
  const zhSentence = (n: number): string => {
    const words: string[] = [];
    for (let i = 0; i < n; i += 1) {
      words.push(pick(ZH_WORDS));
      if (rand() < 0.08) words.push(` ${pick(MIXED)} `);
      if (rand() < 0.05) words.push(` error ${100 + Math.floor(rand() * 900)} `);
      if (rand() < 0.1) words.push('，');
    }
    return `${words.join('')}。`;
  };
  const enText = (): string => {
    if (english.length > 0) return pick(english);
    return Array.from({ length: 8 + Math.floor(rand() * 12) }, () => pick(EN_FALLBACK)).join(' ');
  };
  const desk: Desk = {
    tickets: [],
    events: [],
    pools: { zh2: [], zh4: [], en: [], prefix: [], mixed: [], number: [], phone: [], filtered: [] },
  };
  const base = Date.UTC(2026, 0, 1);
  for (let i = 1; i <= count; i += 1) {
    const id = randomUUID();
    const number = `INC-2026-${String(i).padStart(6, '0')}`;
    const at = new Date(base + i * 60_000).toISOString();
    const phone = `13${String(Math.floor(rand() * 1e9)).padStart(9, '0')}`;
    const chinese = rand() < 0.5;
    const title = chinese
      ? zhSentence(3).replace('。', '')
      : enText().split(' ').slice(0, 6).join(' ');
    const description = chinese ? zhSentence(8 + Math.floor(rand() * 10)) : enText();
    const t = {
      id,
      number,
      title,
      status: pick(STATUSES),
      priority: pick(PRIORITIES),
      group: pick(GROUPS),
      at,
      phone,
    };
    desk.tickets.push(t);
    desk.events.push({
      ticketId: id,
      type: 'ticket.created',
      at,
      data: {
        version: 1,
        number,
        kind: 'incident',
        title,
        description,
        channel: 'hotline',
        impact: 'medium',
        urgency: 'medium',
        priority: t.priority,
        category: null,
        module: null,
        customer: {
          org: `${pick(ZH_WORDS)}${pick(ZH_WORDS)}公司`,
          contact: '王伟',
          phone: `${phone.slice(0, 3)}-${phone.slice(3, 7)}-${phone.slice(7)}`,
          email: null,
        },
        groupId: t.group,
        assigneeId: null,
        majorIncident: false,
        receivedAt: at,
        status: 'received',
      },
    });
    const logs = 1 + Math.floor(rand() * 3);
    for (let k = 0; k < logs; k += 1) {
      const text = rand() < 0.5 ? zhSentence(6 + Math.floor(rand() * 8)) : enText();
      desk.events.push(
        rand() < 0.5
          ? {
              ticketId: id,
              type: 'ticket.commented',
              at,
              data: { version: 2 + k, commentId: randomUUID(), body: text, internal: rand() < 0.2 },
            }
          : {
              ticketId: id,
              type: 'ticket.executionLogged',
              at,
              data: {
                version: 2 + k,
                entryId: randomUUID(),
                work: text,
                problems: null,
                progress: 50,
                minutesSpent: 10,
                correctsEntryId: null,
              },
            },
      );
    }
  }
  // Queries: phrases taken from the desk's own texts, so most of them find something.
  const words = [
    ...new Set(
      desk.events
        .flatMap((e) =>
          String(e.data.description ?? e.data.body ?? e.data.work ?? '').split(/[^a-z]+/),
        )
        .filter((w) => w.length >= 4),
    ),
  ];
  for (let q = 0; q < 200; q += 1) {
    desk.pools.zh2?.push(pick(ZH_WORDS.filter((w) => w.length === 2)));
    desk.pools.zh4?.push(`${pick(ZH_WORDS)}${pick(ZH_WORDS)}`);
    desk.pools.en?.push(`${pick(words)} `);
    desk.pools.prefix?.push(pick(words).slice(0, 4));
    desk.pools.mixed?.push(`${pick(MIXED)} ${pick(ZH_WORDS)}${pick(ZH_WORDS)} `);
    desk.pools.number?.push(pick(desk.tickets).number);
    desk.pools.phone?.push(pick(desk.tickets).phone);
    desk.pools.filtered?.push(`${pick(ZH_WORDS)} `);
  }
  return desk;
}

interface Figures {
  driver: string;
  loadMs: number;
  buildMs: number;
  events: number;
  documents: number;
  sizeMb: number;
  byKind: Record<string, number[]>;
  all: number[];
  load: number[];
  trgm?: { buildMs: number; byKind: Record<string, number[]>; all: number[] };
  /** The record statement alone: today's and decision 32's, alternating. */
  statement?: { ours: Record<string, number[]>; d32: Record<string, number[]> };
}

const KINDS = ['zh2', 'zh4', 'en', 'prefix', 'mixed', 'number', 'phone', 'filtered'] as const;

function queryMix(desk: Desk, count: number): Array<{ kind: string; q: string }> {
  const rand = rng(opts.seed + 1);
  return Array.from({ length: count }, (_, i) => {
    const kind = KINDS[i % KINDS.length] as string;
    const pool = desk.pools[kind] ?? [];
    return { kind, q: pool[Math.floor(rand() * pool.length)] ?? 'vpn' };
  });
}

async function measure(driver: 'postgres' | 'pglite', desk: Desk): Promise<Figures> {
  let database: Database;
  if (driver === 'postgres') {
    const { databaseUrl } = await startDatabase();
    database = await openDatabase({ databaseUrl });
  } else {
    const dir = mkdtempSync(join(tmpdir(), 'dutydesk-search-bench-'));
    onCleanup(() => rmSync(dir, { recursive: true, force: true }));
    database = await openDatabase({ dataDir: dir });
  }
  onCleanup(() => database.close());
  const ctx = { database, clock: systemClock, log: createLogger('silent') };
  const started = now();
  await insertBenchDesk(database, desk.tickets, desk.events);
  const loadMs = now() - started;
  process.stdout.write(
    `  ${driver}: loaded ${desk.tickets.length} tickets, ${desk.events.length} events in ${fmt(loadMs / 1000)} s\n`,
  );

  const loads: number[] = [loadavg()[0] ?? 0];
  // The projector's own loop, as a node catching up after the migration (with its ANALYZE).
  const projector = createSearchProjector(ctx);
  const buildStarted = now();
  await projector.catchUp(desk.events.length, 0, Number.POSITIVE_INFINITY);
  const buildMs = now() - buildStarted;
  loads.push(loadavg()[0] ?? 0);
  const size = await readIndexSize(database);
  process.stdout.write(
    `  ${driver}: index built in ${fmt(buildMs / 1000)} s (${size.documents} documents)\n`,
  );

  const viewer = { id: 'bench-agent', roles: ['agent'] as const };
  if (process.env.SEARCH_BENCH_EXPLAIN) await explainSome(database, desk);
  const mix = queryMix(desk, opts.queries);
  const byKind: Record<string, number[]> = {};
  const all: number[] = [];
  const statement: Figures['statement'] = opts.baseline ? { ours: {}, d32: {} } : undefined;
  // A few queries first: plans and caches warm, as on a desk that has been up a while.
  for (const { q } of mix.slice(0, 16)) {
    await runSearch(
      database.db,
      projector,
      { ...viewer, roles: [...viewer.roles] },
      { query: parseQuery(q), tickets: {}, limit: 20 },
    );
  }
  for (const { kind, q } of mix) {
    const req: SearchRequest = {
      query: parseQuery(q),
      tickets: kind === 'filtered' ? { status: ['in_progress', 'pending'], priority: ['P1'] } : {},
      limit: 20,
    };
    const t0 = now();
    await runSearch(database.db, projector, { ...viewer, roles: [...viewer.roles] }, req);
    const ms = now() - t0;
    (byKind[kind] ??= []).push(ms);
    all.push(ms);
    if (statement) {
      const parts = req.query.parts;
      const t1 = now();
      await searchRecords(database.db, {
        any: anyTsquery(req.query),
        parts: parts.length > 1 ? parts.map(partTsquery) : [],
        audiences: ['summary', 'staff', 'internal'],
        kinds: ['ticket', 'organisation', 'contact'],
        tickets: req.tickets,
        limit: 20,
        head: desk.events.length,
      });
      const t2 = now();
      await searchAsDecision32(database, req.query, req.tickets);
      const t3 = now();
      for (const [key, v] of [
        ['all', t2 - t1],
        [kind, t2 - t1],
      ] as const)
        (statement.ours[key] ??= []).push(v);
      for (const [key, v] of [
        ['all', t3 - t2],
        [kind, t3 - t2],
      ] as const)
        (statement.d32[key] ??= []).push(v);
    }
  }
  loads.push(loadavg()[0] ?? 0);

  let trgm: Figures['trgm'];
  if (driver === 'postgres' && opts.trgm) {
    const t0 = now();
    await createTrigramIndex(database);
    const trgmBuild = now() - t0;
    const tk: Record<string, number[]> = {};
    const ta: number[] = [];
    for (const { kind, q } of mix) {
      const t1 = now();
      await searchByTrigrams(database, q.trim().split(/\s+/).filter(Boolean));
      const ms = now() - t1;
      (tk[kind] ??= []).push(ms);
      ta.push(ms);
    }
    trgm = { buildMs: trgmBuild, byKind: tk, all: ta };
  }
  await projector.loop.stop();
  return {
    driver,
    loadMs,
    buildMs,
    events: desk.events.length,
    documents: size.documents,
    sizeMb: size.bytes / 1e6,
    byKind,
    all,
    load: loads,
    trgm,
    statement,
  };
}

/** Development aid (SEARCH_BENCH_EXPLAIN=1): the plans of one query of each kind. */
async function explainSome(database: Database, desk: Desk): Promise<void> {
  const { explainSearch } = await import('../apps/server/src/testing/searchBench');
  for (const kind of ['zh2', 'mixed', 'en', 'filtered']) {
    const q = desk.pools[kind]?.[0] ?? 'vpn';
    process.stdout.write(
      `\n--- ${kind}: ${q}\n${await explainSearch(database, parseQuery(q), kind === 'filtered', desk.events.length)}\n`,
    );
  }
}

function line(label: string, samples: number[]): string {
  const sorted = [...samples].sort((a, b) => a - b);
  return `${label.padEnd(10)} p50 ${fmt(pct(sorted, 50)).padStart(6)} ms  p95 ${fmt(pct(sorted, 95)).padStart(6)} ms  (${sorted.length})`;
}

runBench(async () => {
  const english = readEnglish();
  process.stdout.write(
    `search bench: ${opts.tickets} tickets, ${opts.queries} queries; English text: ${english.length > 0 ? `${english.length} real tickets` : 'word list'}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}\n`,
  );
  const desk = buildDesk(opts.tickets, english);
  const results: Figures[] = [];
  if (opts.postgres) results.push(await measure('postgres', desk));
  if (opts.pglite) results.push(await measure('pglite', desk));
  for (const r of results) {
    process.stdout.write(
      `\n${r.driver}: index build ${fmt(r.buildMs / 1000)} s for ${r.events} events (${Math.round(r.events / (r.buildMs / 1000))} events/s), ${r.documents} documents, ${r.sizeMb.toFixed(0)} MB; load average ${r.load.map((l) => l.toFixed(1)).join(' → ')}\n`,
    );
    for (const kind of KINDS) process.stdout.write(`  ${line(kind, r.byKind[kind] ?? [])}\n`);
    process.stdout.write(`  ${line('all', r.all)}\n`);
    if (r.statement) {
      process.stdout.write(
        `  record statement alone, today's (decision 47) / decision 32's, same run:\n`,
      );
      for (const kind of [...KINDS, 'all'])
        process.stdout.write(
          `    ${line(kind, r.statement.ours[kind] ?? [])}  |  ${line('', r.statement.d32[kind] ?? []).trim()}\n`,
        );
      const ours = [...(r.statement.ours.all ?? [])].sort((a, b) => a - b);
      const theirs = [...(r.statement.d32.all ?? [])].sort((a, b) => a - b);
      process.stdout.write(
        `  statement p50 / p95 ratio (decision 47 / decision 32): ${(pct(ours, 50) / pct(theirs, 50)).toFixed(2)} / ${(pct(ours, 95) / pct(theirs, 95)).toFixed(2)}\n`,
      );
    }
    if (r.trgm) {
      process.stdout.write(
        `  baseline pg_trgm ILIKE: index build ${fmt(r.trgm.buildMs / 1000)} s\n`,
      );
      for (const kind of KINDS)
        process.stdout.write(`    ${line(kind, r.trgm.byKind[kind] ?? [])}\n`);
      process.stdout.write(`    ${line('all', r.trgm.all)}\n`);
      const ours = [...r.all].sort((a, b) => a - b);
      const theirs = [...r.trgm.all].sort((a, b) => a - b);
      process.stdout.write(
        `  p95 ratio (ours / pg_trgm): ${(pct(ours, 95) / pct(theirs, 95)).toFixed(2)}\n`,
      );
    }
  }
}, 40 * 60_000);
