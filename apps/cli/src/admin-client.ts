import { CliError, EXIT_INVALID_INPUT } from './cli-error';

/** Where the rollout commands reach the admin service (it drives rollouts: DESIGN §13). */
export interface AdminTarget {
  /** `ADMIN_URL` / `--admin-url`: the admin service's base URL. */
  url: string;
  /** `ADMIN_TOKEN`: a bearer token with the `writer` role (reads need `reader`). */
  token: string | undefined;
  timeoutMs: number;
}

/** The JSON error body of the admin (`statusCode`, `message`, `problems`). */
interface ErrorBody {
  statusCode?: number;
  message?: string;
  problems?: { field?: string; nodeId?: string; message?: string; reason?: string }[];
}

/**
 * A small client of the admin's REST API, for the commands that need the admin's state machine.
 * Errors become `CliError`s naming the status and the admin's message (never the token).
 */
export class AdminClient {
  private readonly base: URL;

  constructor(private readonly target: AdminTarget) {
    try {
      this.base = new URL(target.url);
    } catch {
      throw new CliError(
        `ADMIN_URL is not a URL: ${JSON.stringify(target.url)}`,
        EXIT_INVALID_INPUT,
      );
    }
    if (this.base.protocol !== 'http:' && this.base.protocol !== 'https:')
      throw new CliError('ADMIN_URL must be an http:// or https:// URL', EXIT_INVALID_INPUT);
    if (!target.token)
      throw new CliError(
        'ADMIN_TOKEN is not set: this command calls the admin service',
        EXIT_INVALID_INPUT,
      );
  }

  get description(): string {
    return this.base.origin;
  }

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    let response: Response;
    try {
      response = await fetch(new URL(path, this.base), {
        method,
        headers: {
          authorization: `Bearer ${this.target.token}`,
          ...(body === undefined ? {} : { 'content-type': 'application/json' }),
        },
        body: body === undefined ? undefined : JSON.stringify(body),
        signal: AbortSignal.timeout(this.target.timeoutMs),
      });
    } catch (error) {
      throw new CliError(
        `cannot reach the admin at ${this.description}: ${(error as Error).message}`,
      );
    }
    const text = await response.text();
    let parsed: unknown = null;
    try {
      parsed = text ? JSON.parse(text) : null;
    } catch {
      parsed = null;
    }
    if (!response.ok) {
      const error = (parsed ?? {}) as ErrorBody;
      const problems = (error.problems ?? []).map((problem) => ({
        field: problem.field ?? problem.nodeId ?? '?',
        message: problem.message ?? problem.reason ?? '',
      }));
      throw new CliError(
        `${response.status}: ${error.message ?? response.statusText}`,
        response.status === 400 ? EXIT_INVALID_INPUT : 1,
        problems,
      );
    }
    return parsed as T;
  }
}
