import { globsMatcher } from '../../src/utils/glob';
import type { Holder } from '../../src/assignment/holder-entry';
import type { Placement, PlacementOutcome, PlacementRequest } from '../../src/assignment/placement';
import { groupLoads, GroupLoads, hasRoom } from './group-loads';
import { byUtf8, tieBreakOffset } from './tie-break';

/** What the decision reads: the existing groups and the places of the live nodes. */
export interface ClusterView {
  groups: ReadonlySet<string>;
  holders: ReadonlyMap<string, Holder>;
}

export interface PlacementResult {
  placement: Placement;
  /** The places after the decision (the input is not modified). */
  holders: Map<string, Holder>;
}

/**
 * The assignment rule, as a pure function. The Lua script `ASSIGN_LUA` is its twin and runs it
 * atomically in Redis on live data; a test feeds both the same inputs and compares the results.
 *
 * 1. The requested group exists → pinned on it, if it has room (a pinned node never shares a
 *    full group: with capacity 1 that would share an exclusive key; it is placed like any other
 *    node instead, and takes its group when a place there frees up).
 * 2. Its current group still exists, is in the pool and within capacity → kept. In `rebalance`
 *    mode, it moves to the least loaded group when its own group is among the most loaded groups
 *    that hold a movable node and is two or more above that group: so only the excess moves.
 * 3. Otherwise, the least loaded pool group with room; ties by the node's offset among the
 *    groups at that load (`leastLoaded`), which the script finds in O(log groups).
 * 4. No such group → none (`full` when a group exists but all are at capacity).
 */
export function decidePlacement(view: ClusterView, request: PlacementRequest): PlacementResult {
  const { nodeId, requested, capacity } = request;
  const holders = new Map(view.holders);
  const own = holders.get(nodeId) ?? null;
  const matches = globsMatcher(request.pool.globs);
  const excluded = new Set(request.pool.excluded ?? []);
  const inPool = (group: string) =>
    view.groups.has(group) && !excluded.has(group) && matches(group);
  const loads = groupLoads(holders.values());

  const hold = (group: string, pinned: boolean, outcome: PlacementOutcome): PlacementResult => {
    holders.set(nodeId, { group, pinned });
    const released = own && own.group !== group && view.groups.has(own.group) ? own.group : null;
    return { placement: { group, pinned, full: false, outcome, released }, holders };
  };

  if (view.groups.has(requested)) {
    if (own?.group === requested) return hold(requested, true, 'kept');
    if (hasRoom(loads.load(requested), capacity)) return hold(requested, true, 'placed');
  }
  const pool = { nodeId, groups: view.groups, inPool, capacity };
  if (own && inPool(own.group) && (capacity === 0 || loads.load(own.group) <= capacity)) {
    const target = request.mode === 'rebalance' ? voluntaryTarget(pool, own.group, loads) : null;
    return target ? hold(target, false, 'moved') : hold(own.group, false, 'kept');
  }
  // Its place is given up before it chooses: its own node no longer counts in its old group.
  holders.delete(nodeId);
  const best = leastLoaded(pool, groupLoads(holders.values()), null);
  if (best) return hold(best.group, false, 'placed');

  const released = own && view.groups.has(own.group) ? own.group : null;
  const full = [...view.groups].some(inPool) || view.groups.has(requested);
  return { placement: { group: null, pinned: false, full, outcome: 'none', released }, holders };
}

/** What the choice of a pool group reads. */
interface PoolView {
  nodeId: string;
  groups: ReadonlySet<string>;
  /** An existing group of the node's pool. */
  inPool(group: string): boolean;
  capacity: number;
}

/** Where a movable node of `from` should go for balance, or null when it should stay. */
function voluntaryTarget(pool: PoolView, from: string, loads: GroupLoads): string | null {
  const fromLoad = loads.load(from);
  // Only the most loaded groups give nodes away: that is what keeps the number of moves minimal.
  let mostLoaded = 0;
  for (const group of pool.groups) {
    if (pool.inPool(group) && loads.hasMovable(group))
      mostLoaded = Math.max(mostLoaded, loads.load(group));
  }
  if (fromLoad < mostLoaded) return null;
  const best = leastLoaded(pool, loads, from);
  return best && fromLoad - best.load >= 2 ? best.group : null;
}

/**
 * The least loaded pool group with room (`except` left out). Ties: the groups at that load in
 * name order (every existing group, as in the script's index), from the node's `tieBreakOffset`
 * on, wrapping; the first pool group there.
 */
function leastLoaded(
  pool: PoolView,
  loads: GroupLoads,
  except: string | null,
): { group: string; load: number } | null {
  const eligible = (group: string) => group !== except && pool.inPool(group);
  let least: number | null = null;
  for (const group of pool.groups) {
    if (eligible(group) && (least === null || loads.load(group) < least)) least = loads.load(group);
  }
  if (least === null || !hasRoom(least, pool.capacity)) return null;
  const tied = [...pool.groups].filter((group) => loads.load(group) === least).sort(byUtf8);
  const start = tieBreakOffset(pool.nodeId, tied.length);
  for (let i = 0; i < tied.length; i++) {
    const group = tied[(start + i) % tied.length];
    if (eligible(group)) return { group, load: least };
  }
  return null;
}
