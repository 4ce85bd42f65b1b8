import { Inject, Injectable, Logger, OnModuleDestroy, OnModuleInit, Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ConfigChangeEvent } from '../node/config-change';
import { ConfigGroupService } from '../node/config-group.service';
import type { ConfigDict } from '../wire/config-group-record';
import { RESOLVED_REDIS_CONFIG_OPTIONS } from '../options/redis-config.constants';
import type { ResolvedRedisConfigOptions } from '../options/redis-config.options';
import {
  CONFIGURATION_TOKEN,
  configServiceChanges,
  ConfigServiceChanges,
  ConfigServiceReader,
} from './config-service.surface';

const OPTION = 'configServiceNamespace (RCC_CONFIG_SERVICE_NAMESPACE)';
const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * DESIGN §17: the node's config behind `@nestjs/config`'s `ConfigService`, under the namespace,
 * for an app written against `ConfigService`. A top layer: it reads the node through the public
 * `ConfigGroupService` only.
 *
 * How: the namespace is one property of the object `ConfigService` reads `load` / `registerAs`
 * namespaces from, a getter returning the current group (a frozen null-prototype copy made once
 * per group), so `get('rcc.<key>')` is live, and undefined once the key is removed, whoever asks
 * and whenever (even a listener that hears of the change before this bridge). Not
 * `ConfigService.set()`: it also writes `process.env[path] = String(value)`, which would hand the
 * group's values (API keys) to every child process, and on 3.x its `cache: true` entries would
 * shadow later values. The cache cannot go stale instead: `ConfigService` caches only what it read
 * from `process.env`, and nothing here is there. Each change is emitted on `ConfigService.changes$`
 * as `set()` would emit it (`{ path: 'rcc.<key>', oldValue, newValue }`).
 */
@Injectable()
export class ConfigServiceBridge implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RedisConfig');
  private mirror: { config: ConfigDict; view: Readonly<Record<string, unknown>> } | null = null;
  /** The effective config `changes$` last reported from: the old values of the next change. */
  private reported: ConfigDict = {};
  private host: Record<string, unknown> | null = null;
  private subscription: Subscription | null = null;

  constructor(
    private readonly groups: ConfigGroupService,
    private readonly moduleRef: ModuleRef,
    @Inject(RESOLVED_REDIS_CONFIG_OPTIONS) private readonly options: ResolvedRedisConfigOptions,
  ) {}

  onModuleInit(): void {
    const namespace = this.options.configServiceNamespace;
    if (!namespace) return;
    const configService = this.findConfigService(namespace);
    const host = this.moduleRef.get<Record<string, unknown>>(CONFIGURATION_TOKEN, {
      strict: false,
    });
    if (hasOwn(host, namespace)) {
      throw new Error(
        `${OPTION} is "${namespace}", but ConfigService already has a "${namespace}" namespace ` +
          '(registerAs / load): choose another name',
      );
    }
    Object.defineProperty(host, namespace, {
      configurable: true,
      enumerable: true,
      get: () => this.view(),
    });
    if (configService.get(namespace) !== this.view()) {
      delete host[namespace];
      throw new Error(
        `${OPTION} is "${namespace}", but ConfigService.get("${namespace}") reads something else ` +
          '(an environment variable of that name?): choose another name',
      );
    }
    this.host = host;
    const changes = configServiceChanges(configService);
    this.reported = this.groups.getEffectiveConfig();
    if (changes) {
      this.subscription = this.groups.changes$.subscribe((event) =>
        this.emit(changes, namespace, event),
      );
    } else if ('changes$' in configService) {
      this.logger.warn(
        'This @nestjs/config keeps ConfigService.changes$ where the bridge does not know it: ' +
          'values are mirrored, but changes$ does not emit them',
      );
    }
    this.logger.log(`The config group is mirrored into ConfigService under "${namespace}"`);
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
    const namespace = this.options.configServiceNamespace;
    if (this.host && namespace) delete this.host[namespace];
  }

  /** The app's `ConfigService`, loading `@nestjs/config` only now that the option asks for it. */
  private findConfigService(namespace: string): ConfigServiceReader {
    let configServiceClass: Type<ConfigServiceReader>;
    try {
      configServiceClass = (
        require('@nestjs/config') as { ConfigService: Type<ConfigServiceReader> }
      ).ConfigService;
    } catch {
      throw new Error(`${OPTION} is "${namespace}", but @nestjs/config is not installed`);
    }
    try {
      return this.moduleRef.get(configServiceClass, { strict: false });
    } catch {
      throw new Error(
        `${OPTION} is "${namespace}", but the application has no ConfigService: ` +
          'import ConfigModule.forRoot() in it, or unset the option',
      );
    }
  }

  /** The node's effective config (shared groups, own group on top), copied once per change. */
  private view(): Readonly<Record<string, unknown>> {
    const config = this.groups.getEffectiveConfig();
    if (this.mirror?.config !== config) {
      // Null prototype: `get('rcc.constructor')` is undefined, like a key the group lacks.
      const view = Object.freeze(Object.assign(Object.create(null), config));
      this.mirror = { config, view };
    }
    return this.mirror!.view;
  }

  private emit(changes: ConfigServiceChanges, namespace: string, event: ConfigChangeEvent): void {
    const before = this.reported;
    const after = this.groups.getEffectiveConfig();
    this.reported = after;
    const valueIn = (config: ConfigDict, key: string) =>
      hasOwn(config, key) ? config[key] : undefined;
    for (const key of event.changedKeys) {
      changes.next({
        path: `${namespace}.${key}`,
        oldValue: valueIn(before, key),
        newValue: valueIn(after, key),
      });
    }
  }
}
