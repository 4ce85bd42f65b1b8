import { INestApplicationContext } from '@nestjs/common';
import { IsInt, IsString, Min } from 'class-validator';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigChangeEvent, ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { ScriptCalls } from '../helpers/script-calls';
import { waitFor } from '../helpers/wait-for';

class ApiKeySettings {
  @IsString() apikey!: string;
  @IsInt() @Min(1) qps_limit!: number;
}

describe('keep-last-good: Redis outages, snapshots, validation (real redis-server processes)', () => {
  let redis: RedisServer;
  let dir: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start({ appendOnly: true });
    dir = mkdtempSync(join(tmpdir(), 'rcc-snapshot-'));
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
    if (!redis.running) await redis.restart();
  });
  afterAll(async () => {
    await redis.dispose();
    rmSync(dir, { recursive: true, force: true });
  });

  async function publisher(namespace: string): Promise<ConfigGroupStore> {
    const { app, store } = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(app);
    return store;
  }
  async function node(options: Parameters<typeof startNode>[0]): Promise<ConfigGroupService> {
    const { app, config } = await startNode({
      redis: { url: redis.url },
      refreshMs: 100,
      ...options,
    });
    apps.push(app);
    return config;
  }

  it('keeps answering from memory while Redis is down, and catches up after it restarts', async () => {
    const namespace = uniqueNamespace('outage');
    const store = await publisher(namespace);
    await store.publish('g', { apikey: 'before' });
    const config = await node({ namespace, group: 'g', nodeId: 'n1' });
    expect(config.get('apikey')).toBe('before');

    const calls = new ScriptCalls(apps[apps.length - 1]);
    await redis.kill();
    // Read all along until the node has tried its periodic call three times and failed (the
    // barrier: a node that stopped working fails here), not for a fixed time.
    const seen = new Set<unknown>();
    try {
      await waitFor('three failed periodic calls of the node', () => {
        seen.add(config.get('apikey')); // never throws, never blocks
        return calls.count('failed') >= 3;
      });
    } finally {
      calls.restore();
    }
    expect(seen).toEqual(new Set(['before']));
    await expect(config.refresh()).resolves.toMatchObject({ name: 'g' }); // refresh fails quietly

    await redis.restart(); // AOF: the data is back
    // A write made while the node was cut off from pub/sub: only the catch-up can bring it.
    const raw = redis.client();
    await raw.hset(
      namespace,
      'g',
      JSON.stringify({ group_name: 'g', group_version: 5, config_dict: { apikey: 'after' } }),
    );
    raw.disconnect();
    await waitFor(
      'the node to catch up after the restart',
      () => config.get('apikey') === 'after',
      10_000,
    );
    expect(config.getConfigGroup()?.version).toBe(5);
  });

  it('starts on its snapshot when Redis is down, then follows Redis when it returns', async () => {
    const namespace = uniqueNamespace('snapshot');
    const snapshotPath = join(dir, 'node.json');
    const store = await publisher(namespace);
    await store.publish('g', { apikey: 'saved' });
    const first = await node({ namespace, group: 'g', nodeId: 'n1', snapshotPath });
    expect(first.get('apikey')).toBe('saved');
    await waitFor('the snapshot file', () => readFileSync(snapshotPath, 'utf8').includes('saved'));
    await Promise.all(apps.splice(0).map((app) => app.close()));

    await redis.kill();
    const started = Date.now();
    const second = await node({
      namespace,
      group: 'g',
      nodeId: 'n1',
      snapshotPath,
      startupTimeoutMs: 20_000,
    });
    // With a snapshot the node does not wait for the start-up timeout.
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(second.getConfigGroup()).toEqual({ name: 'g', version: 0, config: { apikey: 'saved' } });

    await redis.restart();
    const store2 = await publisher(namespace);
    await store2.publish('g', { apikey: 'fresh' });
    await waitFor('the node to load from Redis', () => second.get('apikey') === 'fresh', 10_000);
  });

  it('without a snapshot, starts on defaults after the start-up timeout and loads the group later', async () => {
    const namespace = uniqueNamespace('defaults');
    await redis.kill();
    const config = await node({ namespace, group: 'g', nodeId: 'n1', startupTimeoutMs: 300 });
    expect(config.getConfigGroup()).toBeNull();
    expect(config.get('apikey', 'fallback')).toBe('fallback');
    await redis.restart();
    const store = await publisher(namespace);
    await store.publish('g', { apikey: 'late' });
    await waitFor('the node to pick its group up', () => config.get('apikey') === 'late', 10_000);
  });

  it('fails bootstrap when asked to (failFast) and Redis is not there', async () => {
    await redis.kill();
    await expect(
      startNode({
        redis: { url: redis.url },
        namespace: uniqueNamespace('fail'),
        startupTimeoutMs: 200,
        failFast: true,
      }),
    ).rejects.toMatchObject({ name: 'RedisUnavailableError' });
  });

  it('refuses a group that fails a validate function, keeps the last good one, emits rejected', async () => {
    const namespace = uniqueNamespace('validate-fn');
    const store = await publisher(namespace);
    await store.publish('g', { apikey: 'good', qps_limit: 5 });
    const config = await node({
      namespace,
      group: 'g',
      validate: (c) => {
        if (typeof c.apikey !== 'string') throw new Error('apikey must be a string');
      },
    });
    const events: ConfigChangeEvent[] = [];
    config.onChange((event) => events.push(event));
    await store.publish('g', { apikey: 42 });
    await waitFor('a rejected event', () => events.find((e) => e.reason === 'rejected'));
    expect(events[0]).toMatchObject({
      reason: 'rejected',
      rejected: { name: 'g', version: 1, error: 'apikey must be a string' },
    });
    expect(config.get('apikey')).toBe('good');
    expect(config.getConfigGroup()?.version).toBe(0);

    await store.publish('g', { apikey: 'better', qps_limit: 6 });
    await waitFor('the next good version', () => config.get('apikey') === 'better');
  });

  it('refuses a group that fails a class-validator class, and data that is not valid JSON', async () => {
    const namespace = uniqueNamespace('validate-class');
    const store = await publisher(namespace);
    await store.publish('g', { apikey: 'good', qps_limit: 5 });
    const config = await node({ namespace, group: 'g', validate: ApiKeySettings });
    const rejected: ConfigChangeEvent[] = [];
    config.onChange((event) => event.reason === 'rejected' && rejected.push(event));

    await store.publish('g', { apikey: 'good', qps_limit: 0 });
    await waitFor('the class-validator rejection', () => rejected.length === 1);
    expect(rejected[0].rejected?.error).toMatch(/qps_limit/);

    const raw = redis.client();
    await raw.hset(namespace, 'g', '{not json');
    raw.disconnect();
    await waitFor('the broken-JSON rejection (found by the refresh)', () => rejected.length === 2);
    expect(rejected[1].rejected?.error).toMatch(/not valid JSON/);
    expect(config.getConfigGroup()).toEqual({
      name: 'g',
      version: 0,
      config: { apikey: 'good', qps_limit: 5 },
    });
  });
});
