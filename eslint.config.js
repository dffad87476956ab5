// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import globals from 'globals';

const nodeBuiltins = { group: ['node:*'], message: 'No Node built-ins here (see CONTEXT.md).' };
const databaseOnlyInRepos = {
  group: ['drizzle-orm', 'drizzle-orm/*', 'pg', '@electric-sql/*'],
  message: 'Only *.repo.ts files and src/db touch the database.',
};
// '../other/file' from a feature reaches into another feature; '../other' (its index) is the way.
const featuresThroughIndex = {
  group: ['../*/*', '!../../**'],
  message: "Import another feature through its index ('../<feature>'), not its files.",
};

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
    rules: { 'no-restricted-imports': ['error', { patterns: [databaseOnlyInRepos] }] },
  },
  {
    // Features import each other only through their index (and their repos the database).
    files: ['apps/server/src/features/**/*.ts'],
    ignores: ['apps/server/src/**/*.test.ts', 'apps/server/src/**/*.testing.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [databaseOnlyInRepos, featuresThroughIndex] }],
    },
  },
  {
    files: ['apps/server/src/features/**/*.repo.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: [featuresThroughIndex] }] },
  },
  {
    // Type-aware rules: a promise is awaited, returned or explicitly `void`ed; no promise where
    // a callback returns nothing; a switch over a union names every member.
    files: ['**/*.{ts,tsx}'],
    languageOptions: {
      parserOptions: {
        projectService: { allowDefaultProject: ['vitest.config.ts'] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true },
      ],
    },
  },
);
