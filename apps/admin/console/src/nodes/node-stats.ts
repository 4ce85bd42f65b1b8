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
 * Per group, the nodes that hold it and the nodes that follow it as a shared group
 * (`RCC_SHARED_GROUPS`), every group included (an idle group shows as an empty bar: that is the
 * imbalance an operator looks for), plus the nodes that hold no group. A group that nodes only
 * follow as a shared one is no idle member of the pool: its bar says so.
 */
export function nodesPerGroup(groups: GroupSummary[], nodes: NodeInfo[], noGroup: string): Bar[] {
  const counts = new Map<string, { value: number; shared: number }>(
    groups.map((group) => [group.name, { value: 0, shared: 0 }]),
  );
  const entry = (name: string) => {
    const found = counts.get(name) ?? { value: 0, shared: 0 };
    counts.set(name, found);
    return found;
  };
  let without = 0;
  for (const node of nodes) {
    if (node.group === null) without += 1;
    else entry(node.group).value += 1;
    for (const shared of node.shared ?? []) {
      // A shared group that does not exist gives nothing: no bar for it.
      if (counts.has(shared.name)) entry(shared.name).shared += 1;
    }
  }
  const bars: Bar[] = [...counts.entries()]
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([label, { value, shared }]) =>
      shared > 0 ? { label, value, shared } : { label, value },
    );
  if (without > 0) bars.push({ label: noGroup, value: without, muted: true });
  return bars;
}

/**
 * What tells a node apart from others at its address: the host name and process id of a node id
 * in the library's default form (`<host name>/<address>/<pid>`, when RCC_NODE_ID is not set).
 */
export function hostAndPid(node: NodeInfo): { host: string; pid: string } | null {
  const match = /^(.+)\/([^/]+)\/(\d+)$/.exec(node.id);
  if (!match || match[2] !== node.address) return null;
  return { host: match[1], pid: match[3] };
}

/** How many live nodes report each address. */
export function nodesPerAddress(nodes: NodeInfo[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const node of nodes) counts.set(node.address, (counts.get(node.address) ?? 0) + 1);
  return counts;
}
