import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { childEnv, PROJECT_ROOT } from '../blackbox/built-app';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';

/** A node as a fresh process of the built package: does starting it load prom-client? */
const NODE_SCRIPT = `
require('reflect-metadata');
const { Module } = require('@nestjs/common');
const { NestFactory } = require('@nestjs/core');
const { RedisConfigModule } = require(${JSON.stringify(join(PROJECT_ROOT, 'libs/redis-config'))});
class App {}
Module({ imports: [RedisConfigModule.forRoot({ group: 'lazy', startupTimeoutMs: 3000 })] })(App);
NestFactory.createApplicationContext(App, { logger: false }).then(async (app) => {
  const loaded = Object.keys(require.cache).some((path) => path.includes('/node_modules/prom-client/'));
  await app.close();
  process.stdout.write(JSON.stringify({ loaded }));
});
`;

describe('prom-client is loaded only by a node with metrics', () => {
  let redis: RedisServer;

  beforeAll(async () => {
    redis = await RedisServer.start();
  });

  afterAll(async () => {
    await redis?.dispose();
  });

  async function promClientLoaded(env: Record<string, string>): Promise<boolean> {
    const { stdout } = await promisify(execFile)(process.execPath, ['-e', NODE_SCRIPT], {
      cwd: PROJECT_ROOT,
      env: childEnv({ REDIS_URL: redis.url, RCC_NAMESPACE: uniqueNamespace('lazy'), ...env }),
      timeout: 20_000,
    });
    return (JSON.parse(stdout) as { loaded: boolean }).loaded;
  }

  it('not without RCC_METRICS', async () => {
    expect(await promClientLoaded({})).toBe(false);
  });

  it('with RCC_METRICS=true', async () => {
    expect(await promClientLoaded({ RCC_METRICS: 'true' })).toBe(true);
  });
});
