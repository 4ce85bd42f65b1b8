import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { ScriptCalls } from '../helpers/script-calls';
import { waitFor } from '../helpers/wait-for';
import { GroupSampler } from './group-sampler';

/** Short leases, so that a stall of a few leases stays a short test. */
const LEASE_MS = 600;
/** The stall injected: Redis frozen for three leases (every lease runs out meanwhile). */
const STALL_MS = 3 * LEASE_MS;

describe(`Redis paused (SIGSTOP) for ${STALL_MS} ms, three leases of ${LEASE_MS} ms`, () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await redis.dispose();
  });

  /** Groups published, then `count` nodes started at once over the pool. */
  async function cluster(
    groups: string[],
    count: number,
    options: RedisConfigModuleOptions,
  ): Promise<{
    nodes: ConfigGroupService[];
    nodeApps: INestApplicationContext[];
    namespace: string;
  }> {
    const namespace = uniqueNamespace('pause');
    const common = { redis: { url: redis.url }, namespace, leaseMs: LEASE_MS, refreshMs: 200 };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    for (const group of groups) await publisher.store.publish(group, { apikey: group });
    const started = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        startNode({ ...common, ...options, group: 'none', pool: 'k*', nodeId: `n${i}` }),
      ),
    );
    apps.push(...started.map((node) => node.app));
    const nodeApps = started.map((node) => node.app);
    return { nodes: started.map((node) => node.config), nodeApps, namespace };
  }

  /** Pauses Redis while sampling the nodes every 50 ms, then samples 3 more leases after. */
  async function stall(
    label: string,
    namespace: string,
    nodes: ConfigGroupService[],
    nodeApps: INestApplicationContext[],
    settled: () => boolean,
  ): Promise<{ sampler: GroupSampler; released: string[] }> {
    // Places freed by expired leases are announced on the places channel: proof of the expiry.
    const listener = redis.client();
    const released: string[] = [];
    listener.on('smessage', (_channel: string, message: string) => {
      const event = JSON.parse(message) as { type?: string; group?: string };
      if (event.type === 'released' && event.group) released.push(event.group);
    });
    await listener.ssubscribe(new ConfigKeys(namespace).places);
    const sampler = new GroupSampler(() => nodes, 50);
    sampler.start();
    const pausedAt = Date.now();
    redis.pause();
    try {
      await waitFor('the stall to last', () => Date.now() - pausedAt >= STALL_MS, STALL_MS + 1000);
    } finally {
      redis.resume();
    }
    const resumedAt = Date.now();
    await waitFor('the nodes to settle after the stall', settled, 10 * LEASE_MS, 20);
    const settledMs = Date.now() - resumedAt;
    // Three more leases of samples, counted in the nodes' own heartbeats (one per LEASE_MS / 3,
    // answered by Redis): a node that stopped working fails here instead of passing.
    const calls = nodeApps.map((app) => new ScriptCalls(app));
    try {
      await Promise.all(calls.map((call) => call.next(9, 'answered', [], 10_000)));
    } finally {
      for (const call of calls) call.restore();
    }
    sampler.stop();
    listener.disconnect();
    expect(sampler.readErrors).toBe(0);
    process.stdout.write(
      `redis SIGSTOP ${STALL_MS} ms, lease ${LEASE_MS} ms, ${label}: ${released.length} places ` +
        `released by expired leases; settled ${settledMs} ms after SIGCONT; longest shared ` +
        `group ${sampler.longestSharing().ms} ms; longest with a node holding none ` +
        `${sampler.longestWithoutGroup()} ms; ${sampler.samples.length} samples\n`,
    );
    return { sampler, released };
  }

  it('exclusive groups (capacity 1, one node waiting): no group shared longer than a lease', async () => {
    const groups = ['k1', 'k2', 'k3', 'k4'];
    // Five nodes for four places: the waiting one may try to take a place whose lease ran out.
    const { nodes, nodeApps, namespace } = await cluster(groups, 5, { maxNodesPerGroup: 1 });
    const held = () => nodes.map((node) => node.getConfigGroup()?.name ?? null);
    const distinct = () => {
      const holding = held().filter(Boolean);
      return holding.length === groups.length && new Set(holding).size === groups.length;
    };
    await waitFor('four distinct places and one node waiting', distinct);

    const { sampler, released } = await stall(
      '5 nodes, 4 exclusive groups',
      namespace,
      nodes,
      nodeApps,
      distinct,
    );
    expect(released.length).toBeGreaterThan(0); // the stall outlived the leases
    expect(sampler.longestSharing().ms).toBeLessThanOrEqual(LEASE_MS);
    expect(held().filter(Boolean).sort()).toEqual(groups);
    // Redis agrees with what the nodes serve.
    const client = redis.client();
    try {
      const places = await client.hgetall(new ConfigKeys(namespace).holders);
      const stored = nodes.map((node) => places[node.nodeId]?.slice(2) ?? null);
      expect(stored).toEqual(held());
    } finally {
      client.disconnect();
    }
  });

  it('shared groups: every node holds a group after the stall, spread at most 1', async () => {
    const groups = ['k1', 'k2', 'k3'];
    const { nodes, nodeApps, namespace } = await cluster(groups, 7, {});
    const spread = () => {
      const counts = groups.map((g) => nodes.filter((n) => n.getConfigGroup()?.name === g).length);
      return Math.max(...counts) - Math.min(...counts);
    };
    const balanced = () => nodes.every((node) => node.getConfigGroup() !== null) && spread() <= 1;
    await waitFor('a balanced start', balanced, 5000);

    const { sampler, released } = await stall(
      '7 nodes, 3 shared groups',
      namespace,
      nodes,
      nodeApps,
      balanced,
    );
    expect(released.length).toBeGreaterThan(0);
    expect(sampler.longestWithoutGroup()).toBe(0); // no node ever served without a group
    expect(balanced()).toBe(true);
  });
});
