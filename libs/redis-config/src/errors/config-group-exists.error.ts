/** A create was asked for a group name that is already taken. */
export class ConfigGroupExistsError extends Error {
  /** Always `'ConfigGroupExistsError'`. */
  override readonly name = 'ConfigGroupExistsError';

  constructor(
    /** The name that is taken. */
    readonly group: string,
  ) {
    super(`Config group "${group}" already exists`);
  }
}
