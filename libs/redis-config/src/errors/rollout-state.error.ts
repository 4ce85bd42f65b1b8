/** Why a rollout could not be moved as asked ({@link RolloutStateError.reason}). */
export type RolloutStateProblem =
  /** The group never had a rollout (404). */
  | 'none'
  /** Its latest rollout has ended (409). */
  | 'not-running'
  /** It is still verifying: only a running canary can be promoted (409). */
  | 'verifying'
  /** Someone else moved it between the read and the move (409): read it again. */
  | 'moved';

/** A promote or abort that the rollout's current state does not allow (DESIGN §13). */
export class RolloutStateError extends Error {
  /** Always `'RolloutStateError'`. */
  override readonly name = 'RolloutStateError';

  constructor(
    /** The group. */
    readonly group: string,
    /** What stood in the way. */
    readonly reason: RolloutStateProblem,
    message: string,
  ) {
    super(message);
  }
}

/** A node that refused a candidate, or did not answer in time. */
export interface RolloutRefusal {
  nodeId: string;
  reason: string;
}

/** A rollout the nodes refused while verifying it: nothing changed (DESIGN §13: 422). */
export class RolloutRejectedError extends Error {
  /** Always `'RolloutRejectedError'`. */
  override readonly name = 'RolloutRejectedError';

  constructor(
    /** The group. */
    readonly group: string,
    /** Each refusal. */
    readonly refusals: RolloutRefusal[],
  ) {
    super(
      `Rollout of "${group}" rejected: ${refusals.length} node(s) refused the candidate or ` +
        'did not answer; nothing changed',
    );
  }
}
