// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

/**
 * Files over the max-lines cap below, with the cap each may not pass until it is split:
 * - src/web/main.ts: the page's wiring, triage and views (its state and panels are modules of their own).
 * - src/adapters/neo4j/neo4j-lineage-queries.ts: one statement runner per question of the LineageQueries port (residency is apart).
 * - test/web/web-page.int.test.ts: the browser flows, one file so Chromium starts once.
 */
const OVERSIZED = {
  'src/web/main.ts': 534,
  'src/adapters/neo4j/neo4j-lineage-queries.ts': 310,
  'test/web/web-page.int.test.ts': 570,
};

export default tseslint.config(
  {
    ignores: [
      '.dependency-cruiser.cjs',
      'dist/**',
      'node_modules/**',
      '.infra/**',
      'coverage/**',
      'src/web/dist/**',
      'src/adapters/otlp/gen/**',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      globals: { ...globals.node },
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
    },
  },
  {
    files: ['src/**/*.ts', 'test/**/*.ts', 'bench/**/*.ts', 'examples/**/*.ts'],
    rules: {
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' }],
    },
  },
  {
    files: ['src/**/*.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        { selector: 'ExportDefaultDeclaration', message: 'Use named exports (house style).' },
        {
          selector: "CallExpression[callee.property.name='push'] > SpreadElement",
          message: 'push(...items) throws RangeError past ~125,000 items: use appendAll (src/collections/append-all.ts).',
        },
        {
          selector: "CallExpression[callee.object.name='Math'][callee.property.name=/^(max|min)$/] > SpreadElement",
          message: 'Math.max/min(...items) throws RangeError past ~125,000 items: loop or reduce instead.',
        },
      ],
    },
  },
  // Which way imports run (vendor clients only in adapters, the rules and ports import only the domain,
  // no cycles): .dependency-cruiser.cjs, run by `npm run lint`.
  {
    // Small files (STYLE.md: past ~200 lines a file asks to be split). Code lines only; generated code is ignored above.
    files: ['src/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 300, skipBlankLines: true, skipComments: true }] },
  },
  {
    files: ['test/**/*.ts', 'bench/**/*.ts', 'scripts/**/*.ts', 'examples/**/*.ts'],
    rules: { 'max-lines': ['error', { max: 500, skipBlankLines: true, skipComments: true }] },
  },
  // Files still waiting to be split, each capped at its size today so that none grows (a ratchet):
  ...Object.entries(OVERSIZED).map(([file, max]) => ({
    files: [file],
    rules: { 'max-lines': ['error', { max, skipBlankLines: true, skipComments: true }] },
  })),
  {
    // The web page runs in the browser.
    files: ['src/web/**/*.ts'],
    languageOptions: { globals: { ...globals.browser } },
  },
  {
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    ...tseslint.configs.disableTypeChecked,
  },
);
