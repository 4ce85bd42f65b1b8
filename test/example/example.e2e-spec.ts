import { INestApplication, LoggerService } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import request from 'supertest';
import { ConfigGroupStore } from '@rcc/redis-config/publisher';
import { ExampleModule } from '../../apps/example/src/example.module';
import { DEFAULT_QPS_LIMIT } from '../../apps/example/src/api-key.client';
import { startPublisher } from '../helpers/config-node';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/** Keeps every log line, to check what the change logger writes (and what it must not). */
class CapturingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown, context?: string): void {
    this.lines.push(`${context ?? ''}: ${String(message)}`);
  }
  error(message: unknown, context?: string): void {
    this.log(message, context);
  }
  warn(message: unknown, context?: string): void {
    this.log(message, context);
  }
}

describe('example node (the real ExampleModule, configured from env, on a real Redis)', () => {
  let redis: RedisServer;
  let publisher: Awaited<ReturnType<typeof startPublisher>>;
  let store: ConfigGroupStore;
  let app: INestApplication;
  let logger: CapturingLogger;
  const savedEnv = { ...process.env };

  beforeAll(async () => {
    redis = await RedisServer.start();
    const namespace = uniqueNamespace('example');
    publisher = await startPublisher({ redis: { url: redis.url }, namespace });
    store = publisher.store;
    await store.publish('team-a', { apikey: 'AIza-secret-1', qps_limit: 25 });

    // forRoot() with no argument: everything comes from the environment, as in production.
    Object.assign(process.env, {
      REDIS_URL: redis.url,
      RCC_NAMESPACE: namespace,
      DEFAULT_CONFIG_GROUP: 'team-a',
      RCC_NODE_ID: 'example-e2e',
      RCC_REFRESH_MS: '60000', // only a push can deliver changes within the test's bounds
      RCC_CONFIG_SERVICE_NAMESPACE: 'rcc',
    });
    const moduleRef = await Test.createTestingModule({ imports: [ExampleModule] }).compile();
    logger = new CapturingLogger();
    app = moduleRef.createNestApplication({ logger });
    app.enableShutdownHooks();
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await publisher?.app.close();
    await redis?.dispose();
    process.env = savedEnv;
  });

  const http = () => request(app.getHttpServer());
  const version = async () => ((await http().get('/config')).body as { version: number }).version;

  it('GET /config shows the node, its pinned group, version and config', async () => {
    const response = await http().get('/config').expect(200);
    expect(response.body).toEqual({
      nodeId: 'example-e2e',
      group: 'team-a',
      version: 0,
      config: { apikey: 'AIza-secret-1', qps_limit: 25 },
      pinned: true,
      shared: [],
      canary: false,
    });
  });

  it('GET /config/:key returns the JSON value, and 404 JSON for an absent key', async () => {
    const found = await http().get('/config/apikey').expect(200);
    expect(found.headers['content-type']).toMatch(/application\/json/);
    expect(found.body).toBe('AIza-secret-1');
    await http().get('/config/qps_limit').expect(200, '25');

    const missing = await http().get('/config/nope').expect(404);
    expect(missing.body).toEqual({
      statusCode: 404,
      error: 'Not Found',
      message: 'Config key "nope" is not set in config group "team-a"',
    });
  });

  it('follows a publish on every route, and logs the change without values', async () => {
    await store.publish('team-a', { apikey: 'AIza-secret-2', qps_limit: 40, region: 'sg' });
    await waitFor('GET /config to show version 1', async () => (await version()) === 1, 2000);

    await http().get('/config/region').expect(200, '"sg"');
    await http().get('/apikey').expect(200, { apikey: 'AIza-secret-2', qps_limit: 40 });

    const line = logger.lines.find((l) => l.includes('team-a@v0 -> team-a@v1'));
    expect(line).toBe(
      'ConfigChange: updated: group team-a@v0 -> team-a@v1; changed keys: apikey, qps_limit, region',
    );
    expect(logger.lines.join('\n')).not.toContain('AIza-secret');
  });

  it('falls back to the default when a key is removed, and to null for apikey', async () => {
    const before = await version();
    await store.publish('team-a', { other: true });
    await waitFor('the removal to arrive', async () => (await version()) === before + 1, 2000);

    await http().get('/apikey').expect(200, { apikey: null, qps_limit: DEFAULT_QPS_LIMIT });
    await http().get('/config/apikey').expect(404);
  });

  it('GET /config-service/:key reads ConfigService under RCC_CONFIG_SERVICE_NAMESPACE, live', async () => {
    const before = await version();
    await store.publish('team-a', { apikey: 'AIza-secret-3', limits: { qps: 7 } });
    await waitFor('the publish to arrive', async () => (await version()) === before + 1, 2000);

    const found = await http().get('/config-service/apikey').expect(200);
    expect(found.headers['content-type']).toMatch(/application\/json/);
    expect(found.body).toBe('AIza-secret-3');
    await http().get('/config-service/limits').expect(200, { qps: 7 });
    const missing = await http().get('/config-service/other').expect(404);
    expect(missing.body).toMatchObject({ message: 'ConfigService has no "rcc.other"' });
  });

  it('GET /health answers ok with the Redis status and group', async () => {
    await http().get('/health').expect(200, { status: 'ok', redis: 'up', group: 'team-a' });
  });
});
