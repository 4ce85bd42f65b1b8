import type Redis from 'ioredis';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { rebalancePolicy } from '@rcc/redis-config/assignment/rebalance-scheduler';
import { startPublisher } from '../../test/helpers/config-node';
import { RedisServer, uniqueNamespace } from '../../test/helpers/redis-server';
import { seededRandom, shuffled } from './random';
import { countPerGroup, spread } from './stats';
import { VirtualCluster } from './virtual-cluster';

/** The default lease sets the rebalance timing: settle 500 ms, jitter ≤ 500 ms, at most 2 s. */
const DEFAULT_LEASE_MS = 10_000;
const CONNECTIONS = 16;

export interface RunFigures {
  counts: number[];
  spread: number;
  /** Shares of all nodes. */
  movedOnDelete: number;
  movedOnAdd: number;
  minimalOnAdd: number;
  spreadAfterDelete: number;
  spreadAfterAdd: number;
  deleteAllMs: number;
  deleteNodeMs: number[];
  addSettledMs: number;
  /** Server time per call (INFO commandstats), ms. */
  assignMs: number;
  heartbeatMs: number;
}

/**
 * One run on a fresh namespace: `addresses.length` nodes place at once over `groups`; the
 * fullest group is deleted; then `added` is published.
 */
export async function clusterRun(
  redis: RedisServer,
  groups: readonly string[],
  added: string,
  addresses: readonly string[],
  seed: number,
): Promise<RunFigures> {
  const namespace = uniqueNamespace(`bench-${seed}`);
  const admin = redis.client();
  const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
  const cluster = new VirtualCluster(redis.port, new ConfigKeys(namespace), {
    connections: CONNECTIONS,
    leaseMs: 600_000,
    rebalance: rebalancePolicy(DEFAULT_LEASE_MS),
    capacity: 0,
  });
  const total = addresses.length;
  try {
    for (const group of groups) await publisher.store.publish(group, { apikey: `key-${group}` });
    await cluster.listen(redis.port);
    const nodes = addresses.map((address, i) => cluster.add(`node-${i}`, address));
    // Pods of a deployment start together: all place at once, in a random order.
    await Promise.all(
      shuffled(nodes, seededRandom(seed)).map((node) => cluster.decide(node, 'place')),
    );
    await cluster.idle();
    const counts = countPerGroup(cluster.groupOf().values(), groups);

    // Redis-side cost of one decision and one heartbeat, with every node live.
    const probe = nodes[0];
    await admin.config('RESETSTAT');
    for (let i = 0; i < 200; i++) await cluster.decide(probe, 'place');
    const assignMs = (await evalshaMicros(admin)) / 1000;
    await admin.config('RESETSTAT');
    await cluster.timeHeartbeats(probe, 200);
    const heartbeatMs = (await evalshaMicros(admin)) / 1000;

    // Delete the fullest group (the most nodes to reassign).
    const victim = groups[counts.indexOf(Math.max(...counts))];
    const before = cluster.groupOf();
    const displaced = nodes.filter((node) => node.group === victim);
    let started = performance.now();
    await publisher.store.delete(victim);
    while (displaced.some((node) => node.group === victim)) {
      await new Promise((resolve) => setImmediate(resolve));
    }
    const deleteAllMs = performance.now() - started;
    const deleteNodeMs = displaced.map((node) => node.placedAt - started);
    await cluster.idle();
    const afterDelete = cluster.groupOf();
    const survivors = groups.filter((group) => group !== victim);

    // Add a group: nodes react as the library does, settle delay and jitter included.
    const pool = [...survivors, added];
    const minimalOnAdd = minimalMoves(countPerGroup(afterDelete.values(), pool));
    started = performance.now();
    await publisher.store.publish(added, { apikey: 'key-new' });
    const addSettledMs = (await cluster.settled(started, 2600)) - started;
    const afterAdd = cluster.groupOf();
    const moved = (from: Map<string, string | null>, to: Map<string, string | null>) =>
      [...from].filter(([id, group]) => to.get(id) !== group).length / total;
    return {
      counts,
      spread: spread(counts),
      movedOnDelete: moved(before, afterDelete),
      movedOnAdd: moved(afterDelete, afterAdd),
      minimalOnAdd: minimalOnAdd / total,
      spreadAfterDelete: spread(countPerGroup(afterDelete.values(), survivors)),
      spreadAfterAdd: spread(countPerGroup(afterAdd.values(), pool)),
      deleteAllMs,
      deleteNodeMs,
      addSettledMs,
      assignMs,
      heartbeatMs,
    };
  } finally {
    await cluster.close();
    await publisher.app.close();
    admin.disconnect();
  }
}

/** Mean server time of EVALSHA since the last CONFIG RESETSTAT, in µs. */
async function evalshaMicros(admin: Redis): Promise<number> {
  const stats = await admin.info('commandstats');
  const match = /cmdstat_evalsha:calls=\d+,usec=\d+,usec_per_call=([\d.]+)/.exec(stats);
  return match ? Number(match[1]) : Number.NaN;
}

/** The fewest moves that bring `loads` to max − min ≤ 1 (the fullest groups keep the extra ones). */
export function minimalMoves(loads: readonly number[]): number {
  const total = loads.reduce((a, b) => a + b, 0);
  const base = Math.floor(total / loads.length);
  const extra = total % loads.length;
  return [...loads]
    .sort((a, b) => b - a)
    .reduce((sum, load, i) => sum + Math.max(0, load - (base + (i < extra ? 1 : 0))), 0);
}
