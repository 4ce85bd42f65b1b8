/** The REST shapes of the admin service (`/api`), as the console reads them. */

export type ConfigDict = Record<string, unknown>;

export interface GroupSummary {
  name: string;
  version: number;
  keyCount: number;
  updatedAt: string | null;
  nodeCount: number;
  /** Live nodes following it as a shared group (absent from admins before shared groups). */
  sharedNodeCount?: number;
  /** Ids of the nodes holding it (when the server lists them). */
  nodes?: string[];
}

export interface GroupRecord {
  name: string;
  version: number;
  config: ConfigDict;
  updatedAt: string | null;
  author: string | null;
  comment: string | null;
  /**
   * Masked answers: a keyed digest per secret key (equal digests, same value), so a diff can tell
   * that a secret changed even when both masks read "••••".
   */
  secretDigests?: Record<string, string>;
}

export interface HistoryEntry extends GroupRecord {
  current: boolean;
}

export interface DeleteResult {
  name: string;
  deleted: true;
  /** The nodes that held the group (the shared REST shape). */
  movedNodes?: string[];
  /** The same list under the name an earlier admin build used. */
  reassignedNodes?: string[];
  /** The nodes that followed it as a shared group, and the admin's warning about them. */
  sharedNodes?: string[];
  sharedNodeCount?: number;
  warning?: string | null;
}

/** One group of the old project's export file. */
export interface ExportEntry {
  group_name: string;
  group_version?: number;
  config_dict: ConfigDict | null;
}

export type ImportAction = 'create' | 'update' | 'unchanged';

export interface ImportPlanEntry {
  name: string;
  action: ImportAction;
  currentVersion: number | null;
  newVersion: number | null;
}

export interface ImportResult {
  dryRun: boolean;
  applied: boolean;
  created: string[];
  updated: string[];
  unchanged: string[];
  entries: ImportPlanEntry[];
}

export interface SharedGroupVersion {
  name: string;
  version: number | null;
}

/** The nodes following `group` as a shared group. */
export function sharedFollowers(nodes: NodeInfo[], group: string): string[] {
  return nodes
    .filter((node) => (node.shared ?? []).some((shared) => shared.name === group))
    .map((node) => node.id);
}

export type NodeHolding = 'pinned' | 'assigned' | 'none';

export interface NodeInfo {
  id: string;
  address: string;
  requestedGroup: string;
  group: string | null;
  version: number | null;
  holding: NodeHolding;
  pinned?: boolean;
  /** Its shared groups (RCC_SHARED_GROUPS), lowest precedence first; version null: missing. */
  shared?: SharedGroupVersion[];
  heartbeatAt: string;
  leaseExpiresAt: string;
  /** When it applied the version it runs (the node's clock); null or absent when not told. */
  appliedAt?: string | null;
}

export interface AdminInfo {
  mode: 'standalone' | 'sentinel' | 'cluster' | 'shared';
  /** The Redis server (standalone), the first sentinel, or the first cluster node. */
  host: string | null;
  port: number | null;
  db: number;
  /** Every configured address (sentinels or cluster nodes), as `host:port`. */
  endpoints?: string[];
  sentinelName?: string | null;
  tls?: boolean;
  namespace: string;
  environment: string;
  connected?: boolean;
}

export interface InputProblem {
  field: string;
  message: string;
}

/** The admin service's error body. */
export interface ErrorBody {
  statusCode: number;
  error: string;
  message: string;
  /** 400: bad fields; 422 of a rollout: `{ nodeId, reason }` per node. */
  problems?: InputProblem[];
  currentVersion?: number | null;
  actualVersion?: number | null;
  /** 202 (the console's own): the change request a write in a protected environment made. */
  changeId?: string;
}

/** What a token may do (DESIGN §14); each role includes the ones before it. */
export type AdminRole = 'reader' | 'writer' | 'admin';

/** `GET /api/session`: who the console's token is. */
export interface Session {
  label: string;
  role: AdminRole;
}

export const AUDIT_ACTIONS = [
  'created',
  'published',
  'deleted',
  'rolled-back',
  'imported',
  'import-previewed',
  'rollout-started',
  'rollout-step',
  'rollout-promoted',
  'rollout-aborted',
  'rollout-rolled-back',
  'promoted',
  'change-requested',
  'change-approved',
  'change-rejected',
  'change-withdrawn',
  'change-applied',
  'revealed',
  'refused',
] as const;

export type AuditAction = (typeof AUDIT_ACTIONS)[number];

/** One entry of `GET /api/audit`: never a value, never a token. */
export interface AuditEntry {
  at: string;
  action: AuditAction;
  actor: string | null;
  role: AdminRole | null;
  address: string | null;
  method: string;
  path: string;
  status: number;
  group: string | null;
  fromVersion: number | null;
  toVersion: number | null;
  keys: string[];
  groups?: string[];
}

/** The filters of `GET /api/audit`; empty fields are left out of the query. */
export interface AuditFilter {
  group?: string;
  actor?: string;
  action?: AuditAction;
  limit?: number;
}

export type KeyStatus = 'added' | 'removed' | 'changed' | 'same';
export type ChangeStatus =
  'pending' | 'applying' | 'applied' | 'stale' | 'failed' | 'rejected' | 'withdrawn';
export type ChangeAction = 'publish' | 'delete' | 'rollback' | 'import' | 'rollout' | 'promote';

/** One environment the admin serves (`GET /api/environments`). */
export interface EnvironmentInfo {
  name: string;
  namespace: string;
  protected: boolean;
}

/** `GET /api/groups/:name/compare`: a secret key has no values. */
export interface Comparison {
  from: { env: string; version: number | null };
  to: { env: string; version: number | null };
  keys: { key: string; status: KeyStatus; secret: boolean; from?: unknown; to?: unknown }[];
}

/** A change request of a protected environment (202 of a write there). */
export interface ChangeRequest {
  id: string;
  status: ChangeStatus;
  env: string;
  action: ChangeAction;
  group: string | null;
  groups?: string[];
  author: string;
  baseVersion: number | null;
  diff: { key: string; status: KeyStatus; secret: boolean; from?: unknown; to?: unknown }[];
  createdAt: string;
  decidedBy: string | null;
  outcome: string | null;
}
