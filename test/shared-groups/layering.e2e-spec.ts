import { Injectable, INestApplicationContext } from '@nestjs/common';
import { ConfigValue, OnConfigChange, type ConfigChangeEvent } from '@rcc/redis-config';
import { ConfigGroupStore, NodeRegistry } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { nextChange } from './next-change';

@Injectable()
class TimeoutClient {
  @ConfigValue('timeout_ms', { default: 1000 }) timeoutMs!: number;
  readonly heard: ConfigChangeEvent[] = [];

  @OnConfigChange('timeout_ms')
  onTimeout(event: ConfigChangeEvent): void {
    this.heard.push(event);
  }
}

describe('shared groups: the effective config of a node (real Redis)', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await Promise.all(apps.splice(0).map((app) => app.close()));
  });
  afterAll(async () => {
    await redis.dispose();
  });

  /** A publisher with `common`, `region` and an own group `apikey-1`; refresh slow: push only. */
  async function setup(refreshMs = 60_000) {
    const namespace = uniqueNamespace('shared');
    const base = { redis: { url: redis.url }, namespace, refreshMs };
    const publisher = await startPublisher(base);
    apps.push(publisher.app);
    const store: ConfigGroupStore = publisher.store;
    await store.publish('common', { timeout_ms: 3000, endpoint: { host: 'a', port: 1 }, debug: 0 });
    await store.publish('region', { timeout_ms: 4000, region: 'eu' });
    await store.publish('apikey-1', { apikey: 'k1', endpoint: { host: 'b' } });
    const start = async (options: Record<string, unknown> = {}) => {
      const node = await startNode(
        {
          ...base,
          nodeId: 'n1',
          group: 'apikey-1',
          sharedGroups: ['common', 'region'],
          ...options,
        },
        [TimeoutClient],
      );
      apps.push(node.app);
      return { config: node.config, client: node.app.get(TimeoutClient), app: node.app };
    };
    return { store, start, namespace, base };
  }

  it('layers the shared groups in order under the own group; a later source wins a key whole', async () => {
    const { start } = await setup();
    const { config, client } = await start();
    expect(config.get('timeout_ms')).toBe(4000); // region over common
    expect(config.get('endpoint')).toEqual({ host: 'b' }); // own group, never merged deeper
    expect(config.get('debug')).toBe(0);
    expect(config.getOrThrow('region')).toBe('eu');
    expect(config.has('apikey') && config.has('debug')).toBe(true);
    expect(client.timeoutMs).toBe(4000);
    expect(config.getConfigGroup()).toEqual({
      name: 'apikey-1',
      version: 0,
      config: { apikey: 'k1', endpoint: { host: 'b' } },
    });
    expect(config.getSources()).toEqual([
      { name: 'common', version: 0, shared: true },
      { name: 'region', version: 0, shared: true },
      { name: 'apikey-1', version: 0, shared: false },
    ]);
    expect(config.sourceOf('timeout_ms')).toBe('region');
    expect(config.sourceOf('endpoint')).toBe('apikey-1');
    expect(config.sourceOf('debug')).toBe('common');
    expect(config.sourceOf('nothing')).toBeUndefined();
  });

  it('pushes a change of each source, naming it and the effective keys that changed', async () => {
    const { store, start } = await setup();
    const { config, client } = await start();
    expect(client.heard.map((e) => [e.reason, e.source?.name])).toEqual([
      ['loaded', 'common'],
      ['loaded', 'region'],
    ]);
    client.heard.length = 0;

    let seen = nextChange(config, (e) => e.source?.name === 'common');
    // endpoint is shadowed by the own group, timeout_ms by region: only debug changes.
    await store.publish('common', { timeout_ms: 1, endpoint: { host: 'z' }, debug: 1 });
    let event = await seen;
    expect(event).toMatchObject({
      reason: 'updated',
      source: { name: 'common', version: 1, shared: true },
      changedKeys: ['debug'],
    });
    expect(event.current?.name).toBe('apikey-1');
    expect(config.get('debug')).toBe(1);
    expect(client.heard).toHaveLength(0); // timeout_ms did not change

    seen = nextChange(config, (e) => e.source?.name === 'region');
    await store.publish('region', { region: 'us' });
    event = await seen;
    expect(event.changedKeys).toEqual(['region', 'timeout_ms']);
    expect(config.get('timeout_ms')).toBe(1); // common shows through now
    expect(client.timeoutMs).toBe(1);
    expect(client.heard.map((e) => e.source?.name)).toEqual(['region']);

    seen = nextChange(config, (e) => e.source?.name === 'apikey-1');
    await store.publish('apikey-1', { apikey: 'k2', timeout_ms: 9 });
    event = await seen;
    expect(event).toMatchObject({ reason: 'updated', source: { shared: false, version: 1 } });
    expect(event.changedKeys).toEqual(['apikey', 'endpoint', 'timeout_ms']);
    expect(config.get('endpoint')).toEqual({ host: 'z' }); // from common again
    expect(client.timeoutMs).toBe(9);

    seen = nextChange(config, (e) => e.reason === 'rollback');
    await store.rollback('common', 0);
    event = await seen;
    expect(event.source).toEqual({ name: 'common', version: 2, shared: true });
    expect(config.get('debug')).toBe(0);
  });

  it('drops a deleted shared group (defaults come back) and picks it up when re-created', async () => {
    const { store, start } = await setup();
    const { config, client } = await start({ sharedGroups: ['common'] });
    expect(client.timeoutMs).toBe(3000);

    let seen = nextChange(config, (e) => e.reason === 'deleted');
    await store.delete('common');
    let event = await seen;
    expect(event.source).toEqual({ name: 'common', version: null, shared: true });
    expect(event.changedKeys).toEqual(['debug', 'timeout_ms']);
    expect(config.has('timeout_ms')).toBe(false);
    expect(client.timeoutMs).toBe(1000); // the @ConfigValue default
    expect(config.getConfigGroup()?.name).toBe('apikey-1'); // the own group stays
    expect(config.getSources()[0]).toEqual({ name: 'common', version: null, shared: true });

    seen = nextChange(config, (e) => e.source?.name === 'common');
    await store.publish('common', { timeout_ms: 2500 });
    event = await seen;
    expect(event.source?.version).toBe(0);
    expect(client.timeoutMs).toBe(2500);
  });

  it('starts with a missing shared group, which gives nothing until it is published', async () => {
    const { store, start } = await setup();
    const { config } = await start({ sharedGroups: ['later', 'common'] });
    expect(config.getSources()[0]).toEqual({ name: 'later', version: null, shared: true });
    const seen = nextChange(config, (e) => e.source?.name === 'later');
    await store.publish('later', { debug: 'later', apikey: 'shadowed' });
    expect((await seen).changedKeys).toEqual([]); // common and the own group win both keys
    expect(config.getSources()[0].version).toBe(0);
    expect(config.sourceOf('debug')).toBe('common');
  });

  it('validates the effective config: a failing source is rejected by name, the last good kept', async () => {
    const { store, start } = await setup();
    const validate = (config: Readonly<Record<string, unknown>>) => {
      if (typeof config.timeout_ms !== 'number') throw new Error('timeout_ms must be a number');
      if (config.apikey === '') throw new Error('apikey must not be empty');
    };
    const { config } = await start({ sharedGroups: ['common'], validate });

    let seen = nextChange(config, (e) => e.reason === 'rejected');
    await store.publish('common', { timeout_ms: 'slow' });
    let event = await seen;
    expect(event.source).toEqual({ name: 'common', version: 1, shared: true });
    expect(event.rejected).toMatchObject({ name: 'common', version: 1 });
    expect(config.get('timeout_ms')).toBe(3000);
    expect(config.getSources()[0].version).toBe(0);

    // The own group may give what the shared group lacks: the whole is what is checked.
    seen = nextChange(config, (e) => e.source?.name === 'apikey-1');
    await store.publish('apikey-1', { apikey: 'k2', timeout_ms: 5 });
    await seen;
    seen = nextChange(config, (e) => e.source?.name === 'common' && e.reason !== 'rejected');
    await store.publish('common', { timeout_ms: 'slow', debug: 2 });
    event = await seen;
    expect(config.get('debug')).toBe(2);

    seen = nextChange(config, (e) => e.reason === 'rejected');
    await store.publish('apikey-1', { apikey: '' });
    event = await seen;
    expect(event.source).toEqual({ name: 'apikey-1', version: 2, shared: false });
    expect(config.get('apikey')).toBe('k2');
  });

  it('validates a shared group on a node that holds no own group too', async () => {
    const { store, start } = await setup();
    const validate = (config: Readonly<Record<string, unknown>>) => {
      if (typeof config.timeout_ms !== 'number') throw new Error('timeout_ms must be a number');
    };
    // Its pool matches no group: the node holds none, and serves its shared group alone.
    const { config } = await start({
      group: 'absent',
      pool: 'none-*',
      sharedGroups: ['common'],
      validate,
    });
    expect(config.getConfigGroup()).toBeNull();
    expect(config.get('timeout_ms')).toBe(3000);
    const seen = nextChange(config, (e) => e.reason === 'rejected');
    await store.publish('common', { timeout_ms: 'slow' });
    expect((await seen).source).toEqual({ name: 'common', version: 1, shared: true });
    expect(config.get('timeout_ms')).toBe(3000);
  });

  it('keeps the shared layer across a reassignment of the own group, and never holds a shared group', async () => {
    const { store, start } = await setup();
    await store.publish('apikey-2', { apikey: 'k2' });
    // Asks for a group that does not exist: assigned from the pool, which holds common too.
    const { config, app } = await start({ group: 'none', sharedGroups: ['common', 'region'] });
    const first = config.getConfigGroup()?.name;
    expect(['apikey-1', 'apikey-2']).toContain(first);
    expect(config.holding).toBe('assigned');

    const seen = nextChange(config, (e) => e.reason === 'deleted' && e.source?.shared === false);
    await store.delete(first as string);
    const event = await seen;
    const second = first === 'apikey-1' ? 'apikey-2' : 'apikey-1';
    expect(event.current?.name).toBe(second);
    expect(config.get('timeout_ms')).toBe(4000);
    expect(config.get('debug')).toBe(0);
    // Only common and region are left: the node keeps its last group rather than hold a shared one.
    await store.delete(second);
    await config.refresh();
    expect(config.getConfigGroup()?.name).toBe(second);
    expect(config.get('region')).toBe('eu');

    const node = await waitFor('the heartbeat report of the shared groups', async () => {
      const [reported] = await app.get(NodeRegistry).list();
      return reported?.shared.length === 2 ? reported : undefined;
    });
    expect(node?.shared).toEqual([
      { name: 'common', version: 0 },
      { name: 'region', version: 0 },
    ]);
  });

  it('picks up a plain HSET to a shared group (an old-project node) by the periodic check', async () => {
    const { start, namespace } = await setup(100);
    const { config } = await start({ sharedGroups: ['common'] });
    const seen = nextChange(config, (e) => e.source?.name === 'common');
    const raw = redis.client();
    try {
      await raw.hset(
        namespace,
        'common',
        JSON.stringify({ group_name: 'common', group_version: 7, config_dict: { debug: 'old' } }),
      );
      // Deleted by the old project too: a plain HDEL, no event.
      const event = await seen;
      expect(event.source).toEqual({ name: 'common', version: 7, shared: true });
      expect(config.get('debug')).toBe('old');
      const dropped = nextChange(config, (e) => e.source?.name === 'common');
      await raw.hdel(namespace, 'common');
      expect((await dropped).source?.version).toBeNull();
      expect(config.has('debug')).toBe(false);
    } finally {
      raw.disconnect();
    }
  });
});
