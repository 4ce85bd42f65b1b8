/**
 * `@rcc/redis-config`: live, versioned config groups in Redis for NestJS — what a node needs.
 *
 * A node imports {@link RedisConfigModule} and reads its group through {@link ConfigGroupService}
 * or {@link ConfigValue}. What writes and administers groups (`ConfigGroupStore`, import and
 * export, rollouts, the node registry) is `@rcc/redis-config/publisher`. Everything exported here
 * is a promise kept across minor versions; the API report (`libs/redis-config/api/redis-config.api.md`)
 * shows each change in review.
 *
 * @packageDocumentation
 */

// The module and its options.
export { RedisConfigModule, type RedisConfigModuleAsyncOptions } from './redis-config.module';
export type {
  RedisConfigModuleOptions,
  RedisConnectionOption,
  ValidateFunction,
  ValidationClass,
} from './options/redis-config.options';
export type { MetricsOption, MetricsRegistry } from './options/metrics-option';

// A node's live group.
export { ConfigGroupService } from './node/config-group.service';
export type {
  ConfigChangeEvent,
  ConfigChangeListener,
  ConfigChangeReason,
  ConfigGroup,
  ConfigSource,
} from './node/config-change';
export type { ConfigDict } from './wire/config-group-record';
export type { GroupHolding } from './wire/group-holding';
export type { SharedGroupVersion } from './wire/shared-group-version';
export { ConfigValue, type ConfigValueOptions } from './decorators/config-value.decorator';
export { OnConfigChange } from './decorators/on-config-change.decorator';

// Redis itself, for health checks.
export { RedisConfigHealth } from './connection/redis-config-health';

// The errors a node sees.
export { ConfigKeyMissingError, RedisUnavailableError, SecretDecryptionError } from './errors';
