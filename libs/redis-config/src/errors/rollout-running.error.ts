/** A rollout was started for a group that already has one running (DESIGN §13: 409). */
export class RolloutRunningError extends Error {
  /** Always `'RolloutRunningError'`. */
  override readonly name = 'RolloutRunningError';

  constructor(
    /** The group. */
    readonly group: string,
    /** The id of the rollout that runs; empty when it could not be read. */
    readonly rolloutId: string,
  ) {
    super(
      `Config group "${group}" already has a running rollout${rolloutId ? ` (${rolloutId})` : ''}: ` +
        'promote or abort it first',
    );
  }
}
