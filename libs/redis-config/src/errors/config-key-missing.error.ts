/** `getOrThrow(key)` on a key that the current group does not hold. */
export class ConfigKeyMissingError extends Error {
  override readonly name = 'ConfigKeyMissingError';

  constructor(
    readonly key: string,
    readonly group: string | null,
  ) {
    super(
      group === null
        ? `Config key "${key}" is not available: this node holds no config group`
        : `Config key "${key}" is not set in config group "${group}"`,
    );
  }
}
