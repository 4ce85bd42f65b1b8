import { DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BalancedGroupAssigner } from './assignment/balanced-group-assigner';
import { GroupAssigner } from './assignment/group-assigner';
import { NodeRegistry } from './assignment/node-registry';
import { RedisConfigConnection } from './connection/redis-config-connection';
import { ConfigServiceBridge } from './config-service/config-service.bridge';
import { ConfigBindingExplorer } from './decorators/config-binding.explorer';
import { ConfigGroupService } from './node/config-group.service';
import { GroupFollower } from './node/group-follower';
import { NamespaceEvents } from './node/namespace-events';
import { NodeState } from './node/node-state';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from './redis-config.constants';
import {
  ASYNC_OPTIONS_TYPE,
  ConfigurableModuleClass,
  OPTIONS_TYPE,
  REDIS_CONFIG_MODULE_OPTIONS,
} from './redis-config.module-definition';
import {
  resolveOptions,
  RedisConfigModuleOptions,
  ResolvedRedisConfigOptions,
} from './redis-config.options';
import { ConfigGroupStore } from './store/config-group.store';
import { ConfigKeys } from './store/config-keys';

/**
 * `RedisConfigModule.forRoot()` (every option falls back to its env variable) or `forRootAsync()`.
 * Global by default. Provides `ConfigGroupService` (the node's live group), `ConfigGroupStore`
 * (the publisher's side), and binds `@ConfigValue` / `@OnConfigChange`.
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: RESOLVED_REDIS_CONFIG_OPTIONS,
      useFactory: (options: RedisConfigModuleOptions) => resolveOptions(options),
      inject: [REDIS_CONFIG_MODULE_OPTIONS],
    },
    {
      provide: ConfigKeys,
      useFactory: (options: ResolvedRedisConfigOptions) => new ConfigKeys(options.namespace),
      inject: [RESOLVED_REDIS_CONFIG_OPTIONS],
    },
    RedisConfigConnection,
    ConfigGroupStore,
    NodeState,
    NamespaceEvents,
    // Listed before the follower: its listeners must be bound before the first load.
    ConfigBindingExplorer,
    { provide: GroupAssigner, useClass: BalancedGroupAssigner },
    GroupFollower,
    ConfigGroupService,
    NodeRegistry,
    // Loads @nestjs/config only when configServiceNamespace is set.
    ConfigServiceBridge,
  ],
  exports: [
    ConfigGroupService,
    ConfigGroupStore,
    ConfigKeys,
    NodeRegistry,
    RedisConfigConnection,
    RESOLVED_REDIS_CONFIG_OPTIONS,
  ],
})
export class RedisConfigModule extends ConfigurableModuleClass {
  static forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    return super.forRoot(options);
  }

  static forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return super.forRootAsync(options);
  }
}
