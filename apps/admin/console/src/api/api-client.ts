import { ApiError } from './api-error';
import type {
  AdminInfo,
  AuditEntry,
  AuditFilter,
  ChangeRequest,
  Comparison,
  EnvironmentInfo,
  ConfigDict,
  DeleteResult,
  ErrorBody,
  ExportEntry,
  GroupRecord,
  GroupSummary,
  HistoryEntry,
  ImportResult,
  NodeInfo,
  Session,
} from './api-types';
import type { RolloutStep, RolloutView } from '../rollouts/rollout-types';

/** A downloaded file: its name (from `Content-Disposition`) and content. */
export interface DownloadedFile {
  fileName: string;
  blob: Blob;
}

/**
 * The admin REST API with the bearer token. `onUnauthorized` runs on any 401, so the console
 * can return to the sign-in screen wherever the token was rejected.
 */
export class ApiClient {
  constructor(
    private readonly token: string,
    private readonly onUnauthorized: () => void = () => undefined,
    private readonly baseUrl = 'api',
    /** `?env=` of every call (DESIGN §19); null: the admin's first environment. */
    readonly env: string | null = null,
  ) {}

  /** The same client, in another environment. */
  inEnvironment(env: string | null): ApiClient {
    return new ApiClient(this.token, this.onUnauthorized, this.baseUrl, env);
  }

  environments(): Promise<EnvironmentInfo[]> {
    return this.request('GET', '/environments');
  }

  compare(name: string, from: string, to: string): Promise<Comparison> {
    const query = new URLSearchParams({ from, to });
    return this.request('GET', `/groups/${encodeURIComponent(name)}/compare?${query}`);
  }

  /** A promotion; into a protected environment the answer is a pending change request. */
  promote(
    name: string,
    body: { from: string; to: string; keys: string[]; expectedVersion?: number },
  ): Promise<{ status?: string; id?: string; promotion?: { keys: string[] } }> {
    return this.request('POST', `/groups/${encodeURIComponent(name)}/promote`, body, true);
  }

  /** The change requests of this client's environment. */
  changes(status = ''): Promise<ChangeRequest[]> {
    return this.request('GET', `/changes${status ? `?status=${encodeURIComponent(status)}` : ''}`);
  }

  decideChange(id: string, decision: 'approve' | 'reject' | 'withdraw'): Promise<ChangeRequest> {
    return this.request('POST', `/changes/${encodeURIComponent(id)}/${decision}`);
  }

  info(): Promise<AdminInfo> {
    return this.request('GET', '/info');
  }

  session(): Promise<Session> {
    return this.request('GET', '/session');
  }

  listGroups(search = ''): Promise<GroupSummary[]> {
    const query = search ? `?search=${encodeURIComponent(search)}` : '';
    return this.request('GET', `/groups${query}`);
  }

  /** `reveal`: secrets in clear (admin only; the server audits it). */
  getGroup(name: string, reveal = false): Promise<GroupRecord> {
    return this.request('GET', `/groups/${encodeURIComponent(name)}${revealQuery(reveal)}`);
  }

  createGroup(name: string, config: ConfigDict, comment?: string): Promise<GroupRecord> {
    return this.request('POST', '/groups', { name, config, ...(comment ? { comment } : {}) });
  }

  updateGroup(
    name: string,
    config: ConfigDict,
    expectedVersion: number,
    comment?: string,
  ): Promise<GroupRecord> {
    return this.request('PUT', `/groups/${encodeURIComponent(name)}`, {
      config,
      expectedVersion,
      ...(comment ? { comment } : {}),
    });
  }

  deleteGroup(name: string): Promise<DeleteResult> {
    return this.request('DELETE', `/groups/${encodeURIComponent(name)}`);
  }

  history(name: string, reveal = false): Promise<HistoryEntry[]> {
    return this.request('GET', `/groups/${encodeURIComponent(name)}/history${revealQuery(reveal)}`);
  }

  rollback(name: string, version: number, expectedVersion: number): Promise<GroupRecord> {
    return this.request('POST', `/groups/${encodeURIComponent(name)}/rollback`, {
      version,
      expectedVersion,
    });
  }

  exportGroups(): Promise<ExportEntry[]> {
    return this.request('GET', '/export');
  }

  async downloadExport(): Promise<DownloadedFile> {
    const response = await this.send('GET', '/export');
    return { fileName: fileNameOf(response, 'rcc-export.json'), blob: await response.blob() };
  }

  importGroups(entries: unknown[], dryRun: boolean): Promise<ImportResult> {
    return this.request('POST', `/import?dryRun=${dryRun}`, entries);
  }

  nodes(): Promise<NodeInfo[]> {
    return this.request('GET', '/nodes');
  }

  audit(filter: AuditFilter): Promise<AuditEntry[]> {
    return this.request('GET', `/audit${auditQuery(filter)}`);
  }

  /** The audit log as JSON lines (`format=jsonl`), with the same filters. */
  async downloadAudit(filter: AuditFilter): Promise<DownloadedFile> {
    const query = auditQuery(filter);
    const response = await this.send('GET', `/audit${query ? `${query}&` : '?'}format=jsonl`);
    return { fileName: fileNameOf(response, 'rcc-audit.jsonl'), blob: await response.blob() };
  }

  startRollout(
    name: string,
    body: { config: ConfigDict; expectedVersion: number; steps: RolloutStep[]; comment?: string },
  ): Promise<RolloutView> {
    return this.request('POST', `/groups/${encodeURIComponent(name)}/rollouts`, body);
  }

  /**
   * The group's latest rollout, or null when it never had one: asked as a list (`[]` when none),
   * because `…/current` answers 404 then, and the browser logs every 404 as an error.
   */
  async latestRollout(name: string): Promise<RolloutView | null> {
    const views = await this.request<RolloutView[]>(
      'GET',
      `/groups/${encodeURIComponent(name)}/rollouts`,
    );
    return views[0] ?? null;
  }

  rolloutAction(name: string, action: 'promote' | 'abort'): Promise<RolloutView> {
    return this.request('POST', `/groups/${encodeURIComponent(name)}/rollouts/current/${action}`);
  }

  /**
   * `pendingIsAnswer`: a 202 (a write in a protected environment stored as a change request) is
   * this call's answer; for every other call it is an `ApiError` of status 202, so that no dialog
   * takes a write that did not happen for a saved one.
   */
  private async request<T>(
    method: string,
    path: string,
    body?: unknown,
    pendingIsAnswer = false,
  ): Promise<T> {
    const response = await this.send(method, path, body);
    if (response.status === 202 && !pendingIsAnswer) {
      const change = (await response.json()) as Partial<ChangeRequest>;
      throw new ApiError(202, {
        statusCode: 202,
        error: 'Accepted',
        message: `change request ${change.id ?? ''}`.trim(),
        changeId: change.id,
      });
    }
    return (await response.json()) as T;
  }

  private async send(method: string, path: string, body?: unknown): Promise<Response> {
    const headers: Record<string, string> = {
      Authorization: `Bearer ${this.token}`,
      Accept: 'application/json',
    };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const response = await fetch(`${this.baseUrl}${withEnvironment(path, this.env)}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
      cache: 'no-store',
    });
    if (response.ok) return response;
    const error = new ApiError(response.status, await readErrorBody(response));
    if (error.isUnauthorized) this.onUnauthorized();
    throw error;
  }
}

/** Routes that are the same in every environment: the token's session, the list itself. */
const EVERY_ENVIRONMENT = ['/session', '/environments'];

/** `path` with `env=` added to its query. */
function withEnvironment(path: string, env: string | null): string {
  if (env === null || EVERY_ENVIRONMENT.includes(path)) return path;
  return `${path}${path.includes('?') ? '&' : '?'}env=${encodeURIComponent(env)}`;
}

function revealQuery(reveal: boolean): string {
  return reveal ? '?reveal=true' : '';
}

function auditQuery(filter: AuditFilter): string {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(filter)) {
    if (value !== undefined && value !== '') params.set(name, String(value));
  }
  const query = params.toString();
  return query ? `?${query}` : '';
}

function fileNameOf(response: Response, fallback: string): string {
  const disposition = response.headers.get('Content-Disposition') ?? '';
  return /filename="?([^";]+)"?/i.exec(disposition)?.[1] ?? fallback;
}

async function readErrorBody(response: Response): Promise<ErrorBody | null> {
  try {
    const body: unknown = await response.json();
    return typeof body === 'object' && body !== null && 'message' in body
      ? (body as ErrorBody)
      : null;
  } catch {
    return null;
  }
}
