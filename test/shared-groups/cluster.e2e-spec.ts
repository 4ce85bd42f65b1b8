import { INestApplicationContext } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisCluster } from '../helpers/redis-cluster';
import { uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { nextChange } from './next-change';

describe('a shared group on a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;
  let nodes: ConfigGroupService[];
  const namespace = uniqueNamespace('shared-cluster');

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    const publisher = await startPublisher({ redis: { clusterNodes: cluster.nodes }, namespace });
    apps.push(publisher.app);
    store = publisher.store;
    await store.publish('common', { timeout_ms: 3000, region: 'eu' });
    await store.publish('g1', { apikey: 'k1' });
    await store.publish('g2', { apikey: 'k2', region: 'us' });
    nodes = [];
    // Each node starts from a different master, so pushes must cross the cluster bus.
    for (const [index, node] of cluster.nodes.entries()) {
      const started = await startNode({
        redis: { clusterNodes: [node] },
        namespace,
        group: index === 0 ? 'g2' : 'g1',
        sharedGroups: ['common'],
        nodeId: `shared-cluster-${index}`,
        refreshMs: 60_000,
      });
      apps.push(started.app);
      nodes.push(started.config);
    }
    // Bootstrap does not wait for the events subscription: a push test must (refresh is 60 s).
    const raw = new Cluster(cluster.nodes);
    try {
      await waitFor('the three nodes subscribed to the shared group channel', async () => {
        const counts = await Promise.all(
          raw
            .nodes('master')
            .map((master) => master.call('PUBSUB', 'SHARDNUMSUB', `{${namespace}}:events:common`)),
        );
        const total = counts.reduce<number>(
          (sum, reply) => sum + Number((reply as unknown[])[1]),
          0,
        );
        return total >= cluster.nodes.length;
      });
    } finally {
      raw.disconnect();
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await cluster?.dispose();
  });

  it('layers the shared group under each node own group', () => {
    expect(nodes.map((n) => [n.get('apikey'), n.get('region'), n.get('timeout_ms')])).toEqual([
      ['k2', 'us', 3000],
      ['k1', 'eu', 3000],
      ['k1', 'eu', 3000],
    ]);
  });

  it('pushes a publish of the shared group to nodes on every master', async () => {
    const seen = nodes.map((node) => nextChange(node, (e) => e.source?.name === 'common'));
    await store.publish('common', { timeout_ms: 1500, region: 'ap' });
    const events = await Promise.all(seen);
    expect(events.map((e) => e.changedKeys)).toEqual([
      ['timeout_ms'], // g2 keeps its region
      ['region', 'timeout_ms'],
      ['region', 'timeout_ms'],
    ]);
    expect(nodes.every((n) => n.get('timeout_ms') === 1500)).toBe(true);
  });

  it('runs the periodic check of the shared group on the cluster (a plain HSET)', async () => {
    const started = await startNode({
      redis: { clusterNodes: [cluster.nodes[1]] },
      namespace,
      group: 'g1',
      sharedGroups: ['common'],
      nodeId: 'shared-cluster-ticking',
      refreshMs: 100,
    });
    apps.push(started.app);
    const raw = new Cluster(cluster.nodes);
    try {
      const seen = nextChange(started.config, (e) => e.source?.name === 'common');
      const record = { group_name: 'common', group_version: 40, config_dict: { timeout_ms: 7 } };
      await raw.hset(namespace, 'common', JSON.stringify(record));
      expect((await seen).source?.version).toBe(40);
      expect(started.config.get('timeout_ms')).toBe(7);
    } finally {
      raw.disconnect();
    }
  });

  it('drops the shared group when it is deleted', async () => {
    const seen = nodes.map((node) => nextChange(node, (e) => e.reason === 'deleted'));
    await store.delete('common');
    await Promise.all(seen);
    expect(nodes.map((n) => n.has('timeout_ms'))).toEqual([false, false, false]);
  });
});
