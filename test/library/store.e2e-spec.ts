import { INestApplicationContext } from '@nestjs/common';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type Redis from 'ioredis';
import {
  ConfigGroupExistsError,
  ConfigGroupNotFoundError,
  ConfigGroupStore,
  ConfigVersionConflictError,
  InvalidConfigInputError,
} from '@rcc/redis-config/publisher';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { withPublisherScripts } from '@rcc/redis-config/wire/publisher-scripts';
import { startPublisher } from '../helpers/config-node';
import { keySlot } from '../helpers/key-slot';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

const fixture = JSON.parse(
  readFileSync(join(__dirname, '../fixtures/old-console-export.json'), 'utf8'),
) as unknown[];

describe('ConfigGroupStore on a real Redis (Redis layout of DESIGN §4)', () => {
  let redis: RedisServer;
  let raw: Redis;
  let app: INestApplicationContext;
  let store: ConfigGroupStore;
  let namespace: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  });
  beforeEach(async () => {
    namespace = uniqueNamespace('store');
    ({ app, store } = await startPublisher({ redis: { url: redis.url }, namespace }));
  });
  afterEach(async () => {
    await app.close();
  });
  afterAll(async () => {
    raw.disconnect();
    await redis.dispose();
  });

  const hget = async (name: string) =>
    JSON.parse((await raw.hget(namespace, name)) ?? 'null') as unknown;

  it('writes the old project format, readable by a plain HGET, values kept exactly as written', async () => {
    const config = {
      youtube_apikey: 'AIza',
      timeout_ms: 3000,
      nested: { list: [], empty: {} },
      big: 1e21,
    };
    await store.publish('group_1', config);
    expect(await hget('group_1')).toMatchObject({
      group_name: 'group_1',
      group_version: 0,
      config_dict: config,
    });
    const stored = (await raw.hget(namespace, 'group_1')) as string;
    expect(stored.startsWith('{"group_name":"group_1","group_version":0,"config_dict":')).toBe(
      true,
    );
    await store.publish('group_1', { ...config, timeout_ms: 100 });
    expect(await hget('group_1')).toMatchObject({
      group_version: 1,
      config_dict: { timeout_ms: 100 },
    });
  });

  it('reads what the old project wrote, including "config_dict": null', async () => {
    await raw.hset(
      namespace,
      'py',
      JSON.stringify({ group_name: 'py', group_version: 7, config_dict: null }),
    );
    expect(await store.get('py')).toMatchObject({
      name: 'py',
      version: 7,
      config: {},
      updatedAt: null,
    });
    // The next write continues the old numbering and keeps the Python version in the history.
    const next = await store.publish('py', { a: 1 }, { expectedVersion: 7 });
    expect(next.version).toBe(8);
    expect((await store.history('py')).map((h) => h.version)).toEqual([8, 7]);
  });

  it('keeps every other key under the namespace hash tag (one cluster slot)', async () => {
    await store.publish('g', { a: 1 });
    await store.publish('g', { a: 2 });
    const keys = await raw.keys(`*${namespace}*`);
    expect(keys.sort()).toEqual(
      [
        namespace,
        `{${namespace}}:history:g`,
        `{${namespace}}:revision`,
        `{${namespace}}:digests`,
      ].sort(),
    );
    // CRC16 of `{ns}:x` is CRC16 of `ns`: every key lands in the groups hash's slot.
    expect(new Set(keys.map(keySlot))).toEqual(new Set([keySlot(namespace)]));
    expect(keySlot('{rcc::config::redis_config_center}:revision')).toBe(
      keySlot('rcc::config::redis_config_center'),
    );
  });

  it('create refuses an existing name; get/list/delete behave', async () => {
    await store.create('a', { k: 1 });
    await expect(store.create('a', { k: 2 })).rejects.toBeInstanceOf(ConfigGroupExistsError);
    await store.publish('b-search', { k: 1, j: 2 });
    expect(await store.list()).toEqual([
      expect.objectContaining({ name: 'a', version: 0, keyCount: 1 }),
      expect.objectContaining({ name: 'b-search', version: 0, keyCount: 2 }),
    ]);
    expect((await store.list('SEARCH')).map((g) => g.name)).toEqual(['b-search']);
    expect((await store.list('.*')).map((g) => g.name)).toEqual([]); // plain text, not a regex
    expect(await store.delete('a')).toBe(true);
    expect(await store.delete('a')).toBe(false);
    expect(await store.get('a')).toBeNull();
    expect(await raw.exists(`{${namespace}}:history:a`)).toBe(0);
  });

  it('refuses bad names and configs with the field named, and writes nothing', async () => {
    for (const name of ['', ' lead', 'trail ', 'has{brace}', 'ctl\u0001', 'x'.repeat(129)]) {
      await expect(store.publish(name, { a: 1 })).rejects.toMatchObject({
        name: 'InvalidConfigInputError',
        problems: [expect.objectContaining({ field: 'name' })],
      });
    }
    for (const config of [null, [], 'text', 3, { fn: () => 1 }, { n: Number.NaN }]) {
      await expect(store.publish('ok', config as never)).rejects.toBeInstanceOf(
        InvalidConfigInputError,
      );
    }
    expect(await raw.hlen(namespace)).toBe(0);
  });

  it('keeps history newest first with author and comment, and rolls back as a new version', async () => {
    await store.publish('h', { v: 'one' }, { author: 'alice', comment: 'first' });
    await store.publish('h', { v: 'two' }, { author: 'bob' });
    await store.publish('h', { v: 'three' });
    const history = await store.history('h');
    expect(history.map((h) => [h.version, h.config.v, h.author, h.current])).toEqual([
      [2, 'three', null, true],
      [1, 'two', 'bob', false],
      [0, 'one', 'alice', false],
    ]);
    expect(history[2].comment).toBe('first');
    const rolled = await store.rollback('h', 0, { author: 'carol' });
    expect(rolled).toMatchObject({
      version: 3,
      config: { v: 'one' },
      comment: 'rollback to version 0',
    });
    await expect(store.rollback('h', 42)).rejects.toBeInstanceOf(ConfigGroupNotFoundError);
    await expect(store.history('nope')).rejects.toBeInstanceOf(ConfigGroupNotFoundError);
  });

  it('reads one kept version with one LINDEX, the whole history only past a gap left by a direct write', async () => {
    const listReads = async () => {
      const stats = String(await raw.info('commandstats'));
      const calls = (command: string) =>
        Number(new RegExp(`cmdstat_${command}:calls=(\\d+)`).exec(stats)?.[1] ?? 0);
      return { lindex: calls('lindex'), lrange: calls('lrange') };
    };
    for (const v of ['zero', 'one', 'two', 'three']) await store.publish('k', { v });
    let before = await listReads();
    expect(await store.getVersion('k', 1)).toMatchObject({ version: 1, config: { v: 'one' } });
    expect(await listReads()).toEqual({ lindex: before.lindex + 1, lrange: before.lrange });

    // The old project writes straight into the hash: version 4 is never in the history.
    await raw.hset(
      namespace,
      'k',
      JSON.stringify({ group_name: 'k', group_version: 5, config_dict: { v: 'five' } }),
    );
    before = await listReads();
    expect(await store.getVersion('k', 2)).toMatchObject({ version: 2, config: { v: 'two' } });
    expect(await listReads()).toEqual({ lindex: before.lindex + 1, lrange: before.lrange + 1 });
    expect(await store.getVersion('k', 4)).toBeNull();
    expect(await store.getVersion('k', 6)).toBeNull();
    expect(await store.getVersion('k', 5)).toMatchObject({ config: { v: 'five' }, current: true });
    await expect(store.getVersion('nope', 0)).rejects.toBeInstanceOf(ConfigGroupNotFoundError);
    expect(await store.rollback('k', 2)).toMatchObject({ version: 6, config: { v: 'two' } });
  });

  it('refuses a rollback based on a stale version', async () => {
    await store.publish('r', { v: 0 });
    await store.publish('r', { v: 1 });
    await expect(store.rollback('r', 0, { expectedVersion: 0 })).rejects.toBeInstanceOf(
      ConfigVersionConflictError,
    );
    expect((await store.get('r'))?.version).toBe(1);
  });

  it('imports the old console export file as is, with a dry run first', async () => {
    const preview = await store.import(fixture, { dryRun: true });
    expect(preview).toMatchObject({ dryRun: true, applied: false, updated: [], unchanged: [] });
    expect(preview.created).toEqual([
      'default',
      'empty',
      'group_1',
      'group_2',
      'group_3',
      'group_4',
    ]);
    expect(await raw.hlen(namespace)).toBe(0);

    const applied = await store.import(fixture);
    expect(applied.applied).toBe(true);
    expect(await store.get('empty')).toMatchObject({ version: 0, config: {} });
    expect(await store.get('group_2')).toMatchObject({
      version: 1,
      config: { regions: ['cn', 'sg'] },
    });

    const again = await store.import(fixture, { dryRun: true });
    expect(again.unchanged).toHaveLength(6);
    expect(await store.export()).toEqual(
      (fixture as { group_name: string; group_version: number; config_dict: object | null }[]).map(
        (e) => ({
          ...e,
          config_dict: e.config_dict ?? {},
        }),
      ),
    );
  });

  it('updates changed groups on import with version + 1', async () => {
    await store.publish('group_1', { old: true });
    const result = await store.import(fixture);
    expect(result.updated).toEqual(['group_1']);
    expect(result.entries.find((e) => e.name === 'group_1')).toMatchObject({
      currentVersion: 0,
      newVersion: 1,
    });
    expect(await store.get('group_1')).toMatchObject({ version: 1, config: { qps_limit: 10 } });
  });

  it('refuses a file with any bad entry whole, listing every problem, writing nothing', async () => {
    const bad = [
      ...fixture,
      { group_name: 'x{y}', group_version: 0, config_dict: {} },
      { group_name: 'neg', group_version: -1, config_dict: {} },
      { group_name: 'arr', group_version: 0, config_dict: [1] },
      { group_name: 'default', group_version: 0, config_dict: {} },
      'not an object',
    ];
    await expect(store.import(bad)).rejects.toMatchObject({
      problems: [
        { field: '[6].group_name', message: expect.stringContaining('"{"') },
        { field: '[7].group_version', message: expect.any(String) },
        { field: '[8].config_dict', message: expect.any(String) },
        { field: '[9].group_name', message: expect.stringContaining('twice') },
        { field: '[10]', message: 'must be an object' },
      ],
    });
    await expect(store.import({ not: 'an array' })).rejects.toBeInstanceOf(InvalidConfigInputError);
    expect(await raw.hlen(namespace)).toBe(0);
  });

  it('writes nothing of an import when a group changed between its plan and its apply', async () => {
    await store.publish('group_1', { v: 0 });
    // A concurrent writer slips in at the worst moment: after the plan was read, just before the
    // Lua apply. The script must see that group_1 is no longer at version 0 and write nothing.
    const client = withPublisherScripts(app.get(RedisConfigConnection).client);
    const apply = client.rccImport.bind(client);
    client.rccImport = async (...args) => {
      await store.publish('group_1', { v: 'concurrent' });
      return apply(...args);
    };
    await expect(store.import(fixture)).rejects.toMatchObject({
      name: 'ConfigVersionConflictError',
      group: 'group_1',
      expectedVersion: 0,
      actualVersion: 1,
    });
    expect(await raw.hkeys(namespace)).toEqual(['group_1']);
    expect(await store.get('group_1')).toMatchObject({ version: 1, config: { v: 'concurrent' } });
  });
});
