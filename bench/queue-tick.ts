/**
 * Console tick: the agent console in Chromium with N open tickets in the live queue (default
 * 10 000), measuring on the page's main thread
 *
 * - the 1 Hz countdown tick: each firing of the shared one-second ticker (`useNow`), as the
 *   main-thread task that runs it (the visible countdowns and the connection age writing their
 *   text) plus the frame it causes (style, layout, paint), read from a Chromium performance
 *   trace; p50 / p95 / max over `--ticks` ticks;
 * - the first render: a reload of a signed-in seat, from navigation to the first queue row on
 *   screen, and to every ticket loaded (the queue counts N of N); median of `--reloads`.
 *
 * Baseline, measured in the same run the same way: a desk of `--baseline` tickets (40, one
 * screenful), and the machine's floor (a blank page rewriting one text node once a second).
 * Wall-clock figures include waiting for a CPU on a busy machine; the cpu columns are the
 * thread's own time. Target: tick p95 under 4 ms at 10 000 tickets.
 *
 *   npx vite build --config apps/desktop/vite.config.ts   # the renderer the server serves
 *   npx tsx bench/queue-tick.ts                           # 10 000 tickets, 60 ticks
 *   npx tsx bench/queue-tick.ts --tickets 20000 --ticks 120
 *
 * Needs Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium). Loopback only.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { readConfig } from '../apps/server/src/config';
import { findUserByUsername, toPublicUser } from '../apps/server/src/features/auth/auth.repo';
import { actorFromUser } from '../apps/server/src/features/tickets/actor';
import { executeCommand } from '../apps/server/src/commands';
import { createLogger } from '../apps/server/src/log';
import { startServer } from '../apps/server/src/server';
import { flags, fmt, onCleanup, pct, ROOT, runBench } from './lib';
import { launchChromium } from '../tests/e2e/support/browser';

const opts = flags({ tickets: 10_000, ticks: 60, baseline: 40, reloads: 3 });
const ADMIN_PASSWORD = 'bench-admin-password';
const VIEWPORT = { width: 1440, height: 900 };
const TITLES = [
  'Core switch CPU high',
  '财务系统登录报错 500',
  'VPN drops every hour',
  '打印机卡纸',
  'Mail queue stuck',
  '会议室投影仪无信号',
  'CRM slow since the upgrade',
  '数据库备份失败',
];
const PRIORITIES = ['P1', 'P2', 'P3', 'P2', 'P3'] as const;
const CHANNELS = ['hotline', 'portal', 'chat', 'monitoring'] as const;

interface TraceEvent {
  name: string;
  cat: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time: what the task cost, without time the thread waited for a CPU. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: { timerId?: number; timeout?: number; singleShot?: boolean } };
}

interface TickCost {
  /** The timer task: the ticker's callbacks writing the countdowns' text. */
  scriptMs: number;
  /** The timer task plus the frame it caused (style, layout, paint), wall clock. */
  totalMs: number;
  /** The same two tasks in thread CPU time. */
  cpuMs: number;
}

const TASK_NAMES = new Set(['RunTask']);
const FRAME_WORK = new Set(['UpdateLayoutTree', 'Layout', 'PrePaint', 'Paint', 'Layerize']);

/**
 * The cost of every firing of the page's repeating one-second timer, from a trace: the
 * top-level task around each `TimerFire`, and the first later task on the main thread that
 * renders a frame (within 100 ms).
 */
function readTickCosts(events: TraceEvent[]): TickCost[] {
  const main = events.find(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  if (!main) throw new Error('no renderer main thread in the trace');
  const onMain = events.filter((e) => e.pid === main.pid && e.tid === main.tid);
  // The ticker was installed before the trace started: it is the timer that fires once a
  // second, every second.
  const firesById = new Map<number | undefined, number[]>();
  for (const e of onMain) {
    if (e.name !== 'TimerFire') continue;
    const id = e.args?.data?.timerId;
    firesById.set(id, [...(firesById.get(id) ?? []), e.ts]);
  }
  const tickers = new Set<number | undefined>();
  for (const [id, times] of firesById) {
    const gaps = times.slice(1).map((t, i) => t - (times[i] ?? t));
    const sorted = gaps.sort((a, b) => a - b);
    const gap = pct(sorted, 50);
    if (times.length >= 10 && gap > 950_000 && gap < 1_050_000) tickers.add(id);
  }
  const tasks = onMain
    .filter((e) => e.ph === 'X' && TASK_NAMES.has(e.name) && e.dur !== undefined)
    .sort((a, b) => a.ts - b.ts);
  // Tasks may nest (a toplevel RunTask inside another): keep the outermost.
  const outer: TraceEvent[] = [];
  for (const t of tasks) {
    const last = outer[outer.length - 1];
    if (last && t.ts < last.ts + (last.dur ?? 0)) continue;
    outer.push(t);
  }
  const inside = (task: TraceEvent, e: TraceEvent): boolean =>
    e.ts >= task.ts && e.ts <= task.ts + (task.dur ?? 0);
  const fires = onMain.filter((e) => e.name === 'TimerFire' && tickers.has(e.args?.data?.timerId));
  const frames = onMain.filter((e) => FRAME_WORK.has(e.name));
  const costs: TickCost[] = [];
  for (const fire of fires) {
    const i = outer.findIndex((t) => inside(t, fire));
    const task = outer[i];
    if (!task) continue;
    const end = task.ts + (task.dur ?? 0);
    let frame: TraceEvent | undefined;
    for (let j = i + 1; j < outer.length; j += 1) {
      const next = outer[j];
      if (!next || next.ts > end + 100_000) break;
      if (frames.some((f) => inside(next, f))) {
        frame = next;
        break;
      }
    }
    const scriptMs = (task.dur ?? 0) / 1000;
    costs.push({
      scriptMs,
      totalMs: scriptMs + (frame?.dur ?? 0) / 1000,
      cpuMs: ((task.tdur ?? task.dur ?? 0) + (frame?.tdur ?? frame?.dur ?? 0)) / 1000,
    });
  }
  return costs;
}

interface Measured {
  tickets: number;
  ticks: TickCost[];
  firstRowMs: number[];
  allLoadedMs: number[];
}

/**
 * Marks, from navigation start, when the first queue row and the full count appear. A string,
 * not a function: tsx would name the inner functions with a helper the page does not have.
 */
function loadProbe(total: number): string {
  return `(() => {
    const check = () => {
      if (window.__firstRowAt === undefined && document.querySelector('.queue-row')) {
        window.__firstRowAt = performance.now();
      }
      const count = document.querySelector('.queue__count')?.textContent ?? '';
      if (window.__allLoadedAt === undefined && count.startsWith('${total} of ${total}')) {
        window.__allLoadedAt = performance.now();
        // Its work is done: left watching, it would run inside every tick measured later.
        observer.disconnect();
      }
    };
    const observer = new MutationObserver(check);
    observer.observe(document, {
      childList: true,
      subtree: true,
      characterData: true,
    });
  })();`;
}

async function measureDesk(browser: Browser, tickets: number): Promise<Measured> {
  const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-tick-'));
  const server = await startServer({
    config: readConfig({
      PORT: '0',
      HOST: '127.0.0.1',
      DUTYDESK_DATA_DIR: dataDir,
      DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
      DUTYDESK_COMMAND_RATE: '1000000',
      LOG_LEVEL: 'silent',
    }),
    log: createLogger('silent'),
  });
  const stop = async (): Promise<void> => {
    await server.close();
    rmSync(dataDir, { recursive: true, force: true });
  };
  onCleanup(stop);
  const admin = await findUserByUsername(server.ctx.database.db, 'admin');
  if (!admin) throw new Error('no admin');
  const actor = actorFromUser(toPublicUser(admin));
  const seeded = performance.now();
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tickets) {
      const i = next;
      next += 1;
      const ack = await executeCommand(server.ctx, actor, {
        commandId: randomUUID(),
        type: 'ticket.create',
        title: `${TITLES[i % TITLES.length] ?? 'Ticket'} #${i + 1}`,
        description: 'bench',
        channel: CHANNELS[i % CHANNELS.length],
        priority: PRIORITIES[i % PRIORITIES.length],
      });
      if (!ack.ok) throw new Error(`seed: ${ack.error.message}`);
    }
  };
  await Promise.all(Array.from({ length: 8 }, worker));
  process.stdout.write(
    `  seeded ${tickets} open tickets in ${((performance.now() - seeded) / 1000).toFixed(1)} s\n`,
  );

  const context = await browser.newContext({ viewport: VIEWPORT, locale: 'en' });
  const page: Page = await context.newPage();
  page.setDefaultTimeout(120_000);
  await page.addInitScript({ content: loadProbe(tickets) });
  await page.goto(server.url);
  await page.locator('input[name="username"]').fill('admin');
  await page.locator('input[name="password"]').fill(ADMIN_PASSWORD);
  await page.locator('button[type="submit"]').click();
  await page.waitForFunction(() => (window as { __allLoadedAt?: number }).__allLoadedAt);

  // First render: a reload of the signed-in seat, as a fresh start of the console.
  const firstRowMs: number[] = [];
  const allLoadedMs: number[] = [];
  for (let r = 0; r < opts.reloads; r += 1) {
    await page.reload();
    await page.waitForFunction(() => (window as { __allLoadedAt?: number }).__allLoadedAt);
    const at = await page.evaluate(() => {
      const w = window as { __firstRowAt?: number; __allLoadedAt?: number };
      return { first: w.__firstRowAt ?? Number.NaN, all: w.__allLoadedAt ?? Number.NaN };
    });
    firstRowMs.push(at.first);
    allLoadedMs.push(at.all);
  }
  await page.locator('.connection[data-status="live"]').waitFor();
  // Let the load settle (garbage collection, late layout) before the ticks are traced.
  await page.waitForTimeout(3_000);

  const ticks = await traceTicks(browser, page, String(tickets));
  await context.close();
  await stop();
  return { tickets, ticks, firstRowMs, allLoadedMs };
}

/** Traces a page for `ticks` seconds and returns the cost of each tick of its 1 Hz timer. */
async function traceTicks(browser: Browser, page: Page, label: string): Promise<TickCost[]> {
  await browser.startTracing(page, {
    categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline'],
  });
  // Nothing to await: the ticks come by themselves, once a second, for as long as we look.
  await page.waitForTimeout((opts.ticks + 2) * 1000);
  const raw = await browser.stopTracing();
  // QUEUE_TICK_TRACE=<folder> keeps the traces, to open in the browser's performance panel.
  if (process.env.QUEUE_TICK_TRACE) {
    writeFileSync(join(process.env.QUEUE_TICK_TRACE, `queue-tick-${label}.json`), raw);
  }
  const trace = JSON.parse(raw.toString('utf8')) as { traceEvents: TraceEvent[] };
  return readTickCosts(trace.traceEvents).slice(-opts.ticks);
}

/**
 * The floor on this machine: a blank page whose only work is one text node rewritten once a
 * second, traced the same way. What the console adds is the rest.
 */
async function measureFloor(browser: Browser): Promise<Measured> {
  const context = await browser.newContext({ viewport: VIEWPORT });
  const page = await context.newPage();
  await page.setContent(
    '<p id="t"></p><script>setInterval(() => { document.getElementById("t").textContent = new Date().toISOString(); }, 1000);</script>',
  );
  await page.waitForTimeout(2_000);
  const ticks = await traceTicks(browser, page, 'floor');
  await context.close();
  return { tickets: 0, ticks, firstRowMs: [], allLoadedMs: [] };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return pct(s, 50);
}

function summarise(m: Measured) {
  const total = m.ticks.map((t) => t.totalMs).sort((a, b) => a - b);
  const script = m.ticks.map((t) => t.scriptMs).sort((a, b) => a - b);
  const cpu = m.ticks.map((t) => t.cpuMs).sort((a, b) => a - b);
  return {
    tickets: m.tickets,
    ticks: m.ticks.length,
    p50: pct(total, 50),
    p95: pct(total, 95),
    max: total[total.length - 1] ?? Number.NaN,
    scriptP95: pct(script, 95),
    cpuP50: pct(cpu, 50),
    cpuP95: pct(cpu, 95),
    firstRow: median(m.firstRowMs),
    allLoaded: median(m.allLoadedMs),
  };
}

runBench(async () => {
  if (!existsSync(join(ROOT, 'apps/desktop/dist/renderer/index.html'))) {
    throw new Error(
      'build the renderer first: npx vite build --config apps/desktop/vite.config.ts',
    );
  }
  const browser = await launchChromium();
  onCleanup(() => browser.close());
  process.stdout.write(
    `queue tick: console at ${VIEWPORT.width}×${VIEWPORT.height} in Chromium ${browser.version()}, ${opts.ticks} ticks, first render median of ${opts.reloads} reloads\n`,
  );
  const load = (): string =>
    loadavg()
      .map((l) => l.toFixed(2))
      .join(' ');
  process.stdout.write(`machine: ${cpus().length} CPUs, load average ${load()}\n`);
  process.stdout.write(`floor: a blank page rewriting one text node once a second\n`);
  const floor = summarise(await measureFloor(browser));
  process.stdout.write(`baseline: ${opts.baseline} open tickets\n`);
  const base = summarise(await measureDesk(browser, opts.baseline));
  process.stdout.write(`measured: ${opts.tickets} open tickets\n`);
  const big = summarise(await measureDesk(browser, opts.tickets));
  const row = (label: string, s: ReturnType<typeof summarise>): string =>
    `${label.padEnd(10)} ${String(s.tickets).padStart(7)} ${String(s.ticks).padStart(6)} ` +
    `${fmt(s.p50).padStart(9)} ${fmt(s.p95).padStart(9)} ${fmt(s.max).padStart(9)} ` +
    `${fmt(s.scriptP95).padStart(10)} ${fmt(s.cpuP50).padStart(8)} ${fmt(s.cpuP95).padStart(8)} ` +
    `${fmt(s.firstRow).padStart(10)} ${fmt(s.allLoaded).padStart(11)}\n`;
  process.stdout.write(
    `\n${''.padEnd(10)} ${'tickets'.padStart(7)} ${'ticks'.padStart(6)} ${'tick p50'.padStart(9)} ${'tick p95'.padStart(9)} ${'tick max'.padStart(9)} ${'script p95'.padStart(10)} ${'cpu p50'.padStart(8)} ${'cpu p95'.padStart(8)} ${'first row'.padStart(10)} ${'all loaded'.padStart(11)}   (ms)\n`,
  );
  process.stdout.write(row('floor', floor));
  process.stdout.write(row('baseline', base));
  process.stdout.write(row('measured', big));
  process.stdout.write(`load average at the end: ${load()}\n`);
  const ratio = (a: number, b: number): string => (b > 0 ? `${(a / b).toFixed(2)}×` : '—');
  process.stdout.write(
    `ratio      tick p95 ${ratio(big.p95, base.p95)} (cpu ${ratio(big.cpuP95, base.cpuP95)}), first row ${ratio(big.firstRow, base.firstRow)}, all loaded ${ratio(big.allLoaded, base.allLoaded)}\n`,
  );
  process.stdout.write(
    `target: tick p95 < 4 ms at ${big.tickets} tickets: ${big.p95 < 4 ? 'met' : 'NOT met'} (${fmt(big.p95)} ms)\n`,
  );
}, 30 * 60_000);
