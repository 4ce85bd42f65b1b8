import type { ErrorBody, InputProblem } from './api-types';

/** A failed API call: the HTTP status and the admin service's error body. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: number,
    readonly body: ErrorBody | null,
  ) {
    super(body?.message ?? `HTTP ${status}`);
  }

  get problems(): InputProblem[] {
    return this.body?.problems ?? [];
  }

  /** For a 409 on a stale version: the version stored now, when the server said it. */
  get currentVersion(): number | null {
    return this.body?.currentVersion ?? this.body?.actualVersion ?? null;
  }

  /** A write in a protected environment, stored as a change request instead of applied (202). */
  get changeRequestId(): string | null {
    return this.status === 202 ? (this.body?.changeId ?? '') : null;
  }

  get isUnauthorized(): boolean {
    return this.status === 401;
  }

  /** A known token whose role is too low for the call (the server still decides every call). */
  get isForbidden(): boolean {
    return this.status === 403;
  }

  get isConflict(): boolean {
    return this.status === 409;
  }
}

/** Network failures (admin service down) have no status: 0. */
export function toApiError(error: unknown): ApiError {
  if (error instanceof ApiError) return error;
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(0, { statusCode: 0, error: 'Network error', message });
}
