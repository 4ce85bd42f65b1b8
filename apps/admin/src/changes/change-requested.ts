import type { ChangeRequest } from './change-request';

/**
 * Thrown by a write in a protected environment once its change request is stored: the error
 * filter answers it as 202 with the request (a message pattern replies with it), never an error.
 */
export class ChangeRequested extends Error {
  override readonly name = 'ChangeRequested';

  constructor(readonly change: ChangeRequest) {
    super(`Change request ${change.id} is pending approval in ${change.env}`);
  }
}
