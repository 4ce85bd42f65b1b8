/** Injection token of the options after env defaults are applied (`ResolvedRedisConfigOptions`). */
export const RESOLVED_REDIS_CONFIG_OPTIONS = Symbol('RESOLVED_REDIS_CONFIG_OPTIONS');
