import { Injectable } from '@nestjs/common';
import { Test, TestingModule } from '@nestjs/testing';
import {
  ConfigChangeEvent,
  ConfigGroupService,
  ConfigValue,
  OnConfigChange,
} from '@rcc/redis-config';
import { RedisConfigTestingModule, TestConfigGroup } from '@rcc/redis-config/testing';
import { IsString } from 'class-validator';

@Injectable()
class YoutubeClient {
  @ConfigValue('apikey') apiKey!: string;
  @ConfigValue('timeout_ms', { default: 3000 }) timeoutMs!: number;
  /** What the key was when each listener ran: the properties are updated before any listener. */
  readonly seen: string[] = [];
  readonly events: ConfigChangeEvent[] = [];

  constructor(readonly config: ConfigGroupService) {}

  @OnConfigChange('apikey')
  onKey(): void {
    this.seen.push(this.apiKey);
  }

  @OnConfigChange()
  onAny(event: ConfigChangeEvent): void {
    this.events.push(event);
  }
}

class Schema {
  @IsString() apikey!: string;
}

describe('RedisConfigTestingModule (no Redis)', () => {
  let ref: TestingModule;

  async function start(options: Parameters<typeof RedisConfigTestingModule.forRoot>[0]) {
    ref = await Test.createTestingModule({
      imports: [RedisConfigTestingModule.forRoot(options)],
      providers: [YoutubeClient],
    }).compile();
    await ref.init();
    return { client: ref.get(YoutubeClient), group: ref.get(TestConfigGroup) };
  }

  afterEach(async () => {
    await ref?.close();
  });

  it('serves the group to ConfigGroupService, @ConfigValue and @OnConfigChange', async () => {
    const { client, group } = await start({ group: 'apikey-1', config: { apikey: 'k1' } });
    expect(client.apiKey).toBe('k1');
    expect(client.timeoutMs).toBe(3000);
    expect(client.config.getConfigGroup()).toEqual({
      name: 'apikey-1',
      version: 0,
      config: { apikey: 'k1' },
    });
    expect(client.config.pinned).toBe(true);
    expect(client.events.map((e) => e.reason)).toEqual(['loaded']);

    await group.publish({ apikey: 'k2', timeout_ms: 10 });
    expect(client.apiKey).toBe('k2');
    expect(client.timeoutMs).toBe(10);
    expect(client.config.get('apikey')).toBe('k2');
    const updated = client.events[1];
    expect(updated).toMatchObject({
      reason: 'updated',
      changedKeys: ['apikey', 'timeout_ms'],
      source: { name: 'apikey-1', version: 1, shared: false },
      previous: { name: 'apikey-1', version: 0 },
      current: { name: 'apikey-1', version: 1 },
    });

    await group.reassign('apikey-2', { apikey: 'k3' });
    expect(client.config.getConfigGroup()).toMatchObject({ name: 'apikey-2', version: 0 });
    expect(client.config.holding).toBe('assigned');
    expect(client.timeoutMs).toBe(3000); // removed: back to its default

    await group.unassign();
    expect(client.config.getConfigGroup()).toBeNull();
    expect(client.config.get('apikey', 'none')).toBe('none');
    expect(client.apiKey).toBeUndefined();
    expect(client.events.map((e) => e.reason)).toEqual([
      'loaded',
      'updated',
      'reassigned',
      'unassigned',
    ]);
    expect(client.seen).toEqual(['k1', 'k2', 'k3', undefined]);
  });

  it('layers the shared groups under the own group and names each source', async () => {
    const { client, group } = await start({
      group: 'own',
      version: 4,
      config: { b: 'own' },
      shared: { common: { a: 'common', b: 'common' }, region: { a: 'region' } },
    });
    expect(client.config.getEffectiveConfig()).toEqual({ a: 'region', b: 'own' });
    expect(client.config.getSources()).toEqual([
      { name: 'common', version: 0, shared: true },
      { name: 'region', version: 0, shared: true },
      { name: 'own', version: 4, shared: false },
    ]);
    expect(client.config.sourceOf('a')).toBe('region');
    await group.publish({});
    expect(client.config.getEffectiveConfig()).toEqual({ a: 'region', b: 'common' });
    expect(client.events.at(-1)).toMatchObject({ reason: 'updated', changedKeys: ['b'] });
  });

  it('refuses what validate refuses: publish rejects with its error, the last good stays', async () => {
    const { client, group } = await start({ config: { apikey: 'k1' }, validate: Schema });
    const rejected: ConfigChangeEvent[] = [];
    client.config.changes$.subscribe((event) => {
      if (event.reason === 'rejected') rejected.push(event);
    });
    await expect(group.publish({ apikey: 42 })).rejects.toThrow(/apikey/);
    expect(client.apiKey).toBe('k1');
    expect(client.config.getConfigGroup()).toMatchObject({ name: 'default', version: 0 });
    expect(rejected).toHaveLength(1);
    expect(rejected[0].rejected).toMatchObject({ name: 'default', version: 1 });
    expect(client.events.map((e) => e.reason)).toEqual(['loaded']); // @OnConfigChange: not told

    await ref.close();
    const thrown = new Error('no');
    const { group: strict } = await start({
      config: { ok: true },
      validate: (config) => {
        if (!config.ok) throw thrown;
      },
    });
    await expect(strict.publish({ ok: false })).rejects.toBe(thrown);
  });

  it('records what reportProblem() received, in order', async () => {
    const { client, group } = await start({});
    await client.config.reportProblem('first');
    await client.config.reportProblem('second');
    expect(group.problems).toEqual(['first', 'second']);
    expect(client.config.canary).toBe(false);
    expect(await client.config.refresh()).toMatchObject({ name: 'default', version: 0 });
  });

  describe('in a process of its own', () => {
    const { execFileSync } = require('node:child_process') as typeof import('node:child_process');
    /** Runs a test node from `entry` in a fresh node process; what it loaded and still holds. */
    function run(entry: string): { ioredis: string[]; resources: string[] } {
      const script = `
        require('ts-node/register/transpile-only');
        require('reflect-metadata');
        const { Test } = require('@nestjs/testing');
        const { RedisConfigTestingModule, TestConfigGroup } = require(${JSON.stringify(TESTING)});
        require(${JSON.stringify(entry)});
        (async () => {
          const ref = await Test.createTestingModule({
            imports: [RedisConfigTestingModule.forRoot({ config: { a: 1 } })],
          }).compile();
          await ref.init();
          await ref.get(TestConfigGroup).publish({ a: 2 });
          const ioredis = Object.keys(require.cache).filter((p) => /[\\/]ioredis[\\/]/.test(p));
          const resources = process.getActiveResourcesInfo();
          await ref.close();
          console.log(JSON.stringify({ ioredis, resources }));
        })();
      `;
      // Returns only once the process exited by itself (nothing left open), else times out.
      const out = execFileSync(process.execPath, ['-e', script], {
        encoding: 'utf8',
        timeout: 20_000,
      });
      return JSON.parse(out.trim().split('\n').at(-1)!) as {
        ioredis: string[];
        resources: string[];
      };
    }
    const TESTING = require.resolve('../../libs/redis-config/src/testing');
    const ROOT = require.resolve('../../libs/redis-config/src/index');

    it('does not load ioredis, opens no socket and no timer, and exits by itself', () => {
      const { ioredis, resources } = run(TESTING);
      expect(ioredis).toEqual([]);
      expect(resources.filter((r) => /Timeout|Immediate|TCP/.test(r))).toEqual([]);
    });

    it('would see ioredis if the entry point loaded it (the root entry point does)', () => {
      expect(run(ROOT).ioredis.length).toBeGreaterThan(0);
    });
  });
});
