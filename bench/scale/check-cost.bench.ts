import Redis from 'ioredis';
import { join } from 'node:path';
import { AssignmentScripts } from '../../libs/redis-config/src/assignment/assignment-scripts';
import { ConfigKeys } from '../../libs/redis-config/src/wire/config-keys';
import { withScripts } from '../../libs/redis-config/src/wire/redis-scripts';
import { parseCommandStats, parseInfo, startBenchRedis } from '../lib/bench-redis';
import { libraryBuiltAt } from '../lib/library-at-commit';

/**
 * Redis CPU of one heartbeat carrying the periodic check, per call, on one quiet connection
 * (pipelined, no 10,000-connection housekeeping): a commit's own scripts (`BENCH_CHECK_BASE`,
 * default 1998327) against this checkout's, for groups of each size of `BENCH_CHECK_GROUP_BYTES`
 * (default 1000,32000). 1,000 groups, 10,000 node ids pinned round-robin; every check verifies
 * its stored digest at the node's refresh (5 s) as a node does.
 */
const BASE = process.env.BENCH_CHECK_BASE ?? '1998327';
const SIZES = (process.env.BENCH_CHECK_GROUP_BYTES ?? '1000,32000').split(',').map(Number);
const CALLS = Number(process.env.BENCH_CHECK_CALLS ?? 30_000);
const GROUPS = 1000;
const NODES = 10_000;

const groupName = (i: number) => `g${String(i).padStart(4, '0')}`;
function record(name: string, bytes: number): string {
  const config: Record<string, string> = {};
  for (let i = 0; JSON.stringify(config).length < bytes; i++) config[`key_${i}`] = `value-${i}`;
  return JSON.stringify({ group_name: name, group_version: 3, config_dict: config });
}

async function main(): Promise<void> {
  const redis = await startBenchRedis();
  const admin = new Redis({ port: redis.port });
  const cpuMs = async () => {
    const info = parseInfo(await admin.info('cpu'));
    return ((info.get('used_cpu_user') ?? 0) + (info.get('used_cpu_sys') ?? 0)) * 1000;
  };
  const base = libraryBuiltAt(BASE);
  const old = {
    ...(require(join(base, 'assignment', 'assignment-scripts')) as {
      AssignmentScripts: typeof AssignmentScripts;
    }),
    ...(require(join(base, 'wire', 'config-keys')) as { ConfigKeys: typeof ConfigKeys }),
    ...(require(join(base, 'wire', 'redis-scripts')) as { withScripts: typeof withScripts }),
  };
  for (const bytes of SIZES) {
    const namespace = `check-cost-${bytes}`;
    for (let i = 0; i < GROUPS; i++)
      await admin.hset(namespace, groupName(i), record(groupName(i), bytes));
    for (const mode of ['before', 'after', 'before', 'after'] as const) {
      const client = (mode === 'before' ? old.withScripts : withScripts)(
        new Redis({ port: redis.port }),
      );
      const keys = new (mode === 'before' ? old.ConfigKeys : ConfigKeys)(namespace);
      const scripts =
        mode === 'before'
          ? new old.AssignmentScripts(client, keys, 600_000)
          : new AssignmentScripts(client, keys, 600_000, 5000);
      const beat = (n: number) => {
        const id = `node-${n % NODES}`;
        const group = groupName(n % GROUPS);
        return scripts.heartbeat(id, null, {
          nodeId: id,
          held: group,
          requested: group,
          shared: [],
        });
      };
      for (let n = 0; n < NODES; n++) await beat(n); // warm: script loaded, leases, digests
      const stats0 = parseCommandStats(await admin.info('commandstats')).get('evalsha');
      const cpu0 = await cpuMs();
      const started = Date.now();
      for (let n = 0; n < CALLS; n += 100)
        await Promise.all(Array.from({ length: 100 }, (_, i) => beat(n + i)));
      const cpu1 = await cpuMs();
      const seconds = (Date.now() - started) / 1000;
      const stats1 = parseCommandStats(await admin.info('commandstats')).get('evalsha');
      const scriptUs =
        ((stats1?.usec ?? 0) - (stats0?.usec ?? 0)) / ((stats1?.calls ?? 0) - (stats0?.calls ?? 0));
      process.stdout.write(
        `${bytes} B ${mode}: ${(((cpu1 - cpu0) * 1000) / CALLS).toFixed(1)} µs Redis process CPU per call, ` +
          `${scriptUs.toFixed(1)} µs script, ${(CALLS / seconds).toFixed(0)} calls/s\n`,
      );
      client.disconnect();
    }
  }
  admin.disconnect();
  await redis.kill();
}

void main();
