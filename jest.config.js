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
    '^@rcc/redis-config$': '<rootDir>/libs/redis-config/src',
    '^@rcc/redis-config/(.*)$': '<rootDir>/libs/redis-config/src/$1',
  },
  testTimeout: 30000,
};
