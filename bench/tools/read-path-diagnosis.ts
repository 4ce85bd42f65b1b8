import { Injectable } from '@nestjs/common';
import { ConfigGroupService, ConfigValue } from '@rcc/redis-config';
import { startNode, startPublisher } from '../../test/helpers/config-node';
import { uniqueNamespace } from '../../test/helpers/redis-server';
import { startBenchRedis } from '../lib/bench-redis';
import { runBench } from '../lib/bench-report';
import { fmt, median } from '../lib/stats';

/**
 * Why the read path is slower than a plain read, and what two small changes would give, on a real
 * node. Needs V8's natives syntax:
 *   node --allow-natives-syntax -r ts-node/register/transpile-only -r tsconfig-paths/register \
 *     bench/tools/read-path-diagnosis.ts
 * Prints, for the same key of the same live group (ns per read, median of 15 batches):
 * - `get` as it is, and a variant that loads `config[key]` first and skips
 *   `hasOwnProperty.call` (a JSON value is never `undefined` nor a function, and an inherited
 *   `__proto__` is `Object.prototype`), with the same results;
 * - a `@ConfigValue` read as it is, whether its instance still has fast properties, and the same
 *   read once the instance has been made a prototype (V8 then optimises its layout).
 */
const KEY = 'apikey';
const CONFIG: Record<string, unknown> = { [KEY]: 'AIzaSyBench-0123456789abcdefghij' };
for (let i = 0; i < 40; i++) CONFIG[`setting_${i}`] = i % 2 ? `value-${i}` : i;
const BATCH = 2_000_000;

@Injectable()
class Holder {
  @ConfigValue(KEY) apiKey!: string;
}

const hasFastProperties = new Function('object', 'return %HasFastProperties(object)') as (
  object: object,
) => boolean;

/** The variant of `ConfigGroupService.get`: same answers for configs parsed from JSON. */
function getLoadFirst(service: ConfigGroupService, key: string): unknown {
  const config = service.getConfigGroup()?.config;
  if (config === undefined) return undefined;
  const value = config[key];
  return value !== undefined && typeof value !== 'function' && value !== Object.prototype
    ? value
    : undefined;
}

/** The V8 idiom (as in bluebird's `toFastProperties`): an object made a prototype turns fast. */
function toFastProperties(object: object): void {
  Object.setPrototypeOf({}, object);
}

function time(label: string, loop: () => number): void {
  const samples: number[] = [];
  for (let i = 0; i < 20; i++) {
    const started = process.hrtime.bigint();
    if (loop() === 42) process.stdout.write('');
    if (i >= 5) samples.push(Number(process.hrtime.bigint() - started) / BATCH);
  }
  process.stdout.write(`${label.padEnd(52)} ${fmt(median(samples)).padStart(7)} ns/read\n`);
}

async function main(): Promise<void> {
  const redis = await startBenchRedis();
  const namespace = uniqueNamespace('bench-read-diagnosis');
  const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
  await publisher.store.publish('bench', CONFIG);
  const node = await startNode(
    { redis: { url: redis.url }, namespace, group: 'bench', nodeId: 'diagnosis' },
    [Holder],
  );
  try {
    const service = node.config;
    const holder = node.app.get(Holder);
    for (const key of [KEY, 'missing', 'toString', '__proto__', 'constructor']) {
      if (getLoadFirst(service, key) !== service.get(key))
        throw new Error(`variant differs on ${key}`);
    }
    const plain = { ...CONFIG };
    let sink = 0;
    time('plain object property', () => {
      for (let i = 0; i < BATCH; i++) sink = (sink + (plain[KEY] as string).length) | 0;
      return sink;
    });
    time('ConfigGroupService.get (as is)', () => {
      for (let i = 0; i < BATCH; i++) sink = (sink + service.get<string>(KEY)!.length) | 0;
      return sink;
    });
    time('get variant: load first, no hasOwnProperty.call', () => {
      for (let i = 0; i < BATCH; i++)
        sink = (sink + (getLoadFirst(service, KEY) as string).length) | 0;
      return sink;
    });
    process.stdout.write(
      `@ConfigValue instance has fast properties: ${hasFastProperties(holder)}\n`,
    );
    time('@ConfigValue read (as is)', () => {
      for (let i = 0; i < BATCH; i++) sink = (sink + holder.apiKey.length) | 0;
      return sink;
    });
    toFastProperties(holder);
    time('@ConfigValue read, instance made a prototype once', () => {
      for (let i = 0; i < BATCH; i++) sink = (sink + holder.apiKey.length) | 0;
      return sink;
    });
    process.stdout.write(`... its fast properties now: ${hasFastProperties(holder)}\n`);
    time('@ConfigValue read (as is) again, same instance', () => {
      for (let i = 0; i < BATCH; i++) sink = (sink + holder.apiKey.length) | 0;
      return sink;
    });
  } finally {
    await node.app.close();
    await publisher.app.close();
    await redis.dispose();
  }
}

runBench(main, 120_000);
