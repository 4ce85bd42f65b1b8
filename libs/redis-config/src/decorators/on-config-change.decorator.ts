import { SetMetadata } from '@nestjs/common';

/** Registered (`Symbol.for`): a method decorated through one copy of the package is found by another. */
export const ON_CONFIG_CHANGE_METADATA = Symbol.for('@rcc/redis-config:on-config-change');

export interface OnConfigChangeMetadata {
  key?: string;
}

/**
 * Marks a provider method to be called with the `ConfigChangeEvent` after the node's group
 * changes: any change, or only those that change `key`. Errors it throws are logged.
 */
export const OnConfigChange = (key?: string): MethodDecorator =>
  SetMetadata<symbol, OnConfigChangeMetadata>(ON_CONFIG_CHANGE_METADATA, { key });
