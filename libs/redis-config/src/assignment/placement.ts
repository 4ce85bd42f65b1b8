/**
 * A placement decision as the assign script (`wire/lua/assign.lua.ts`) makes it, atomically in
 * Redis: what a node asks and what it gets. Its TypeScript twin, the test oracle that the
 * property and equivalence tests compare the script with, is `test/placement-oracle/`.
 */

/** `place`: take, keep or replace a place. `rebalance`: the same, plus a voluntary move for balance. */
export type PlacementMode = 'place' | 'rebalance';

export interface PlacementRequest {
  nodeId: string;
  /** The group the node asks for (`DEFAULT_CONFIG_GROUP`): held pinned whenever it exists. */
  requested: string;
  mode: PlacementMode;
  /** Most nodes per group (`RCC_MAX_NODES_PER_GROUP`); 0 = unlimited. */
  capacity: number;
  /** Which groups the node may be placed on. */
  pool: PoolSpec;
}

/**
 * A node's pool: the globs of `RCC_POOL` (see `parseGlobs`; none = every group) minus the groups
 * it never holds as its own (its shared groups). Sent to the script as is: no list of groups.
 */
export interface PoolSpec {
  globs: readonly string[];
  excluded?: readonly string[];
}

/**
 * - `kept`: the node stays on its group; `placed`: it took a group it did not hold (start, its
 *   group deleted, its requested group appeared or freed up); `moved`: a voluntary move for balance;
 * - `none`: it holds nothing (`full`: every group it may hold is at capacity; else none exists).
 */
export type PlacementOutcome = 'kept' | 'placed' | 'moved' | 'none';

export interface Placement {
  group: string | null;
  pinned: boolean;
  full: boolean;
  outcome: PlacementOutcome;
  /** The group whose place the node gave up, when that group still exists (waiters may take it). */
  released: string | null;
}
