import type { GroupSummary, NodeInfo } from '../api/api-types';
import { isBehind, latestVersions, nodesPerGroup } from './node-stats';

const group = (name: string, version: number): GroupSummary => ({
  name,
  version,
  keyCount: 1,
  updatedAt: null,
  nodeCount: 0,
});
const node = (id: string, groupName: string | null, version: number | null): NodeInfo => ({
  id,
  address: '10.0.0.1',
  requestedGroup: 'default',
  group: groupName,
  version,
  holding: groupName ? 'assigned' : 'none',
  heartbeatAt: '2026-01-01T00:00:00.000Z',
  leaseExpiresAt: '2026-01-01T00:00:10.000Z',
});

describe('console node statistics', () => {
  const groups = [group('b', 3), group('a', 1), group('idle', 0)];
  const nodes = [
    node('n1', 'a', 1),
    node('n2', 'b', 2),
    node('n3', 'b', 3),
    node('n4', null, null),
  ];

  it('counts nodes per group, idle groups included, and the nodes without a group apart', () => {
    expect(nodesPerGroup(groups, nodes, '(none)')).toEqual([
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
      { label: 'idle', value: 0 },
      { label: '(none)', value: 1, muted: true },
    ]);
  });

  it('flags a node behind its group’s latest version only', () => {
    const latest = latestVersions(groups);
    expect(nodes.map((n) => isBehind(n, latest))).toEqual([false, true, false, false]);
    // A group deleted meanwhile has no latest version: nothing to be behind.
    expect(isBehind(node('n5', 'gone', 0), latest)).toBe(false);
  });
});
