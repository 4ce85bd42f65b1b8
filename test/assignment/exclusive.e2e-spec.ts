import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import type Redis from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { NodeCluster, storedPlaces } from './node-cluster';

/** `RCC_MAX_NODES_PER_GROUP=1`: one node per key, waiting nodes take freed places (DESIGN §6). */
describe('exclusive capacity (10 nodes, 6 groups, capacity 1, real Redis)', () => {
  let redis: RedisServer;
  let client: Redis;
  let publisher: { app: INestApplicationContext; store: ConfigGroupStore };
  let cluster: NodeCluster;
  let namespace: string;
  const groups = ['k1', 'k2', 'k3', 'k4', 'k5', 'k6'];

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = redis.client();
    namespace = uniqueNamespace('exclusive');
    // Refresh and lease far longer than the waits below: only the push can explain them.
    const common = {
      redis: { url: redis.url },
      namespace,
      refreshMs: 60_000,
      leaseMs: 30_000,
      maxNodesPerGroup: 1,
    };
    publisher = await startPublisher(common);
    for (const group of groups) await publisher.store.publish(group, { apikey: `key-${group}` });
    cluster = new NodeCluster(common);
    await cluster.start(10);
  });
  afterAll(async () => {
    await cluster.closeAll();
    await publisher.app.close();
    client.disconnect();
    await redis.dispose();
  });

  /** Live nodes holding each group; throws when two hold the same one. */
  function holdersAreDistinct(): string[] {
    const held = [...cluster.groups().values()].filter((group): group is string => group !== null);
    expect(new Set(held).size).toBe(held.length);
    return held;
  }

  it('gives 6 of 10 concurrent starters distinct groups; the other 4 hold none', async () => {
    expect(holdersAreDistinct().sort()).toEqual(groups);
    const waiting = cluster.live.filter((node) => node.config.getConfigGroup() === null);
    expect(waiting).toHaveLength(4);
    for (const node of waiting) {
      expect(node.config.holding).toBe('none');
      expect(node.config.get('apikey', 'fallback')).toBe('fallback');
    }
    const stored = await storedPlaces(client, namespace);
    expect(stored.size).toBe(6);
    expect(new Set(stored.values()).size).toBe(6);
  });

  it('lets 2 waiting nodes take the places of 2 holders stopped cleanly, at once', async () => {
    const waitingBefore = cluster.live.filter((node) => node.config.getConfigGroup() === null);
    const stopped = cluster.live
      .filter((node) => node.config.getConfigGroup() !== null)
      .slice(0, 2);
    const freed = stopped.map((node) => node.config.getConfigGroup()?.name).sort();

    // Watch that no two live nodes share a group at any moment of the hand-over.
    let samples = 0;
    const monitor = setInterval(() => {
      holdersAreDistinct();
      samples++;
    }, 2);
    const started = Date.now();
    try {
      await Promise.all(stopped.map((node) => cluster.stop(node)));
      await waitFor(
        'two waiting nodes to take the freed places',
        () => {
          const taken = waitingBefore.filter((node) => node.config.getConfigGroup() !== null);
          return taken.length === 2;
        },
        3000,
        5,
      );
    } finally {
      clearInterval(monitor);
    }
    const elapsed = Date.now() - started;
    process.stdout.write(`clean stop -> freed places taken in ${elapsed} ms (lease 30 s)\n`);
    expect(samples).toBeGreaterThan(0);

    const takers = waitingBefore.filter((node) => node.config.getConfigGroup() !== null);
    expect(takers.map((node) => node.config.getConfigGroup()?.name).sort()).toEqual(freed);
    for (const node of takers) {
      expect(node.events.at(-1)).toMatchObject({ reason: 'assigned', previous: null });
    }
    expect(holdersAreDistinct().sort()).toEqual(groups);
    expect(cluster.live.filter((node) => node.config.getConfigGroup() === null)).toHaveLength(2);
  });

  it('never lets a pinned request share a full group', async () => {
    const late = await cluster.startOne('pinned-late', { group: 'k1' });
    try {
      expect(late.config.getConfigGroup()).toBeNull();
      expect(late.config.pinned).toBe(false);
      holdersAreDistinct();
    } finally {
      await cluster.stop(late);
    }
  });
});
