/**
 * `npm run test:mutation` (not in CI: too slow). Mutation testing of the library's pure modules
 * with their unit specs only (no Redis, no build): docs/TESTING.md#mutation-testing.
 * One module: `npx stryker run --mutate libs/redis-config/src/utils/glob.ts`.
 */
const base = require('./jest.base.js');

const src = 'libs/redis-config/src';

// The instrumented code runs several times slower: the one timing bound (glob.spec.ts) scales.
process.env.RCC_TIME_SCALE = '10';

module.exports = {
  testRunner: 'jest',
  jest: {
    projectType: 'custom',
    // The library's unit specs only; with perTest coverage each mutant runs the tests that reach it.
    config: {
      ...base,
      // Transpile only (no type-check per run): a mutant is judged by the tests, not by tsc.
      transform: { '^.+\\.ts$': ['ts-jest', { isolatedModules: true }] },
      roots: [`<rootDir>/${src}`, '<rootDir>/libs/redis-config/test/placement-oracle'],
      // RCC_MUTATION_SPECS (a regular expression of spec paths) narrows the specs to a module's
      // own: scripts/mutation-by-module.sh sets it with RCC_MUTATION_OWN_SPECS=1.
      testRegex: process.env.RCC_MUTATION_SPECS || '.*\\.spec\\.ts$',
    },
    enableFindRelatedTests: true,
  },
  coverageAnalysis: 'perTest',
  // Mutants in module-level constants run every test: too slow for what they tell.
  ignoreStatic: true,
  mutate: [
    `${src}/wire/config-group-record.ts`,
    `${src}/wire/rollout-state.ts`,
    `${src}/node/effective-config.ts`,
    `libs/redis-config/test/placement-oracle/decide-placement.ts`,
    `${src}/secrets/*.ts`,
    `${src}/options/*.ts`,
    `${src}/utils/env.ts`,
    `${src}/utils/glob.ts`,
    `!${src}/**/*.spec.ts`,
  ],
  // The sandbox needs the library's sources and the config files; the rest of the tree is skipped.
  ignorePatterns: [
    '/apps',
    '/test',
    '/bench',
    '/docs',
    '/scripts',
    '/dist',
    '/libs/redis-config/dist',
  ],
  // RCC_MUTATION_CONCURRENCY=1 on a machine shared with other work (run it under `nice -n 19`).
  concurrency: Number(process.env.RCC_MUTATION_CONCURRENCY) || 2,
  timeoutMS: 3000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
