import type { NamespaceEvent } from '../wire/namespace-event';
import type { GroupHolding } from '../wire/group-holding';

/** What a node should do about an event of the namespace channel, for its place. */
export type PlacementReaction = 'place' | 'rebalance' | null;

/** What the node knows of itself when an event arrives. */
export interface NodeView {
  holding: GroupHolding;
  /** The group it holds (null when none). */
  group: string | null;
  requested: string;
  inPool(group: string): boolean;
  capacity: number;
}

/**
 * - a place freed (`released`): a node holding none takes it; a node waiting for its requested
 *   group takes that (an over-full group hears `rebalance` instead);
 * - `rebalance` of the node's own group (a place freed elsewhere left it over-full): a movable
 *   node asks to rebalance (the script moves one of them, on live data);
 * - a group created (`created`): a node holding none takes a place; a movable node asks to
 *   rebalance (the new group is empty).
 * Pinned nodes never move voluntarily. Deletions are the follower's business (its own group).
 */
export function reactionTo(event: NamespaceEvent, node: NodeView): PlacementReaction {
  if (node.holding === 'pinned') return null;
  if (event.type === 'released') {
    if (node.holding === 'none' || event.group === node.requested) return 'place';
    return null;
  }
  if (event.type === 'rebalance') {
    return node.holding === 'assigned' && event.group === node.group ? 'rebalance' : null;
  }
  if (event.type === 'deleted') return null;
  if (node.holding === 'none') {
    return node.inPool(event.group) || event.group === node.requested ? 'place' : null;
  }
  return event.type === 'created' && node.inPool(event.group) ? 'rebalance' : null;
}
