import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { INestApplicationContext, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { NestFactory } from '@nestjs/core';
import { RedisConfigModule, RedisConfigModuleOptions } from '@rcc/redis-config';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { firstValueFrom, Observable, filter, timeout, toArray, take } from 'rxjs';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import type { AppShape, BridgeProcessResult } from './fixtures/bridge-process';

type ConfigChange = { path: string; oldValue: unknown; newValue: unknown };

/** DESIGN §17: the node's group behind `ConfigService` (`RCC_CONFIG_SERVICE_NAMESPACE`). */
describe('ConfigService bridge (configServiceNamespace), on a real Redis', () => {
  let redis: RedisServer;
  let publisher: Awaited<ReturnType<typeof startPublisher>>;
  let store: ConfigGroupStore;
  let namespace: string;
  const apps: INestApplicationContext[] = [];

  beforeAll(async () => {
    redis = await RedisServer.start();
    namespace = uniqueNamespace('config-service');
    publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    store = publisher.store;
  });

  afterAll(async () => {
    for (const app of apps) await app.close();
    await publisher?.app.close();
    await redis?.dispose();
  });

  /** An app written against ConfigService, with the library mirroring `group` under `rcc`. */
  async function start(
    group: string,
    configModule = ConfigModule.forRoot({ ignoreEnvFile: true }),
    options: RedisConfigModuleOptions = {},
  ): Promise<{ app: INestApplicationContext; config: ConfigService }> {
    @Module({
      imports: [
        configModule,
        RedisConfigModule.forRoot({
          redis: { url: redis.url },
          namespace,
          group,
          nodeId: `${group}-node`,
          refreshMs: 60_000, // only a push can deliver a change within the bounds below
          leaseMs: 180_000, // (the periodic check rides on the heartbeat, every lease / 3)
          configServiceNamespace: 'rcc',
          ...options,
        }),
      ],
    })
    class AppModule {}
    const app = await NestFactory.createApplicationContext(AppModule, {
      logger: ['error'],
      abortOnError: false,
    });
    apps.push(app);
    return { app, config: app.get(ConfigService) };
  }

  /** The next `count` events of `changes$` whose path starts with `rcc.`, within 5 s. */
  function nextChanges(config: ConfigService, count: number): Promise<ConfigChange[]> {
    const changes$ = config.changes$ as Observable<ConfigChange>;
    return firstValueFrom(
      changes$.pipe(
        filter((change) => change.path.startsWith('rcc.')),
        take(count),
        toArray(),
        timeout(5000),
      ),
    );
  }

  it('serves the group at bootstrap, nested values included, and nothing of the prototype', async () => {
    await store.publish('bootstrap', { apikey: 'AIza-1', limits: { qps: 5 } });
    const { config } = await start('bootstrap');
    expect(config.get('rcc.apikey')).toBe('AIza-1');
    expect(config.get('rcc.limits.qps')).toBe(5);
    expect(config.get('rcc')).toEqual({ apikey: 'AIza-1', limits: { qps: 5 } });
    expect(config.get('rcc.constructor')).toBeUndefined();
    expect(config.get('rcc.missing', 'fallback')).toBe('fallback');
  });

  it('a publish reaches get() and changes$ by push; a removed key reads undefined', async () => {
    await store.publish('live', { apikey: 'AIza-1', region: 'eu' });
    const { config } = await start('live');

    const updated = nextChanges(config, 1);
    await store.publish('live', { apikey: 'AIza-2', region: 'eu' });
    expect(await updated).toEqual([{ path: 'rcc.apikey', oldValue: 'AIza-1', newValue: 'AIza-2' }]);
    expect(config.get('rcc.apikey')).toBe('AIza-2');

    const removed = nextChanges(config, 2);
    await store.publish('live', { timeout_ms: 3000 });
    expect(await removed).toEqual([
      { path: 'rcc.apikey', oldValue: 'AIza-2', newValue: undefined },
      { path: 'rcc.region', oldValue: 'eu', newValue: undefined },
    ]);
    expect(config.get('rcc.apikey')).toBeUndefined();
    expect(config.get('rcc.region')).toBeUndefined();
    expect(config.get('rcc.timeout_ms')).toBe(3000);
    expect(() => config.getOrThrow('rcc.apikey')).toThrow('"rcc.apikey" does not exist');
  });

  it('never puts a group value into process.env (child processes inherit it)', async () => {
    await store.publish('secret', { apikey: 'AIza-never-in-env' });
    const { config } = await start('secret');
    const changed = nextChanges(config, 1);
    await store.publish('secret', { apikey: 'AIza-rotated-never-in-env' });
    await changed;
    expect(config.get('rcc.apikey')).toBe('AIza-rotated-never-in-env');
    const environment = JSON.stringify(process.env);
    expect(environment).not.toContain('never-in-env');
  });

  it('with ConfigModule.forRoot({ cache: true }): every read is current, a removed key too', async () => {
    await store.publish('cached', { apikey: 'AIza-1', region: 'eu' });
    const { config } = await start(
      'cached',
      ConfigModule.forRoot({ ignoreEnvFile: true, cache: true }),
    );
    expect(config.get('rcc.apikey')).toBe('AIza-1');
    expect(config.get('rcc.apikey')).toBe('AIza-1'); // a second read, which a cache would serve

    const updated = nextChanges(config, 1);
    await store.publish('cached', { apikey: 'AIza-2', region: 'eu' });
    await updated;
    expect(config.get('rcc.apikey')).toBe('AIza-2');

    const removed = nextChanges(config, 1);
    await store.publish('cached', { region: 'eu' });
    await removed;
    expect(config.get('rcc.apikey')).toBeUndefined();
    expect(config.get('rcc.region')).toBe('eu');
  });

  /** Boots a node in a fresh process (see fixtures/bridge-process.ts) and says how it went. */
  async function inFreshProcess(
    options: RedisConfigModuleOptions,
    shape: AppShape,
  ): Promise<BridgeProcessResult> {
    const root = join(__dirname, '..', '..');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [
        '-r',
        'ts-node/register/transpile-only',
        '-r',
        'tsconfig-paths/register',
        join(__dirname, 'fixtures', 'bridge-process.ts'),
        JSON.stringify({ redis: { url: redis.url }, namespace, ...options }),
        shape,
      ],
      {
        cwd: root,
        timeout: 60_000,
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          TS_NODE_PROJECT: join(root, 'tsconfig.json'),
        },
      },
    );
    return JSON.parse(stdout) as BridgeProcessResult;
  }

  it('loads no file of @nestjs/config when the option is unset (a fresh process)', async () => {
    await store.publish('plain', { apikey: 'x' });
    expect(await inFreshProcess({ group: 'plain' }, 'without-config-module')).toEqual({
      group: 'plain',
      error: null,
      configLoaded: false,
    });
  }, 60_000);

  it('fails the bootstrap naming the option: no ConfigModule, or its namespace taken', async () => {
    const options = { group: 'plain', configServiceNamespace: 'rcc' };
    const [missing, taken] = await Promise.all([
      inFreshProcess(options, 'without-config-module'),
      inFreshProcess(options, 'rcc-namespace-taken'),
    ]);
    expect(missing.error).toBe(
      'configServiceNamespace (RCC_CONFIG_SERVICE_NAMESPACE) is "rcc", but the application has ' +
        'no ConfigService: import ConfigModule.forRoot() in it, or unset the option',
    );
    expect(taken.error).toBe(
      'configServiceNamespace (RCC_CONFIG_SERVICE_NAMESPACE) is "rcc", but ConfigService ' +
        'already has a "rcc" namespace (registerAs / load): choose another name',
    );
    expect(taken.configLoaded).toBe(true); // the check of the test above can see a load
  }, 60_000);
});
