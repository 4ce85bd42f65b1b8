import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { NamespaceEvents } from '@rcc/redis-config/connection/namespace-events';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { startPublisher } from '../helpers/config-node';
import { keySlot } from '../helpers/key-slot';
import { RedisCluster } from '../helpers/redis-cluster';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { heardSince, ListeningNode, startListeningNode } from './heard';

const record = (tag: string, seq: number) => ({ apikey: `${tag}-${seq}`, pad: 'z'.repeat(200) });

/** Longer than the whole suite: a node can reach a change only by a push or by its catch-up. */
const REFRESH_MS = 600_000;
/** How long a failover (a manual one, or an election after a kill) may take on a busy CI machine. */
const FAILOVER_MS = 30_000;
/** How long a node may take to apply a change once it can be pushed (far below REFRESH_MS). */
const APPLY_MS = 15_000;
const NODE_USER = 'rcc-node';
const NODE_PASSWORD = 'rcc-node-password';

interface FollowingNode extends ListeningNode {
  group: string;
  /** How many times the node's subscriber said its subscriptions were restored (`resubscribed$`). */
  catchUps: number;
}

/**
 * A Redis Cluster with a replica per master: the master that owns the namespace's slot fails over
 * (by hand, then by dying), and the nodes' sharded subscriptions follow it. Their refresh is longer
 * than the suite, so every change they apply came by a push or by the catch-up after resubscribing.
 */
describe('per-group channels across failovers of the namespace slot (Redis Cluster)', () => {
  let cluster: RedisCluster;
  const apps: INestApplicationContext[] = [];
  let store: ConfigGroupStore;
  const namespace = uniqueNamespace('cluster-failover');
  const keys = new ConfigKeys(namespace);
  const slot = keySlot(namespace);
  const nodes: FollowingNode[] = [];
  const seq: Record<string, number> = { f1: 0, f2: 0 };

  /** Publishes the next record of `group`, retrying the publish (only) while the store throws. */
  async function publishRetrying(group: string, timeoutMs = FAILOVER_MS): Promise<number> {
    const next = ++seq[group];
    const published = await waitFor(
      `a publish of ${group} to succeed`,
      async () => (await store.publish(group, record(group, next))).version,
      timeoutMs,
      50,
    );
    return published;
  }

  const version = (node: FollowingNode) => node.config.getConfigGroup()?.version ?? -1;
  const holders = (group: string) => nodes.filter((node) => node.group === group);

  /** Every holder of `group` at `atLeast` or later, within APPLY_MS. */
  async function applied(group: string, atLeast: number, what: string): Promise<void> {
    await waitFor(
      `the ${group} nodes to apply version ${atLeast} (${what})`,
      () => holders(group).every((node) => version(node) >= atLeast),
      APPLY_MS,
    );
  }

  /** The group channel's subscribers on each running server (SHARDNUMSUB), by port. */
  async function shardSubscribers(group: string): Promise<Record<number, number>> {
    const counts: Record<number, number> = {};
    for (const server of cluster.servers.filter((s) => s.running)) {
      const reply = (await cluster.command(
        server,
        'PUBSUB',
        'SHARDNUMSUB',
        keys.groupEvents(group),
      )) as [string, number];
      counts[server.port] = Number(reply[1]);
    }
    return counts;
  }

  /** Sets the nodes' ACL user on `server` (ACLs are per server): `channels` rules, all else allowed. */
  async function nodeUser(server: RedisServer, ...channels: string[]): Promise<void> {
    await cluster.command(
      server,
      'ACL',
      'SETUSER',
      NODE_USER,
      'on',
      `>${NODE_PASSWORD}`,
      '~*',
      '+@all',
      'resetchannels',
      ...channels,
    );
  }

  /**
   * The nodes may subscribe on `server` to every channel but the group channels: until
   * `allowGroupChannels`, their SSUBSCRIBE there is refused (NOPERM), as if it had not reached the
   * new master yet, so what is published meanwhile can reach them only by their catch-up.
   */
  const holdGroupChannels = (server: RedisServer) =>
    nodeUser(server, `&${keys.rollouts}`, `&${keys.control}`, `&${keys.places}`);
  const allowGroupChannels = (server: RedisServer) => nodeUser(server, 'allchannels');

  beforeAll(async () => {
    cluster = await RedisCluster.start({ replicas: 1 });
    // The nodes connect as a user of their own (the publisher as the default user).
    for (const server of cluster.servers) await allowGroupChannels(server);
    const publisher = await startPublisher({ redis: { clusterNodes: cluster.nodes }, namespace });
    apps.push(publisher.app);
    store = publisher.store;
    for (const group of ['f1', 'f2']) await store.publish(group, record(group, 0));
    // Two nodes on f1, one on f2, each starting from a different master (one of them the slot's).
    for (const [index, group] of ['f1', 'f1', 'f2'].entries()) {
      const node = await startListeningNode({
        redis: {
          clusterNodes: [cluster.nodes[index]],
          clusterOptions: { redisOptions: { username: NODE_USER, password: NODE_PASSWORD } },
        },
        namespace,
        group,
        nodeId: `cluster-failover-${index}`,
        refreshMs: REFRESH_MS,
      });
      apps.push(node.app);
      const following: FollowingNode = { ...node, group, catchUps: 0 };
      node.app.get(NamespaceEvents).resubscribed$.subscribe(() => following.catchUps++);
      nodes.push(following);
    }
    await applied('f1', 0, 'start');
    await applied('f2', 0, 'start');
  }, 60_000);

  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await cluster?.dispose();
  });

  it('subscribes each group channel on the slot master only, and pushes to its holders', async () => {
    const { master, replicas } = await cluster.owners(slot);
    expect(replicas).toHaveLength(1);
    expect(await shardSubscribers('f1')).toEqual(
      Object.fromEntries(cluster.servers.map((s) => [s.port, s === master ? 2 : 0])),
    );
    const v = await publishRetrying('f1');
    await applied('f1', v, 'pushed');
  });

  for (const kind of ['manual', 'kill'] as const) {
    it(`follows its group across ${kind === 'manual' ? 'a manual CLUSTER FAILOVER' : 'the kill of the slot master (automatic failover)'}, missing no change`, async () => {
      const catchUps = nodes.map((node) => node.catchUps);
      const before = await cluster.owners(slot);
      const to = before.replicas[0];
      // On the replica about to take over, the nodes' group channels are refused for a while.
      await holdGroupChannels(to);
      // Changes keep coming while the master hands over (or dies and its replica is elected): a
      // publish that fails (no master for the slot yet) is tried again.
      let failedOver = false;
      const failover = (
        kind === 'manual' ? cluster.failover(slot) : cluster.killMaster(slot)
      ).finally(() => (failedOver = true));
      let during = -1;
      while (!failedOver) {
        try {
          during = (await store.publish('f1', record('f1', ++seq.f1))).version;
        } catch {
          // the failover is under way: published again
        }
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      const result = await failover;
      expect(result).toEqual({ from: before.master, to });

      // Published while no node can be subscribed to f1 on the new master: no push can bring it.
      const heldFrom = nodes.map((node) => node.heard.length);
      const gap = await publishRetrying('f1');
      expect(gap).toBeGreaterThan(during);
      const f1Nodes = holders('f1');
      expect(f1Nodes.every((node) => version(node) < gap)).toBe(true);

      // Once they may subscribe, they do, and their catch-up read brings the change (the refresh
      // is far off): nothing published in the window is lost.
      await allowGroupChannels(to);
      await applied('f1', gap, `published while the nodes were not subscribed (${kind})`);
      await waitFor(
        'every node to restore its subscriptions',
        () => nodes.every((node, index) => node.catchUps > catchUps[index]),
        APPLY_MS,
      );
      for (const [index, node] of nodes.entries()) {
        const pushed = heardSince(node, heldFrom[index]).filter((m) => m.type === 'published');
        expect(pushed).toEqual([]);
      }

      // Pushed again: the subscriptions are on the new master only, and publishes are heard.
      await waitFor(
        'the f1 and f2 channels subscribed on the new master',
        async () => {
          const [f1, f2] = await Promise.all([shardSubscribers('f1'), shardSubscribers('f2')]);
          return f1[to.port] === 2 && f2[to.port] === 1;
        },
        APPLY_MS,
      );
      const from = nodes.map((node) => node.heard.length);
      const f2 = await publishRetrying('f2');
      const f1 = await publishRetrying('f1');
      await applied('f1', f1, 'pushed after the failover');
      await applied('f2', f2, 'pushed after the failover');
      for (const [index, node] of nodes.entries()) {
        const heard = heardSince(node, from[index]).filter((m) => m.type === 'published');
        // Heard by push (nothing else could bring it now), and only its own group's channel.
        expect(heard.map((m) => m.channel)).toEqual([keys.groupEvents(node.group)]);
        expect(heard.map((m) => JSON.parse(m.message) as { version: number })).toEqual([
          expect.objectContaining({ version: node.group === 'f1' ? f1 : f2 }),
        ]);
      }
    }, 90_000);
  }
});
