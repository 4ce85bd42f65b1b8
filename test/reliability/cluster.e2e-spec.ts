import { INestApplicationContext } from '@nestjs/common';
import { Cluster } from 'ioredis';
import { ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore, resolveOptions } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisCluster } from '../helpers/redis-cluster';
import { uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

describe('on a three-master Redis Cluster (REDIS_CLUSTER_NODES)', () => {
  let cluster: RedisCluster;
  let raw: Cluster;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;
  let nodes: ConfigGroupService[];
  const namespace = uniqueNamespace('cluster');

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    raw = new Cluster(cluster.nodes);
    // The env form is what users write; resolve it exactly as the module does.
    const { redis } = resolveOptions({}, { REDIS_CLUSTER_NODES: cluster.nodesEnv });
    if (redis.kind !== 'cluster') throw new Error('REDIS_CLUSTER_NODES did not select a cluster');
    const connection = { clusterNodes: redis.nodes };
    const publisher = await startPublisher({ redis: connection, namespace });
    apps.push(publisher.app);
    store = publisher.store;
    await store.publish('g', { apikey: 'v0' });
    nodes = [];
    // Each node starts from a different master, so pushes must cross the cluster bus.
    for (const [index, node] of cluster.nodes.entries()) {
      const started = await startNode({
        redis: { clusterNodes: [node] },
        namespace,
        group: 'g',
        nodeId: `cluster-node-${index}`,
        refreshMs: 200,
      });
      apps.push(started.app);
      nodes.push(started.config);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw?.disconnect();
    await cluster?.dispose();
  });

  it('loads the group on every node', () => {
    for (const node of nodes) expect(node.get('apikey')).toBe('v0');
  });

  it('pushes a publish to nodes connected to any master', async () => {
    await store.publish('g', { apikey: 'v1' });
    await waitFor(
      'every node to apply v1',
      () => nodes.every((n) => n.get('apikey') === 'v1'),
      3000,
    );
  });

  it('runs history, rollback, import and delete (multi-key Lua) in the namespace slot', async () => {
    const rolled = await store.rollback('g', 0);
    expect(rolled).toMatchObject({ version: 2, config: { apikey: 'v0' } });
    const imported = await store.import([
      { group_name: 'g', group_version: 0, config_dict: { apikey: 'v3' } },
      { group_name: 'other', group_version: 4, config_dict: null },
    ]);
    expect(imported).toMatchObject({ applied: true, created: ['other'], updated: ['g'] });
    expect((await store.history('g')).map((h) => h.version)).toEqual([3, 2, 1, 0]);
    await waitFor(
      'nodes to follow the import',
      () => nodes.every((n) => n.get('apikey') === 'v3'),
      3000,
    );
    expect(await store.delete('other')).toBe(true);
    expect(await store.list()).toEqual([expect.objectContaining({ name: 'g', version: 3 })]);
  });

  it('picks up a plain HSET made through the cluster', async () => {
    await raw.hset(
      namespace,
      'g',
      JSON.stringify({ group_name: 'g', group_version: 9, config_dict: { apikey: 'py' } }),
    );
    await waitFor(
      'the refresh to find the raw write',
      () => nodes.every((n) => n.get('apikey') === 'py'),
      5000,
    );
  });
});
