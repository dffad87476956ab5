// Bundles the Electron main process and the preload into dist-electron/.
// esbuild comes with vite; it is resolved through vite so the desktop package
// needs no extra dependency.
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');
const requireFromVite = createRequire(createRequire(import.meta.url).resolve('vite'));
const esbuild = requireFromVite('esbuild');

const common = {
  bundle: true,
  platform: 'node',
  target: 'node22',
  format: 'cjs',
  external: ['electron'],
  sourcemap: true,
  logLevel: 'info',
  absWorkingDir: root,
};

await Promise.all([
  esbuild.build({
    ...common,
    entryPoints: ['src/main/index.ts'],
    outfile: 'dist-electron/main.cjs',
  }),
  // Sandboxed preloads cannot be ES modules.
  esbuild.build({
    ...common,
    entryPoints: ['src/preload/index.ts'],
    outfile: 'dist-electron/preload.cjs',
  }),
]);
