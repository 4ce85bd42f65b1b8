import { cpSync } from 'node:fs';
import { join } from 'node:path';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import {
  installConsumer,
  installedCopies,
  ModuleKind,
  runIn,
  tarballs,
  writeConsumerApp,
} from './consumer-project';

/**
 * `@rcc/redis-config/openfeature` as users get it (DESIGN §20): the library's tarball installed
 * from the npm registry into fresh Nest 11 apps outside the repository — one with
 * `@openfeature/server-sdk` alone, one with `@openfeature/nestjs-sdk` and its flag decorators —
 * type-checked under `strict` against the package's `.d.ts`, and run on a real redis-server.
 */
const USER_DEPENDENCIES = {
  '@nestjs/common': '^11.1.0',
  '@nestjs/core': '^11.1.0',
  ioredis: '^5.6.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  typescript: '~5.8.3',
  '@types/node': '^20.19.0',
};

const FIXTURES = join(__dirname, 'fixtures');

jest.setTimeout(180_000);

/** The consumer app of `fixture` written into `project/<folder>`, compiled, and run once. */
async function runFixture(
  project: string,
  fixture: string,
  kind: ModuleKind,
  redis: RedisServer,
): Promise<Record<string, unknown>> {
  const app = writeConsumerApp(project, fixture, kind);
  cpSync(join(FIXTURES, fixture, 'main.ts'), join(app, 'src/main.ts'));
  await runIn(app, join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);
  const { stdout } = await runIn(app, process.execPath, ['dist/main.js'], {
    REDIS_URL: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    RCC_NAMESPACE: uniqueNamespace(fixture),
    RCC_NODE_ID: `consumer-${fixture}`,
  });
  return JSON.parse(stdout.trim().split('\n').pop() as string) as Record<string, unknown>;
}

describe('@rcc/redis-config/openfeature installed from the tarball', () => {
  let redis: RedisServer;
  let serverProject: string;
  let nestProject: string;

  beforeAll(async () => {
    redis = await RedisServer.start();
    const { library } = tarballs();
    [serverProject, nestProject] = await Promise.all([
      installConsumer({
        name: 'openfeature-server',
        dependencies: { ...USER_DEPENDENCIES, '@openfeature/server-sdk': '^1.17.1' },
        packages: [library],
      }),
      installConsumer({
        name: 'openfeature-nest',
        dependencies: {
          ...USER_DEPENDENCIES,
          '@nestjs/platform-express': '^11.1.0',
          '@openfeature/server-sdk': '^1.17.1',
          '@openfeature/nestjs-sdk': '^0.2.5',
        },
        packages: [library],
      }),
    ]);
  }, 900_000);

  afterAll(async () => {
    await redis?.dispose();
  });

  it('installs one copy of the SDK, and no optional OpenFeature peer that the app did not ask for', () => {
    expect(installedCopies(serverProject, '@openfeature/server-sdk')).toHaveLength(1);
    expect(installedCopies(serverProject, '@openfeature/nestjs-sdk')).toEqual([]);
    expect(installedCopies(nestProject, '@openfeature/server-sdk')).toHaveLength(1);
    expect(installedCopies(nestProject, '@openfeature/nestjs-sdk')).toHaveLength(1);
  });

  it('with @openfeature/server-sdk: every type, both error codes, a pushed change', async () => {
    const report = await runFixture(serverProject, 'openfeature-server', 'commonjs-node10', redis);
    expect(report).toEqual({
      // The root and /publisher entry points, running, had loaded nothing of OpenFeature.
      loadedByRoot: false,
      before: {
        status: 'READY',
        enabled: true,
        name: {
          flagKey: 'name',
          value: 'first',
          reason: 'STATIC',
          variant: 'flags@0',
          flagMetadata: { group: 'flags', version: 0, source: 'own' },
        },
        qps: 5,
        limits: { qps: 5 },
        missing: 'FLAG_NOT_FOUND',
        mismatch: 'TYPE_MISMATCH',
      },
      after: {
        flagsChanged: ['enabled', 'name'],
        enabled: false,
        name: expect.objectContaining({ value: 'second', variant: 'flags@1' }),
      },
    });
  });

  it('with @openfeature/nestjs-sdk: OpenFeatureModule, the flag decorators and the injected client', async () => {
    const report = await runFixture(nestProject, 'openfeature-nest', 'commonjs-nodenext', redis);
    expect(report).toEqual({
      before: { enabled: true, name: 'first', variant: 'nest-flags@0', reason: 'STATIC' },
      qps: { qps: 7 },
      after: { enabled: false, name: 'second', variant: 'nest-flags@1', reason: 'STATIC' },
    });
  });
});
