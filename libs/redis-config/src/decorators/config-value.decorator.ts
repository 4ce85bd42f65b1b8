/** Registered (`Symbol.for`): a class decorated through one copy of the package is bound by another. */
export const CONFIG_VALUE_METADATA = Symbol.for('@rcc/redis-config:config-value');

/** Options of {@link ConfigValue}. */
export interface ConfigValueOptions<T = unknown> {
  /** Returned while the group does not hold the key (or holds no group). */
  default?: T;
  /** Turns the stored value into what the property returns; run once per version. */
  parse?: (raw: unknown) => T;
}

export interface ConfigValueBinding {
  property: string | symbol;
  key: string;
  options: ConfigValueOptions;
}

/**
 * A live property: reading it returns the current value of `key` in the node's group (or its
 * default). Works on providers and controllers; bound when the module starts.
 */
export function ConfigValue<T = unknown>(
  key: string,
  options: ConfigValueOptions<T> = {},
): PropertyDecorator {
  return (target, property) => {
    const inherited = (Reflect.getMetadata(CONFIG_VALUE_METADATA, target) ??
      []) as ConfigValueBinding[];
    const binding: ConfigValueBinding = { property, key, options: options as ConfigValueOptions };
    Reflect.defineMetadata(CONFIG_VALUE_METADATA, [...inherited, binding], target);
  };
}
