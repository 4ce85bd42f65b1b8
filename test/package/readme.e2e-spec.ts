import { ChildProcess, spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createConfigGroupStore, StandaloneStore } from '@rcc/redis-config/publisher';
import { freePort, RedisServer } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';
import {
  consumerEnv,
  installConsumer,
  PROJECT_ROOT,
  runIn,
  tarballs,
  writeConsumerApp,
} from './consumer-project';

/**
 * The README's "five minutes to a live value", run as written so that it cannot rot: the blocks
 * marked `<!-- readme-test: … -->` are taken from README.md and run in a fresh Nest 11 app
 * outside the repository, against a real redis-server holding the demo's group `apikey-1`.
 *
 * Substituted, and nothing else: the repository's path in the install command; the demo's Redis
 * (port 6379) by this test's; the app's port (README: 3000, `PORT` here). `npm run build` (a
 * `nest new` app's `nest build`) is a strict `tsc` here.
 */
const README = join(PROJECT_ROOT, 'README.md');
const REPOSITORY_PLACEHOLDER = '/path/to/redis-config-center';

/** The fenced block after `<!-- readme-test: name -->`, failing when the README has none. */
function readmeBlock(markdown: string, name: string): string {
  const marker = `<!-- readme-test: ${name} -->`;
  const at = markdown.indexOf(marker);
  if (at < 0) throw new Error(`README.md has no ${marker}`);
  const block = /```[a-z]*\n([\s\S]*?)\n```/.exec(markdown.slice(at + marker.length));
  if (!block) throw new Error(`README.md has no code block after ${marker}`);
  return block[1];
}

/** `A=1 B=2 node dist/main.js` → the variables and the command. */
function parseCommandLine(line: string): { env: Record<string, string>; command: string[] } {
  const words = line.replace(/#.*$/, '').trim().split(/\s+/);
  const env: Record<string, string> = {};
  while (words.length > 0 && /^[A-Z_][A-Z0-9_]*=/.test(words[0])) {
    const [name, ...value] = (words.shift() as string).split('=');
    env[name] = value.join('=');
  }
  return { env, command: words };
}

jest.setTimeout(120_000);

describe('README: five minutes to a live value', () => {
  const markdown = readFileSync(README, 'utf8');
  let redis: RedisServer;
  let publisher: StandaloneStore;
  let project: string;
  let app: ChildProcess | null = null;
  let output = '';

  beforeAll(async () => {
    redis = await RedisServer.start();
    publisher = await createConfigGroupStore({ redis: { url: redis.url } });
    // The demo's group (scripts/demo.js): keys apikey and qps_limit.
    await publisher.store.publish('apikey-1', { apikey: 'demo-key-1-readme', qps_limit: 10 });
    tarballs(); // fails early, saying to run npm run pack
    // A fresh Nest 11 app, with what `nest new` puts in it that the first app uses.
    project = await installConsumer({
      name: 'readme-nest11',
      dependencies: {
        '@nestjs/common': '^11.1.0',
        '@nestjs/core': '^11.1.0',
        '@nestjs/platform-express': '^11.1.0',
        'reflect-metadata': '^0.2.2',
        rxjs: '^7.8.2',
        typescript: '~5.8.3',
        '@types/node': '^20.19.0',
      },
      packages: [],
    });
  }, 600_000);

  afterAll(async () => {
    if (app && app.exitCode === null && app.signalCode === null) {
      const exited = new Promise((resolve) => app?.once('exit', resolve));
      app.kill('SIGKILL');
      await exited;
    }
    await publisher?.close();
    await redis?.dispose();
  });

  it('installs as written (the repository path substituted)', async () => {
    const install = readmeBlock(markdown, 'install');
    expect(install).toContain(REPOSITORY_PLACEHOLDER);
    for (const line of install.split('\n').filter((text) => text.trim() !== '')) {
      const command = line.split(REPOSITORY_PLACEHOLDER).join(PROJECT_ROOT);
      await runIn(project, 'bash', ['-c', command]);
    }
    const manifest = JSON.parse(readFileSync(join(project, 'package.json'), 'utf8')) as {
      dependencies: Record<string, string>;
    };
    expect(manifest.dependencies['@rcc/redis-config']).toMatch(/^file:.*rcc-redis-config-.*\.tgz$/);
    expect(manifest.dependencies.ioredis).toBeDefined();
    // A clean tree: no missing or invalid peer (npm ls exits non-zero otherwise).
    await runIn(project, 'npm', ['ls', '--all'], {}, 120_000);
  });

  it('compiles the first app under strict and serves the live apikey, following a publish', async () => {
    // The compiler settings of a `nest new` app that matter here (module nodenext,
    // isolatedModules with decorator metadata), under strict and with our .d.ts checked.
    const dir = writeConsumerApp(project, 'readme-app', 'commonjs-nodenext');
    const tsconfig = JSON.parse(readFileSync(join(dir, 'tsconfig.json'), 'utf8')) as {
      compilerOptions: Record<string, unknown>;
    };
    tsconfig.compilerOptions.isolatedModules = true;
    writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2));
    writeFileSync(join(dir, 'src/main.ts'), `${readmeBlock(markdown, 'src/main.ts')}\n`);

    const run = readmeBlock(markdown, 'run').split('\n');
    expect(run).toContain('npm run build');
    await runIn(dir, join(project, 'node_modules/.bin/tsc'), ['-p', 'tsconfig.json']);

    const start = parseCommandLine(run.find((line) => line.includes('node ')) as string);
    expect(start.command).toEqual(['node', 'dist/main.js']);
    expect(start.env.REDIS_URL).toBe('redis://127.0.0.1:6379');
    const curl = run.find((line) => line.startsWith('curl ')) as string;
    expect(curl).toMatch(/^curl localhost:3000\/key\b/);

    const port = await freePort();
    const env = {
      ...start.env,
      REDIS_URL: start.env.REDIS_URL.replace(':6379', `:${redis.port}`),
      PORT: String(port),
    };
    app = spawn(process.execPath, start.command.slice(1), {
      cwd: dir,
      env: consumerEnv(env),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    app.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    app.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    const key = async () => {
      const response = await fetch(
        `http://127.0.0.1:${port}${curl.split(':3000')[1].split(' ')[0]}`,
      );
      return (await response.json()) as { apikey: string };
    };

    // The first answer already holds the group: bootstrap waited for it.
    const first = await waitFor('the app to answer', key, 60_000, 100);
    expect(first).toEqual({ apikey: 'demo-key-1-readme' });

    await publisher.store.publish('apikey-1', { apikey: 'rotated-key', qps_limit: 10 });
    await waitFor('the new key', async () => (await key()).apikey === 'rotated-key', 10_000);
    await waitFor('the change logged', () =>
      /apikey changed \(updated\): apikey-1 v1/.test(output),
    );
    expect(output).not.toContain('rotated-key'); // the log names the version, never the key
  });

  it('gives its place back at once on SIGTERM (app.enableShutdownHooks)', async () => {
    expect(app).not.toBeNull();
    // The node reports its group with its next heartbeat (within lease ÷ 3 of the start).
    await waitFor(
      'the node to report apikey-1',
      async () =>
        JSON.stringify((await publisher.nodes.list()).map((node) => node.group)) === '["apikey-1"]',
      15_000,
    );
    const exited = new Promise<void>((resolve) => app?.once('exit', () => resolve()));
    app?.kill('SIGTERM');
    await exited;
    // No wait for the lease (10 s): the shutdown hook released the place before the exit.
    expect(await publisher.nodes.list()).toEqual([]);
  });
});
