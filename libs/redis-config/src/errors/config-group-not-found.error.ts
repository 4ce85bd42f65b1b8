/** A group, or a version of it, that the caller named does not exist. */
export class ConfigGroupNotFoundError extends Error {
  override readonly name = 'ConfigGroupNotFoundError';

  constructor(
    readonly group: string,
    readonly version?: number,
  ) {
    super(
      version === undefined
        ? `Config group "${group}" does not exist`
        : `Config group "${group}" has no version ${version} in its history`,
    );
  }
}
