import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { RedisServer, freePort, uniqueNamespace } from '../helpers/redis-server';
import { consumerEnv, installConsumer, installedCopies, runIn, tarballs } from './consumer-project';

/**
 * `@rcc/admin` as an operator installs it: its tarball alone (its bundles carry the library) and
 * the registry, in a fresh folder; `rcc-admin` serving /health and the console, `rcc` exporting
 * the old format.
 */
jest.setTimeout(120_000);

const TOKEN = 'package-suite-token';

/** Resolves with the first line of `child`'s stdout matching `pattern`, or rejects after a bound. */
function waitForLine(child: ChildProcess, pattern: RegExp, timeoutMs: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = '';
    const timer = setTimeout(() => {
      reject(new Error(`no line matching ${pattern} within ${timeoutMs} ms; output:\n${output}`));
    }, timeoutMs);
    const onData = (chunk: Buffer) => {
      output += chunk.toString('utf8');
      const line = output.split('\n').find((candidate) => pattern.test(candidate));
      if (line) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        resolve(line);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before ${pattern}; output:\n${output}`));
    });
  });
}

describe('@rcc/admin installed from its tarball', () => {
  let redis: RedisServer;
  let project: string;
  let admin: ChildProcess | null = null;
  let namespace: string;
  let port: number;
  const bin = (name: string) => join(project, 'node_modules/.bin', name);
  const redisEnv = () => ({
    REDIS_URL: '127.0.0.1',
    REDIS_PORT: String(redis.port),
    RCC_NAMESPACE: namespace,
  });

  beforeAll(async () => {
    redis = await RedisServer.start();
    namespace = uniqueNamespace('admin-package');
    project = await installConsumer({
      name: 'admin',
      dependencies: {},
      packages: [tarballs().admin],
    });
  }, 900_000);

  afterAll(async () => {
    if (admin && admin.exitCode === null) {
      const exited = new Promise((resolve) => admin?.once('exit', resolve));
      admin.kill('SIGTERM');
      await exited;
    }
    await redis?.dispose();
  });

  it('installs with one copy of @nestjs/core, the library inside its bundles', () => {
    expect(installedCopies(project, '@nestjs/core')).toHaveLength(1);
    expect(installedCopies(project, '@rcc/redis-config')).toHaveLength(0);
  });

  it('rcc-admin --help names every setting', async () => {
    const { stdout } = await runIn(project, bin('rcc-admin'), ['--help']);
    expect(stdout).toMatch(/^rcc-admin 0\.\d+\.\d+/);
    for (const variable of ['ADMIN_PORT', 'ADMIN_TOKEN', 'REDIS_URL', 'RCC_NAMESPACE']) {
      expect(stdout).toContain(variable);
    }
  });

  it('rcc --help names the commands and the env variables', async () => {
    const { stdout } = await runIn(project, bin('rcc'), ['--help']);
    for (const word of ['export', 'import', 'migrate', 'REDIS_URL', 'RCC_NAMESPACE']) {
      expect(stdout).toContain(word);
    }
  });

  it('rcc-admin serves /health and the console, and rcc exports the old format', async () => {
    port = await freePort();
    admin = spawn(bin('rcc-admin'), [], {
      cwd: project,
      env: consumerEnv({ ...redisEnv(), ADMIN_PORT: String(port), ADMIN_TOKEN: TOKEN }),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await waitForLine(admin, /Admin service listening/, 60_000);
    const base = `http://127.0.0.1:${port}`;

    const health = await fetch(`${base}/health`);
    expect(health.status).toBe(200);
    expect(await health.json()).toMatchObject({ status: 'ok' });

    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    const html = await page.text();
    const script = html.match(/src="\.?\/?(assets\/[^"]+\.js)"/)?.[1];
    expect(script).toBeDefined();
    const asset = await fetch(`${base}/${script}`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toMatch(/javascript/);

    const put = await fetch(`${base}/api/groups/apikey-1`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config: { apikey: 'AIza-package', qps_limit: 5 } }),
    });
    expect(put.status).toBeLessThan(300);

    const { stdout } = await runIn(project, bin('rcc'), ['export'], redisEnv());
    expect(JSON.parse(stdout)).toEqual([
      {
        group_name: 'apikey-1',
        group_version: 0,
        config_dict: { apikey: 'AIza-package', qps_limit: 5 },
      },
    ]);
  });
});
