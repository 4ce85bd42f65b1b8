import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore, resolveOptions } from '@rcc/redis-config/publisher';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { Cluster } from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { keySlot } from '../helpers/key-slot';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisSentinelGroup, SENTINEL_MASTER_NAME } from '../helpers/redis-sentinel';
import { uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { heardSince, ListeningNode, startListeningNode } from './heard';

const record = (tag: string, seq: number) => ({ apikey: `${tag}-${seq}`, pad: 'y'.repeat(500) });

/** Per-group channels on a Redis Cluster: sharded pub/sub, on the namespace's shard only. */
describe('per-group channels on a three-master Redis Cluster', () => {
  let cluster: RedisCluster;
  let raw: Cluster;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;
  const namespace = uniqueNamespace('scale-cluster');
  const nodes: ListeningNode[] = [];

  beforeAll(async () => {
    cluster = await RedisCluster.start();
    raw = new Cluster(cluster.nodes);
    const { redis } = resolveOptions({}, { REDIS_CLUSTER_NODES: cluster.nodesEnv });
    if (redis.kind !== 'cluster') throw new Error('not a cluster');
    const publisher = await startPublisher({ redis: { clusterNodes: redis.nodes }, namespace });
    apps.push(publisher.app);
    store = publisher.store;
    for (const group of ['c1', 'c2']) await store.publish(group, record(group, 0));
    // Three nodes on c1, one on c2, each starting from a different master.
    for (const [index, group] of ['c1', 'c1', 'c1', 'c2'].entries()) {
      const node = await startListeningNode({
        redis: { clusterNodes: [cluster.nodes[index % cluster.nodes.length]] },
        namespace,
        group,
        nodeId: `scale-cluster-${index}`,
        refreshMs: 60_000,
      });
      apps.push(node.app);
      nodes.push(node);
    }
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    raw?.disconnect();
    await cluster?.dispose();
  });

  it('pushes a group to its holders only, with SPUBLISH on the shard of the namespace slot', async () => {
    const keys = new ConfigKeys(namespace);
    const slot = keySlot(keys.groupEvents('c1'));
    expect(slot).toBe(keySlot(namespace));
    const from = nodes.map((node) => node.heard.length);
    for (let seq = 1; seq <= 3; seq++) await store.publish('c2', record('c2', seq));
    await store.publish('c1', record('c1', 1));
    await waitFor('the c1 nodes at version 1', () =>
      nodes.slice(0, 3).every((node) => node.config.getConfigGroup()?.version === 1),
    );
    await waitFor(
      'the c2 node at version 3',
      () => nodes[3].config.getConfigGroup()?.version === 3,
    );
    for (const [index, node] of nodes.entries()) {
      const heard = heardSince(node, from[index]).map((m) => m.group);
      expect(heard).toEqual(index < 3 ? ['c1'] : ['c2', 'c2', 'c2']);
    }
    // Subscribers of the group channel are on one master: the one that owns the slot.
    const counts = await Promise.all(
      raw
        .nodes('master')
        .map(
          async (master) =>
            Number(
              (
                (await master.call('PUBSUB', 'SHARDNUMSUB', keys.groupEvents('c1'))) as unknown[]
              )[1],
            ) || 0,
        ),
    );
    expect(counts.sort()).toEqual([0, 0, 3]);
  });
});

/** A Sentinel failover: the node's subscriptions move to the new master, and pushes go on. */
describe('per-group channels through a Sentinel failover', () => {
  let sentinel: RedisSentinelGroup;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    sentinel = await RedisSentinelGroup.start();
  }, 30_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await sentinel?.dispose();
  });

  it('follows its group across the failover: a publish after it is pushed', async () => {
    const namespace = uniqueNamespace('scale-sentinel');
    const { redis } = resolveOptions(
      {},
      { REDIS_SENTINELS: sentinel.sentinelsEnv, REDIS_SENTINEL_NAME: SENTINEL_MASTER_NAME },
    );
    const connection = redis.kind === 'sentinel' ? redis.options : {};
    const publisher = await startPublisher({ redis: connection, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('s1', record('s1', 0));
    await publisher.store.publish('s2', record('s2', 0));
    const node = await startListeningNode({
      redis: connection,
      namespace,
      group: 's1',
      nodeId: 'scale-sentinel-1',
      refreshMs: 60_000,
    });
    apps.push(node.app);
    const oldMaster = sentinel.master.port;
    await sentinel.master.kill();
    await waitFor(
      'the sentinels to promote the replica',
      async () => (await sentinel.masterPort()) !== oldMaster,
      20_000,
    );
    // Writes resume on the new master, and pushes reach the node once its subscriber is back
    // there (refresh is 60 s): publish until one is heard, then count what follows.
    let version = 0;
    const before = node.heard.length;
    await waitFor(
      'a publish on the new master, pushed to the node',
      async () => {
        if (heardSince(node, before).some((message) => message.group === 's1')) return true;
        try {
          version = (await publisher.store.publish('s1', record('s1', 1))).version;
        } catch {
          // the failover is still under way
        }
        return false;
      },
      20_000,
    );
    await waitFor(
      'the node to apply it',
      () => (node.config.getConfigGroup()?.version ?? -1) >= version,
      10_000,
    );
    const from = node.heard.length;
    await publisher.store.publish('s2', record('s2', 1));
    const next = (await publisher.store.publish('s1', record('s1', 2))).version;
    await waitFor('the next push', () => node.config.getConfigGroup()?.version === next, 5000);
    expect(heardSince(node, from).map((m) => m.group)).toEqual(['s1']);
  }, 60_000);
});
