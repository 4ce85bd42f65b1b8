import Redis from 'ioredis';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import { AssignmentScripts, NodeReport } from '@rcc/redis-config/assignment/assignment-scripts';
import { withScripts } from '@rcc/redis-config/wire/redis-scripts';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { appMemory, launchBenchApp, stopBenchApp } from './lib/bench-app-process';
import { parseInfo, startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { compileBenchApps } from './lib/compiled-bench-apps';
import { fmt, median } from './lib/stats';

/**
 * Question 6: memory. (a) RSS and heap of a node process holding a 100 KB group, next to the same
 * node holding a 1 KB group and to the same app with `@nestjs/config` only (fresh processes, after
 * a full GC, rounds in rotating order). (b) Redis memory per 1,000 node leases: `INFO memory`
 * before and after 1,000 nodes run the library's own heartbeat script (lease in `{ns}:nodes`,
 * report in `{ns}:node-info`), then its assign script (a place in `{ns}:holders` as well).
 */
const ROUNDS = Number(process.env.BENCH_MEMORY_ROUNDS ?? 3);
const LEASE_NODES = 1000;
const SETTLE_MS = 1000;

function configOfSize(bytes: number): Record<string, string> {
  const config: Record<string, string> = { apikey: 'AIzaSyBench-memory' };
  for (let i = 0; JSON.stringify(config).length < bytes; i++) {
    config[`key_${i}`] = `value-${i}-${'x'.repeat(40)}`;
  }
  return config;
}

const MiB = 2 ** 20;

async function usedMemory(client: Pick<Redis, 'info'>): Promise<number> {
  return parseInfo(await client.info('memory')).get('used_memory') ?? 0;
}

/** A report as a real node sends it: host/address/pid id, its group and version. */
function report(i: number): NodeReport {
  const address = `10.42.${(i >> 8) & 255}.${i & 255}`;
  return {
    id: `api-worker-${i}/${address}/${1000 + i}`,
    address,
    requestedGroup: 'default',
    group: `apikey-${String(i % 37).padStart(2, '0')}`,
    version: 3,
    holding: 'assigned',
  };
}

async function leaseMemory(
  url: string,
): Promise<{ leases: number; withPlaces: number; perKey: Record<string, number> }> {
  const redis = new Redis(url);
  const client = withScripts(redis);
  try {
    const keys = new ConfigKeys(uniqueNamespace('bench-leases'));
    const pool = Array.from({ length: 37 }, (_, i) => `apikey-${String(i).padStart(2, '0')}`);
    for (const group of pool) {
      await client.hset(
        keys.groups,
        group,
        JSON.stringify({ group_name: group, group_version: 0, config_dict: {} }),
      );
    }
    const scripts = new AssignmentScripts(client, keys, 60_000);
    const before = await usedMemory(redis);
    for (let i = 0; i < LEASE_NODES; i++) await scripts.heartbeat(report(i).id, report(i));
    const afterLeases = await usedMemory(redis);
    for (let i = 0; i < LEASE_NODES; i++) {
      await scripts.assign(
        {
          nodeId: report(i).id,
          requested: 'default',
          mode: 'place',
          capacity: 0,
          pool: { globs: [] },
        },
        report(i),
      );
    }
    const afterPlaces = await usedMemory(redis);
    const perKey: Record<string, number> = {};
    for (const key of [keys.nodes, keys.nodeInfo, keys.holders]) {
      perKey[key.slice(key.lastIndexOf(':') + 1)] = Number(
        await client.call('MEMORY', 'USAGE', key, 'SAMPLES', '0'),
      );
    }
    await client.del(keys.groups, keys.nodes, keys.nodeInfo, keys.holders);
    return { leases: afterLeases - before, withPlaces: afterPlaces - before, perKey };
  } finally {
    client.disconnect();
  }
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const apps = compileBenchApps();
  const redis = await startBenchRedis();
  try {
    const namespace = uniqueNamespace('bench-memory');
    const seed = redis.client();
    for (const [name, bytes] of [
      ['big', 100 * 1024],
      ['small', 1024],
    ] as const) {
      const record = { group_name: name, group_version: 0, config_dict: configOfSize(bytes) };
      await seed.hset(namespace, name, JSON.stringify(record));
    }
    seed.disconnect();

    const kinds = [
      { label: 'node with this library, 100 KB group', file: apps.rccNode, group: 'big' },
      { label: 'node with this library, 1 KB group', file: apps.rccNode, group: 'small' },
      { label: 'same app, `@nestjs/config` only', file: apps.nestConfig, group: null },
    ];
    const samples = kinds.map(() => ({ rss: [] as number[], heap: [] as number[] }));
    let run = 0;
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < kinds.length; k++) {
        const index = (round + k) % kinds.length;
        const kind = kinds[index];
        run += 1;
        const app = await launchBenchApp(
          kind.file,
          kind.group
            ? {
                REDIS_URL: redis.url,
                RCC_NAMESPACE: namespace,
                DEFAULT_CONFIG_GROUP: kind.group,
                RCC_NODE_ID: `memory-${run}`,
              }
            : { BENCH_APIKEY: 'AIzaSyBench-memory' },
          ['--expose-gc'],
        );
        await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
        const memory = await appMemory(app);
        await stopBenchApp(app);
        samples[index].rss.push(memory.rss);
        samples[index].heap.push(memory.heapUsed);
      }
    }
    const rss = samples.map((s) => median(s.rss));
    const heap = samples.map((s) => median(s.heap));
    const baseline = 2;

    const leaseRuns = [];
    for (let i = 0; i < 3; i++) leaseRuns.push(await leaseMemory(redis.url));
    const leasesPer1000 = (median(leaseRuns.map((r) => r.leases)) / LEASE_NODES) * 1000;
    const placesPer1000 = (median(leaseRuns.map((r) => r.withPlaces)) / LEASE_NODES) * 1000;

    const processRows: string[][] = [
      [
        'process',
        'RSS, median (MiB)',
        'RSS − baseline (MiB)',
        'JS heap used, median (MiB)',
        'heap − baseline (MiB)',
      ],
      ...kinds.map((kind, i) => [
        kind.label,
        fmt(rss[i] / MiB),
        i === baseline ? '—' : fmt((rss[i] - rss[baseline]) / MiB),
        fmt(heap[i] / MiB),
        i === baseline ? '—' : fmt((heap[i] - heap[baseline]) / MiB),
      ]),
    ];
    const perKey = leaseRuns[0].perKey;
    const redisRows: string[][] = [
      [
        'what 1,000 nodes leave in Redis',
        '`used_memory` delta, median of 3 (KiB)',
        'per node (bytes)',
      ],
      [
        'leases + reports (`{ns}:nodes` ZSET, `{ns}:node-info` HASH)',
        fmt(leasesPer1000 / 1024),
        fmt(leasesPer1000 / 1000),
      ],
      ['… and places (`{ns}:holders` HASH)', fmt(placesPer1000 / 1024), fmt(placesPer1000 / 1000)],
    ];
    const markdown = [
      `Process memory: ${ROUNDS} rounds of fresh processes (compiled JS, \`--expose-gc\`), order ` +
        `rotating; each read ${SETTLE_MS} ms after its first value was served, after a full GC.`,
      '',
      markdownTable(processRows),
      '',
      `Redis memory: ${LEASE_NODES} nodes run the library's heartbeat script (\`HEARTBEAT_LUA\` via ` +
        '`AssignmentScripts`, the code the nodes run), then its assign script, on 37 groups; node ' +
        'ids like `api-worker-17/10.42.0.17/1017`.',
      '',
      markdownTable(redisRows),
      '',
      `\`MEMORY USAGE\` of the keys after 1,000 nodes: nodes ${fmt(perKey.nodes / 1024)} KiB, ` +
        `node-info ${fmt(perKey['node-info'] / 1024)} KiB, holders ${fmt(perKey.holders / 1024)} KiB.`,
    ].join('\n');
    await saveResult({
      name: 'memory',
      command: benchCommand(__filename),
      machine,
      durationS: Math.round((Date.now() - began) / 1000),
      goals: [],
      markdown,
      data: { kinds: kinds.map((k, i) => ({ label: k.label, ...samples[i] })), leaseRuns },
    });
  } finally {
    await redis.dispose();
  }
}

runBench(main, 300_000);
