/**
 * One jest run, four projects (docs/TESTING.md). `npm test` runs them all; pick one with
 * `npx jest --selectProjects unit` (or console, e2e, package).
 *
 * - unit: the specs beside the library's and the apps' sources, and libs/redis-config/test; no
 *   build, no Redis (`npm run test:unit`).
 * - console: the admin console's pure specs (apps/admin/console/src).
 * - e2e: the suites under test/ against a real redis-server (test/helpers/redis-server.ts); some
 *   of them start the built apps (dist/), so they need `npm run build` first.
 * - package: the packed tarballs installed into consumer projects (needs `npm run pack`).
 *
 * test/image holds the container image suite, with its own config (`npm run test:container`).
 */
const base = require('./jest.base.js');

const project = (displayName, roots, testRegex, testPathIgnorePatterns = ['/node_modules/']) => ({
  ...base,
  displayName,
  roots,
  testRegex,
  testPathIgnorePatterns,
});

module.exports = {
  testTimeout: 30000,
  projects: [
    project('unit', ['<rootDir>/libs', '<rootDir>/apps'], '.*\\.(spec|e2e-spec)\\.ts$', [
      '/node_modules/',
      '<rootDir>/apps/admin/console/',
    ]),
    project('console', ['<rootDir>/apps/admin/console'], '.*\\.(spec|e2e-spec)\\.ts$'),
    project('e2e', ['<rootDir>/test'], '.*\\.(spec|e2e-spec)\\.ts$', [
      '/node_modules/',
      '<rootDir>/test/package/',
    ]),
    project('package', ['<rootDir>/test/package'], '.*\\.(spec|e2e-spec)\\.ts$'),
  ],
};
