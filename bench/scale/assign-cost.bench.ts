import Redis from 'ioredis';
import { withScripts } from '../../libs/redis-config/src/wire/redis-scripts';
import { AssignmentScripts } from '../../libs/redis-config/src/assignment/assignment-scripts';
import { ConfigKeys } from '../../libs/redis-config/src/wire/config-keys';
import { parseInfo, startBenchRedis } from '../lib/bench-redis';

/**
 * Redis CPU of one placement (the assign script) over 1,000 groups, as the pool fills: the cost
 * that bounds a join storm. CPU time (INFO cpu), not wall time: stable on a shared machine.
 */
async function main(): Promise<void> {
  const redis = await startBenchRedis();
  const client = withScripts(new Redis({ port: redis.port }));
  const namespace = 'assign-cost';
  const keys = new ConfigKeys(namespace);
  const names = Array.from({ length: 1000 }, (_, i) => `g${String(i).padStart(4, '0')}`);
  for (const name of names) {
    await client.hset(
      namespace,
      name,
      JSON.stringify({ group_name: name, group_version: 0, config_dict: {} }),
    );
  }
  const scripts = new AssignmentScripts(client, keys, 600_000);
  const report = {
    id: 'x',
    address: '127.0.0.1',
    requestedGroup: 'none',
    group: null,
    version: null,
    holding: 'none' as const,
    shared: [],
  };
  const cpuMs = async () => {
    const info = parseInfo(await client.info('cpu'));
    return ((info.get('used_cpu_user') ?? 0) + (info.get('used_cpu_sys') ?? 0)) * 1000;
  };
  for (const round of [1, 2, 3]) {
    const before = await cpuMs();
    for (let i = 0; i < names.length; i++) {
      await scripts.assign(
        { nodeId: `r${round}-${i}`, requested: 'none', mode: 'place', capacity: 0, pool: names },
        report,
      );
    }
    const perPlacement = ((await cpuMs()) - before) / names.length;
    process.stdout.write(
      `placements ${(round - 1) * 1000 + 1}–${round * 1000}: ${perPlacement.toFixed(2)} ms Redis CPU each\n`,
    );
  }
  client.disconnect();
  await redis.kill();
  process.exit(0);
}

void main();
