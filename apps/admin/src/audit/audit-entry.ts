import type { AdminRole } from '../auth/admin-role';

/** What an audit entry records (DESIGN §14): every write, every reveal, every refused request. */
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

/**
 * One entry of the audit log. Never a value of a config: the keys that changed, by name only,
 * and never a token: the token's label.
 */
export interface AuditEntry {
  /** ISO time, set by the admin when it records the entry. */
  at: string;
  action: AuditAction;
  /** The token's label; null for a request without a known token. */
  actor: string | null;
  role: AdminRole | null;
  /** The client's address, as Express sees it (`trust proxy` decides whether that is the proxy). */
  address: string | null;
  method: string;
  path: string;
  /** HTTP status of the answer. */
  status: number;
  /** The group concerned; null for an import or a request on no group. */
  group: string | null;
  /** The version before and after a write (null when none: a creation, a delete). */
  fromVersion: number | null;
  toVersion: number | null;
  /** Top-level keys added, removed or changed by the write (names only). */
  keys: string[];
  /** An import: the groups it created or changed. */
  groups?: string[];
}
