import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';

/**
 * One vitest run, four projects, run in order: pure units and components first,
 * then server integration (PGlite + a real PostgreSQL), then the browser.
 */
export default defineConfig({
  test: {
    reporters: ['default', './tests/support/summaryReporter.ts'],
    projects: [
      {
        test: {
          name: 'shared',
          include: ['packages/shared/src/**/*.test.ts'],
          environment: 'node',
          // Property tests run hundreds of cases: ~1 s on a quiet machine, 9 s at load 17 on 2
          // cores (the 5 s default failed there).
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        plugins: [react()],
        test: {
          name: 'desktop',
          include: ['apps/desktop/src/**/*.test.{ts,tsx}'],
          environment: 'jsdom',
          // The palette test reads the style sheets as text (`?raw`); other CSS stays empty.
          css: { include: [/\.css\?raw$/] },
          // Generous: a loaded 2-core machine runs jsdom and a module load (electron-builder's
          // schema) many times slower than a quiet one.
          testTimeout: 30_000,
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: 'server',
          include: ['apps/server/src/**/*.test.ts', 'tests/integration/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./tests/support/postgresGlobalSetup.ts'],
          // The restart-durability case took 115 s on PGlite at load 24 (two PGlite starts), the
          // SLA parity case 106–120 s: a loaded 2-core machine needs room past 120 s.
          testTimeout: 240_000,
          hookTimeout: 180_000,
          sequence: { groupOrder: 1 },
        },
      },
      {
        test: {
          name: 'e2e',
          include: ['tests/e2e/**/*.test.ts'],
          environment: 'node',
          globalSetup: ['./tests/support/postgresGlobalSetup.ts'],
          testTimeout: 90_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
    ],
  },
});
