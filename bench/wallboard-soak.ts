/**
 * Wallboard soak: the /wallboard page in Chromium while the desk changes at ~10 events/s,
 * printing the page's JS heap (after a forced GC) and DOM node count at intervals, and the
 * growth from the first sample to the last. Loopback only; stops by itself.
 *
 *   npx tsx bench/wallboard-soak.ts                 # 60 s
 *   npx tsx bench/wallboard-soak.ts --minutes 30    # the full soak
 *   npx tsx bench/wallboard-soak.ts --seconds 120 --rate 20 --every 15
 *
 * Needs the built renderer (`npx vite build --config apps/desktop/vite.config.ts`) and
 * Debian's Chromium (`CHROMIUM_PATH`, default /usr/bin/chromium).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { readConfig } from '../apps/server/src/config';
import { createLogger } from '../apps/server/src/log';
import { startServer } from '../apps/server/src/server';
import { launchChromium } from '../tests/e2e/support/browser';

const { values } = parseArgs({
  options: {
    seconds: { type: 'string' },
    minutes: { type: 'string' },
    rate: { type: 'string', default: '10' },
    every: { type: 'string' },
  },
});
const durationMs =
  values.minutes !== undefined
    ? Number(values.minutes) * 60_000
    : Number(values.seconds ?? '60') * 1000;
const eventsPerSecond = Number(values.rate);
const sampleMs =
  values.every !== undefined
    ? Number(values.every) * 1000
    : durationMs >= 600_000
      ? 60_000
      : 10_000;
if (!(durationMs > 0) || !(eventsPerSecond > 0) || !(sampleMs > 0)) {
  process.stderr.write(
    'usage: wallboard-soak.ts [--seconds N | --minutes N] [--rate events/s] [--every s]\n',
  );
  process.exit(2);
}

const ADMIN_PASSWORD = 'soak-admin-password';
const dataDir = mkdtempSync(join(tmpdir(), 'dutydesk-soak-'));
const server = await startServer({
  config: readConfig({
    PORT: '0',
    HOST: '127.0.0.1',
    DUTYDESK_DATA_DIR: dataDir,
    DUTYDESK_ADMIN_PASSWORD: ADMIN_PASSWORD,
    DUTYDESK_COMMAND_RATE: '1000',
    LOG_LEVEL: 'silent',
  }),
  log: createLogger('silent'),
});

async function call(method: string, path: string, token: string | null, body?: unknown) {
  const res = await fetch(server.url + path, {
    method,
    headers: {
      'content-type': 'application/json',
      ...(token ? { authorization: `Bearer ${token}` } : {}),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const json = (await res.json()) as Record<string, unknown>;
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${JSON.stringify(json)}`);
  return json;
}

const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(2)} MB`;

const browser = await launchChromium();
let exitCode = 0;
try {
  const admin = (await call('POST', '/api/auth/login', null, {
    username: 'admin',
    password: ADMIN_PASSWORD,
  })) as { token: string };
  const device = (await call('POST', '/api/devices', admin.token, { label: 'soak' })) as {
    token: string;
  };
  const command = (body: Record<string, unknown>) =>
    call('POST', '/api/commands', admin.token, { commandId: randomUUID(), ...body }) as Promise<{
      ticket: { id: string };
      events: unknown[];
    }>;
  // A pool of tickets whose priority keeps changing: every change moves a number on the board.
  const pool: string[] = [];
  for (let i = 0; i < 30; i++) {
    const ack = await command({
      type: 'ticket.create',
      title: `Soak ticket ${i + 1}`,
      description: 'soak',
      channel: 'monitoring',
      priority: 'P3',
    });
    pool.push(ack.ticket.id);
  }

  const context = await browser.newContext({ viewport: { width: 1920, height: 1080 } });
  const page = await context.newPage();
  await page.goto(`${server.url}/wallboard?token=${encodeURIComponent(device.token)}&rotate=5`);
  await page.locator('[data-testid="wb-open-value"]').waitFor({ timeout: 30_000 });
  const cdp = await context.newCDPSession(page);
  const sample = async (): Promise<{ heap: number; nodes: number }> => {
    await cdp.send('HeapProfiler.collectGarbage');
    const heap = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number };
    const dom = (await cdp.send('Memory.getDOMCounters')) as { nodes: number };
    return { heap: heap.usedSize, nodes: dom.nodes };
  };

  process.stdout.write(
    `wallboard soak: ${Math.round(durationMs / 1000)} s at ~${eventsPerSecond} events/s, sample every ${sampleMs / 1000} s (${server.url})\n`,
  );
  const priorities = ['P1', 'P2', 'P3'] as const;
  let step = 0;
  let events = 0;
  let failures = 0;
  const started = Date.now();
  let stopped = false;
  // Each classify makes two events (ticket.classified + sla.planned).
  const perTick = 2;
  const load = (async () => {
    const tickMs = (1000 * perTick) / eventsPerSecond;
    let next = Date.now();
    while (!stopped) {
      const id = pool[step % pool.length] as string;
      const priority = priorities[Math.floor(step / pool.length + step) % 3];
      step += 1;
      try {
        const ack = await command({
          type: 'ticket.classify',
          ticketId: id,
          category: 'soak',
          priority,
          reason: 'soak load',
        });
        events += ack.events.length;
      } catch (_err) {
        failures += 1;
      }
      next += tickMs;
      const wait = next - Date.now();
      if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    }
  })();

  const samples: Array<{ at: number; heap: number; nodes: number }> = [];
  const first = await sample();
  samples.push({ at: 0, ...first });
  process.stdout.write(`  t=   0 s  heap ${mb(first.heap)}  dom nodes ${first.nodes}\n`);
  while (Date.now() - started < durationMs) {
    await new Promise((r) =>
      setTimeout(r, Math.min(sampleMs, durationMs - (Date.now() - started))),
    );
    const s = await sample();
    const at = Math.round((Date.now() - started) / 1000);
    samples.push({ at, ...s });
    process.stdout.write(
      `  t=${String(at).padStart(4)} s  heap ${mb(s.heap)}  dom nodes ${s.nodes}  events ${events}  (${(events / Math.max(1, at)).toFixed(1)}/s)\n`,
    );
  }
  stopped = true;
  await load;
  const last = samples[samples.length - 1] ?? samples[0];
  const firstSample = samples[0];
  if (last && firstSample) {
    const growth = last.heap - firstSample.heap;
    const elapsed = (Date.now() - started) / 1000;
    process.stdout.write(
      `result: heap ${mb(firstSample.heap)} → ${mb(last.heap)} (growth ${growth >= 0 ? '+' : ''}${mb(growth)}, ${((growth / firstSample.heap) * 100).toFixed(1)} %) over ${Math.round(elapsed)} s; dom nodes ${firstSample.nodes} → ${last.nodes}; ${events} events (${(events / elapsed).toFixed(1)}/s), ${failures} failed commands\n`,
    );
    const stale = await page.locator('[data-testid="wb-stale-banner"]').count();
    process.stdout.write(
      `board live at the end: ${stale === 0 ? 'yes' : 'no (stale banner shown)'}\n`,
    );
  }
  await context.close();
} catch (err) {
  process.stderr.write(`soak failed: ${(err as Error).stack ?? String(err)}\n`);
  exitCode = 1;
} finally {
  await browser.close();
  await server.close();
  rmSync(dataDir, { recursive: true, force: true });
}
process.exit(exitCode);
