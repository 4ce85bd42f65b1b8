import { INestApplicationContext } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import Redis from 'ioredis';
import { ConfigGroupService, RedisConfigModule } from '@rcc/redis-config';
import { NodeRegistry } from '@rcc/redis-config/publisher';
import {
  AssignmentContext,
  GroupAssigner,
  GroupDecision,
} from '@rcc/redis-config/assignment/group-assigner';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { RespCountingProxy } from '../../bench/lib/resp-counting-proxy';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * Issue 12: a node makes one periodic Redis call (its heartbeat), at min(leaseMs / 3, refreshMs);
 * the beats due for it, about every refreshMs, also run the refresh check and read its group's
 * rollout; it writes its report only when it changed. Counted at the wire: the node talks to
 * Redis through a counting proxy.
 */
describe('one periodic call per node (real Redis, counted at the wire)', () => {
  let redis: RedisServer;
  let proxy: RespCountingProxy;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    proxy = await RespCountingProxy.start(redis.port);
    raw = redis.client();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    raw.disconnect();
    await proxy.close();
    await redis.dispose();
  });

  const record = (name: string, version: number, config: object) =>
    JSON.stringify({ group_name: name, group_version: version, config_dict: config });

  async function setup(options: { leaseMs: number; refreshMs: number; nodeId?: string }) {
    const namespace = uniqueNamespace('periodic');
    const keys = new ConfigKeys(namespace);
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('orders', { apikey: 'k0' });
    const nodeId = options.nodeId ?? 'node-a';
    const node = await startNode({
      redis: { url: proxy.url },
      namespace,
      group: 'orders',
      nodeId,
      ...options,
    });
    apps.push(node.app);
    return { namespace, keys, nodeId, node: node.config, app: node.app, store: publisher.store };
  }

  /**
   * The commands the node sends from now until it has run `beats` scripts (bounded wait). ioredis
   * sends a script's first call on a connection as EVAL, the later ones as EVALSHA.
   */
  async function commandsOver(beats: number, timeoutMs: number): Promise<Map<string, number>> {
    proxy.reset();
    const seen = new Map<string, number>();
    await waitFor(
      `${beats} periodic calls`,
      () => {
        for (const [name, count] of proxy.reset().commands)
          seen.set(name, (seen.get(name) ?? 0) + count);
        return scripts(seen) >= beats;
      },
      timeoutMs,
      20,
    );
    return seen;
  }

  const scripts = (commands: Map<string, number>) =>
    (commands.get('evalsha') ?? 0) + (commands.get('eval') ?? 0);

  it('makes one call per period (min(lease / 3, refresh)), the heartbeat script, and nothing else', async () => {
    // lease 1.5 s → a beat every 500 ms, refresh 600 ms: the refresh rides on the heartbeat
    // (the previous release made a heartbeat every 500 ms plus a tick and an HMGET every 600 ms).
    const { node } = await setup({ leaseMs: 1500, refreshMs: 600 });
    expect(node.getConfigGroup()?.version).toBe(0);
    const started = Date.now();
    const commands = await commandsOver(6, 15_000);
    const elapsed = Date.now() - started;
    // Only the heartbeat script: no HMGET of the rollout, no other command.
    expect([...commands.keys()].filter((name) => name !== 'eval')).toEqual(['evalsha']);
    // One per period (a late timer only makes fewer; one more may be the beat after the load):
    // the node-tick of its own would double it.
    expect(scripts(commands)).toBeLessThanOrEqual(Math.floor(elapsed / 500) + 2);
  });

  it('beats at refreshMs when the refresh is shorter than a third of the lease', async () => {
    const { node } = await setup({ leaseMs: 30_000, refreshMs: 300 });
    expect(node.getConfigGroup()?.version).toBe(0);
    const started = Date.now();
    const commands = await commandsOver(6, 15_000);
    const elapsed = Date.now() - started;
    expect([...commands.keys()].filter((name) => name !== 'eval')).toEqual(['evalsha']);
    expect(scripts(commands)).toBeLessThanOrEqual(Math.floor(elapsed / 300) + 2);
  });

  it('runs the check on the beats due for it, about every refresh, not on every beat', async () => {
    // lease 1.5 s → a beat every 500 ms; refresh 2 s → a check on every fourth beat or so.
    const { app, node } = await setup({ leaseMs: 1500, refreshMs: 2000 });
    expect(node.getConfigGroup()?.version).toBe(0);
    let checks = 0;
    const subscription = app
      .get(GroupAssigner)
      .checks()
      .subscribe(() => checks++);
    const started = Date.now();
    const commands = await commandsOver(10, 20_000);
    const elapsed = Date.now() - started;
    subscription.unsubscribe();
    // At most one per 1.75 s (refresh less half a period), plus the one due right away.
    expect(checks).toBeLessThanOrEqual(Math.floor(elapsed / 1750) + 1);
    expect(checks).toBeGreaterThanOrEqual(1);
    expect(scripts(commands)).toBeGreaterThan(checks);
  });

  it('applies a plain HSET of the hash (the old project) by the periodic check', async () => {
    // A refresh of 1 s and a lease of 1.5 s: every other heartbeat (500 ms) carries the check.
    const { keys, node } = await setup({ leaseMs: 1500, refreshMs: 1000 });
    await raw.hset(keys.groups, 'orders', record('orders', 1, { apikey: 'from-python' }));
    await waitFor('the direct write applied', () => node.get('apikey') === 'from-python', 10_000);
    expect(node.getConfigGroup()?.version).toBe(1);
  });

  it('reaches a canary by the periodic check when the rollout message was not heard', async () => {
    const { keys, node, nodeId } = await setup({ leaseMs: 1500, refreshMs: 1000 });
    const now = Date.now();
    const state = {
      id: 'unheard-1',
      group: 'orders',
      baseVersion: 0,
      version: 1,
      status: 'canary',
      step: 1,
      steps: [{ percent: 100, bakeMs: 600_000 }],
      startedAtMs: now,
      stepStartedAtMs: now,
      finishedAtMs: null,
      published: false,
      revertedVersion: null,
      author: null,
      comment: null,
      outcome: null,
    };
    // Written as the admin would, but nothing published on {ns}:rollouts.
    await raw.hset(
      keys.rollout('orders'),
      'state',
      JSON.stringify(state),
      'candidate',
      JSON.stringify({ apikey: 'candidate' }),
      'canaries',
      JSON.stringify(['someone-else', nodeId]),
    );
    await waitFor('the node runs the candidate', () => node.canary, 10_000);
    expect(node.get('apikey')).toBe('candidate');
    // The rollout ends without a message either: back on the stable version by the next check.
    await raw.hset(
      keys.rollout('orders'),
      'state',
      JSON.stringify({ ...state, status: 'rolled-back', finishedAtMs: Date.now() }),
    );
    await waitFor('back on stable', () => !node.canary && node.get('apikey') === 'k0', 10_000);
  });

  it('writes its report only when it changed, and the admin still shows each heartbeat', async () => {
    const { keys, node, nodeId, app, store } = await setup({ leaseMs: 1500, refreshMs: 60_000 });
    const registry = app.get(NodeRegistry);
    const stored = () => raw.hget(keys.nodeInfo, nodeId);
    const expiry = async () => Number(await raw.zscore(keys.nodes, nodeId));
    await waitFor('the report of version 0', async () => (await stored())?.includes('"version":0'));
    // The decision wrote it, the first beat after writes its own: two beats later it is settled.
    const seenAt = await expiry();
    await waitFor('two beats', async () => (await expiry()) >= seenAt + 2 * 450, 10_000);
    const first = await stored();
    const firstExpiry = await expiry();
    const [before] = await registry.list();
    // Three more beats renew the lease; the report stays the same bytes.
    await waitFor(
      'three more beats',
      async () => (await expiry()) >= firstExpiry + 3 * 450,
      10_000,
    );
    expect(await stored()).toBe(first);
    const [after] = await registry.list();
    expect(after.id).toBe(nodeId);
    expect(Date.parse(after.heartbeatAt)).toBeGreaterThanOrEqual(
      Date.parse(before.heartbeatAt) + 3 * 450,
    );
    expect(Date.parse(after.leaseExpiresAt) - Date.parse(after.heartbeatAt)).toBe(1500);
    expect(after).toMatchObject({ group: 'orders', version: 0, holding: 'pinned' });
    // A new version changes the report: written again.
    await store.publish('orders', { apikey: 'k1' });
    await waitFor('the report of version 1', async () => (await stored())?.includes('"version":1'));
    expect((await registry.list())[0]).toMatchObject({ version: 1 });
    // Removed behind its back (as a purge would): the node sends it again at its next beat.
    await raw.hdel(keys.nodeInfo, nodeId);
    await waitFor('the report written again', async () => (await stored()) !== null, 10_000);
    expect(node.getConfigGroup()?.version).toBe(1);
  });

  it('reads the report of an older node (heartbeatAtMs stamped at every beat)', async () => {
    const { keys, app } = await setup({ leaseMs: 1500, refreshMs: 60_000 });
    const now = Date.now();
    await raw.zadd(keys.nodes, now + 60_000, 'old-node');
    await raw.hset(
      keys.nodeInfo,
      'old-node',
      JSON.stringify({
        id: 'old-node',
        address: '10.0.0.9',
        requestedGroup: 'orders',
        group: 'orders',
        version: 0,
        holding: 'pinned',
        heartbeatAtMs: now - 1000,
      }),
    );
    const old = (await app.get(NodeRegistry).list(now)).find((n) => n.id === 'old-node');
    expect(old?.heartbeatAt).toBe(new Date(now - 1000).toISOString());
  });
});

/** An assigner that keeps no lease (and so runs no heartbeat): pinned to the requested group. */
class LeaselessAssigner extends GroupAssigner {
  decide({ requested }: AssignmentContext): Promise<GroupDecision> {
    return Promise.resolve({ group: requested, pinned: true, full: false });
  }
}

describe('the refresh of a node that keeps no lease (real Redis)', () => {
  let redis: RedisServer;
  let proxy: RespCountingProxy;

  beforeAll(async () => {
    redis = await RedisServer.start();
    proxy = await RespCountingProxy.start(redis.port);
  });
  afterAll(async () => {
    await proxy.close();
    await redis.dispose();
  });

  it('still checks every refreshMs by itself (node-tick), and applies a plain HSET', async () => {
    const namespace = uniqueNamespace('leaseless');
    const keys = new ConfigKeys(namespace);
    const raw = redis.client();
    await raw.hset(
      keys.groups,
      'orders',
      JSON.stringify({ group_name: 'orders', group_version: 0, config_dict: { apikey: 'k0' } }),
    );
    const moduleRef = await Test.createTestingModule({
      imports: [
        RedisConfigModule.forRoot({
          redis: { url: proxy.url },
          namespace,
          group: 'orders',
          nodeId: 'leaseless',
          refreshMs: 300,
        }),
      ],
    })
      .overrideProvider(GroupAssigner)
      .useClass(LeaselessAssigner)
      .compile();
    moduleRef.useLogger(['error']);
    await moduleRef.init();
    try {
      const node = moduleRef.get(ConfigGroupService);
      expect(node.get('apikey')).toBe('k0');
      proxy.reset();
      await raw.hset(
        keys.groups,
        'orders',
        JSON.stringify({ group_name: 'orders', group_version: 1, config_dict: { apikey: 'k1' } }),
      );
      await waitFor('the direct write applied', () => node.get('apikey') === 'k1', 10_000);
      // Its periodic call is the node-tick script (EVAL at its first call); no lease was written.
      const { commands } = proxy.reset();
      expect((commands.get('evalsha') ?? 0) + (commands.get('eval') ?? 0)).toBeGreaterThanOrEqual(
        1,
      );
      expect(await raw.zcard(keys.nodes)).toBe(0);
    } finally {
      await moduleRef.close();
      raw.disconnect();
    }
  });
});
