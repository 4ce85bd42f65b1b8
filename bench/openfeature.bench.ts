import { INestApplicationContext } from '@nestjs/common';
import { InMemoryProvider, OpenFeature } from '@openfeature/server-sdk';
import { RedisConfigProvider } from '@rcc/redis-config/openfeature';
import { startNode, startPublisher } from '../test/helpers/config-node';
import { uniqueNamespace } from '../test/helpers/redis-server';
import { startBenchRedis } from './lib/bench-redis';
import { benchCommand, machineInfo, markdownTable, runBench, saveResult } from './lib/bench-report';
import { fmt, median, ratioQuantiles, summarize } from './lib/stats';

/**
 * Issue 27: what reading a value through OpenFeature costs. The same key of the same node read
 * four ways in one run, in interleaved rounds (the order rotates each round): an OpenFeature
 * client's `getStringValue` over `RedisConfigProvider`, the provider's own
 * `resolveStringEvaluation` (what the SDK adds is the difference), the same client call over the
 * SDK's own `InMemoryProvider` (the SDK's floor), and `ConfigGroupService.get`.
 * Each round runs one batch of each, awaited one call after the other as an app would.
 */
const ROUNDS = Number(process.env.BENCH_OPENFEATURE_ROUNDS ?? 60);
const BATCH_MS = 10;
const KEY = 'apikey';

/** The key read, among a few dozen others (a realistic group). */
const CONFIG = Object.fromEntries([
  [KEY, 'AIzaSyBench-0123456789abcdefghij'],
  ...Array.from({ length: 40 }, (_, i) => [`setting_${i}`, i % 2 ? `value-${i}` : i]),
]) as Record<string, unknown>;

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
  for (let i = 0; i < 20; i++) await timed(way); // compiled before it is timed
  // The fastest of three runs decides: one pause of the shared machine must not stop it early.
  const fastest = async () => Math.min(await timed(way), await timed(way), await timed(way));
  while (way.ops < 1e8 && (await fastest()) * way.ops < BATCH_MS * 1e6) way.ops *= 2;
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
    // The SDK's floor: the same read through its own in-memory provider (one flag, one variant).
    await OpenFeature.setProviderAndWait(
      'in-memory',
      new InMemoryProvider({
        [KEY]: {
          variants: { only: CONFIG[KEY] as string },
          defaultVariant: 'only',
          disabled: false,
        },
      }),
    );
    const inMemory = OpenFeature.getClient('in-memory');

    const expected = CONFIG[KEY];
    const reads = [
      node.config.get(KEY),
      (await provider.resolveStringEvaluation(KEY, '')).value,
      await client.getStringValue(KEY, ''),
      await inMemory.getStringValue(KEY, ''),
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
      way('OpenFeature `client.getStringValue`, SDK `InMemoryProvider`', async (ops) => {
        let sink = 0;
        for (let i = 0; i < ops; i++)
          sink = (sink + (await inMemory.getStringValue(KEY, '')).length) | 0;
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

    const [sdk, floor, direct, service] = ways;
    // Each ratio is slow / fast of ns/op, taken within a round, then summarised over the rounds.
    const compared = [
      { label: '`getStringValue` / `ConfigGroupService.get`', slow: sdk, fast: service },
      {
        label: '`resolveStringEvaluation` / `ConfigGroupService.get`',
        slow: direct,
        fast: service,
      },
      { label: '`getStringValue` / `resolveStringEvaluation`', slow: sdk, fast: direct },
      { label: '`getStringValue`: this provider / `InMemoryProvider`', slow: sdk, fast: floor },
    ].map(({ label, slow, fast }) => ({ label, ...ratioQuantiles(slow.nsPerOp, fast.nsPerOp) }));
    const perWay = ways.map(({ label, nsPerOp, ops }) => {
      const { p50, p99 } = summarize(nsPerOp);
      return [label, fmt(p50), fmt(p99), fmt(1e9 / median(nsPerOp)), fmt(ops)];
    });
    const rows = [
      ['read of one key', 'ns/op, median', 'ns/op, p99 of rounds', 'reads/s, median', 'batch'],
      ...perWay,
    ];
    const ratioRows = [
      ['ratio of ns/op (same round)', 'median', 'p99 of rounds'],
      ...compared.map(({ label, p50, p99 }) => [label, `${fmt(p50)}×`, `${fmt(p99)}×`]),
    ];
    const how =
      `${ROUNDS} rounds; in each round every way runs one batch of ~${BATCH_MS} ms, each call ` +
      'awaited before the next (the order rotates each round); ratios are taken within a round.';
    const markdown = [how, markdownTable(rows), markdownTable(ratioRows)].join('\n\n');
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
        ratios: compared,
      },
    });
  } finally {
    await OpenFeature.close();
    for (const app of apps.reverse()) await app.close();
    await redis.dispose();
  }
}

runBench(main, 180_000);
