import { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { RolloutStore } from '@rcc/redis-config/store/rollout-store';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';
import { startNode, startPublisher } from '../helpers/config-node';
import { MonitoredCommand, RedisMonitor } from '../helpers/redis-monitor';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { rolloutStateOf } from '../helpers/rollout-state';
import { waitFor } from '../helpers/wait-for';

/** Commands whose first argument is a channel, not a key (channels may be built in a script). */
const CHANNEL_COMMANDS = new Set(['publish', 'spublish']);

/**
 * DESIGN §16: every key a Lua script reads or writes is in its KEYS. Ordinary work is driven while
 * MONITOR watches; each command run from inside a script (`[0 lua]`) must touch only keys that
 * the EVAL / EVALSHA it belongs to declared (Redis's own `COMMAND GETKEYS` says which arguments
 * are keys).
 */
describe('Lua scripts touch only the keys they declare (real Redis, MONITOR)', () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  afterAll(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    raw.disconnect();
    await redis.dispose();
  });

  /** The keys of one command, as Redis itself finds them; none for a command that has none. */
  async function keysOf(args: string[]): Promise<string[]> {
    if (CHANNEL_COMMANDS.has(args[0].toLowerCase())) return [];
    try {
      return (await raw.call('COMMAND', 'GETKEYS', ...args)) as string[];
    } catch {
      return [];
    }
  }

  it('declares every key touched during publish, import, delete, rollback, rollouts and membership', async () => {
    const namespace = uniqueNamespace('declared');
    const keys = new ConfigKeys(namespace);
    const commands: MonitoredCommand[] = [];
    const monitor = await RedisMonitor.start(redis.port, (command) => commands.push(command));
    try {
      const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
      apps.push(publisher.app);
      const { store } = publisher;
      await store.publish('g1', { a: 1 });
      await store.publish('g2', { b: 1 });
      await store.publish('g1', { a: 2 });
      // A node of the old project writes straight into the hash: the periodic check finds it.
      await raw.hset(
        namespace,
        'g3',
        JSON.stringify({ group_name: 'g3', group_version: 0, config_dict: { c: 1 } }),
      );

      const base = { redis: { url: redis.url }, namespace, leaseMs: 900, refreshMs: 300 };
      const pinned = await startNode({ ...base, group: 'g1', nodeId: 'n-pinned' });
      const pooled = await startNode({ ...base, group: 'absent', nodeId: 'n-pool' });
      const shared = await startNode({
        ...base,
        group: 'g2',
        nodeId: 'n-shared',
        sharedGroups: ['g3'],
      });
      apps.push(pinned.app, pooled.app, shared.app);
      await waitFor('every node placed', () => pooled.config.getConfigGroup() !== null, 5000);
      // A node that died holding a place: a heartbeat purges its expired lease.
      await raw.zadd(keys.nodes, 1, 'n-dead');
      await raw.hset(keys.holders, 'n-dead', 'a:g2');
      await waitFor(
        'the dead lease purged',
        async () => (await raw.zscore(keys.nodes, 'n-dead')) === null,
        5000,
      );

      await store.import([
        { group_name: 'g1', group_version: 5, config_dict: { a: 5 } },
        { group_name: 'g4', group_version: 0, config_dict: { d: 1 } },
      ]);
      await store.rollback('g2', 0);
      await waitFor(
        'the node applied the rollback',
        () => (shared.config.getConfigGroup()?.version ?? 0) >= 1,
        5000,
      );

      const rollouts = publisher.app.get(RolloutStore);
      const version = (await store.get('g1'))!.version;
      const state = {
        ...rolloutStateOf('r1'),
        group: 'g1',
        baseVersion: version,
        version: version + 1,
      };
      await rollouts.begin(state, { a: 6 });
      const canary = { ...state, status: 'canary' as const, step: 1 };
      await rollouts.advance(state, canary, { canaryNodes: ['n-pinned'] });
      const scripted = withScripts(raw.duplicate());
      await scripted.rccRolloutProblem(keys.rollout('g1'), 'r1', 'n-x', 'bad', keys.rollouts, 'g1');
      scripted.disconnect();
      await rollouts.revert(
        ['canary'],
        { ...canary, status: 'rolled-back' },
        { config: { a: 5 }, comment: 'stable again' },
      );
      await rollouts.holdDriverLease('admin-1', 1000);

      await store.delete('g4');
      await store.delete('g2'); // its holder moves (a placement) and leaves its shared group's state
      await waitFor('the node moved', () => shared.config.getConfigGroup()?.name !== 'g2', 5000);
      await pooled.app.close(); // a leave (release)
      apps.splice(apps.indexOf(pooled.app), 1);
      await raw.ping();
    } finally {
      await monitor.stop();
    }

    // Group each script's inner commands with it: a script runs atomically, and MONITOR reports
    // its inner commands right after (or before, by version) its EVAL / EVALSHA line.
    const undeclared = new Set<string>();
    let declared: Set<string> | null = null;
    let scriptCalls = 0;
    let pendingInner: MonitoredCommand[] = [];
    const check = async (inner: MonitoredCommand[], allowed: Set<string>) => {
      for (const command of inner)
        for (const key of await keysOf(command.args))
          if (!allowed.has(key)) undeclared.add(`${command.args[0].toLowerCase()} ${key}`);
    };
    for (const command of commands) {
      const name = command.args[0]?.toLowerCase();
      if (command.source === 'lua') {
        if (declared) pendingInner.push(command);
        continue;
      }
      if (declared) await check(pendingInner, declared);
      pendingInner = [];
      declared = null;
      if (name === 'eval' || name === 'evalsha') {
        scriptCalls++;
        const count = Number(command.args[2]);
        declared = new Set(command.args.slice(3, 3 + count));
      }
    }
    if (declared) await check(pendingInner, declared);
    expect(scriptCalls).toBeGreaterThan(10);
    expect([...undeclared].sort()).toEqual([]);
  }, 60_000);
});
