import { EMPTY, Observable } from 'rxjs';
import type { GroupHolding } from '../wire/group-holding';
import type { NodeCheck } from '../wire/node-check';
import type { SharedGroupVersion } from '../wire/shared-group-version';
import type { PlacementMode } from './placement';

/** What a node knows when it asks which group to hold. */
export interface AssignmentContext {
  nodeId: string;
  /** The group the node asks for (`DEFAULT_CONFIG_GROUP`). */
  requested: string;
  /** The group it holds now, if any. */
  held: string | null;
  /** `rebalance` also allows a voluntary move for balance; `place` (default) only what must change. */
  mode?: PlacementMode;
}

/**
 * Which group a node should hold. `group: null` with `full: true` means every group of the pool
 * is at capacity (the node must hold none); with `full: false`, that no group exists at all (the
 * node keeps serving its last good group).
 */
export interface GroupDecision {
  group: string | null;
  pinned: boolean;
  full: boolean;
  /**
   * The stored JSON of `group`, when the assigner read it with its decision (one round trip
   * instead of two, and no write can slip in between); absent: the node reads it itself.
   */
  record?: string | null;
}

/**
 * The seam between a node and the placement policy. The node asks `decide` whenever its group may
 * have to change (start, reconnect, deletion, a new group, and whenever `requests()` asks it to)
 * and calls `release` when it stops.
 */
export abstract class GroupAssigner {
  abstract decide(context: AssignmentContext): Promise<GroupDecision>;

  /** Gives up the node's place (clean shutdown). */
  async release(): Promise<void> {}

  /**
   * The number of groups, seen by the periodic check: it tells groups that came or went without
   * an event (a plain HSET/HDEL by the old project, an event missed while reconnecting).
   */
  groupCountSeen(_count: number): void {}

  /** When the policy wants the node to decide again: to take a place, or to rebalance. */
  requests(): Observable<PlacementMode> {
    return EMPTY;
  }

  /**
   * The node's periodic checks, when the assigner runs them with a periodic call of its own (the
   * heartbeat of its lease): one Redis call per period instead of two or three.
   */
  checks(): Observable<NodeCheck> {
    return EMPTY;
  }

  /**
   * True while `checks()` emits at least every `refreshMs` (the lease is kept); otherwise the node
   * runs its check itself (`NODE_TICK_LUA`), so a process that keeps no lease keeps its safety net.
   */
  get checking(): boolean {
    return false;
  }
}

/**
 * What an assigner may read of the node it places: the group held now and how, and a stream that
 * ticks on every change of it. The node's state provides it; the assigner never sees the rest.
 */
export abstract class HeldPlace {
  abstract readonly current: { readonly name: string; readonly version: number } | null;
  abstract readonly holding: GroupHolding;
  /** The shared groups the node follows (reported, never held as its own group). */
  abstract readonly shared: readonly SharedGroupVersion[];
  abstract readonly changes: Observable<unknown>;
}
