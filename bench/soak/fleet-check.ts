import type { NodeView } from './soak-messages';

export interface FleetCheck {
  ok: boolean;
  nodes: number;
  /** Nodes holding no group at all. */
  withoutGroup: number;
  /** Nodes holding a group that no longer exists. */
  onDeletedGroup: number;
  /** Nodes whose version differs from the stored one. */
  stale: number;
  /** Most and least loaded group (over the groups that exist), and their difference. */
  minLoad: number;
  maxLoad: number;
  spread: number;
  /** Nodes per existing group. */
  loads: Record<string, number>;
}

/**
 * The soak's end condition (DESIGN §6): every node holds an existing group at its stored version,
 * and the most and least loaded group differ by at most one node.
 */
export function checkFleet(nodes: NodeView[], stored: Map<string, number>): FleetCheck {
  const loads = new Map([...stored.keys()].map((group) => [group, 0]));
  let withoutGroup = 0;
  let onDeletedGroup = 0;
  let stale = 0;
  for (const node of nodes) {
    if (node.group === null) withoutGroup++;
    else if (!stored.has(node.group)) onDeletedGroup++;
    else {
      loads.set(node.group, (loads.get(node.group) ?? 0) + 1);
      if (stored.get(node.group) !== node.version) stale++;
    }
  }
  const values = [...loads.values()];
  const minLoad = values.length ? Math.min(...values) : 0;
  const maxLoad = values.length ? Math.max(...values) : 0;
  const spread = maxLoad - minLoad;
  return {
    ok: withoutGroup === 0 && onDeletedGroup === 0 && stale === 0 && spread <= 1,
    nodes: nodes.length,
    withoutGroup,
    onDeletedGroup,
    stale,
    minLoad,
    maxLoad,
    spread,
    loads: Object.fromEntries(loads),
  };
}

export function describeCheck(check: FleetCheck): string {
  return (
    `${check.nodes} nodes: ${check.withoutGroup} without a group, ${check.onDeletedGroup} on a ` +
    `deleted group, ${check.stale} on an old version; load ${check.minLoad}-${check.maxLoad} ` +
    `(spread ${check.spread})${check.spread > 1 ? ` ${JSON.stringify(check.loads)}` : ''}`
  );
}
