import { copyFileSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installConsumers, runIn, tarballs } from './consumer-project';

/**
 * `@rcc/redis-config/testing` (DESIGN §18) as a user's unit tests get it: the tarball installed
 * into fresh Nest 10, 11 and 12 apps outside the repository, a user spec (fixtures/testing-consumer)
 * run by the test runner each line's `nest new` sets up, with no Redis anywhere. The run must
 * pass, exit by itself, and open no socket (a preloaded guard logs every outgoing connection);
 * a wrong expected value must fail it, and a socket opened on purpose must show in the log.
 *
 * Runners: Nest 10 and 11 (CommonJS) jest + ts-jest, as their starters. Nest 12 is ESM-only:
 * from a CommonJS app, jest + @swc/jest with `@nestjs/*` transformed (jest loads an ES module
 * through `require` only on Node ≥ 24.9); from an ESM app, Vitest + unplugin-swc, Nest 12's
 * default for ESM apps (jest's ESM mode cannot load Nest from a CommonJS package before 24.9).
 */
const FIXTURES = join(__dirname, 'fixtures/testing-consumer');

type Runner = 'ts-jest' | 'swc-jest' | 'vitest';

interface App {
  folder: string;
  type: 'commonjs' | 'module';
  runner: Runner;
  /** Also prove that this runner's checks can fail (once per runner, to keep the suite short). */
  negative?: boolean;
}

interface NestLine {
  name: string;
  range: string;
  tools: Record<string, string>;
  apps: App[];
}

const USER_DEPENDENCIES = {
  ioredis: '^5.6.0',
  'reflect-metadata': '^0.2.2',
  rxjs: '^7.8.2',
  typescript: '~5.8.3',
  '@types/node': '^20.19.0',
};

const JEST_30 = { jest: '^30.0.0', '@types/jest': '^30.0.0' };

const LINES: NestLine[] = [
  {
    name: 'testing-nest10',
    range: '^10.4.0',
    tools: { jest: '^29.7.0', 'ts-jest': '^29.4.0', '@types/jest': '^29.5.14' },
    apps: [{ folder: 'cjs', type: 'commonjs', runner: 'ts-jest' }],
  },
  {
    name: 'testing-nest11',
    range: '^11.1.0',
    tools: { ...JEST_30, 'ts-jest': '^29.4.0' },
    apps: [{ folder: 'cjs', type: 'commonjs', runner: 'ts-jest' }],
  },
  {
    name: 'testing-nest12',
    range: '^12.0.0',
    tools: {
      ...JEST_30,
      '@swc/core': '^1.16.0',
      '@swc/jest': '^0.2.39',
      vitest: '^4.1.0',
      'unplugin-swc': '^2.0.0',
    },
    apps: [
      { folder: 'cjs', type: 'commonjs', runner: 'swc-jest', negative: true },
      { folder: 'esm', type: 'module', runner: 'vitest', negative: true },
    ],
  },
];

/** The runner's configuration, as the user keeps it in package.json or vitest.config.ts. */
function runnerConfig(runner: Runner): { jest?: object; vitestConfig?: string } {
  switch (runner) {
    case 'ts-jest':
      return {
        jest: {
          testEnvironment: 'node',
          rootDir: 'src',
          testRegex: '.*\\.spec\\.ts$',
          transform: { '^.+\\.ts$': 'ts-jest' },
          moduleFileExtensions: ['js', 'json', 'ts'],
        },
      };
    case 'swc-jest':
      return {
        jest: {
          testEnvironment: 'node',
          rootDir: 'src',
          testRegex: '.*\\.spec\\.ts$',
          transform: {
            '^.+\\.(t|j)s$': [
              '@swc/jest',
              {
                jsc: {
                  parser: { syntax: 'typescript', decorators: true },
                  transform: { legacyDecorator: true, decoratorMetadata: true },
                },
                module: { type: 'commonjs' },
              },
            ],
          },
          // Nest 12 ships ES modules only: jest turns them into CommonJS, like the app's code.
          transformIgnorePatterns: ['/node_modules/(?!@nestjs/)'],
          moduleFileExtensions: ['js', 'json', 'ts'],
        },
      };
    case 'vitest':
      return {
        vitestConfig: [
          "import swc from 'unplugin-swc';",
          "import { defineConfig } from 'vitest/config';",
          '',
          'export default defineConfig({',
          "  test: { globals: true, include: ['src/**/*.spec.ts'] },",
          // esbuild emits no decorator metadata; swc does (constructor injection by type).
          "  plugins: [swc.vite({ module: { type: 'es6' } })],",
          '});',
          '',
        ].join('\n'),
      };
  }
}

/** Writes the user's app: its provider and spec, a strict tsconfig, the runner's config. */
function writeApp(project: string, app: App): string {
  const dir = join(project, app.folder);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(join(dir, 'src'), { recursive: true });
  copyFileSync(join(FIXTURES, 'api-key.client.ts'), join(dir, 'src/api-key.client.ts'));
  writeFileSync(join(dir, 'src/api-key.client.spec.ts'), userSpec('api-key.client.user-spec', app));
  const { jest, vitestConfig } = runnerConfig(app.runner);
  writeFileSync(
    join(dir, 'package.json'),
    JSON.stringify({ private: true, type: app.type, ...(jest ? { jest } : {}) }, null, 2),
  );
  if (vitestConfig) writeFileSync(join(dir, 'vitest.config.ts'), vitestConfig);
  const compilerOptions = {
    module: app.runner === 'ts-jest' ? 'commonjs' : 'nodenext',
    target: 'ES2022',
    strict: true,
    experimentalDecorators: true,
    emitDecoratorMetadata: true,
    // As `nest new` sets it (and twice as fast here); consumers.e2e-spec.ts checks our .d.ts files
    // themselves against each Nest line's types, with skipLibCheck false.
    skipLibCheck: true,
    types: ['node', app.runner === 'vitest' ? 'vitest/globals' : 'jest'],
  };
  writeFileSync(
    join(dir, 'tsconfig.json'),
    JSON.stringify({ compilerOptions, include: ['src'] }, null, 2),
  );
  return dir;
}

/** A fixture spec as the app holds it: an ESM app names its relative imports with `.js`. */
function userSpec(fixture: string, app: App): string {
  const text = readFileSync(join(FIXTURES, `${fixture}.ts`), 'utf8');
  return app.type === 'module'
    ? text.replace("from './api-key.client';", "from './api-key.client.js';")
    : text;
}

interface RunResult {
  ok: boolean;
  output: string;
  results: { numTotalTests: number; numPassedTests: number; numFailedTests: number };
  sockets: string[];
  ms: number;
}

/**
 * Runs the app's tests (only `file` when given) with the socket guard preloaded, and returns
 * jest's (or Vitest's jest-shaped) JSON results. No --forceExit: a run that does not end by
 * itself fails on the bound.
 */
async function runTests(project: string, dir: string, app: App, file?: string) {
  const bin = (name: string) => join(project, 'node_modules/.bin', name);
  const resultsFile = join(dir, 'results.json');
  const socketLog = join(dir, 'sockets.log');
  rmSync(resultsFile, { force: true });
  rmSync(socketLog, { force: true });
  const [command, args] =
    app.runner === 'vitest'
      ? [bin('vitest'), ['run', '--reporter=json', `--outputFile=${resultsFile}`]]
      : [bin('jest'), ['--ci', '--detectOpenHandles', '--json', `--outputFile=${resultsFile}`]];
  const env = {
    NODE_OPTIONS: `--require ${join(FIXTURES, 'socket-guard.cjs')}`,
    RCC_SOCKET_LOG: socketLog,
  };
  const started = Date.now();
  let ok = true;
  let output: string;
  try {
    const { stdout, stderr } = await runIn(
      dir,
      command,
      [...args, ...(file ? [file] : [])],
      env,
      120_000,
    );
    output = `${stdout}\n${stderr}`;
  } catch (error) {
    ok = false;
    output = (error as Error).message;
  }
  const ms = Date.now() - started;
  if (!existsSync(resultsFile)) throw new Error(`no results from ${command}:\n${output}`);
  const result: RunResult = {
    ok,
    output,
    results: JSON.parse(readFileSync(resultsFile, 'utf8')) as RunResult['results'],
    sockets: existsSync(socketLog) ? readFileSync(socketLog, 'utf8').trim().split('\n') : [],
    ms,
  };
  return result;
}

jest.setTimeout(240_000);

describe('@rcc/redis-config/testing from the tarball, in the user’s own test runner', () => {
  const projects = new Map<string, string>();

  beforeAll(async () => {
    const { library } = tarballs();
    const dirs = await installConsumers(
      LINES.map((line) => ({
        name: line.name,
        dependencies: {
          '@nestjs/common': line.range,
          '@nestjs/core': line.range,
          '@nestjs/testing': line.range,
          ...USER_DEPENDENCIES,
          ...line.tools,
        },
        packages: [library],
      })),
    );
    LINES.forEach((line, index) => projects.set(line.name, dirs[index]));
  }, 900_000);

  describe.each(LINES)('$name', (line) => {
    const project = () => projects.get(line.name) as string;

    it.each(line.apps)('$type app, $runner', async (app) => {
      const dir = writeApp(project(), app);
      // ts-jest type-checks what it runs, under the app's strict tsconfig; swc and Vitest do not.
      if (app.runner !== 'ts-jest') {
        await runIn(dir, join(project(), 'node_modules/.bin/tsc'), [
          '-p',
          'tsconfig.json',
          '--noEmit',
        ]);
      }

      const run = await runTests(project(), dir, app);
      expect(run.ok).toBe(true);
      expect(run.results).toMatchObject({ numTotalTests: 4, numPassedTests: 4, numFailedTests: 0 });
      expect(run.output).not.toMatch(/open handle|did not exit|prevents .* from exiting/i);
      expect(run.sockets).toEqual([]);

      process.stdout.write(`${line.name} ${app.folder} (${app.runner}): user run ${run.ms} ms\n`);
      if (!app.negative) return;

      // The same checks can fail: a wrong expected value fails the run; a socket is logged.
      writeFileSync(join(dir, 'src/wrong.spec.ts'), userSpec('wrong.user-spec', app));
      const wrong = await runTests(project(), dir, app, 'src/wrong.spec.ts');
      expect(wrong.ok).toBe(false);
      expect(wrong.results).toMatchObject({
        numTotalTests: 2,
        numPassedTests: 1,
        numFailedTests: 1,
      });
      expect(wrong.sockets).toEqual([expect.stringMatching(/ 127\.0\.0\.1:1$/)]);
      process.stdout.write(
        `${line.name} ${app.folder} (${app.runner}): failing run ${wrong.ms} ms\n`,
      );
    });
  });
});
