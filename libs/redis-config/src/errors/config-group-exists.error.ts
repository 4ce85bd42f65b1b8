/** A create was asked for a group name that is already taken. */
export class ConfigGroupExistsError extends Error {
  override readonly name = 'ConfigGroupExistsError';

  constructor(readonly group: string) {
    super(`Config group "${group}" already exists`);
  }
}
