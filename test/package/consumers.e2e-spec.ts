import { join } from 'node:path';
import { RedisServer, uniqueNamespace } from '../helpers/redis-server';
import {
  installConsumer,
  installedCopies,
  installedVersion,
  ModuleKind,
  runIn,
  tarballs,
  writeConsumerApp,
} from './consumer-project';

/**
 * The library as users get it: its tarball installed with nothing but the npm registry into fresh
 * Nest 10, 11 and 12 apps outside the repository, type-checked under `strict` against the
 * package's own `.d.ts`, and run on a real redis-server. Nest 12 is ESM-only: the CommonJS
 * library reaches it through Node's `require(esm)`, proven here rather than assumed, from a
 * CommonJS app and from an ESM app.
 *
 * Both ioredis majors the peer range takes (`^5 || ^6`), one per app, with no extra install: Nest
 * 10 on ioredis 5; Nest 11 (what `npm install <tarball> ioredis` gives a fresh Nest 11 app today)
 * and Nest 12 on ioredis 6, so ioredis 6 is compiled under node10, nodenext and ESM. Each tree
 * passes `npm ls` (no invalid peer) and `tsc` with `skipLibCheck: false` (ioredis's own types
 * included).
 */
const USER_DEPENDENCIES = {
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  typescript: '~5.8.3',
  '@types/node': '^20.19.0',
};

interface NestLine {
  name: string;
  major: number;
  range: string;
  /** The @nestjs/config line of that Nest line (3.x for 10, 4.x for 11, 12.x for 12). */
  config: string;
  /** The ioredis the app pins, as a user would. */
  ioredis: string;
  apps: { folder: string; kind: ModuleKind }[];
}

const LINES: NestLine[] = [
  {
    name: 'nest10',
    major: 10,
    range: '^10.4.0',
    config: '^3.3.0',
    ioredis: '^5.6.0',
    apps: [{ folder: 'cjs', kind: 'commonjs-node10' }],
  },
  {
    name: 'nest11',
    major: 11,
    range: '^11.1.0',
    config: '^4.0.2',
    ioredis: '^6.1.0',
    apps: [{ folder: 'cjs', kind: 'commonjs-node10' }],
  },
  {
    name: 'nest12',
    major: 12,
    range: '^12.0.0',
    config: '^12.0.0',
    ioredis: '^6.1.0',
    apps: [
      { folder: 'cjs', kind: 'commonjs-nodenext' },
      { folder: 'esm', kind: 'esm-nodenext' },
    ],
  },
];

interface ConsumerReport {
  before: {
    configService: string;
    group: { name: string; version: number; config: Record<string, unknown> } | null;
    pinned: boolean;
    decorated: string;
    timeoutMs: number;
    get: string;
  };
  after: {
    configService: string;
    configServiceTimeout: number | null;
    configServicePaths: string[];
    version: number;
    decorated: string;
    timeoutMs: number;
    get: string;
    changes: string[];
  };
}

jest.setTimeout(180_000);

describe('@rcc/redis-config installed from its tarball', () => {
  let redis: RedisServer;
  const projects = new Map<string, string>();

  beforeAll(async () => {
    redis = await RedisServer.start();
    const { library } = tarballs();
    // Two installs at a time: npm is mostly waiting on the cache and the registry.
    for (let i = 0; i < LINES.length; i += 2) {
      const batch = LINES.slice(i, i + 2);
      const dirs = await Promise.all(
        batch.map((line) =>
          installConsumer({
            name: line.name,
            dependencies: {
              '@nestjs/common': line.range,
              '@nestjs/core': line.range,
              '@nestjs/config': line.config,
              ioredis: line.ioredis,
              ...USER_DEPENDENCIES,
            },
            packages: [library],
          }),
        ),
      );
      batch.forEach((line, index) => projects.set(line.name, dirs[index]));
    }
  }, 900_000);

  afterAll(async () => {
    await redis?.dispose();
  });

  describe.each(LINES)('Nest $major, ioredis $ioredis', (line) => {
    const project = () => projects.get(line.name) as string;

    it('installs the line asked for, with one copy of @nestjs/core and of the library', () => {
      expect(Number(installedVersion(project(), '@nestjs/core').split('.')[0])).toBe(line.major);
      expect(installedVersion(project(), '@nestjs/config').split('.')[0]).toBe(
        line.config.replace(/^\^(\d+).*/, '$1'),
      );
      expect(installedCopies(project(), '@nestjs/core')).toHaveLength(1);
      expect(installedCopies(project(), '@rcc/redis-config')).toHaveLength(1);
      expect(installedVersion(project(), 'ioredis').split('.')[0]).toBe(
        line.ioredis.replace(/^\^(\d+).*/, '$1'),
      );
      expect(installedCopies(project(), 'ioredis')).toHaveLength(1);
    });

    it('passes npm ls: every peer satisfied, nothing invalid or missing', async () => {
      // npm ls exits non-zero on an invalid or missing peer (runIn throws with its output).
      const { stdout } = await runIn(project(), 'npm', ['ls', '--all']);
      // (An optional peer nobody installed is listed as UNMET OPTIONAL: that is fine.)
      expect(stdout).not.toMatch(/\binvalid\b|UNMET DEPENDENCY|ERESOLVE|missing:/);
      expect(stdout).toMatch(/ioredis@\d/);
    });

    it.each(line.apps)(
      '$kind: compiles under strict and follows a publish',
      async ({ folder, kind }) => {
        const app = writeConsumerApp(project(), folder, kind);
        await runIn(app, join(project(), 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);
        const namespace = uniqueNamespace(`consumer-${line.name}-${folder}`);
        const { stdout } = await runIn(app, process.execPath, ['dist/main.js'], {
          REDIS_URL: '127.0.0.1',
          REDIS_PORT: String(redis.port),
          RCC_NAMESPACE: namespace,
          RCC_NODE_ID: `consumer-${line.name}-${folder}`,
        });
        const report = JSON.parse(stdout.trim().split('\n').pop() as string) as ConsumerReport;
        expect(report.before).toEqual({
          configService: 'first',
          group: { name: 'consumer', version: 0, config: { apikey: 'first', timeout_ms: 1500 } },
          pinned: true,
          decorated: 'first',
          timeoutMs: 1500,
          get: 'first',
        });
        // The second version drops timeout_ms: its @ConfigValue falls back to its default.
        expect(report.after).toEqual({
          // ConfigService (cache: true) follows too: the removed key reads undefined, and both
          // changed keys were emitted on its changes$.
          configService: 'second',
          configServiceTimeout: null,
          configServicePaths: ['rcc.apikey', 'rcc.timeout_ms'],
          version: 1,
          decorated: 'second',
          timeoutMs: 3000,
          get: 'second',
          changes: ['first', 'second'],
        });
      },
    );
  });
});
