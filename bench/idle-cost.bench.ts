import type { INestApplicationContext } from '@nestjs/common';
import Redis from 'ioredis';
import { startNode } from '../test/helpers/config-node';
import { RedisServer, uniqueNamespace } from '../test/helpers/redis-server';
import { commandStatsDelta, parseCommandStats, startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { RespCountingProxy, TrafficCount } from './lib/resp-counting-proxy';
import { fmt } from './lib/stats';

/**
 * Question 3: what an idle node costs Redis, per node per minute, for a 1 KB and a 100 KB group,
 * next to the old project's pattern replayed (`HKEYS` + `HGET` of the whole group every 5 s).
 * Time runs SCALE× faster than the defaults (refresh 5 s → 500 ms, lease 10 s → 1 s, the old
 * poll 5 s → 500 ms), and the counts are scaled back to one minute at the default settings.
 * Each population has its own redis-server behind a counting proxy; all four run at once.
 */
const SCALE = 10;
const NODES = 5;
const WINDOW_MS = Number(process.env.BENCH_IDLE_WINDOW_MS ?? 12_000);
const GROUP = 'bench';
const DEFAULT_REFRESH_MS = 5000;
const DEFAULT_LEASE_MS = 10_000;

function configOfSize(bytes: number): Record<string, string> {
  const config: Record<string, string> = {};
  for (let i = 0; JSON.stringify(config).length < bytes; i++) {
    config[`key_${i}`] = `value-${i}-${'x'.repeat(40)}`;
  }
  return config;
}

/** The old project's node: every refresh, the group names, then the whole group. */
function oldPatternNode(url: string, namespace: string, periodMs: number): () => void {
  const client = new Redis(url);
  const timer = setInterval(() => {
    void client
      .hkeys(namespace)
      .then(() => client.hget(namespace, GROUP))
      .catch(() => undefined);
  }, periodMs);
  return () => {
    clearInterval(timer);
    client.disconnect();
  };
}

interface Population {
  label: string;
  pattern: 'ours' | 'old';
  groupBytes: number;
  redis: RedisServer;
  proxy: RespCountingProxy;
  stop: () => Promise<void>;
}

async function startPopulation(pattern: 'ours' | 'old', groupBytes: number): Promise<Population> {
  const redis = await startBenchRedis();
  const proxy = await RespCountingProxy.start(redis.port);
  const namespace = uniqueNamespace('bench-idle');
  // The stored layout of DESIGN §4, written directly: the group and nine neighbours of 1 KB.
  const seed = redis.client();
  const record = (name: string, config: object) =>
    JSON.stringify({ group_name: name, group_version: 0, config_dict: config });
  await seed.hset(namespace, GROUP, record(GROUP, configOfSize(groupBytes)));
  for (let i = 1; i <= 9; i++)
    await seed.hset(namespace, `other-${i}`, record(`other-${i}`, configOfSize(1024)));
  seed.disconnect();
  const label = `${pattern === 'ours' ? 'this library' : 'old pattern'}, ${groupBytes / 1024} KB group`;
  if (pattern === 'old') {
    const stops = Array.from({ length: NODES }, () =>
      oldPatternNode(proxy.url, namespace, DEFAULT_REFRESH_MS / SCALE),
    );
    return {
      label,
      pattern,
      groupBytes,
      redis,
      proxy,
      stop: async () => stops.forEach((s) => s()),
    };
  }
  const apps: INestApplicationContext[] = [];
  for (let i = 0; i < NODES; i++) {
    const { app } = await startNode({
      redis: { url: proxy.url },
      namespace,
      group: GROUP,
      nodeId: `idle-node-${i}`,
      refreshMs: DEFAULT_REFRESH_MS / SCALE,
      leaseMs: DEFAULT_LEASE_MS / SCALE,
    });
    apps.push(app);
  }
  return {
    label,
    pattern,
    groupBytes,
    redis,
    proxy,
    stop: async () => {
      await Promise.all(apps.map((app) => app.close()));
    },
  };
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const populations: Population[] = [];
  try {
    for (const pattern of ['ours', 'old'] as const) {
      for (const size of [1024, 100 * 1024]) populations.push(await startPopulation(pattern, size));
    }
    await new Promise((resolve) => setTimeout(resolve, 1500)); // connections set up, first beats
    const probes = populations.map((p) => p.redis.client());
    const statsBefore = await Promise.all(probes.map((c) => c.info('commandstats')));
    populations.forEach((p) => p.proxy.reset());
    const windowStart = Date.now();
    await new Promise((resolve) => setTimeout(resolve, WINDOW_MS));
    const counts: TrafficCount[] = populations.map((p) => p.proxy.reset());
    const elapsedMs = Date.now() - windowStart;
    const statsAfter = await Promise.all(probes.map((c) => c.info('commandstats')));
    probes.forEach((c) => c.disconnect());

    // Measured over `elapsedMs` of scaled time = elapsedMs * SCALE of real time at the defaults.
    const perNodeMinute = (value: number) => value / NODES / ((elapsedMs * SCALE) / 60_000);
    const rows = populations.map((p, index) => {
      const count = counts[index];
      const commands = [...count.commands].reduce((sum, [, n]) => sum + n, 0);
      const inner = commandStatsDelta(
        parseCommandStats(statsBefore[index]),
        parseCommandStats(statsAfter[index]),
      );
      const executed = [...inner.values()].reduce((sum, s) => sum + s.calls, 0);
      return {
        label: p.label,
        pattern: p.pattern,
        groupBytes: p.groupBytes,
        requestsPerNodeMinute: perNodeMinute(commands),
        requestsByCommand: Object.fromEntries(
          [...count.commands].map(([name, n]) => [name, perNodeMinute(n)]),
        ),
        executedPerNodeMinute: perNodeMinute(executed),
        bytesInPerNodeMinute: perNodeMinute(count.bytesIn),
        bytesOutPerNodeMinute: perNodeMinute(count.bytesOut),
      };
    });
    const find = (pattern: 'ours' | 'old', size: number) =>
      rows.find((r) => r.pattern === pattern && r.groupBytes === size)!;
    const total = (r: (typeof rows)[number]) => r.bytesInPerNodeMinute + r.bytesOutPerNodeMinute;
    const ours1 = find('ours', 1024);
    const ours100 = find('ours', 100 * 1024);
    const old100 = find('old', 100 * 1024);
    const sizeEffect = total(ours100) / total(ours1);
    const advantage = total(old100) / total(ours100);

    const table: string[][] = [
      [
        'who',
        'requests / node / min',
        'of which',
        'commands run by Redis (incl. inside scripts) / node / min',
        'bytes in / node / min',
        'bytes out / node / min',
      ],
      ...rows.map((r) => [
        r.label,
        fmt(r.requestsPerNodeMinute),
        Object.entries(r.requestsByCommand)
          .map(([name, n]) => `${name} ${fmt(n)}`)
          .join(', '),
        fmt(r.executedPerNodeMinute),
        fmt(r.bytesInPerNodeMinute),
        fmt(r.bytesOutPerNodeMinute),
      ]),
    ];
    const markdown = [
      `${NODES} nodes per row, each row on its own redis-server behind a counting TCP proxy, all ` +
        `four at once for ${(elapsedMs / 1000).toFixed(1)} s with time running ${SCALE}× faster ` +
        '(refresh 500 ms, lease 1 s, old poll 500 ms), scaled back to one minute at the defaults ' +
        '(`RCC_REFRESH_MS=5000`, `RCC_LEASE_MS=10000`, old refresh 5 s). Redis holds the group ' +
        'and nine 1 KB neighbours. Requests and bytes are counted on the wire by the proxy.',
      '',
      markdownTable(table),
      '',
      `Bytes per node, 100 KB group / 1 KB group: ${fmt(sizeEffect)}× (ours). ` +
        `Old pattern / ours at 100 KB: ${fmt(advantage)}× the bytes.`,
    ].join('\n');
    await saveResult({
      name: 'idle-cost',
      command: benchCommand(__filename),
      machine,
      durationS: Math.round((Date.now() - began) / 1000),
      goals: [
        {
          goal: 'bytes per node independent of group size (100 KB vs 1 KB within 5%)',
          measured: `${fmt(sizeEffect)}×`,
          met: sizeEffect <= 1.05 && sizeEffect >= 0.95,
        },
        {
          goal: '≥ 10× fewer bytes than the old pattern at 100 KB',
          measured: `${fmt(advantage)}×`,
          met: advantage >= 10,
        },
      ],
      markdown,
      data: { nodes: NODES, scale: SCALE, windowMs: elapsedMs, rows },
    });
  } finally {
    for (const p of populations) {
      await p.stop();
      await p.proxy.close();
      await p.redis.dispose();
    }
  }
}

runBench(main, 120_000);
