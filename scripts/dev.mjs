// `pnpm dev`: the console on Vite's dev server (hot reload; /api, /socket.io and /healthz
// proxied to the server, apps/desktop/vite.config.ts) and the server under `tsx watch`
// (restarts when a file it imports changes: server or shared code), one command. Ctrl-C stops
// both and exits 0 (scripts/lib/stopKeys.mjs).
//
// The server runs as `pnpm start` runs it: embedded database (DUTYDESK_DATA_DIR, `.data/pglite`)
// with a demo desk on a first run, PORT (3000). Vite listens on DUTYDESK_DEV_PORT (5173, the
// next free one if taken). Only one server may hold a PGlite folder: stop `pnpm start` first.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createServer } from 'vite';
import { onStopKeys, releaseStopKeys } from './lib/stopKeys.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const desktop = join(root, 'apps', 'desktop');

const port = process.env.PORT?.trim() || '3000';
const host = process.env.HOST?.trim() || '127.0.0.1';
const reachable = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
// vite.config.ts reads DUTYDESK_URL when it loads (below, in this process): the proxy target.
process.env.DUTYDESK_URL ??= `http://${reachable.includes(':') ? `[${reachable}]` : reachable}:${port}`;

const env = { ...process.env, DUTYDESK_DEMO: process.env.DUTYDESK_DEMO ?? '1' };
if (process.stdout.isTTY && !env.DUTYDESK_LOG_FORMAT) {
  env.DUTYDESK_LOG_FORMAT = 'pretty';
  env.FORCE_COLOR ??= '1';
}
const server = spawn(
  process.execPath,
  [
    fileURLToPath(import.meta.resolve('tsx/cli')),
    'watch',
    '--clear-screen=false',
    join(root, 'apps', 'server', 'src', 'main.ts'),
  ],
  { env, stdio: ['ignore', 'inherit', 'inherit'] },
);

let stopping = false;
/** @type {import('vite').ViteDevServer | null} */
let vite = null;
const running = (child) => child.exitCode === null && child.signalCode === null;

function stop() {
  if (stopping) {
    if (running(server)) server.kill('SIGKILL');
    process.exit(130);
  }
  stopping = true;
  releaseStopKeys();
  console.log('\nStopping Dutydesk (dev)…');
  void vite?.close();
  // tsx watch passes SIGTERM to the server, waits for it and exits with its code.
  if (running(server)) server.kill('SIGTERM');
}
onStopKeys(stop);

server.on('exit', async (code, signal) => {
  await vite?.close();
  if (!stopping) {
    console.error(`dutydesk dev: the server watcher exited (${code ?? signal}); stopping.`);
    process.exit(code || 1);
  }
  // tsx watch exits 128 + signal when the server had already stopped (crashed, waiting for an edit).
  const clean =
    code === 0 || code === 130 || code === 143 || signal === 'SIGTERM' || signal === 'SIGINT';
  process.exit(clean ? 0 : code);
});

try {
  vite = await createServer({
    configFile: join(desktop, 'vite.config.ts'),
    clearScreen: false,
    server: {
      host: '127.0.0.1',
      port: Number(process.env.DUTYDESK_DEV_PORT ?? 5173),
    },
  });
  await vite.listen();
} catch (err) {
  console.error(`dutydesk dev: Vite could not start: ${err instanceof Error ? err.message : err}`);
  stop();
}
if (vite && !stopping) {
  const url = vite.resolvedUrls?.local[0]?.replace(/\/$/, '') ?? '(unknown)';
  console.log(
    `\n  Dutydesk console (hot reload): ${url}\n` +
      `  Server (restarts on change):   ${process.env.DUTYDESK_URL}\n` +
      `  Ctrl-C stops both.\n`,
  );
}
