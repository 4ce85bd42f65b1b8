import type { NamespaceEvent } from '../wire/namespace-event';
import type { GroupHolding } from '../wire/group-holding';
import { mayHaveToMove } from './group-loads';

/** What a node should do about an event of the namespace channel, for its place. */
export type PlacementReaction = 'place' | 'rebalance' | null;

/** What the node knows of itself when an event arrives. */
export interface NodeView {
  holding: GroupHolding;
  /** The group it holds (null when none). */
  group: string | null;
  requested: string;
  /** The pool groups that existed at its last decision. */
  knownPool: ReadonlySet<string>;
  inPool(group: string): boolean;
  capacity: number;
}

/**
 * - a place freed (`released`): a node holding none takes it; a node waiting for its requested
 *   group takes that; a movable node of a group that may be over-full asks to rebalance;
 * - a group published that the node did not know in its pool (a new group): a node holding none
 *   takes a place; a movable node asks to rebalance (the new group is empty).
 * Pinned nodes never move voluntarily. Deletions are the follower's business (its own group).
 */
export function reactionTo(event: NamespaceEvent, node: NodeView): PlacementReaction {
  if (node.holding === 'pinned') return null;
  if (event.type === 'released') {
    if (node.holding === 'none' || event.group === node.requested) return 'place';
    return node.group !== null &&
      mayHaveToMove(event.loads, node.group, node.knownPool, node.capacity)
      ? 'rebalance'
      : null;
  }
  if (event.type === 'deleted') return null;
  if (node.holding === 'none') {
    return node.inPool(event.group) || event.group === node.requested ? 'place' : null;
  }
  return node.inPool(event.group) && !node.knownPool.has(event.group) ? 'rebalance' : null;
}
