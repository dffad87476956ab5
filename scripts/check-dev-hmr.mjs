// Scripted check of `pnpm dev` (issue 16, acceptance 1): a renderer edit reaches the open
// console without a reload. Starts scripts/dev.mjs on free ports and a throwaway PGlite folder,
// opens the console in headless Chromium (playwright-core), leaves a marker on `window` (globalThis) and text
// in the username field, edits the login screen's source, and waits for the edit to show; the
// marker and the typed text must survive (hot replacement with React state kept, not a reload).
// The source is restored afterwards, also on failure or Ctrl-C. Then SIGINT: dev must exit 0.
//
//   node scripts/check-dev-hmr.mjs        (CHROMIUM_PATH, default /usr/bin/chromium)
//
// Prints the figures (ms) and exits non-zero on any failure. Not part of the gate.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'apps/desktop/src/renderer/features/login/LoginView.tsx');
const anchor = "<h1>{t('login.title')}</h1>";
const token = `hmr-probe-${process.pid}-${Date.now()}`;

function freePort() {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = /** @type {import('node:net').AddressInfo} */ (s.address());
      s.close(() => resolve(port));
    });
  });
}

const original = readFileSync(target, 'utf8');
if (!original.includes(anchor)) throw new Error(`${target} no longer holds ${anchor}`);
let edited = false;
const restore = () => {
  if (edited) writeFileSync(target, original);
  edited = false;
};
process.on('exit', restore);
for (const sig of ['SIGINT', 'SIGTERM']) {
  process.on(sig, () => {
    restore();
    process.exit(130);
  });
}

const work = mkdtempSync(join(tmpdir(), 'dutydesk-dev-hmr-'));
const figures = {};
let dev;
let browser;
let devOutput = () => '';
let failed = false;
try {
  const t0 = performance.now();
  dev = spawn(process.execPath, [join(root, 'scripts/dev.mjs')], {
    cwd: root,
    env: {
      ...process.env,
      PORT: String(await freePort()),
      HOST: '127.0.0.1',
      DUTYDESK_DEV_PORT: String(await freePort()),
      DUTYDESK_DATA_DIR: join(work, 'pglite'),
      DUTYDESK_DEMO: '0',
      DUTYDESK_ADMIN_PASSWORD: 'dev-hmr-admin-1',
      DUTYDESK_LOG_FORMAT: 'json',
      LOG_LEVEL: process.env.CHECK_VERBOSE ? 'info' : 'warn',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  devOutput = () => out;
  const devExit = new Promise((resolve) =>
    dev.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`dev did not start in 120 s:\n${out}`)),
      120_000,
    );
    const onData = (d) => {
      out += d.toString();
      const m = /hot reload\): (http:\/\/\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]);
      }
    };
    dev.stdout.on('data', onData);
    dev.stderr.on('data', onData);
    void devExit.then(({ code, signal }) =>
      reject(new Error(`dev exited (${code ?? signal}):\n${out}`)),
    );
  });
  figures.devListeningMs = Math.round(performance.now() - t0);
  // The server's own ready line (stdout), so the stop below is a stop of a running server.
  await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no server in 120 s:\n${out}`)), 120_000);
    const check = () => {
      if (!/Dutydesk is ready at/.test(out)) return;
      clearTimeout(timer);
      dev.stdout.off('data', check);
      resolve();
    };
    dev.stdout.on('data', check);
    check();
  });
  figures.serverReadyMs = Math.round(performance.now() - t0);

  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
  const page = await browser.newPage();
  let loads = 0;
  page.on('load', () => loads++);
  const t1 = performance.now();
  await page.goto(url);
  await page.locator('input[name="username"]').waitFor({ timeout: 120_000 });
  figures.firstPageMs = Math.round(performance.now() - t1);
  await page.evaluate((m) => {
    globalThis.__dutydeskHmrMarker = m;
  }, token);
  await page.locator('input[name="username"]').fill('state-kept');
  const loadsBefore = loads;

  // The edit: a span inside the login title.
  const t2 = performance.now();
  edited = true;
  writeFileSync(
    target,
    original.replace(
      anchor,
      `<h1>{t('login.title')}<span data-hmr-probe="">{'${token}'}</span></h1>`,
    ),
  );
  await page.locator('[data-hmr-probe]').filter({ hasText: token }).waitFor({ timeout: 60_000 });
  figures.editShownMs = Math.round(performance.now() - t2);

  const marker = await page.evaluate(() => globalThis.__dutydeskHmrMarker);
  const typed = await page.locator('input[name="username"]').inputValue();
  if (marker !== token) throw new Error('the page reloaded: the window marker is gone');
  if (loads !== loadsBefore) throw new Error('the page fired load again: it reloaded');
  if (typed !== 'state-kept') throw new Error(`React state was lost (username "${typed}")`);

  const t3 = performance.now();
  restore();
  const probe = page.locator('[data-hmr-probe]');
  try {
    await probe.waitFor({ state: 'detached', timeout: 20_000 });
  } catch {
    // Seen once in seven runs on a loaded machine: the revert, written ~0.5 s after the edit
    // was shown, brought no update. Write it once more and say so in the figures.
    figures.revertRewritten = true;
    writeFileSync(target, original);
    await probe.waitFor({ state: 'detached', timeout: 40_000 });
  }
  figures.revertShownMs = Math.round(performance.now() - t3);
  if ((await page.evaluate(() => globalThis.__dutydeskHmrMarker)) !== token) {
    throw new Error('the page reloaded on the revert');
  }

  await browser.close();
  browser = undefined;
  const t4 = performance.now();
  dev.kill('SIGINT');
  const { code, signal } = await devExit;
  figures.devStopMs = Math.round(performance.now() - t4);
  figures.devExit = code ?? signal;
  if (code !== 0) throw new Error(`dev exited ${code ?? signal} on SIGINT:\n${out}`);
  console.log('check-dev-hmr: ok', JSON.stringify(figures));
  if (process.env.CHECK_VERBOSE) console.log(`dev said:\n${out}`);
} catch (err) {
  failed = true;
  console.error('check-dev-hmr: FAILED', JSON.stringify(figures));
  console.error(err instanceof Error ? err.message : err);
  console.error(`dev said:\n${devOutput().slice(-4000)}`);
} finally {
  restore();
  await browser?.close().catch(() => {});
  if (dev && dev.exitCode === null && dev.signalCode === null) {
    // SIGTERM first: dev stops its server and watcher; SIGKILL would orphan them.
    const gone = new Promise((resolve) => dev.once('exit', resolve));
    dev.kill('SIGTERM');
    const timer = setTimeout(() => dev.kill('SIGKILL'), 20_000);
    await gone;
    clearTimeout(timer);
  }
  rmSync(work, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
