import { RolloutState } from '@rcc/redis-config/publisher';
// The raw transitions under RolloutEngine: what the Lua checks refuse, whoever calls them.
import { RolloutStore } from '@rcc/redis-config/store/rollout-store';
import Redis from 'ioredis';
import { Registry as PromRegistry } from 'prom-client';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { rolloutStateOf } from '../helpers/rollout-state';
import { ScriptCalls } from '../helpers/script-calls';

const stateOf = rolloutStateOf;

/** The Lua transitions themselves: of two callers that make the same move, exactly one wins. */
describe('rollout transitions (Lua, real Redis)', () => {
  let redis: RedisServer;
  let publisher: Awaited<ReturnType<typeof startPublisher>>;
  let rollouts: RolloutStore;

  beforeAll(async () => {
    redis = await RedisServer.start();
    publisher = await startPublisher({
      redis: { url: redis.url },
      namespace: uniqueNamespace('lua'),
    });
    rollouts = publisher.app.get(RolloutStore);
    await publisher.store.publish('g', { a: 1 });
  });

  afterAll(async () => {
    await publisher?.app.close();
    await redis?.dispose();
  });

  it('one start per group, from the version read; one of two equal moves; none after a problem', async () => {
    const state = stateOf('r1');
    await expect(
      rollouts.begin({ ...state, baseVersion: 7, version: 8 }, { a: 2 }),
    ).rejects.toMatchObject({
      name: 'ConfigVersionConflictError',
    });
    await rollouts.begin(state, { a: 2 });
    await expect(rollouts.begin(stateOf('r2'), { a: 3 })).rejects.toMatchObject({
      name: 'RolloutRunningError',
    });

    const next = { ...state, status: 'canary' as const, step: 1 };
    const results = await Promise.all([
      rollouts.advance(state, next, { canaryNodes: ['n1'] }),
      rollouts.advance(state, next, { canaryNodes: ['n2'] }),
    ]);
    expect(results.sort()).toEqual(['moved', 'stale']);

    // A canary's problem, as the node's script records it.
    const raw = new Redis(redis.port, '127.0.0.1');
    await raw.hset(
      `{${rollouts.namespace}}:rollout:g`,
      'problems',
      JSON.stringify([{ nodeId: 'n1', reason: 'broken', atMs: 5 }]),
    );
    await raw.quit();
    const promoted = { ...next, status: 'promoted' as const };
    expect(await rollouts.advance(next, promoted, { refuseOnProblem: true })).toBe('problem');

    const ended = await rollouts.revert(
      ['canary'],
      { ...next, status: 'rolled-back' },
      {
        config: { a: 1 },
        comment: 'stable again',
      },
    );
    expect(ended).toEqual({ ended: true, writtenVersion: 2 });
    expect(await rollouts.revert(['canary'], { ...next, status: 'aborted' }, null)).toEqual({
      ended: false,
      writtenVersion: null,
    });
    const stored = await rollouts.read('g');
    expect(stored?.state).toMatchObject({ status: 'rolled-back', revertedVersion: 2 });
    expect(stored?.problems).toEqual([{ nodeId: 'n1', reason: 'broken', atMs: 5 }]);
    expect((await publisher.store.get('g'))?.version).toBe(2);
    expect(await rollouts.running()).toEqual([]);
  });
});

describe('reportProblem on a node (no rollout running)', () => {
  it('is counted by rcc_node_problems_total and changes nothing', async () => {
    const redis = await RedisServer.start();
    const registry = new PromRegistry();
    const { startNode } = await import('../helpers/config-node');
    const namespace = uniqueNamespace('problem');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    await publisher.store.publish('g', { apikey: 'k' });
    const node = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'g',
      nodeId: 'p-1',
      metrics: { registry },
    });
    try {
      await node.config.reportProblem('the key was refused');
      const metric = await registry.getSingleMetric('rcc_node_problems_total')?.get();
      expect(metric?.values[0]?.value).toBe(1);
      expect(node.config.getConfigGroup()).toMatchObject({ name: 'g', version: 0 });
      expect(node.config.canary).toBe(false);
    } finally {
      await node.app.close();
      await publisher.app.close();
      await redis.dispose();
    }
  });
});

describe('rollout keys written by others (hostile Redis data)', () => {
  it('block nothing: writes and a new rollout go through, nodes ignore them', async () => {
    const redis = await RedisServer.start();
    const namespace = uniqueNamespace('rollout-hostile');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    const rollouts = publisher.app.get(RolloutStore);
    await publisher.store.publish('g', { a: 1 });
    const { startNode } = await import('../helpers/config-node');
    const node = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'g',
      nodeId: 'h-1',
      refreshMs: 100,
    });
    const raw = new Redis(redis.port, '127.0.0.1');
    const calls = new ScriptCalls(node.app);
    try {
      await raw.sadd(`{${namespace}}:rollouts-running`, 'g');
      await raw.hset(
        `{${namespace}}:rollout:g`,
        'state',
        '{"id":1,"status":"canary"',
        'canaries',
        '["h-1"]',
      );
      await raw.publish(`{${namespace}}:rollouts`, '{"type":"state","group":"g"}');
      await raw.publish(`{${namespace}}:rollouts`, 'not json');
      expect(await rollouts.read('g')).toBeNull();
      expect(await rollouts.runningId('g')).toBeNull();
      // The barrier: three of the node's periodic checks, each reading the group's rollout key,
      // answered after the hostile writes (a node that stopped checking fails here).
      await calls.next(3, 'answered', [`{${namespace}}:rollout:g`]);
      expect(node.config.getConfigGroup()).toMatchObject({ version: 0, config: { a: 1 } });
      expect(node.config.canary).toBe(false);
      const state: RolloutState = { ...stateOf('fresh'), steps: [] };
      await rollouts.begin(state, { a: 2 });
      expect((await rollouts.read('g'))?.state.id).toBe('fresh');
    } finally {
      calls.restore();
      await raw.quit();
      await node.app.close();
      await publisher.app.close();
      await redis.dispose();
    }
  });
});
