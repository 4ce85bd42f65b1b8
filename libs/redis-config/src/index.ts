/**
 * `@rcc/redis-config`: live, versioned config groups in Redis for NestJS.
 *
 * A node imports {@link RedisConfigModule} and reads its group through {@link ConfigGroupService}
 * or {@link ConfigValue}; a publisher (the admin service, a CI job) writes through
 * {@link ConfigGroupStore}. Everything exported here is a promise kept across minor versions;
 * the API report (`libs/redis-config/api/redis-config.api.md`) shows each change in review.
 *
 * @packageDocumentation
 */

// The module and its options.
export { RedisConfigModule, type RedisConfigModuleAsyncOptions } from './redis-config.module';
export {
  resolveOptions,
  type RedisConfigModuleOptions,
  type RedisConnectionOption,
  type ResolvedRedisConfigOptions,
  type ResolvedRedisConnection,
  type ValidateFunction,
  type ValidationClass,
} from './options/redis-config.options';
export { RESOLVED_REDIS_CONFIG_OPTIONS } from './options/redis-config.constants';
export type { MetricsOption, MetricsRegistry, ResolvedMetrics } from './options/metrics-option';

// A node's side: its live group.
export { ConfigGroupService } from './node/config-group.service';
export type {
  ConfigChangeEvent,
  ConfigChangeListener,
  ConfigChangeReason,
  ConfigGroup,
  ConfigSource,
} from './node/config-change';
export type { GroupHolding } from './wire/group-holding';
export { ConfigValue, type ConfigValueOptions } from './decorators/config-value.decorator';
export { OnConfigChange } from './decorators/on-config-change.decorator';

// A publisher's side: groups, their history, import and export, and the live nodes.
export {
  ConfigGroupStore,
  type ConfigGroupSummary,
  type HistoryEntry,
  type ImportPlanEntry,
  type ImportResult,
  type PublishOptions,
} from './store/config-group.store';
export { parseImportFile, type ExportEntry } from './store/import-file';
export type { RekeyOptions, RekeyResult } from './store/namespace-rekey';
export type { RekeyGroupPlan } from './store/rekey-plan';
export { RolloutStore, type StoredRollout } from './store/rollout-store';
export {
  ROLLOUT_STATUSES,
  stepsProblem,
  type RolloutProblem,
  type RolloutState,
  type RolloutStatus,
  type RolloutStep,
  type RolloutMessage,
  type RolloutAnswer,
} from './wire/rollout-state';
export {
  configProblem,
  groupNameProblem,
  type ConfigDict,
  type ConfigGroupRecord,
} from './wire/config-group-record';
export { NodeRegistry, type NodeInfo } from './assignment/node-registry';
export type { SharedGroupVersion } from './wire/shared-group-version';

// Secrets: which keys hold them, and their encryption at rest.
export { DEFAULT_SECRET_KEYS, secretKeyMatcher } from './secrets/secret-keys';
export { EncryptionKeyRing } from './secrets/encryption-key-ring';

// Redis itself, for health checks.
export { RedisConfigHealth } from './connection/redis-config-health';
export { isConnectionLoss } from './connection/connection-loss';

// Errors.
export {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigKeyMissingError,
  ConfigVersionConflictError,
  InvalidConfigInputError,
  RedisUnavailableError,
  SecretDecryptionError,
  RolloutRunningError,
  type InputProblem,
} from './errors';
