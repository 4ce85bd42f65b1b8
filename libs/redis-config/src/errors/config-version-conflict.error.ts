/** A write carried an `expectedVersion` that is no longer the stored one: someone else wrote first. */
export class ConfigVersionConflictError extends Error {
  /** Always `'ConfigVersionConflictError'`. */
  override readonly name = 'ConfigVersionConflictError';

  constructor(
    /** The group written. */
    readonly group: string,
    /** The version the caller expected; null when it expected the group to be absent. */
    readonly expectedVersion: number | null,
    /** The version stored now; null when the group is absent. */
    readonly actualVersion: number | null,
  ) {
    super(
      `Config group "${group}" is at version ${actualVersion ?? 'none (absent)'}, ` +
        `not the expected ${expectedVersion ?? 'none (absent)'}: reload it and try again`,
    );
  }
}
