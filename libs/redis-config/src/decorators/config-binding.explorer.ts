import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ConfigChangeEvent, ConfigGroup } from '../node/config-change';
import { NodeState } from '../node/node-state';
import { CONFIG_VALUE_METADATA, ConfigValueBinding } from './config-value.decorator';
import { ON_CONFIG_CHANGE_METADATA, OnConfigChangeMetadata } from './on-config-change.decorator';

const hasOwn = (object: object, key: string) => Object.prototype.hasOwnProperty.call(object, key);

/**
 * Finds `@ConfigValue` properties and `@OnConfigChange` methods on every provider and controller
 * (the `@nestjs/schedule` way: DiscoveryService + MetadataScanner) and binds them to this node.
 */
@Injectable()
export class ConfigBindingExplorer implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('RedisConfig');
  private readonly subscriptions: Subscription[] = [];

  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly state: NodeState,
  ) {}

  onModuleInit(): void {
    const wrappers = [...this.discovery.getProviders(), ...this.discovery.getControllers()];
    for (const wrapper of wrappers) {
      const instance: unknown = wrapper.instance;
      if (!wrapper.isDependencyTreeStatic() || !instance || typeof instance !== 'object') continue;
      this.bindValues(instance);
      this.bindListeners(instance);
    }
  }

  onModuleDestroy(): void {
    for (const subscription of this.subscriptions) subscription.unsubscribe();
  }

  private bindValues(instance: object): void {
    const bindings = Reflect.getMetadata(CONFIG_VALUE_METADATA, instance) as
      ConfigValueBinding[] | undefined;
    for (const binding of bindings ?? []) {
      Object.defineProperty(instance, binding.property, {
        get: this.valueReader(binding),
        enumerable: true,
        configurable: true,
      });
    }
  }

  /** A getter cached per group snapshot: one identity check per read while nothing changes. */
  private valueReader({ key, options }: ConfigValueBinding): () => unknown {
    let seen: ConfigGroup | null | undefined;
    let value: unknown;
    return () => {
      const group = this.state.current;
      if (group === seen) return value;
      seen = group;
      const config = group?.config;
      if (!config || !hasOwn(config, key)) value = options.default;
      else if (!options.parse) value = config[key];
      else {
        try {
          value = options.parse(config[key]);
        } catch (error) {
          this.logger.error(
            `@ConfigValue('${key}'): parse failed, using the default: ${(error as Error).message}`,
          );
          value = options.default;
        }
      }
      return value;
    };
  }

  private bindListeners(instance: object): void {
    const prototype = Object.getPrototypeOf(instance) as object;
    for (const methodName of this.scanner.getAllMethodNames(prototype)) {
      const method = (instance as Record<string, unknown>)[methodName];
      if (typeof method !== 'function') continue;
      const metadata = this.reflector.get<OnConfigChangeMetadata | undefined>(
        ON_CONFIG_CHANGE_METADATA,
        method,
      );
      if (!metadata) continue;
      const subscription = this.state.changes.subscribe((event: ConfigChangeEvent) => {
        if (event.reason === 'rejected') return;
        if (metadata.key !== undefined && !event.changedKeys.includes(metadata.key)) return;
        this.call(instance, methodName, method as (event: ConfigChangeEvent) => unknown, event);
      });
      this.subscriptions.push(subscription);
    }
  }

  private call(
    instance: object,
    name: string,
    method: (event: ConfigChangeEvent) => unknown,
    event: ConfigChangeEvent,
  ): void {
    const fail = (error: unknown) =>
      this.logger.error(
        `@OnConfigChange ${instance.constructor.name}.${name} failed: ${String(error)}`,
      );
    try {
      const result = method.call(instance, event);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}
