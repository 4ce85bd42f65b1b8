import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import type Redis from 'ioredis';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { ScriptCalls } from '../helpers/script-calls';
import { waitFor } from '../helpers/wait-for';
import { minimalMovesToBalance, NodeCluster, spread, storedPlaces } from './node-cluster';
import { rebalancePolicy } from '@rcc/redis-config/assignment/rebalance-scheduler';

/** 23 nodes over a pool of groups: balance, deletion, addition (DESIGN §6, issue 3). */
describe('balanced assignment (23 nodes, real Redis)', () => {
  let redis: RedisServer;
  let client: Redis;
  let publisher: { app: INestApplicationContext; store: ConfigGroupStore };
  let cluster: NodeCluster;
  let namespace: string;
  const groups = ['apikey-1', 'apikey-2', 'apikey-3', 'apikey-4', 'apikey-5'];

  beforeAll(async () => {
    redis = await RedisServer.start();
    client = redis.client();
    namespace = uniqueNamespace('balance');
    // A long refresh: whatever happens below is pushed, not polled.
    const common = { redis: { url: redis.url }, namespace, refreshMs: 60_000, pool: 'apikey-*' };
    publisher = await startPublisher(common);
    for (const group of [...groups, 'other']) {
      await publisher.store.publish(group, { apikey: `key-of-${group}` });
    }
    cluster = new NodeCluster(common);
    await cluster.start(23);
  });
  afterAll(async () => {
    await cluster.closeAll();
    await publisher.app.close();
    client.disconnect();
    await redis.dispose();
  });

  it('spreads 23 nodes over 5 groups: 4 or 5 each, all assigned, and Redis agrees', async () => {
    const counts = cluster.counts(groups);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(23);
    for (const count of counts) expect([4, 5]).toContain(count);
    for (const node of cluster.live) {
      expect(node.config.holding).toBe('assigned');
      expect(node.config.get('apikey')).toBe(`key-of-${node.config.getConfigGroup()?.name}`);
    }
    const stored = await storedPlaces(client, namespace);
    expect(stored).toEqual(cluster.groups());
  });

  it('reassigns the nodes of a deleted group within one second, moving no other node', async () => {
    const before = cluster.groups();
    const victim = groups[0];
    const displaced = cluster.live.filter((node) => before.get(node.id) === victim);
    expect(displaced.length).toBeGreaterThanOrEqual(4);

    const started = Date.now();
    await publisher.store.delete(victim);
    await waitFor(
      'every node to hold a surviving group',
      () => [...cluster.groups().values()].every((group) => group !== null && group !== victim),
      1000,
      5,
    );
    process.stdout.write(
      `delete -> ${displaced.length} nodes reassigned in ${Date.now() - started} ms\n`,
    );
    const survivors = groups.slice(1);
    for (const count of cluster.counts(survivors)) expect([5, 6]).toContain(count);
    for (const node of cluster.live) {
      if (before.get(node.id) !== victim)
        expect(cluster.groups().get(node.id)).toBe(before.get(node.id));
    }
    for (const node of displaced) {
      expect(node.events.at(-1)).toMatchObject({ reason: 'deleted', previous: { name: victim } });
    }
  });

  it('rebalances onto an added group: max − min ≤ 1, moving only the minimum needed', async () => {
    const pool = [...groups.slice(1), 'apikey-6'];
    const before = cluster.groups();
    const needed = minimalMovesToBalance(cluster.counts(pool));
    expect(needed).toBeGreaterThan(0);
    const eventsBefore = new Map(cluster.live.map((node) => [node.id, node.events.length]));

    await publisher.store.publish('apikey-6', { apikey: 'key-of-apikey-6' });
    await waitFor('the groups to even out', () => spread(cluster.counts(pool)) <= 1, 10_000, 20);

    const moved = cluster.live.filter(
      (node) => cluster.groups().get(node.id) !== before.get(node.id),
    );
    expect(moved).toHaveLength(needed);
    for (const node of moved) expect(cluster.groups().get(node.id)).toBe('apikey-6');
    // Each mover moved once, and said why.
    const newEvents = cluster.live.flatMap((node) => node.events.slice(eventsBefore.get(node.id)));
    expect(newEvents.map((event) => event.reason)).toEqual(Array(needed).fill('reassigned'));
    expect(await storedPlaces(client, namespace)).toEqual(cluster.groups());
  });

  it('moves nobody for a group that appears and disappears within the settle time', async () => {
    // The previous test's group made every node schedule a check; a check still pending reaches
    // its bound (maxDelayMs after its first trigger, plus jitter) and runs at once when a new
    // trigger comes, so it could run during a flap. Wait that bound out first.
    const { maxDelayMs, jitterMs } = rebalancePolicy(10_000);
    await new Promise((resolve) => setTimeout(resolve, maxDelayMs + jitterMs + 100));
    const before = cluster.groups();
    const storedBefore = await storedPlaces(client, namespace);
    // Each node's rebalance checks (the assignment script in mode 'rebalance'), as they end.
    const calls = cluster.live.map((node) => new ScriptCalls(node.app, ['rccAssign']));
    try {
      for (let i = 0; i < 5; i++) {
        await publisher.store.publish('apikey-flap', { apikey: 'flap' });
        await publisher.store.delete('apikey-flap');
      }
      // The barrier: each 'created' made every node schedule one check; wait until every node has
      // run it (after the settle time and jitter, or the cooldown of a node that moved in the
      // previous test, at most 10 s). A node that stopped working fails here.
      await Promise.all(
        cluster.live.map((node, i) => calls[i].next(1, 'answered', [node.id, 'rebalance'], 20_000)),
      );
    } finally {
      for (const call of calls) call.restore();
    }
    // The checks found nothing to move: Redis (written by the script itself) and the nodes agree.
    expect(await storedPlaces(client, namespace)).toEqual(storedBefore);
    expect(cluster.groups()).toEqual(before);
  });
});
