import { INestApplicationContext, Injectable } from '@nestjs/common';
import {
  ConfigChangeEvent,
  ConfigGroupService,
  ConfigValue,
  OnConfigChange,
} from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

@Injectable()
class YoutubeClient {
  @ConfigValue('youtube_apikey') apiKey!: string;
  @ConfigValue('timeout_ms', { default: 3000 }) timeoutMs!: number;
  @ConfigValue('regions', { default: [] as string[], parse: (raw) => (raw as string).split(',') })
  regions!: string[];
  @ConfigValue('counted', {
    parse: (raw) => {
      counter.calls++;
      return Number(raw);
    },
  })
  counted!: number;

  constructor(readonly config: ConfigGroupService) {}
}
const counter = { calls: 0 };

@Injectable()
class ChangeWatcher {
  readonly any: ConfigChangeEvent[] = [];
  readonly timeouts: ConfigChangeEvent[] = [];

  @OnConfigChange()
  onAnything(event: ConfigChangeEvent): void {
    this.any.push(event);
  }

  @OnConfigChange('timeout_ms')
  onTimeout(event: ConfigChangeEvent): void {
    this.timeouts.push(event);
  }

  @OnConfigChange('youtube_apikey')
  failing(): void {
    throw new Error('a listener bug must not break the node');
  }
}

describe('@ConfigValue and @OnConfigChange', () => {
  let redis: RedisServer;
  let store: ConfigGroupStore;
  const apps: INestApplicationContext[] = [];
  let client: YoutubeClient;
  let watcher: ChangeWatcher;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('decorators');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    store = publisher.store;
    await store.publish('yt', { youtube_apikey: 'AIza-1', regions: 'cn,sg', counted: '7' });
    const node = await startNode({ redis: { url: redis.url }, namespace, group: 'yt' }, [
      YoutubeClient,
      ChangeWatcher,
    ]);
    apps.push(node.app);
    client = node.app.get(YoutubeClient);
    watcher = node.app.get(ChangeWatcher);
  });
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close()));
    await redis.dispose();
  });

  it('reads the live value, the default while absent, and parses', () => {
    expect(client.apiKey).toBe('AIza-1');
    expect(client.timeoutMs).toBe(3000);
    expect(client.regions).toEqual(['cn', 'sg']);
    expect(client.counted).toBe(7);
  });

  it('calls @OnConfigChange for the initial load', () => {
    expect(watcher.any.map((e) => e.reason)).toEqual(['loaded']);
    expect(watcher.timeouts).toEqual([]);
  });

  it('follows a publish; a removed key falls back to its default; listeners filter by key', async () => {
    await store.publish('yt', { youtube_apikey: 'AIza-2', timeout_ms: 100, counted: '7' });
    await waitFor('the property to change', () => client.apiKey === 'AIza-2');
    expect(client.timeoutMs).toBe(100);
    expect(client.regions).toEqual([]); // removed: back to the default
    expect(watcher.timeouts).toHaveLength(1);
    expect(watcher.timeouts[0].changedKeys).toEqual(['regions', 'timeout_ms', 'youtube_apikey']);

    await store.publish('yt', { youtube_apikey: 'AIza-2', counted: '7' });
    await waitFor('the key removal', () => client.timeoutMs === 3000);
    expect(watcher.timeouts).toHaveLength(2);
    expect(watcher.any.map((e) => e.reason)).toEqual(['loaded', 'updated', 'updated']);
  });

  it('runs parse once per version, not once per read', () => {
    const before = counter.calls;
    for (let i = 0; i < 1000; i++) expect(client.counted).toBe(7);
    expect(counter.calls - before).toBeLessThanOrEqual(1);
  });

  it('keeps the same value the service returns', () => {
    expect(client.apiKey).toBe(client.config.get('youtube_apikey'));
    expect(client.config.getOrThrow('youtube_apikey')).toBe('AIza-2');
    expect(() => client.config.getOrThrow('nope')).toThrow(
      'Config key "nope" is not set in config group "yt"',
    );
    expect(client.config.has('counted')).toBe(true);
    expect(client.config.has('toString')).toBe(false);
    expect(client.config.get('__proto__')).toBeUndefined();
  });
});
