import { INestApplicationContext } from '@nestjs/common';
import { OpenFeature } from '@openfeature/server-sdk';
import { RedisConfigProvider } from '@rcc/redis-config/openfeature';
import { startNode, startPublisher } from '../test/helpers/config-node';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { fmt, median, pairRatios, quantileSorted, summarize } from './lib/stats';

/**
 * Issue 27: what reading a value through OpenFeature costs. The same key of the same node read
 * three ways in one run, in interleaved rounds (the order rotates each round): an OpenFeature
 * client's `getStringValue` over `RedisConfigProvider`, the provider's own
 * `resolveStringEvaluation` (what the SDK adds is the difference), and `ConfigGroupService.get`.
 * Each round runs one batch of each, awaited one call after the other as an app would.
 */
const ROUNDS = Number(process.env.BENCH_OPENFEATURE_ROUNDS ?? 60);
const BATCH_MS = 10;
const KEY = 'apikey';

const CONFIG: Record<string, unknown> = { [KEY]: 'AIzaSyBench-0123456789abcdefghij' };
for (let i = 0; i < 40; i++) CONFIG[`setting_${i}`] = i % 2 ? `value-${i}` : i;

interface Way {
  label: string;
  /** Reads the key `ops` times, one after the other; returns a value built from the reads. */
  read: (ops: number) => Promise<number>;
  ops: number;
  nsPerOp: number[];
}

async function timed(way: Way): Promise<number> {
  const started = process.hrtime.bigint();
  const sink = await way.read(way.ops);
  const ns = Number(process.hrtime.bigint() - started);
  if (sink === -1) process.stdout.write(''); // keeps the reads alive
  return ns / way.ops;
}

/** Grows the batch until it takes about BATCH_MS (warming the way up), then runs it a few times. */
async function warmUp(way: Way): Promise<void> {
  while (way.ops < 1e8 && (await timed(way)) * way.ops < BATCH_MS * 1e6) way.ops *= 2;
  for (let i = 0; i < 5; i++) await timed(way);
}

async function main(): Promise<void> {
  const began = Date.now();
  const machine = machineInfo();
  const redis = await startBenchRedis();
  const apps: INestApplicationContext[] = [];
  try {
    const common = { redis: { url: redis.url }, namespace: uniqueNamespace('bench-openfeature') };
    const publisher = await startPublisher(common);
    apps.push(publisher.app);
    await publisher.store.publish('bench', CONFIG);
    const node = await startNode({ ...common, group: 'bench', nodeId: 'bench-openfeature' });
    apps.push(node.app);
    const provider = new RedisConfigProvider(node.config);
    await OpenFeature.setProviderAndWait(provider);
    const client = OpenFeature.getClient();

    const expected = CONFIG[KEY];
    const reads = [
      node.config.get(KEY),
      (await provider.resolveStringEvaluation(KEY, '')).value,
      await client.getStringValue(KEY, ''),
    ];
    if (reads.some((value) => value !== expected)) {
      throw new Error(`the ways do not read the same value: ${JSON.stringify(reads)}`);
    }

    const way = (label: string, read: Way['read']): Way => ({ label, read, ops: 64, nsPerOp: [] });
    const ways = [
      way('OpenFeature `client.getStringValue`', async (ops) => {
        let sink = 0;
        for (let i = 0; i < ops; i++)
          sink = (sink + (await client.getStringValue(KEY, '')).length) | 0;
        return sink;
      }),
      way('`RedisConfigProvider.resolveStringEvaluation`', async (ops) => {
        let sink = 0;
        for (let i = 0; i < ops; i++)
          sink = (sink + (await provider.resolveStringEvaluation(KEY, '')).value.length) | 0;
        return sink;
      }),
      way('`ConfigGroupService.get`', (ops) => {
        let sink = 0;
        for (let i = 0; i < ops; i++) sink = (sink + node.config.get<string>(KEY)!.length) | 0;
        return Promise.resolve(sink);
      }),
    ];
    for (const each of ways) await warmUp(each);
    for (let round = 0; round < ROUNDS; round++) {
      for (let k = 0; k < ways.length; k++) {
        const each = ways[(round + k) % ways.length];
        each.nsPerOp.push(await timed(each));
      }
    }

    const [sdk, direct, service] = ways;
    const ratio = (slow: Way, fast: Way) => {
      const sorted = pairRatios(slow.nsPerOp, fast.nsPerOp).sort((a, b) => a - b);
      return { p50: quantileSorted(sorted, 0.5), p99: quantileSorted(sorted, 0.99) };
    };
    const ratios = {
      sdkVsService: ratio(sdk, service),
      providerVsService: ratio(direct, service),
      sdkVsProvider: ratio(sdk, direct),
    };
    const rows: string[][] = [
      ['read of one key', 'ns/op, median', 'ns/op, p99 of rounds', 'reads/s, median', 'batch'],
      ...ways.map((each) => {
        const ns = summarize(each.nsPerOp);
        return [
          each.label,
          fmt(ns.p50),
          fmt(ns.p99),
          fmt(1e9 / median(each.nsPerOp)),
          fmt(each.ops),
        ];
      }),
    ];
    const ratioRow = (label: string, r: { p50: number; p99: number }) => [
      label,
      `${fmt(r.p50)}×`,
      `${fmt(r.p99)}×`,
    ];
    const ratioRows: string[][] = [
      ['ratio of ns/op (same round)', 'median', 'p99 of rounds'],
      ratioRow('`getStringValue` / `ConfigGroupService.get`', ratios.sdkVsService),
      ratioRow('`resolveStringEvaluation` / `ConfigGroupService.get`', ratios.providerVsService),
      ratioRow('`getStringValue` / `resolveStringEvaluation`', ratios.sdkVsProvider),
    ];
    const markdown = [
      `${ROUNDS} rounds; in each round every way runs one batch of ~${BATCH_MS} ms, each call ` +
        'awaited before the next (the order rotates each round); ratios are taken within a round.',
      '',
      markdownTable(rows),
      '',
      markdownTable(ratioRows),
    ].join('\n');
    await saveResult({
      name: 'openfeature',
      command: benchCommand(__filename),
      machine,
      durationS: Math.round((Date.now() - began) / 1000),
      goals: [],
      markdown,
      data: {
        rounds: ROUNDS,
        ways: ways.map((each) => ({ label: each.label, ops: each.ops, nsPerOp: each.nsPerOp })),
        ratios,
      },
    });
  } finally {
    await OpenFeature.close();
    for (const app of apps.reverse()) await app.close();
    await redis.dispose();
  }
}

runBench(main, 180_000);
