// `pnpm start`: builds the console when its sources are newer than the build, starts the
// server on the embedded database (with a demo desk on a first run), names the console's
// address and opens the Electron console where its binary exists. Ctrl-C stops the server
// gracefully and exits 0, so pnpm reports no failure.
//
// On a terminal Ctrl-C is read as a key, not left to the terminal's SIGINT, which would make
// pnpm report a failure (scripts/lib/stopKeys.mjs says why). SIGINT and SIGTERM sent to this
// process stop it the same way; a second Ctrl-C or signal while stopping kills the server.
//
// The server inherits the terminal (its logs can tell a TTY from a pipe) and says it is ready
// over an IPC message. With DUTYDESK_STATIC_DIR set the server serves that folder instead of
// apps/desktop/dist/renderer, so nothing is built here.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { onStopKeys, releaseStopKeys } from './lib/stopKeys.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const desktop = join(root, 'apps', 'desktop');

/** The newest modification time under `dir` (files only), or 0 when it does not exist. */
function newestMtime(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) newest = Math.max(newest, newestMtime(path));
    else if (entry.isFile()) newest = Math.max(newest, statSync(path).mtimeMs);
  }
  return newest;
}

const builtIndex = join(desktop, 'dist', 'renderer', 'index.html');
const sourcesChanged = () =>
  Math.max(
    newestMtime(join(desktop, 'src', 'renderer')),
    newestMtime(join(root, 'packages', 'shared', 'src')),
    statSync(join(desktop, 'vite.config.ts')).mtimeMs,
  ) > statSync(builtIndex).mtimeMs;

if (!process.env.DUTYDESK_STATIC_DIR?.trim() && (!existsSync(builtIndex) || sourcesChanged())) {
  console.log(
    existsSync(builtIndex)
      ? 'Rebuilding the console (its sources changed since the last build)…'
      : 'Building the console (first start only)…',
  );
  const built = spawnSync(
    bin('vite'),
    ['build', '--config', join(desktop, 'vite.config.ts'), '--logLevel', 'warn'],
    { stdio: 'inherit' },
  );
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const env = { ...process.env, DUTYDESK_DEMO: process.env.DUTYDESK_DEMO ?? '1' };
// The server inherits this terminal; on one, ask for readable logs explicitly all the same.
if (process.stdout.isTTY && !env.DUTYDESK_LOG_FORMAT) {
  env.DUTYDESK_LOG_FORMAT = 'pretty';
  env.FORCE_COLOR ??= '1';
}
// node --import tsx, no wrapper process: signals and the IPC channel reach the server itself.
const server = spawn(
  process.execPath,
  ['--import', import.meta.resolve('tsx'), join(root, 'apps', 'server', 'src', 'main.ts')],
  { env, stdio: ['ignore', 'inherit', 'inherit', 'ipc'] },
);

function electronBinary() {
  try {
    const req = createRequire(join(desktop, 'package.json'));
    const pkgDir = dirname(req.resolve('electron/package.json'));
    if (!existsSync(join(pkgDir, 'path.txt'))) return null;
    return req('electron');
  } catch {
    return null;
  }
}

/** Set once we ask the server to stop (Ctrl-C, a signal, or the desktop window closed). */
let stopping = false;
/** @type {import('node:child_process').ChildProcess | null} */
let app = null;
const running = (child) => child !== null && child.exitCode === null && child.signalCode === null;

function stop() {
  if (stopping) {
    // Asked again while stopping: do not wait for the graceful stop.
    if (running(server)) server.kill('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  releaseStopKeys();
  console.log('\nStopping Dutydesk…');
  if (running(server)) server.kill('SIGTERM');
  if (running(app)) app.kill('SIGTERM');
}

function openConsole(url) {
  console.log(`\n  Dutydesk console: ${url}\n  Wallboards:       ${url}/wallboard\n`);
  const electron = electronBinary();
  if (!electron) {
    console.log(
      `  Open the console in a browser (Chrome, Edge, Firefox). Electron's binary is not\n` +
        `  installed here, so no desktop window opens (README: "Getting Electron's binary").\n` +
        `  Ctrl-C stops Dutydesk.\n`,
    );
    return;
  }
  const built = spawnSync(process.execPath, [join(desktop, 'scripts', 'build-electron.mjs')], {
    stdio: 'inherit',
  });
  if (built.status !== 0) {
    console.log(`\n  Could not build the desktop shell; open ${url} in a browser instead.\n`);
    return;
  }
  if (stopping) return;
  console.log('  Opening the desktop console. Closing its window or Ctrl-C stops Dutydesk.\n');
  app = spawn(electron, [desktop], {
    env: { ...process.env, DUTYDESK_URL: url },
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  app.on('exit', () => {
    if (!stopping) stop();
  });
}

server.on('message', (message) => {
  if (message && message.type === 'ready' && typeof message.url === 'string' && !stopping) {
    openConsole(message.url);
  }
});

onStopKeys(stop);

server.on('exit', (code, signal) => {
  if (running(app)) app.kill('SIGTERM');
  // A stop we asked for ends well when the server stopped by itself (0) or by our signal.
  if (stopping && (code === 0 || signal === 'SIGTERM' || signal === 'SIGINT')) process.exit(0);
  process.exit(code ?? 1);
});
