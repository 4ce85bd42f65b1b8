import { groupLoads, GroupLoads, hasRoom } from './group-loads';
import type { Holder } from './holder-entry';
import { rendezvousScore } from './rendezvous';

/** `place`: take, keep or replace a place. `rebalance`: the same, plus a voluntary move for balance. */
export type PlacementMode = 'place' | 'rebalance';

export interface PlacementRequest {
  nodeId: string;
  /** The group the node asks for (`DEFAULT_CONFIG_GROUP`): held pinned whenever it exists. */
  requested: string;
  mode: PlacementMode;
  /** Most nodes per group (`RCC_MAX_NODES_PER_GROUP`); 0 = unlimited. */
  capacity: number;
  /** The groups of the node's pool (`RCC_POOL`), as listed by the node; absent ones are skipped. */
  pool: readonly string[];
}

/** What the decision reads: the existing groups and the places of the live nodes. */
export interface ClusterView {
  groups: ReadonlySet<string>;
  holders: ReadonlyMap<string, Holder>;
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
 * 3. Otherwise, the least loaded pool group with room, ties by the highest rendezvous score.
 * 4. No such group → none (`full` when a group exists but all are at capacity).
 */
export function decidePlacement(view: ClusterView, request: PlacementRequest): PlacementResult {
  const { nodeId, requested, capacity } = request;
  const holders = new Map(view.holders);
  const own = holders.get(nodeId) ?? null;
  const pool = [...new Set(request.pool)].filter((group) => view.groups.has(group));
  const inPool = new Set(pool);
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
  if (
    own &&
    view.groups.has(own.group) &&
    inPool.has(own.group) &&
    (capacity === 0 || loads.load(own.group) <= capacity)
  ) {
    const target =
      request.mode === 'rebalance'
        ? voluntaryTarget(nodeId, own.group, pool, loads, capacity)
        : null;
    return target ? hold(target, false, 'moved') : hold(own.group, false, 'kept');
  }
  const withoutOwn = own ? adjusted(loads, own.group, -1) : loads;
  const best = leastLoaded(nodeId, pool, withoutOwn, capacity, null);
  if (best) return hold(best.group, false, 'placed');

  holders.delete(nodeId);
  const released = own && view.groups.has(own.group) ? own.group : null;
  const full = pool.length > 0 || view.groups.has(requested);
  return { placement: { group: null, pinned: false, full, outcome: 'none', released }, holders };
}

/** Where a movable node of `from` should go for balance, or null when it should stay. */
function voluntaryTarget(
  nodeId: string,
  from: string,
  pool: readonly string[],
  loads: GroupLoads,
  capacity: number,
): string | null {
  const fromLoad = loads.load(from);
  // Only the most loaded groups give nodes away: that is what keeps the number of moves minimal.
  const mostLoaded = Math.max(
    0,
    ...pool.filter((group) => loads.hasMovable(group)).map((group) => loads.load(group)),
  );
  if (fromLoad < mostLoaded) return null;
  const best = leastLoaded(nodeId, pool, loads, capacity, from);
  return best && fromLoad - best.load >= 2 ? best.group : null;
}

/** The least loaded group with room (`except` left out), ties by the highest rendezvous score. */
function leastLoaded(
  nodeId: string,
  pool: readonly string[],
  loads: GroupLoads,
  capacity: number,
  except: string | null,
): { group: string; load: number } | null {
  let best: { group: string; load: number; score: string } | null = null;
  for (const group of pool) {
    const load = loads.load(group);
    if (group === except || !hasRoom(load, capacity)) continue;
    if (best && load > best.load) continue;
    const score = rendezvousScore(nodeId, group);
    if (!best || load < best.load || score > best.score) best = { group, load, score };
  }
  return best && { group: best.group, load: best.load };
}

function adjusted(loads: GroupLoads, group: string, delta: number): GroupLoads {
  return {
    load: (name) => loads.load(name) + (name === group ? delta : 0),
    hasMovable: (name) => loads.hasMovable(name),
  };
}
