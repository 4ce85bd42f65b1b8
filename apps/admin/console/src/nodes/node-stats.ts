import type { GroupSummary, NodeInfo } from '../api/api-types';
import type { Bar } from './bar-chart.view';

/** The latest version of each group, to tell which nodes run an older one. */
export function latestVersions(groups: GroupSummary[]): Map<string, number> {
  return new Map(groups.map((group) => [group.name, group.version]));
}

export function isBehind(node: NodeInfo, latest: Map<string, number>): boolean {
  if (node.group === null || node.version === null) return false;
  const newest = latest.get(node.group);
  return newest !== undefined && node.version < newest;
}

/**
 * Nodes per group, every group included (an idle group shows as an empty bar: that is the
 * imbalance an operator looks for), plus the nodes that hold no group.
 */
export function nodesPerGroup(groups: GroupSummary[], nodes: NodeInfo[], noGroup: string): Bar[] {
  const counts = new Map<string, number>(groups.map((group) => [group.name, 0]));
  let without = 0;
  for (const node of nodes) {
    if (node.group === null) without += 1;
    else counts.set(node.group, (counts.get(node.group) ?? 0) + 1);
  }
  const bars: Bar[] = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, value]) => ({ label, value }));
  if (without > 0) bars.push({ label: noGroup, value: without, muted: true });
  return bars;
}
