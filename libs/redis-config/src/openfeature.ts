/**
 * `@rcc/redis-config/openfeature` (DESIGN §20): an OpenFeature server provider over the node's
 * effective config, for code written against `@openfeature/server-sdk` or `@openfeature/nestjs-sdk`.
 * Needs `@openfeature/server-sdk` (an optional peer: the other entry points never load it).
 *
 * @packageDocumentation
 */
export { RedisConfigProvider, type RedisConfigNode } from './openfeature/redis-config.provider';
export { RedisConfigOpenFeatureModule } from './openfeature/redis-config-openfeature.module';
