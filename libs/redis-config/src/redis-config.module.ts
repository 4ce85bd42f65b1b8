import {
  ConfigurableModuleAsyncOptions,
  DynamicModule,
  Module,
  OnModuleInit,
  Provider,
} from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { BalancedGroupAssigner } from './assignment/balanced-group-assigner';
import { GroupAssigner, HeldPlace } from './assignment/group-assigner';
import { RedisConfigConnection } from './connection/redis-config-connection';
import { RedisConfigHealth } from './connection/redis-config-health';
import { ConfigServiceBridge } from './config-service/config-service.bridge';
import { ConfigBindingExplorer } from './decorators/config-binding.explorer';
import { ConfigGroupService } from './node/config-group.service';
import { ConfigPipeline } from './node/config-pipeline';
import { GroupFollower } from './node/group-follower';
import { NodeControl } from './node/node-control';
import { NodeRuntime } from './node/node-runtime';
import { RolloutParticipant } from './node/rollout-participant';
import { SharedGroupFollower } from './node/shared-group-follower';
import { SnapshotKeeper } from './node/snapshot-keeper';
import { NamespaceEvents } from './connection/namespace-events';
import { NodeState } from './node/node-state';
import { PeriodicCheck } from './node/periodic-check';
import { NodeMetrics } from './metrics/node-metrics';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from './options/redis-config.constants';
import { warnOfOtherCopies } from './package-copies';
import {
  ConfigurableModuleClass,
  REDIS_CONFIG_MODULE_OPTIONS,
} from './redis-config.module-definition';
import {
  resolveOptions,
  RedisConfigModuleOptions,
  ResolvedRedisConfigOptions,
} from './options/redis-config.options';
import { registeredPublisherProviders } from './utils/publisher-registry';
import { ConfigKeys } from './wire/config-keys';

/**
 * What `RedisConfigModule.forRootAsync()` takes: where the {@link RedisConfigModuleOptions} come
 * from (`useFactory` with `inject`, `useClass` or `useExisting` of a class with a
 * `createRedisConfigOptions()` method), plus `isGlobal`.
 */
export type RedisConfigModuleAsyncOptions = ConfigurableModuleAsyncOptions<
  RedisConfigModuleOptions,
  'createRedisConfigOptions'
> & {
  /**
   * `false` for an app that only administers groups (no node provider is built).
   * @defaultValue `true`
   */
  node?: boolean;
  /**
   * Register the module globally, so that every module can inject its providers.
   * @defaultValue `true`
   */
  isGlobal?: boolean;
};

/**
 * What every role builds: the keys, the connection and the health indicator. The publisher's
 * classes (`ConfigGroupStore`, `RolloutEngine`, `NodeRegistry`) join them when the app has loaded
 * them (see `registerPublisherProvider`), so a node that publishes injects `ConfigGroupStore`
 * where it imports the module, and a node that does not never loads them.
 */
const COMMON_PROVIDERS: Provider[] = [
  {
    provide: ConfigKeys,
    useFactory: (options: ResolvedRedisConfigOptions) => new ConfigKeys(options.namespace),
    inject: [RESOLVED_REDIS_CONFIG_OPTIONS],
  },
  RedisConfigConnection,
  RedisConfigHealth,
];
const COMMON_EXPORTS = [RedisConfigHealth, RESOLVED_REDIS_CONFIG_OPTIONS];

/** What only a node builds: its group's follower, assignment, checks, snapshot and bindings. */
const NODE_PROVIDERS: Provider[] = [
  NodeState,
  { provide: HeldPlace, useExisting: NodeState },
  NamespaceEvents,
  // Listed before the follower: its listeners must be bound before the first load.
  ConfigBindingExplorer,
  NodeMetrics, // off unless `metrics`; also before the follower, to count the first load
  { provide: GroupAssigner, useClass: BalancedGroupAssigner },
  SnapshotKeeper,
  ConfigPipeline,
  SharedGroupFollower,
  PeriodicCheck,
  GroupFollower,
  RolloutParticipant,
  NodeRuntime, // starts the node, after the bindings above
  { provide: NodeControl, useExisting: NodeRuntime },
  ConfigGroupService,
  // Loads @nestjs/config only when configServiceNamespace is set.
  ConfigServiceBridge,
];

/**
 * `RedisConfigModule.forRoot()` (every option falls back to its env variable) or `forRootAsync()`.
 * Global by default. A node (the default) gets `ConfigGroupService` (its live group), binds
 * `@ConfigValue` / `@OnConfigChange`, and can publish too; with `node: false` (an app that only
 * administers groups) no node provider is built. Both provide `RedisConfigHealth`, and
 * `ConfigGroupStore`, `RolloutEngine` and `NodeRegistry` once the app has loaded
 * `@rcc/redis-config/publisher` (naming one of them loads it).
 *
 * @example
 * ```ts
 * @Module({ imports: [RedisConfigModule.forRoot({ group: 'orders' })] })
 * export class AppModule {}
 * ```
 */
@Module({})
export class RedisConfigModule implements OnModuleInit {
  /**
   * The module with options given here; each option left out falls back to its env variable
   * (see {@link RedisConfigModuleOptions}), checked when the module starts.
   *
   * @param options - The module's options, plus `isGlobal` (register the module globally;
   * `true` by default).
   * @returns The dynamic module to import.
   */
  static forRoot(options: RedisConfigModuleOptions & { isGlobal?: boolean } = {}): DynamicModule {
    // The builder's class names itself as the module: this one carries the providers.
    return this.withRole(ConfigurableModuleClass.forRoot(options), options.node !== false);
  }

  /**
   * The module with options built by a provider, e.g. from `ConfigService`. Whether it is a node
   * is known before the factory runs: give `node: false` here, beside `useFactory`.
   *
   * @param options - Where the options come from, plus `isGlobal` (`true` by default) and `node`.
   * @returns The dynamic module to import.
   *
   * @example
   * ```ts
   * RedisConfigModule.forRootAsync({
   *   imports: [ConfigModule],
   *   inject: [ConfigService],
   *   useFactory: (config: ConfigService) => ({ group: config.get('GROUP') }),
   * });
   * ```
   */
  static forRootAsync(options: RedisConfigModuleAsyncOptions): DynamicModule {
    return this.withRole(ConfigurableModuleClass.forRootAsync(options), options.node !== false);
  }

  private static withRole(definition: DynamicModule, node: boolean): DynamicModule {
    const resolved: Provider = {
      provide: RESOLVED_REDIS_CONFIG_OPTIONS,
      useFactory: (options: RedisConfigModuleOptions) => {
        if (options.node !== undefined && options.node !== node) {
          throw new Error(
            'RedisConfigModule.forRootAsync(): give `node: false` beside useFactory, not in its result',
          );
        }
        return resolveOptions({ ...options, node });
      },
      inject: [REDIS_CONFIG_MODULE_OPTIONS],
    };
    // Getters: Nest reads them when it scans the app, after every file of the app was loaded
    // (a feature module that injects the store may be loaded after the one calling forRoot()).
    return {
      ...definition,
      module: this,
      imports: [...(definition.imports ?? []), ...(node ? [DiscoveryModule] : [])],
      get providers(): Provider[] {
        return [
          ...(definition.providers ?? []),
          resolved,
          ...COMMON_PROVIDERS,
          ...registeredPublisherProviders(),
          ...(node ? NODE_PROVIDERS : []),
        ];
      },
      get exports() {
        return [
          ...COMMON_EXPORTS,
          ...registeredPublisherProviders(),
          ...(node ? [ConfigGroupService] : []),
        ];
      },
    };
  }

  /** Warns when another copy of this package is loaded in the same process. */
  onModuleInit(): void {
    warnOfOtherCopies();
  }
}
