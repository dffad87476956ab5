// `pnpm start`: builds the console once, starts the server on the embedded database
// (with a demo desk on a first run), and opens the Electron console where its binary
// exists; otherwise says where to point a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

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

if (!existsSync(builtIndex) || sourcesChanged()) {
  console.log(
    existsSync(builtIndex)
      ? 'Rebuilding the console (its sources changed since the last build)…'
      : 'Building the console (first start only)…',
  );
  const built = spawnSync(
    bin('vite'),
    ['build', '--config', join(desktop, 'vite.config.ts'), '--logLevel', 'warn'],
    {
      stdio: 'inherit',
    },
  );
  if (built.status !== 0) process.exit(built.status ?? 1);
}

const env = { ...process.env, DUTYDESK_DEMO: process.env.DUTYDESK_DEMO ?? '1' };
// The server's stdout is a pipe through this script: on a terminal, ask for readable logs.
if (process.stdout.isTTY && !env.DUTYDESK_LOG_FORMAT) {
  env.DUTYDESK_LOG_FORMAT = 'pretty';
  env.FORCE_COLOR ??= '1';
}
const server = spawn(bin('tsx'), [join(root, 'apps', 'server', 'src', 'main.ts')], {
  env,
  stdio: ['ignore', 'pipe', 'inherit'],
});

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

let opened = false;
server.stdout.on('data', (chunk) => {
  process.stdout.write(chunk);
  const m = /ready at (http:\/\/\S+)/.exec(chunk.toString());
  if (!m || opened) return;
  opened = true;
  const url = m[1];
  const electron = electronBinary();
  if (!electron) {
    console.log(
      `\n  Open ${url} in a browser (Chrome, Edge, Firefox) to use the console.\n` +
        `  Electron's binary is not installed here, so no desktop window opens.\n` +
        `  Wallboards: ${url}/wallboard\n`,
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
  const app = spawn(electron, [desktop], {
    env: { ...process.env, DUTYDESK_URL: url },
    stdio: 'inherit',
  });
  app.on('exit', () => server.kill('SIGTERM'));
});

for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => server.kill('SIGTERM'));
server.on('exit', (code) => process.exit(code ?? 0));
