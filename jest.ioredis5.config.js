/**
 * The e2e suites on ioredis 5 (the repository runs on ioredis 6; the library's peer takes both):
 * `npx jest -c jest.ioredis5.config.js --runInBand test/library test/faults ...`. The same e2e
 * project, with `ioredis` mapped to the `ioredis5` alias (`npm:ioredis@^5`, a devDependency) for
 * everything the jest process loads: the library, the test helpers, @liaoliaots/nestjs-redis.
 * Built apps a suite spawns (dist/) keep the repository's ioredis 6.
 */
const config = require('./jest.config.js');

const e2e = config.projects.find((project) => project.displayName === 'e2e');

module.exports = {
  ...e2e,
  displayName: 'e2e-ioredis5',
  testTimeout: config.testTimeout,
  moduleNameMapper: {
    '^ioredis$': '<rootDir>/node_modules/ioredis5',
    '^ioredis/(.*)$': '<rootDir>/node_modules/ioredis5/$1',
    ...e2e.moduleNameMapper,
  },
};
