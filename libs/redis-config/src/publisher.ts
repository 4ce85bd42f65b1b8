/**
 * `@rcc/redis-config/publisher`: what writes and administers config groups — the store, import
 * and export, rollouts, the node registry, secrets and their encryption, and the pieces the admin
 * service and the CLI share with the library (options, Redis client, env parsing).
 *
 * In a Nest app, `RedisConfigModule.forRoot()` (from `@rcc/redis-config`; `node: false` for an app
 * that only publishes) provides {@link ConfigGroupStore}, {@link RolloutEngine} and
 * {@link NodeRegistry}; without Nest, {@link createConfigGroupStore} opens them. The API report is
 * `libs/redis-config/api/redis-config-publisher.api.md`.
 *
 * @packageDocumentation
 */

// Groups: the store, their history, import and export.
export {
  ConfigGroupStore,
  type ConfigGroupSummary,
  type ConfigGroupWrite,
  type HistoryEntry,
  type ImportPlanEntry,
  type ImportResult,
  type PublishOptions,
} from './store/config-group.store';
export { createConfigGroupStore, type StandaloneStore } from './create-config-group-store';
export { parseImportFile, type ExportEntry } from './store/import-file';
export type { RekeyOptions, RekeyResult } from './store/namespace-rekey';
export type { RekeyGroupPlan } from './store/rekey-plan';
export {
  configProblem,
  groupNameProblem,
  type ConfigDict,
  type ConfigGroupRecord,
} from './wire/config-group-record';
export type { SharedGroupVersion } from './wire/shared-group-version';

// Rollouts: the state machine (start, promote, abort, drive) and what it stores.
export { RolloutEngine, type RolloutMove, type RolloutRequest } from './rollouts/rollout-engine';
export type { StoredRollout } from './store/rollout-store';
export {
  ROLLOUT_STATUSES,
  stepsProblem,
  type RolloutProblem,
  type RolloutState,
  type RolloutStatus,
  type RolloutStep,
} from './wire/rollout-state';

// The live nodes.
export { NodeRegistry, type NodeInfo } from './assignment/node-registry';
export type { GroupHolding } from './wire/group-holding';

// Secrets: which keys hold them, and their encryption at rest.
export { DEFAULT_SECRET_KEYS, secretKeyMatcher } from './secrets/secret-keys';
export { EncryptionKeyRing } from './secrets/encryption-key-ring';

// Options, as the module resolves them (the admin and the CLI read the same env variables).
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

// The one env parser (integers, ports, booleans, lists) of the library, the admin and the CLI.
export {
  booleanProblem,
  booleanVariable,
  integerProblem,
  integerVariable,
  isBlank,
  listVariable,
  portVariable,
  readBoolean,
  readInteger,
} from './utils/env';

// Redis: the one client factory, and how an outage shows.
export { createRedisClient } from './connection/redis-config-connection';
export { isConnectionLoss } from './connection/connection-loss';

// Errors of the publisher's side.
export {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigVersionConflictError,
  InvalidConfigInputError,
  RolloutRejectedError,
  RolloutRunningError,
  RolloutStateError,
  type InputProblem,
  type RolloutRefusal,
  type RolloutStateProblem,
} from './errors';
