import type { ConfigDict } from '../wire/config-group-record';

/** An immutable snapshot of the group a node holds. */
export interface ConfigGroup {
  /** The group's name. */
  readonly name: string;
  /** Its version: each write of the group raises it by one. */
  readonly version: number;
  /** Its settings, frozen all the way down. */
  readonly config: Readonly<ConfigDict>;
}

/**
 * Why a node's group changed:
 * - `loaded`: first load from Redis; `snapshot`: started on the snapshot file;
 * - `updated`: a new version of the same group; `rollback`: an earlier content republished;
 * - `deleted`: its group was deleted (it moved, or keeps the last good one if none is left);
 * - `assigned` / `reassigned`: placed on a group of the pool / moved for balance;
 * - `unassigned`: it holds no group (every group of the pool is full);
 * - `rejected`: a new version failed `validate` or could not be read; the node kept its group;
 * - `canary`: this node was chosen to run a rollout's candidate before the rest (DESIGN §13).
 */
export type ConfigChangeReason =
  | 'loaded'
  | 'snapshot'
  | 'updated'
  | 'rollback'
  | 'deleted'
  | 'assigned'
  | 'reassigned'
  | 'unassigned'
  | 'rejected'
  | 'canary';

/**
 * One source of a node's effective config: a shared group (`RCC_SHARED_GROUPS`) or its own group.
 */
export interface ConfigSource {
  /** The group's name. */
  readonly name: string;
  /** The version the node runs; null for a shared group that does not exist (it gives nothing). */
  readonly version: number | null;
  /** True for a shared group, false for the node's own group. */
  readonly shared: boolean;
}

/**
 * One change of the node's effective config, as `changes$`, `onChange` and `@OnConfigChange` see
 * it: of its own group, or of one of its shared groups (`source`).
 */
export interface ConfigChangeEvent {
  /** The own group held before; null when the node held none (e.g. at the first load). */
  previous: ConfigGroup | null;
  /** The own group held now; null when the node holds none. */
  current: ConfigGroup | null;
  /** Why it changed. */
  reason: ConfigChangeReason;
  /**
   * Keys of the effective config added, removed or changed (a key that the own group shadows does
   * not change when only a shared group does).
   */
  changedKeys: string[];
  /**
   * The group whose change this is: the own group (`shared: false`), or a shared group whose
   * `current` and `previous` are then the unchanged own group. Null when the node holds no group
   * and the change is of its own place (`unassigned`).
   */
  source: ConfigSource | null;
  /** With `rejected`: what was refused and why. */
  rejected?: { name: string; version: number; error: string };
}

/** A function called after each change of the node's group (see `ConfigGroupService.onChange`). */
export type ConfigChangeListener = (event: ConfigChangeEvent) => void;

/** Makes a group snapshot immutable all the way down, so no reader can change what others see. */
export function frozenGroup(name: string, version: number, config: ConfigDict): ConfigGroup {
  return Object.freeze({ name, version, config: deepFreeze(config) });
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const key of Object.keys(value)) deepFreeze((value as ConfigDict)[key]);
  }
  return value;
}
