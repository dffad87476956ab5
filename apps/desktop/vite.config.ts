import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
const server = process.env['DUTYDESK_URL'] ?? 'http://127.0.0.1:3000';

/**
 * Libraries in chunks of their own, so that a release that changes only the console's code
 * leaves them cached (the server gives assets an hour's maxAge; their names change with their
 * content). All three are on the queue's first paint: they are preloaded beside the entry.
 */
const VENDOR_CHUNKS: ReadonlyArray<[name: string, packages: RegExp]> = [
  ['react', /[\\/]node_modules[\\/](react|react-dom|scheduler)[\\/]/],
  [
    'socket',
    /[\\/]node_modules[\\/](socket\.io-client|socket\.io-parser|engine\.io-client|engine\.io-parser|@socket\.io[\\/]component-emitter|xmlhttprequest-ssl)[\\/]/,
  ],
  ['zod', /[\\/]node_modules[\\/]zod[\\/]/],
];

/**
 * The renderer is a plain web app that the server serves from dist/renderer.
 * In development the Vite server proxies the API, the socket and the health
 * check to a running Dutydesk server.
 */
export default defineConfig({
  root,
  base: '/',
  plugins: [react()],
  build: {
    outDir,
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: true,
    rollupOptions: {
      // The console, the customer portal the server serves at /portal/… (decision 52) and the
      // survey page at /survey (decision 53).
      input: {
        index: `${root}/index.html`,
        portal: `${root}/portal.html`,
        survey: `${root}/survey.html`,
      },
      onLog(level, log, handler) {
        // zod 4 ships comments beside its `@__PURE__` annotations; Rollup drops the comments
        // and says so. Only that notice, only from zod's own files, is filtered out.
        if (log.code === 'INVALID_ANNOTATION' && /[\\/]zod[\\/]/.test(log.id ?? '')) return;
        handler(level, log);
      },
      output: {
        // The wallboard, the duty board, the ticket workspace and the overlays are split off
        // by their dynamic imports in app/App.tsx (decision 30).
        manualChunks(id) {
          return VENDOR_CHUNKS.find(([, packages]) => packages.test(id))?.[0];
        },
      },
    },
  },
  server: {
    proxy: {
      '/api': { target: server, changeOrigin: false },
      '/socket.io': { target: server, ws: true },
      '/healthz': { target: server },
    },
  },
});
