/**
 * Injection token of the options after env defaults are applied (`ResolvedRedisConfigOptions`).
 * A registered symbol: two copies of the package in one app (a monorepo with two versions) still
 * name the same provider.
 */
export const RESOLVED_REDIS_CONFIG_OPTIONS: unique symbol = Symbol.for(
  '@rcc/redis-config:resolved-options',
);
