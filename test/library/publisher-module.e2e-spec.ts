import { INestApplicationContext, Injectable, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { ConfigGroupService, RedisConfigModule, RedisUnavailableError } from '@rcc/redis-config';
import {
  ConfigGroupStore,
  createConfigGroupStore,
  NodeRegistry,
  RolloutEngine,
} from '@rcc/redis-config/publisher';
import { GroupFollower } from '@rcc/redis-config/node/group-follower';
import { NodeState } from '@rcc/redis-config/node/node-state';
import { PeriodicCheck } from '@rcc/redis-config/node/periodic-check';
import { ConfigBindingExplorer } from '@rcc/redis-config/decorators/config-binding.explorer';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/** DESIGN §3/§11: a publisher (`node: false`) builds no node provider; a node also publishes. */
describe('RedisConfigModule: publisher and node variants, and a store without Nest', () => {
  let redis: RedisServer;
  let app: INestApplicationContext | null = null;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterEach(async () => {
    await app?.close();
    app = null;
  });
  afterAll(async () => {
    await redis.stop();
  });

  const NODE_ONLY = [
    ConfigGroupService,
    GroupFollower,
    NodeState,
    PeriodicCheck,
    ConfigBindingExplorer,
  ];

  function expectNoNodeProvider(context: INestApplicationContext): void {
    for (const token of NODE_ONLY) {
      expect(() => context.get(token, { strict: false })).toThrow(/not find|does not exist/);
    }
  }

  async function expectPublisher(context: INestApplicationContext, namespace: string) {
    const store = context.get(ConfigGroupStore);
    await store.publish('shop', { a: 1 });
    expect((await store.get('shop'))?.config).toEqual({ a: 1 });
    expect(context.get(RolloutEngine)).toBeInstanceOf(RolloutEngine);
    // No node registered itself: the publisher holds no group and is not counted.
    expect(await context.get(NodeRegistry).list()).toEqual([]);
    expect(namespace).toBeTruthy();
  }

  it('forRoot({ node: false }) provides the publisher and builds no node provider', async () => {
    const namespace = uniqueNamespace('publisher');
    @Module({
      imports: [RedisConfigModule.forRoot({ redis: { url: redis.url }, namespace, node: false })],
    })
    class PublisherApp {}
    app = await NestFactory.createApplicationContext(PublisherApp, { logger: ['error'] });
    expectNoNodeProvider(app);
    await expectPublisher(app, namespace);
  });

  it('forRootAsync({ node: false, useFactory }) is a publisher too', async () => {
    const namespace = uniqueNamespace('publisher-async');
    @Module({
      imports: [
        RedisConfigModule.forRootAsync({
          node: false,
          useFactory: () => ({ redis: { url: redis.url }, namespace }),
        }),
      ],
    })
    class PublisherApp {}
    app = await NestFactory.createApplicationContext(PublisherApp, { logger: ['error'] });
    expectNoNodeProvider(app);
    await expectPublisher(app, namespace);
  });

  it('forRootAsync refuses `node: false` given only in the factory result, naming where it goes', async () => {
    @Module({
      imports: [
        RedisConfigModule.forRootAsync({
          useFactory: () => ({ redis: { url: redis.url }, node: false }),
        }),
      ],
    })
    class MisplacedApp {}
    await expect(
      NestFactory.createApplicationContext(MisplacedApp, { logger: false, abortOnError: false }),
    ).rejects.toThrow(/node: false` beside useFactory/);
  });

  it('a node app injects ConfigGroupStore where it imports the module, and its group', async () => {
    const namespace = uniqueNamespace('node-publishes');
    @Injectable()
    class Publishing {
      constructor(
        readonly store: ConfigGroupStore,
        readonly config: ConfigGroupService,
      ) {}
    }
    @Module({
      imports: [RedisConfigModule.forRoot({ redis: { url: redis.url }, namespace, group: 'own' })],
      providers: [Publishing],
    })
    class NodeApp {}
    app = await NestFactory.createApplicationContext(NodeApp, { logger: ['error'] });
    const { store, config } = app.get(Publishing);
    await store.publish('own', { live: true });
    await config.refresh();
    expect(config.get('live')).toBe(true);
  });

  it('createConfigGroupStore() opens a store, rollouts and the registry without Nest', async () => {
    const namespace = uniqueNamespace('standalone');
    const opened = await createConfigGroupStore({ redis: { url: redis.url }, namespace });
    try {
      expect(opened.options.node).toBe(false);
      await opened.store.publish('cli', { k: 'v' });
      expect((await opened.store.export()).map((entry) => entry.group_name)).toEqual(['cli']);
      expect(await opened.rollouts.running()).toEqual([]);
      expect(await opened.nodes.list()).toEqual([]);
    } finally {
      await opened.close();
    }
  });

  it('createConfigGroupStore({ failFast }) rejects when Redis does not answer, closing its client', async () => {
    const dead = await RedisServer.start();
    const url = dead.url;
    await dead.stop();
    await expect(
      createConfigGroupStore({ redis: { url }, startupTimeoutMs: 300, failFast: true }),
    ).rejects.toBeInstanceOf(RedisUnavailableError);
  });
});
