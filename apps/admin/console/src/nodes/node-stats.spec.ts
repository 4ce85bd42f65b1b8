import type { GroupSummary, NodeInfo } from '../api/api-types';
import { hostAndPid, isBehind, latestVersions, nodesPerAddress, nodesPerGroup } from './node-stats';

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

  it('counts the nodes that follow a group as a shared one apart from its holders', () => {
    const follower = (id: string, groupName: string, shared: string[]): NodeInfo => ({
      ...node(id, groupName, 1),
      shared: shared.map((name) => ({ name, version: 0 })),
    });
    const withCommon = [...groups, group('common', 0)];
    const fleet = [
      follower('s1', 'a', ['common']),
      follower('s2', 'b', ['common', 'gone']),
      follower('s3', 'b', ['common']),
    ];
    expect(nodesPerGroup(withCommon, fleet, '(none)')).toEqual([
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
      { label: 'common', value: 0, shared: 3 },
      { label: 'idle', value: 0 },
    ]);
  });

  it('reads host name and pid from a node id of the default form only', () => {
    const at = (id: string, address = '10.0.0.1') => ({ ...node(id, 'a', 1), address });
    expect(hostAndPid(at('web-1/10.0.0.1/4242'))).toEqual({ host: 'web-1', pid: '4242' });
    expect(hostAndPid(at('web-1/10.0.0.2/4242'))).toBeNull(); // another address: not ours
    expect(hostAndPid(at('demo-node-1'))).toBeNull();
    expect(hostAndPid(at('eu/web/1'))).toBeNull();
    expect(nodesPerAddress([at('x'), at('y'), at('z', '10.0.0.9')])).toEqual(
      new Map([
        ['10.0.0.1', 2],
        ['10.0.0.9', 1],
      ]),
    );
  });

  it('flags a node behind its group’s latest version only', () => {
    const latest = latestVersions(groups);
    expect(nodes.map((n) => isBehind(n, latest))).toEqual([false, true, false, false]);
    // A group deleted meanwhile has no latest version: nothing to be behind.
    expect(isBehind(node('n5', 'gone', 0), latest)).toBe(false);
  });
});
