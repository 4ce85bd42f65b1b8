import { INestApplicationContext, Logger, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import {
  ConfigChangeEvent,
  ConfigGroupService,
  RedisConfigModule,
  RedisConfigModuleOptions,
} from '@rcc/redis-config';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import fc from 'fast-check';
import { waitFor } from '../helpers/wait-for';
import { groupPath, HostileAdmin } from './hostile-admin';
import { LogCapture } from './log-capture';
import { prototypeFingerprint, prototypesIntact } from './prototype-guard';

const RUNS = Number(process.env.HOSTILE_RUNS ?? 15);

/** A node whose log the test reads (the library logs through Nest's shared Logger). */
async function startLoggedNode(
  options: RedisConfigModuleOptions,
  logger: LogCapture,
): Promise<{ app: INestApplicationContext; config: ConfigGroupService }> {
  @Module({ imports: [RedisConfigModule.forRoot(options)] })
  class ForeignDataNodeModule {}
  const app = await NestFactory.createApplicationContext(ForeignDataNodeModule, { logger });
  return { app, config: app.get(ConfigGroupService) };
}

const record = (fields: Record<string, unknown>) =>
  JSON.stringify({ group_name: 'g', group_version: 1, config_dict: {}, ...fields });

/** What others (the old Python nodes, a human with redis-cli) may leave in the hash. */
const BROKEN: [string, string][] = [
  ['not JSON', '{"group_name": "g", '],
  ['an empty string', ''],
  ['JSON null', 'null'],
  ['a JSON number', '42'],
  ['a JSON string', '"g"'],
  ['a JSON array', '[{"group_name":"g"}]'],
  ['config_dict an array', record({ config_dict: [1, 2] })],
  ['config_dict a string', record({ config_dict: 'apikey=1' })],
  ['group_version a string', record({ group_version: '3' })],
  ['group_version negative', record({ group_version: -1 })],
  ['group_version a fraction', record({ group_version: 1.5 })],
  ['group_version huge', '{"group_name":"g","group_version":1e400,"config_dict":{}}'],
  ['no group_version', JSON.stringify({ group_name: 'g', config_dict: {} })],
  ['another group_name', record({ group_name: 'other' })],
  ['no group_name', JSON.stringify({ group_version: 1, config_dict: {} })],
  ['group_name a number', record({ group_name: 7 })],
  ['a huge value that is not JSON', `{"group_name":"g","x":"${'x'.repeat(4 * 1024 * 1024)}`],
];

describe('data written into Redis by others: nodes keep their last good group, the admin keeps answering', () => {
  let h: HostileAdmin;
  let node: INestApplicationContext;
  let config: ConfigGroupService;
  const logs = new LogCapture();
  const events: ConfigChangeEvent[] = [];
  let fingerprint: string;
  let good = 0;

  beforeAll(async () => {
    fingerprint = prototypeFingerprint();
    h = await HostileAdmin.start();
    await h.send('put', groupPath('g'), { config: { apikey: 'good-0' } });
    ({ app: node, config } = await startLoggedNode(
      { redis: { url: h.redis.url }, namespace: h.namespace, group: 'g', refreshMs: 100 },
      logs,
    ));
    config.onChange((event) => events.push(event));
  });
  afterAll(async () => {
    await node.close();
    await h.close();
    Logger.overrideLogger(false); // the capture belongs to this suite
  });

  /** A good version written the old project's way (plain HSET, no event): found by the refresh. */
  async function writeGood(): Promise<string> {
    good += 1;
    const apikey = `good-${good}`;
    await h.raw.hset(
      h.namespace,
      'g',
      record({ group_version: 100 + good, config_dict: { apikey } }),
    );
    await waitFor('the node to apply the good version', () => config.get('apikey') === apikey);
    return apikey;
  }

  /** Writes `raw`, then checks the node refused it, said so, and kept `apikey`; the admin answers. */
  async function expectRefused(raw: string, apikey: string): Promise<void> {
    const fromEvent = events.length;
    const fromLog = logs.entries.length;
    await h.raw.hset(h.namespace, 'g', raw);
    const refusal = await waitFor('a rejected event', () =>
      events.slice(fromEvent).find((event) => event.reason === 'rejected'),
    );
    expect(refusal?.rejected?.name).toBe('g');
    expect(config.get('apikey')).toBe(apikey);
    expect(config.getConfigGroup()?.version).toBe(100 + good);
    const said = logs.since(fromLog, 'error').join('\n');
    expect(said).toMatch(/"g".*refused, keeping the last good group/);
    expect(said.length).toBeLessThan(2000); // a 4 MiB value is not copied into the log
    for (const path of [
      '/api/groups',
      groupPath('g'),
      `${groupPath('g')}/history`,
      '/api/export',
      '/api/nodes',
    ]) {
      const answer = await h.send('get', path);
      expect([path, answer.status]).toEqual([path, 200]);
    }
    expect(prototypesIntact(fingerprint)).toBe(true);
  }

  // First: after a big reply, ioredis's parser shrinks its buffer pool on a timer for a second
  // or two; later tests give it that time, so jest exits at once at the end.
  it('applies a huge but valid group (4 MiB) and keeps answering lists', async () => {
    const blob = 'v'.repeat(4 * 1024 * 1024);
    await h.raw.hset(h.namespace, 'g', record({ group_version: 900, config_dict: { blob } }));
    await waitFor(
      'the node to apply the huge group',
      () => config.getConfigGroup()?.version === 900,
    );
    expect((config.get('blob') as string).length).toBe(blob.length);
    expect((await h.send('get', '/api/groups')).status).toBe(200);
    await h.raw.hset(
      h.namespace,
      'g',
      record({ group_version: 901, config_dict: { small: true } }),
    );
    await waitFor('the node to apply a small group again', () => config.get('small') === true);
  });

  it.each(BROKEN)('refuses %s, logs it, keeps the last good group', async (_label, raw) => {
    const apikey = await writeGood();
    await expectRefused(raw, apikey);
  });

  it('refuses random values and random JSON in the hash the same way', async () => {
    const junk = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 60 }),
      fc.jsonValue({ maxDepth: 3 }).map((value) => JSON.stringify(value)),
      fc
        .dictionary(
          fc.constantFrom('group_name', 'group_version', 'config_dict', 'x'),
          fc.jsonValue({ maxDepth: 2 }),
        )
        .filter((value) => value.group_name !== 'g')
        .map((value) => JSON.stringify(value)),
    );
    await fc.assert(
      fc.asyncProperty(junk, async (raw) => {
        const apikey = await writeGood();
        await expectRefused(raw, apikey);
      }),
      { numRuns: RUNS },
    );
  });

  it("reads the old project's null config_dict as {} and applies it", async () => {
    await writeGood();
    await h.raw.hset(h.namespace, 'g', '{"group_name":"g","group_version":500,"config_dict":null}');
    await waitFor(
      'the node to apply the empty group',
      () => config.getConfigGroup()?.version === 500,
    );
    expect(config.getConfigGroup()?.config).toEqual({});
    expect(config.get('apikey', 'fallback')).toBe('fallback');
  });

  it('answers history and nodes over broken history entries and broken node reports', async () => {
    const keys = new ConfigKeys(h.namespace);
    await h.raw.lpush(keys.history('g'), 'not json', '[]', record({ group_name: 'other' }));
    await h.raw.zadd(keys.nodes, Date.now() + 60_000, 'ghost');
    await h.raw.hset(keys.nodeInfo, 'ghost', '{"id": "someone else"');
    const history = await h.send('get', `${groupPath('g')}/history`);
    expect(history.status).toBe(200);
    expect((history.body as { current: boolean }[])[0].current).toBe(true);
    const nodes = await h.send('get', '/api/nodes');
    expect(nodes.status).toBe(200);
    expect((nodes.body as { id: string }[]).map((n) => n.id)).not.toContain('ghost');
  });

  it('replaces a broken group with a write from the admin, which the node then applies', async () => {
    await writeGood();
    await h.raw.hset(h.namespace, 'g', '{broken');
    const created = await h.send('post', '/api/groups', { name: 'g', config: {} });
    expect(created.status).toBe(409); // a create never overwrites data it cannot read
    const replaced = await h.send('put', groupPath('g'), { config: { apikey: 'repaired' } });
    expect(replaced.status).toBe(200);
    await waitFor('the node to apply the repair', () => config.get('apikey') === 'repaired');
  });
});
