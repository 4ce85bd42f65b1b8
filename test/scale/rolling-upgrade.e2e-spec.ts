import { INestApplicationContext } from '@nestjs/common';
import { ConfigGroupService } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ConfigKeys } from '@rcc/redis-config/wire/config-keys';
import type Redis from 'ioredis';
import { startNode, startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import { LEGACY_COMMIT, startLegacyNode } from './legacy-release';

/**
 * A rolling upgrade (issue 12): nodes and publishers of the previous release (built from git
 * history, commit LEGACY_COMMIT, protocol 1) and of this one on one Redis. A publish from either
 * reaches nodes of both by push (refresh 60 s, lease 30 s: nothing below is polled or expired).
 */
describe(`rolling upgrade from ${LEGACY_COMMIT} (real previous-release code, real Redis)`, () => {
  let redis: RedisServer;
  let raw: Redis;
  const apps: INestApplicationContext[] = [];
  let namespace: string;
  let common: { redis: { url: string }; namespace: string; refreshMs: number; leaseMs: number };

  beforeAll(async () => {
    redis = await RedisServer.start();
    raw = redis.client();
  }, 60_000);
  afterAll(async () => {
    await Promise.all(apps.map((app) => app.close().catch(() => undefined)));
    raw.disconnect();
    await redis.dispose();
  });
  beforeEach(() => {
    namespace = uniqueNamespace('upgrade');
    common = { redis: { url: redis.url }, namespace, refreshMs: 60_000, leaseMs: 30_000 };
  });

  const track = <T extends { app: INestApplicationContext }>(started: T): T => {
    apps.push(started.app);
    return started;
  };
  const close = async (app: INestApplicationContext) => {
    apps.splice(apps.indexOf(app), 1);
    await app.close();
  };

  it('pushes a publish of either release to nodes of both', async () => {
    const oldPublisher = track(await startLegacyNode({ ...common, node: false }));
    const newPublisher = track(await startPublisher(common));
    await newPublisher.store.publish('g', { apikey: 'v0' });
    const oldNode = track(await startLegacyNode({ ...common, group: 'g', nodeId: 'old-1' }));
    const newNode = track(await startNode({ ...common, group: 'g', nodeId: 'new-1' }));
    const nodes: ConfigGroupService[] = [oldNode.config, newNode.config];
    const allAt = (value: string) => () => nodes.every((node) => node.get('apikey') === value);
    await waitFor('both nodes on v0', allAt('v0'));

    const publishers: [string, ConfigGroupStore][] = [
      ['old', oldPublisher.store],
      ['new', newPublisher.store],
    ];
    for (const [label, store] of [...publishers, ...publishers]) {
      const value = `from-${label}-${Math.random()}`;
      await store.publish('g', { apikey: value });
      await waitFor(`both nodes on the ${label} publisher's write`, allAt(value), 3000);
    }
  });

  it('feeds the legacy channel only while nodes of the previous release live', async () => {
    const publisher = track(await startPublisher(common));
    await publisher.store.publish('g', { apikey: 'v0' });
    const legacyHeard: string[] = [];
    const listener = redis.client();
    listener.on('message', (_channel: string, message: string) => legacyHeard.push(message));
    await listener.subscribe(new ConfigKeys(namespace).events);
    try {
      const oldNode = await startLegacyNode({ ...common, group: 'g', nodeId: 'old-2' });
      apps.push(oldNode.app);
      track(await startNode({ ...common, group: 'g', nodeId: 'new-2' }));
      await publisher.store.publish('g', { apikey: 'v1' });
      await waitFor('the legacy copy', () => legacyHeard.length === 1, 3000);
      await waitFor('the old node on v1', () => oldNode.config.get('apikey') === 'v1', 3000);
      await close(oldNode.app);
      // The last old node left: the new release speaks protocol 2 only.
      await publisher.store.publish('g', { apikey: 'v2' });
      await publisher.store.publish('g', { apikey: 'v3' });
      await raw.publish(new ConfigKeys(namespace).events, 'marker');
      await waitFor('the marker', () => legacyHeard.includes('marker'), 3000);
      // (The old node's own leave said `released` there, as its release does.)
      const published = legacyHeard.filter((m) => m.includes('"type":"published"'));
      expect(published.map((m) => (JSON.parse(m) as { version: number }).version)).toEqual([1]);
    } finally {
      listener.disconnect();
    }
  });

  it('lets a waiting node of either release take a place freed by the other', async () => {
    const publisher = track(await startPublisher(common));
    await publisher.store.publish('x1', { apikey: 'only' });
    const exclusive = { ...common, group: 'none', pool: 'x*', maxNodesPerGroup: 1 };
    // A new node holds the only place; an old one waits, then takes it when the new one leaves.
    const newHolder = await startNode({ ...exclusive, nodeId: 'new-holder' });
    apps.push(newHolder.app);
    const oldWaiter = track(await startLegacyNode({ ...exclusive, nodeId: 'old-waiter' }));
    expect([newHolder.config.holding, oldWaiter.config.holding]).toEqual(['assigned', 'none']);
    await close(newHolder.app);
    await waitFor('the old node to take the place', () => oldWaiter.config.holding === 'assigned');
    // And the other way round: a new node waits for the old one's place.
    const newWaiter = track(await startNode({ ...exclusive, nodeId: 'new-waiter' }));
    expect(newWaiter.config.holding).toBe('none');
    await close(oldWaiter.app);
    await waitFor('the new node to take the place', () => newWaiter.config.holding === 'assigned');
  });
});
