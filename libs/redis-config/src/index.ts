export { RedisConfigModule } from './redis-config.module';
export { REDIS_CONFIG_MODULE_OPTIONS } from './redis-config.module-definition';
export { RESOLVED_REDIS_CONFIG_OPTIONS } from './options/redis-config.constants';
export {
  DEFAULT_NAMESPACE,
  parseRedisUrl,
  resolveOptions,
  type RedisConfigModuleOptions,
  type RedisConnectionOption,
  type ResolvedRedisConfigOptions,
  type ResolvedRedisConnection,
  type ValidateFunction,
  type ValidationClass,
} from './options/redis-config.options';
export { ConfigGroupService } from './node/config-group.service';
export type { GroupHolding } from './wire/group-holding';
export type {
  ConfigChangeEvent,
  ConfigChangeListener,
  ConfigChangeReason,
  ConfigGroup,
} from './node/config-change';
export { ConfigValue, type ConfigValueOptions } from './decorators/config-value.decorator';
export { OnConfigChange } from './decorators/on-config-change.decorator';
export {
  ConfigGroupStore,
  type ConfigGroupSummary,
  type HistoryEntry,
  type ImportPlanEntry,
  type ImportResult,
  type PublishOptions,
} from './store/config-group.store';
export {
  configProblem,
  groupNameProblem,
  MAX_GROUP_NAME_LENGTH,
  type ConfigDict,
  type ConfigGroupRecord,
} from './wire/config-group-record';
export { parseImportFile, type ExportEntry } from './store/import-file';
export { globMatcher } from './utils/glob';
export { ConfigKeys } from './wire/config-keys';
export { RedisConfigConnection } from './connection/redis-config-connection';
export { isConnectionLoss } from './connection/connection-loss';
export {
  GroupAssigner,
  type AssignmentContext,
  type GroupDecision,
} from './assignment/group-assigner';
export * from './errors';
export { NodeRegistry, type NodeInfo } from './assignment/node-registry';
