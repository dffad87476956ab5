import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const root = fileURLToPath(new URL('./src/renderer', import.meta.url));
const outDir = fileURLToPath(new URL('./dist/renderer', import.meta.url));
const server = process.env['DUTYDESK_URL'] ?? 'http://127.0.0.1:3000';

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
      onLog(level, log, handler) {
        // zod 4 ships comments beside its `@__PURE__` annotations; Rollup drops the comments
        // and says so. Only that notice, only from zod's own files, is filtered out.
        if (log.code === 'INVALID_ANNOTATION' && /[\\/]zod[\\/]/.test(log.id ?? '')) return;
        handler(level, log);
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
