/** A write carried an `expectedVersion` that is no longer the stored one: someone else wrote first. */
export class ConfigVersionConflictError extends Error {
  override readonly name = 'ConfigVersionConflictError';

  constructor(
    readonly group: string,
    readonly expectedVersion: number | null,
    readonly actualVersion: number | null,
  ) {
    super(
      `Config group "${group}" is at version ${actualVersion ?? 'none (absent)'}, ` +
        `not the expected ${expectedVersion ?? 'none (absent)'}: reload it and try again`,
    );
  }
}
