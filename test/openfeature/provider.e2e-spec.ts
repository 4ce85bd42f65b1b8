import { INestApplicationContext } from '@nestjs/common';
import {
  ErrorCode,
  OpenFeature,
  ProviderEvents,
  ProviderStatus,
  type Client,
  type EventDetails,
} from '@openfeature/server-sdk';
import { ConfigGroupService } from '@rcc/redis-config';
import { RedisConfigProvider } from '@rcc/redis-config/openfeature';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/** The events one OpenFeature client heard, in order, and a bounded wait for the next of a kind. */
class HeardEvents {
  readonly all: { type: ProviderEvents; details?: EventDetails }[] = [];

  constructor(client: Client) {
    for (const type of [
      ProviderEvents.Ready,
      ProviderEvents.Stale,
      ProviderEvents.ConfigurationChanged,
      ProviderEvents.Error,
    ]) {
      client.addHandler(type, (details) => void this.all.push({ type, details }));
    }
  }

  /** Waits (bounded) until an event of `type` arrives after the first `after` events. */
  async next(type: ProviderEvents, after: number, timeoutMs = 10_000): Promise<EventDetails> {
    const found = await waitFor(
      `the provider's ${type}`,
      () => this.all.slice(after).find((event) => event.type === type),
      timeoutMs,
    );
    return found!.details!;
  }
}

describe('RedisConfigProvider over a node against a real redis-server', () => {
  let redis: RedisServer;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start({ appendOnly: true });
  });
  afterEach(async () => {
    await OpenFeature.clearProviders();
    OpenFeature.clearHandlers();
    await Promise.all(apps.splice(0).map((app) => app.close()));
    if (!redis.running) await redis.restart();
  });
  afterAll(async () => {
    await OpenFeature.close();
    await redis.dispose();
  });

  /** A publisher, a node following `group` (and `shared`), and an OpenFeature client over it. */
  async function setUp(
    label: string,
    configs: Record<string, Record<string, unknown>>,
    sharedGroups: string[] = [],
  ) {
    const namespace = uniqueNamespace(label);
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    for (const [name, config] of Object.entries(configs))
      await publisher.store.publish(name, config);
    const node = await startNode({
      redis: { url: redis.url },
      namespace,
      group: 'g',
      sharedGroups,
      nodeId: `${label}-node`,
      refreshMs: 200,
    });
    apps.push(node.app);
    const provider = new RedisConfigProvider(node.app.get(ConfigGroupService));
    await OpenFeature.setProviderAndWait(label, provider);
    const client = OpenFeature.getClient(label);
    return { store: publisher.store as ConfigGroupStore, config: node.config, provider, client };
  }

  it('resolves boolean, string, number and object flags, dotted keys and shared keys', async () => {
    const { client } = await setUp(
      'of-types',
      {
        common: { region: 'eu', timeout_ms: 1000 },
        g: { enabled: true, apikey: 'k1', timeout_ms: 3000, limits: { qps: 5, burst: [1, 2] } },
      },
      ['common'],
    );
    expect(client.providerStatus).toBe(ProviderStatus.READY);

    expect(await client.getBooleanValue('enabled', false)).toBe(true);
    expect(await client.getStringValue('apikey', '')).toBe('k1');
    expect(await client.getNumberValue('timeout_ms', 0)).toBe(3000); // the own group wins
    expect(await client.getObjectValue('limits', {})).toEqual({ qps: 5, burst: [1, 2] });
    expect(await client.getObjectValue('limits.burst', [])).toEqual([1, 2]);
    expect(await client.getNumberValue('limits.qps', 0)).toBe(5);

    expect(await client.getStringDetails('apikey', '')).toEqual({
      flagKey: 'apikey',
      value: 'k1',
      reason: 'STATIC',
      variant: 'g@0',
      flagMetadata: { group: 'g', version: 0, source: 'own' },
    });
    expect(await client.getStringDetails('region', '')).toMatchObject({
      value: 'eu',
      variant: 'common@0',
      flagMetadata: { group: 'common', version: 0, source: 'shared' },
    });
  });

  it('gives the default with FLAG_NOT_FOUND and TYPE_MISMATCH', async () => {
    const { client } = await setUp('of-errors', {
      g: { apikey: 'k1', enabled: 'yes', limits: { qps: 5 }, nothing: null },
    });

    for (const key of ['missing', 'limits.missing', 'apikey.length']) {
      expect(await client.getStringDetails(key, 'fallback')).toMatchObject({
        value: 'fallback',
        reason: 'ERROR',
        errorCode: ErrorCode.FLAG_NOT_FOUND,
      });
    }
    expect(await client.getBooleanDetails('enabled', false)).toMatchObject({
      value: false,
      reason: 'ERROR',
      errorCode: ErrorCode.TYPE_MISMATCH,
      errorMessage: '"enabled" is string, not boolean',
    });
    expect(await client.getNumberDetails('apikey', 7)).toMatchObject({
      value: 7,
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await client.getObjectDetails('limits.qps', { d: 1 })).toMatchObject({
      value: { d: 1 },
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
    expect(await client.getStringDetails('nothing', 'd')).toMatchObject({
      value: 'd',
      errorCode: ErrorCode.TYPE_MISMATCH,
    });
  });

  it('emits CONFIGURATION_CHANGED with the changed keys for a pushed publish, and serves the new value', async () => {
    const { client, store } = await setUp('of-changed', {
      g: { apikey: 'k1', timeout_ms: 3000, gone: 1 },
    });
    const events = new HeardEvents(client);
    const seen = events.all.length;

    await store.publish('g', { apikey: 'k2', timeout_ms: 3000, added: true });
    const changed = await events.next(ProviderEvents.ConfigurationChanged, seen);
    expect([...((changed.flagsChanged as string[] | undefined) ?? [])].sort()).toEqual([
      'added',
      'apikey',
      'gone',
    ]);
    expect(changed.metadata).toMatchObject({ reason: 'updated', group: 'g', version: 1 });
    expect(await client.getStringDetails('apikey', '')).toMatchObject({
      value: 'k2',
      variant: 'g@1',
    });
    expect((await client.getNumberDetails('gone', 0)).errorCode).toBe(ErrorCode.FLAG_NOT_FOUND);
  });

  it('is STALE while Redis is down (serving its last values, CACHED), READY again after', async () => {
    const { client, store } = await setUp('of-stale', { g: { apikey: 'before' } });
    const events = new HeardEvents(client);

    let seen = events.all.length;
    await redis.kill();
    await events.next(ProviderEvents.Stale, seen);
    expect(client.providerStatus).toBe(ProviderStatus.STALE);
    // The SDK still asks the provider while STALE: the last good value, said to be cached.
    expect(await client.getStringDetails('apikey', 'd')).toMatchObject({
      value: 'before',
      reason: 'CACHED',
      variant: 'g@0',
    });

    seen = events.all.length;
    await redis.restart(); // AOF: the data is back
    await events.next(ProviderEvents.Ready, seen);
    expect(client.providerStatus).toBe(ProviderStatus.READY);
    expect((await client.getStringDetails('apikey', 'd')).reason).toBe('STATIC');

    // And it follows changes again.
    seen = events.all.length;
    // The publisher's own connection may come back after the node's: refused until then.
    await waitFor('the publisher reconnected and published', () =>
      store.publish('g', { apikey: 'after' }).then(() => true),
    );
    await events.next(ProviderEvents.ConfigurationChanged, seen);
    expect(await client.getStringValue('apikey', 'd')).toBe('after');
    // One STALE and one READY for the one outage, whatever the reconnect attempts.
    const kinds = events.all.map((event) => event.type);
    expect(kinds.filter((type) => type === ProviderEvents.Stale)).toHaveLength(1);
    expect(kinds.filter((type) => type === ProviderEvents.Error)).toHaveLength(0);
  });

  it('follows ConfigGroupService.connected$: false while Redis is down, true after, complete at close (no STALE then)', async () => {
    const { client, config } = await setUp('of-connected', { g: { a: 1 } });
    const states: boolean[] = [];
    let completed = false;
    config.connected$.subscribe({
      next: (connected) => states.push(connected),
      complete: () => (completed = true),
    });
    expect(states).toEqual([true]); // the current state at once
    await redis.kill();
    await waitFor('connected$ false', () => states.at(-1) === false);
    await redis.restart();
    await waitFor('connected$ true again', () => states.at(-1) === true);
    expect(states).toEqual([true, false, true]); // one change per outage, whatever the retries

    const events = new HeardEvents(client);
    const seen = events.all.length;
    await apps.pop()!.close(); // the node's app: its connections close
    expect(completed).toBe(true);
    expect(events.all.slice(seen).map((event) => event.type)).toEqual([]);
  });

  it('emits READY to a handler added before the provider is set', async () => {
    const namespace = uniqueNamespace('of-ready');
    const publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    apps.push(publisher.app);
    await publisher.store.publish('g', { a: 1 });
    const node = await startNode({ redis: { url: redis.url }, namespace, group: 'g' });
    apps.push(node.app);
    const client = OpenFeature.getClient('of-ready');
    const events = new HeardEvents(client);
    const provider = new RedisConfigProvider(node.config);
    await OpenFeature.setProviderAndWait('of-ready', provider);
    await events.next(ProviderEvents.Ready, 0);
    expect(await client.getNumberValue('a', 0)).toBe(1);
  });

  it('stops following the node once OpenFeature closes it', async () => {
    const { client, store, provider } = await setUp('of-close', { g: { a: 1 } });
    const events = new HeardEvents(client);
    await OpenFeature.clearProviders(); // calls the provider's onClose
    const before = events.all.length;
    const heard: unknown[] = [];
    provider.events.addHandler(ProviderEvents.ConfigurationChanged, (d) => void heard.push(d));
    await store.publish('g', { a: 2 });
    // A barrier the node passes: its own service sees the change; the closed provider says nothing.
    const node = apps[apps.length - 1].get(ConfigGroupService);
    await waitFor('the node has version 1', () => node.getConfigGroup()?.version === 1);
    expect(heard).toEqual([]);
    expect(events.all.slice(before).map((e) => e.type)).not.toContain(
      ProviderEvents.ConfigurationChanged,
    );
  });
});
