/** `getOrThrow(key)` on a key that the current group does not hold. */
export class ConfigKeyMissingError extends Error {
  /** Always `'ConfigKeyMissingError'`. */
  override readonly name = 'ConfigKeyMissingError';

  constructor(
    /** The key asked for. */
    readonly key: string,
    /** The group the node holds; null when it holds none. */
    readonly group: string | null,
  ) {
    super(
      group === null
        ? `Config key "${key}" is not available: this node holds no config group`
        : `Config key "${key}" is not set in config group "${group}"`,
    );
  }
}
