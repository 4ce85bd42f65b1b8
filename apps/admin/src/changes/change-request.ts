import type { ConfigDict } from '@rcc/redis-config';
import type { RolloutStep } from '@rcc/redis-config/publisher';
import type { KeyStatus } from '../environments/compare-configs';

/** What a change request would do (DESIGN §19): every kind of write. */
export const CHANGE_ACTIONS = [
  'publish',
  'delete',
  'rollback',
  'import',
  'rollout',
  'promote',
] as const;
export type ChangeAction = (typeof CHANGE_ACTIONS)[number];

/**
 * `pending` until decided; `applying` while its approver applies it (one approver only: an atomic
 * transition); then `applied`, `stale` (the group moved since it was made), or `failed` (refused
 * when applied: a rollout the nodes rejected, …). `rejected` and `withdrawn` are never applied.
 */
export const CHANGE_STATUSES = [
  'pending',
  'applying',
  'applied',
  'stale',
  'failed',
  'rejected',
  'withdrawn',
] as const;
export type ChangeStatus = (typeof CHANGE_STATUSES)[number];

/** One key of a change's diff; a secret key's values are never in it. */
export interface ChangeDiffEntry {
  key: string;
  status: Exclude<KeyStatus, 'same'>;
  secret: boolean;
  from?: unknown;
  to?: unknown;
}

/** What is applied on approval; secret values sealed when the environment has RCC_ENCRYPTION_KEY. */
export interface ChangePayload {
  config?: ConfigDict;
  /** Keys of `config` whose values are sealed (encrypted with the environment's key ring). */
  sealedKeys?: string[];
  /** `rollback`: the version to publish again. */
  version?: number;
  /** `rollout` (or a promote with steps). */
  steps?: RolloutStep[];
  /** `import`: the groups of the file, each with its config (sealed as above, per group). */
  entries?: { group: string; version: number; config: ConfigDict; sealedKeys?: string[] }[];
  /** `import`: the version of each group of the file when the request was made (null: absent). */
  baseVersions?: Record<string, number | null>;
  comment?: string;
}

/** A change request as stored and shown (the payload is never shown). */
export interface ChangeRequest {
  id: string;
  status: ChangeStatus;
  env: string;
  action: ChangeAction;
  /** null for an import (see `groups`). */
  group: string | null;
  groups?: string[];
  author: string;
  /** The version it was made against (null: the group did not exist). */
  baseVersion: number | null;
  diff: ChangeDiffEntry[];
  comment: string | null;
  createdAt: string;
  decidedBy: string | null;
  decidedAt: string | null;
  /** Why it is stale or failed, or what applying it wrote. */
  outcome: string | null;
  appliedVersion: number | null;
}
