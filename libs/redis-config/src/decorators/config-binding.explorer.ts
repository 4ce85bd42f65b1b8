import { Injectable, Logger, OnModuleDestroy, OnModuleInit } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import type { Subscription } from 'rxjs';
import type { ConfigChangeEvent } from '../node/config-change';
import type { ConfigDict } from '../wire/config-group-record';
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

  /**
   * A `@ConfigValue` property is a plain, read-only data property that the node rewrites when its
   * key changes (before any change listener runs): a read is an ordinary property load.
   */
  private bindValues(instance: object): void {
    const bindings = Reflect.getMetadata(CONFIG_VALUE_METADATA, instance) as
      ConfigValueBinding[] | undefined;
    if (!bindings?.length) return;
    for (const binding of bindings) {
      this.setValue(instance, binding);
      this.state.beforeChange((event) => {
        if (event.changedKeys.includes(binding.key)) this.setValue(instance, binding);
      });
    }
    // Redefining a class field (ES2022 emits `@ConfigValue` properties as fields) can send the
    // instance to V8's slow dictionary mode; using it once as a prototype gives it fast properties.
    Object.setPrototypeOf({}, instance);
  }

  private setValue(instance: object, binding: ConfigValueBinding): void {
    Object.defineProperty(instance, binding.property, {
      value: this.valueOf(binding, this.state.effective),
      writable: false,
      enumerable: true,
      configurable: true,
    });
  }

  /** The property's value in the effective config: the stored value, parsed, or the default. */
  private valueOf({ key, options }: ConfigValueBinding, config: Readonly<ConfigDict>): unknown {
    if (!hasOwn(config, key)) return options.default;
    if (!options.parse) return config[key];
    try {
      return options.parse(config[key]);
    } catch (error) {
      this.logger.error(
        `@ConfigValue('${key}'): parse failed, using the default: ${(error as Error).message}`,
      );
      return options.default;
    }
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
    const fail = (error: unknown) => {
      this.logger.error(
        `@OnConfigChange ${instance.constructor.name}.${name} failed: ${String(error)}`,
      );
      this.state.listenerFailures.next({ event, error });
    };
    try {
      const result = method.call(instance, event);
      if (result instanceof Promise) result.catch(fail);
    } catch (error) {
      fail(error);
    }
  }
}
