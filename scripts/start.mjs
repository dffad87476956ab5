// `pnpm start`: builds the console once, starts the server on the embedded database
// (with a demo desk on a first run), and opens the Electron console where its binary
// exists; otherwise says where to point a browser.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const bin = (name) => join(root, 'node_modules', '.bin', name);
const desktop = join(root, 'apps', 'desktop');

if (!existsSync(join(desktop, 'dist', 'renderer', 'index.html'))) {
  console.log('Building the console (first start only)…');
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
