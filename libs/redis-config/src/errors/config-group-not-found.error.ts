/** A group, or a version of it, that the caller named does not exist. */
export class ConfigGroupNotFoundError extends Error {
  /** Always `'ConfigGroupNotFoundError'`. */
  override readonly name = 'ConfigGroupNotFoundError';

  constructor(
    /** The group named. */
    readonly group: string,
    /** The version asked for, when the group exists but its history lacks that version. */
    readonly version?: number,
  ) {
    super(
      version === undefined
        ? `Config group "${group}" does not exist`
        : `Config group "${group}" has no version ${version} in its history`,
    );
  }
}
