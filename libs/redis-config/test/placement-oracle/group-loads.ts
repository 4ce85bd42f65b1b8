import type { Holder } from '../../src/assignment/holder-entry';

/** How many live nodes hold each group, and which groups hold at least one movable node. */
export interface GroupLoads {
  load(group: string): number;
  /** True when at least one node of the group was placed by the pool (may move for balance). */
  hasMovable(group: string): boolean;
}

export function groupLoads(holders: Iterable<Holder>): GroupLoads {
  const loads = new Map<string, number>();
  const movable = new Set<string>();
  for (const { group, pinned } of holders) {
    loads.set(group, (loads.get(group) ?? 0) + 1);
    if (!pinned) movable.add(group);
  }
  return {
    load: (group) => loads.get(group) ?? 0,
    hasMovable: (group) => movable.has(group),
  };
}

/** True when a group of this load can take one more node (`capacity` 0 = unlimited). */
export function hasRoom(load: number, capacity: number): boolean {
  return capacity === 0 || load < capacity;
}

/**
 * The balance the assignment keeps (DESIGN §6), allowing for pinned nodes (which never move):
 * no group holding a movable node is loaded two or more above the least loaded pool group that
 * still has room. Without pinned nodes this is exactly "max − min ≤ 1".
 */
export function isBalanced(loads: GroupLoads, pool: readonly string[], capacity: number): boolean {
  const open = pool.filter((group) => hasRoom(loads.load(group), capacity));
  if (open.length === 0) return true;
  const least = Math.min(...open.map((group) => loads.load(group)));
  return pool.every((group) => !loads.hasMovable(group) || loads.load(group) - least <= 1);
}
