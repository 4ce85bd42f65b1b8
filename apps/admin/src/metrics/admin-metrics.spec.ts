import type { RedisConfigHealth } from '@rcc/redis-config';
import type { NodeInfo } from '@rcc/redis-config/publisher';
import { AdminMetrics } from './admin-metrics';

const node = (id: string, group: string | null, version: number | null): NodeInfo => ({
  id,
  address: '10.0.0.1',
  requestedGroup: 'default',
  group,
  version,
  holding: group ? 'assigned' : 'none',
  shared: [],
  heartbeatAt: '2026-01-01T00:00:00.000Z',
  leaseExpiresAt: '2026-01-01T00:00:10.000Z',
  appliedAt: null,
});

describe('AdminMetrics', () => {
  const connection = { connected: true } as RedisConfigHealth;

  async function values(metrics: AdminMetrics, name: string) {
    const metric = await metrics.registry.getSingleMetric(name)!.get();
    return metric.values.map(({ labels, value }) => ({ labels, value }));
  }

  it('counts nodes per group and those behind its latest version', async () => {
    const metrics = new AdminMetrics(connection);
    metrics.setFleet(
      [
        { name: 'a', version: 3 },
        { name: 'b', version: 0 },
      ],
      [
        node('n1', 'a', 3),
        node('n2', 'a', 2),
        node('n3', 'b', 0),
        node('n4', null, null),
        node('n5', 'gone', 1),
      ],
    );
    expect(await values(metrics, 'rcc_groups')).toEqual([{ labels: {}, value: 2 }]);
    expect(await values(metrics, 'rcc_group_nodes')).toEqual([
      { labels: { group: 'a' }, value: 2 },
      { labels: { group: 'b' }, value: 1 },
    ]);
    expect(await values(metrics, 'rcc_group_nodes_behind')).toEqual([
      { labels: { group: 'a' }, value: 1 },
      { labels: { group: 'b' }, value: 0 },
    ]);
  });

  it('forgets a deleted group at the next reading', async () => {
    const metrics = new AdminMetrics(connection);
    metrics.setFleet([{ name: 'a', version: 1 }], []);
    metrics.setFleet([], []);
    expect(await values(metrics, 'rcc_group_latest_version')).toEqual([]);
  });

  it('shows every write kind and delivery outcome from the start, and the Redis state', async () => {
    const metrics = new AdminMetrics(connection);
    metrics.countWrite('published');
    expect(await values(metrics, 'rcc_admin_writes_total')).toContainEqual({
      labels: { kind: 'published' },
      value: 1,
    });
    expect(await values(metrics, 'rcc_admin_writes_total')).toHaveLength(5);
    expect(await values(metrics, 'rcc_webhook_deliveries_total')).toHaveLength(3);
    expect(await values(metrics, 'rcc_admin_redis_connected')).toEqual([{ labels: {}, value: 1 }]);
    expect(await values(metrics, 'rcc_rollouts')).toEqual([]);
  });
});
