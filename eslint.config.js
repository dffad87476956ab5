// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'No Node built-ins here (see CONTEXT.md).' };

export default tseslint.config(
  {
    ignores: [
      '**/node_modules/**',
      '**/dist/**',
      '**/dist-electron/**',
      '**/release/**',
      '.tsbuild/**',
      'artifacts/**',
      'apps/server/drizzle/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node } },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      '@typescript-eslint/consistent-type-imports': 'error',
      'no-restricted-syntax': [
        'error',
        { selector: 'TSEnumDeclaration', message: 'Use a const object and a derived union type.' },
      ],
    },
  },
  {
    // packages/shared is pure: zod and relative imports only, no clocks or timers.
    files: ['packages/shared/src/**/*.ts'],
    ignores: ['packages/shared/src/**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            {
              group: [
                'express',
                'pg',
                'socket.io*',
                'electron',
                'drizzle-orm*',
                'react*',
                'zustand*',
                '@electric-sql/*',
                'ical.js',
              ],
              message: 'packages/shared is pure: zod and relative imports only.',
            },
          ],
        },
      ],
      'no-restricted-globals': [
        'error',
        { name: 'setTimeout', message: 'Pure code: take `now` as a parameter.' },
        { name: 'setInterval', message: 'Pure code: take `now` as a parameter.' },
        { name: 'fetch', message: 'Pure code: no IO.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Pure code: take `now` as a parameter.' },
      ],
    },
  },
  {
    // The renderer is a plain web app: no electron, no node built-ins.
    files: ['apps/desktop/src/renderer/**/*.{ts,tsx}'],
    languageOptions: { globals: { ...globals.browser } },
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            nodeBuiltins,
            { group: ['electron'], message: 'Only the preload talks to electron.' },
            {
              group: ['ical.js'],
              message: 'iCalendar is read and written on the server (features/sla/ics.ts).',
            },
          ],
        },
      ],
    },
  },
  {
    // Only *.repo.ts files (and the db seam itself) touch the database.
    files: ['apps/server/src/**/*.ts'],
    ignores: [
      'apps/server/src/**/*.repo.ts',
      'apps/server/src/db/**',
      'apps/server/src/**/*.test.ts',
      'apps/server/src/testing/**',
    ],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'],
              message: 'Only *.repo.ts files and src/db touch the database.',
            },
          ],
        },
      ],
    },
  },
);
