/**
 * What every jest project shares: ts-jest, the node environment, and the moduleNameMapper that maps
 * the package's entry points (index.ts, publisher.ts, testing.ts, openfeature.ts), then any deep path, to sources.
 * Used by jest.config.js (projects unit / console / e2e / package) and test/image/jest.config.js.
 */
module.exports = {
  testEnvironment: 'node',
  rootDir: '.',
  transform: {
    '^.+\\.ts$': ['ts-jest', {}],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    // The entry points (index.ts, publisher.ts, testing.ts, openfeature.ts), then any file for tests and benches.
    '^@rcc/redis-config$': '<rootDir>/libs/redis-config/src/index.ts',
    '^@rcc/redis-config/(publisher|testing|openfeature)$': '<rootDir>/libs/redis-config/src/$1.ts',
    '^@rcc/redis-config/(.*)$': '<rootDir>/libs/redis-config/src/$1',
  },
};
