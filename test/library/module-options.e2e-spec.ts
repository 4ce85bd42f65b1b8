import { Injectable, Module } from '@nestjs/common';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { NestFactory } from '@nestjs/core';
import { RedisModule, RedisService } from '@liaoliaots/nestjs-redis';
import { ConfigGroupService, RedisConfigModule } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { RedisConfigConnection } from '@rcc/redis-config/connection/redis-config-connection';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

@Injectable()
class Settings {
  constructor(readonly url: string) {}
}

/** The publisher's files: a node that does not publish never loads them. */
const PUBLISHER_FILES = String.raw`/redis-config\/src\/(store\/|wire\/publisher-scripts|assignment\/node-registry)/`;

describe('RedisConfigModule options: forRootAsync, a shared @liaoliaots/nestjs-redis client, env defaults', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });
  afterAll(async () => {
    await redis.dispose();
  });

  it('builds its options with forRootAsync from an injected provider', async () => {
    const namespace = uniqueNamespace('async');
    const { app: publisher, store } = await startPublisher({
      redis: { url: redis.url },
      namespace,
    });
    await store.publish('async-group', { from: 'factory' });

    @Module({
      providers: [{ provide: Settings, useValue: new Settings(redis.url) }],
      exports: [Settings],
    })
    class SettingsModule {}
    @Module({
      imports: [
        RedisConfigModule.forRootAsync({
          imports: [SettingsModule],
          inject: [Settings],
          useFactory: (settings: Settings) => ({
            redis: { url: settings.url },
            namespace,
            group: 'async-group',
          }),
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    try {
      expect(app.get(ConfigGroupService).get('from')).toBe('factory');
    } finally {
      await app.close();
      await publisher.close();
    }
  });

  it('reuses a client registered with @liaoliaots/nestjs-redis, by namespace', async () => {
    const namespace = uniqueNamespace('shared');
    @Module({
      imports: [
        RedisModule.forRoot({
          config: { namespace: 'cache', host: '127.0.0.1', port: redis.port },
        }),
        RedisConfigModule.forRoot({
          redis: { namespace: 'cache' },
          namespace,
          group: 'shared-group',
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    try {
      const shared = app.get(RedisService).getOrThrow('cache');
      expect(app.get(RedisConfigConnection).client).toBe(shared);
      await app.get(ConfigGroupStore).publish('shared-group', { via: 'shared client' });
      const config = app.get(ConfigGroupService);
      await waitFor(
        'the node to load through the shared client',
        () => config.get('via') === 'shared client',
      );
    } finally {
      await app.close();
    }
  });

  it('loads neither @liaoliaots/nestjs-redis (unless a shared client is asked for) nor the publisher in a node', async () => {
    const namespace = uniqueNamespace('no-shared');
    const { app: publisher, store } = await startPublisher({
      redis: { url: redis.url },
      namespace,
    });
    await store.publish('plain', { k: 'v' });
    await publisher.close();
    // A fresh process (jest's module registry is not Node's): a node on its own client.
    const script = `
      const { NestFactory } = require('@nestjs/core');
      const { RedisConfigModule, ConfigGroupService } = require('@rcc/redis-config');
      const { Module } = require('@nestjs/common');
      const PUBLISHER_FILES = ${PUBLISHER_FILES};
      const opts = { redis: { url: ${JSON.stringify(redis.url)} }, namespace: ${JSON.stringify(namespace)}, group: 'plain' };
      class AppModule {}
      Module({ imports: [RedisConfigModule.forRoot(opts)] })(AppModule);
      NestFactory.createApplicationContext(AppModule, { logger: false }).then(async (app) => {
        const files = Object.keys(require.cache);
        const loaded = files.some((f) => f.includes('@liaoliaots/nestjs-redis'));
        const publisher = files.filter((f) => PUBLISHER_FILES.test(f)).map((f) => f.split('src/')[1]);
        process.stdout.write(JSON.stringify({ value: app.get(ConfigGroupService).get('k'), loaded, publisher }));
        await app.close();
      });`;
    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(JSON.parse(output)).toEqual({ value: 'v', loaded: false, publisher: [] });
  });

  it('provides the publisher to a feature whose file is loaded after forRoot() was called', async () => {
    const namespace = uniqueNamespace('late-publisher');
    // A fresh process: forRoot() runs first (a core module), then a feature module loads
    // /publisher and injects the store; Nest provides it because it reads the providers at scan.
    const script = `
      const { NestFactory } = require('@nestjs/core');
      const { Injectable, Module } = require('@nestjs/common');
      const { RedisConfigModule } = require('@rcc/redis-config');
      const PUBLISHER_FILES = ${PUBLISHER_FILES};
      const core = RedisConfigModule.forRoot({ redis: { url: ${JSON.stringify(redis.url)} }, namespace: ${JSON.stringify(namespace)}, group: 'late' });
      const before = Object.keys(require.cache).filter((f) => PUBLISHER_FILES.test(f)).length;
      const { ConfigGroupStore } = require('@rcc/redis-config/publisher');
      class Feature { constructor(store) { this.store = store; } }
      Injectable()(Feature);
      Reflect.defineMetadata('design:paramtypes', [ConfigGroupStore], Feature);
      class FeatureModule {}
      Module({ providers: [Feature] })(FeatureModule);
      class AppModule {}
      Module({ imports: [core, FeatureModule] })(AppModule);
      NestFactory.createApplicationContext(AppModule, { logger: false }).then(async (app) => {
        const written = await app.get(Feature).store.publish('late', { k: 'published' });
        process.stdout.write(JSON.stringify({ before, version: written.version }));
        await app.close();
      });`;
    const output = execFileSync(
      process.execPath,
      ['-r', 'ts-node/register/transpile-only', '-r', 'tsconfig-paths/register', '-e', script],
      { cwd: join(__dirname, '..', '..'), encoding: 'utf8', timeout: 60_000 },
    );
    expect(JSON.parse(output)).toEqual({ before: 0, version: 0 });
  });

  it('is global: a feature module injects ConfigGroupService without importing anything', async () => {
    const namespace = uniqueNamespace('global');
    @Injectable()
    class Feature {
      constructor(readonly config: ConfigGroupService) {}
    }
    @Module({ providers: [Feature] })
    class FeatureModule {}
    @Module({
      imports: [RedisConfigModule.forRoot({ redis: { url: redis.url }, namespace }), FeatureModule],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
    try {
      const feature = app.get(Feature);
      expect(feature.config).toBe(app.get(ConfigGroupService));
      expect(feature.config.getConfigGroup()).toBeNull(); // "default" does not exist in this namespace
    } finally {
      await app.close();
    }
  });

  it('forRoot() with no argument reads everything from the environment', async () => {
    const namespace = uniqueNamespace('env');
    const saved = { ...process.env };
    Object.assign(process.env, {
      REDIS_URL: '127.0.0.1',
      REDIS_PORT: String(redis.port),
      RCC_NAMESPACE: namespace,
      DEFAULT_CONFIG_GROUP: 'from-env',
      RCC_NODE_ID: 'env-node',
    });
    const { app: publisher, store } = await startPublisher({
      redis: { url: redis.url },
      namespace,
    });
    await store.publish('from-env', { ok: true });
    @Module({ imports: [RedisConfigModule.forRoot()] })
    class AppModule {}
    try {
      const app = await NestFactory.createApplicationContext(AppModule, { logger: ['error'] });
      const config = app.get(ConfigGroupService);
      expect(config.nodeId).toBe('env-node');
      expect(config.getConfigGroup()).toEqual({
        name: 'from-env',
        version: 0,
        config: { ok: true },
      });
      await app.close();
    } finally {
      process.env = saved;
      await publisher.close();
    }
  });
});
