/** One jest run for unit specs (beside their sources) and e2e suites (test/). */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  roots: ['<rootDir>/libs', '<rootDir>/apps', '<rootDir>/test'],
  testRegex: '.*\\.(spec|e2e-spec)\\.ts$',
  transform: {
    '^.+\\.ts$': ['ts-jest', {}],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // The entry points (index.ts, publisher.ts, testing.ts), then any file for tests and benches.
    '^@rcc/redis-config$': '<rootDir>/libs/redis-config/src/index.ts',
    '^@rcc/redis-config/(publisher|testing)$': '<rootDir>/libs/redis-config/src/$1.ts',
    '^@rcc/redis-config/(.*)$': '<rootDir>/libs/redis-config/src/$1',
  },
  testTimeout: 30000,
};
