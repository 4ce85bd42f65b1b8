import { ChildProcess, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry, childEnv, PROJECT_ROOT } from './built-app';
import { freePort, listening } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

function portFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/** A first port with the next two free too (the demo's three nodes). */
async function threeFreePorts(): Promise<number> {
  for (;;) {
    const first = await freePort();
    if (first < 65000 && (await portFree(first + 1)) && (await portFree(first + 2))) return first;
  }
}

/** redis-server processes serving `port` (redis-server titles itself `redis-server host:port`). */
function redisServersOn(port: number): string[] {
  const found = spawnSync('pgrep', ['-af', `redis-server .*:${port}\\b`], { encoding: 'utf8' });
  return found.stdout.split('\n').filter((line) => line.trim() && !line.includes('pgrep'));
}

interface RunningDemo {
  process: ChildProcess;
  ports: number[];
  redisPort: number;
  dataDir: string;
  output: () => string;
}

/**
 * `npm start`'s script (or `npm start` itself) on free ports, with an embedded Redis in a scratch
 * folder; resolves when it says it is running.
 */
async function startDemo(viaNpm: boolean): Promise<RunningDemo> {
  const [adminPort, nodePort, redisPort] = [
    await freePort(),
    await threeFreePorts(),
    await freePort(),
  ];
  const dataDir = mkdtempSync(join(tmpdir(), 'rcc-demo-stop-'));
  const env = childEnv({
    ADMIN_PORT: String(adminPort),
    PORT: String(nodePort),
    DEMO_REDIS_PORT: String(redisPort),
    DEMO_DATA_DIR: dataDir,
    NO_COLOR: '1',
  });
  delete env.REDIS_URL;
  const child = viaNpm
    ? spawn('npm', ['start'], { cwd: PROJECT_ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] })
    : spawn(process.execPath, ['scripts/demo.js'], {
        cwd: PROJECT_ROOT,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString('utf8')));
  try {
    await waitFor(
      'the demo running',
      () => {
        if (child.exitCode !== null) throw new Error(`the demo exited:\n${output}`);
        return output.includes('Redis Config Center demo is running.');
      },
      120_000,
      100,
    );
  } catch (error) {
    child.kill('SIGINT'); // the demo stops what it started
    rmSync(dataDir, { recursive: true, force: true });
    throw error;
  }
  return {
    process: child,
    ports: [adminPort, nodePort, nodePort + 1, nodePort + 2, redisPort],
    redisPort,
    dataDir,
    output: () => output,
  };
}

/** Waits until nothing of `demo` is left: no port answers, no redis-server serves its port. */
async function nothingLeft(demo: RunningDemo): Promise<void> {
  await waitFor(
    'every process of the demo gone',
    async () => {
      for (const port of demo.ports) if (await listening(port)) return false;
      return redisServersOn(demo.redisPort).length === 0;
    },
    30_000,
    200,
  );
}

/**
 * Issue 25 #3: every way of stopping the demo leaves nothing behind (it used to leave redis-server,
 * the admin and three nodes running, and the next `npm start` refused to start).
 */
describe('the demo (npm start) leaves nothing behind however it is stopped', () => {
  beforeAll(() => {
    for (const app of ['admin', 'example', 'cli'] as const) builtEntry(app);
  });

  const stopped: RunningDemo[] = [];
  afterAll(() => {
    for (const demo of stopped) rmSync(demo.dataDir, { recursive: true, force: true });
  });

  const cases: [string, boolean, NodeJS.Signals][] = [
    ['Ctrl-C (SIGINT) to the script', false, 'SIGINT'],
    ['SIGTERM to the script', false, 'SIGTERM'],
    ['SIGHUP to the script (a closed terminal)', false, 'SIGHUP'],
    ['the script killed outright (SIGKILL)', false, 'SIGKILL'],
    ['SIGTERM to npm start', true, 'SIGTERM'],
  ];

  it.each(cases)(
    '%s',
    async (_name, viaNpm, signal) => {
      const demo = await startDemo(viaNpm);
      stopped.push(demo);
      for (const port of demo.ports) expect(await listening(port)).toBe(true);
      if (signal === 'SIGINT') {
        // The console's header says what this is (issue 25 #8), not PRODUCTION.
        const token = /\?token=([\w-]+)/.exec(demo.output())?.[1];
        const info = await fetch(`http://127.0.0.1:${demo.ports[0]}/api/info`, {
          headers: { authorization: `Bearer ${token}` },
        });
        expect(((await info.json()) as { environment: string }).environment).toBe('DEMO');
      }
      expect(redisServersOn(demo.redisPort)).toHaveLength(1); // the embedded redis-server
      demo.process.kill(signal);
      await nothingLeft(demo);
      if (signal !== 'SIGKILL' && !viaNpm) {
        // A clean stop says so: the apps were stopped before Redis, by the script itself.
        await waitFor('the script exiting', () => demo.process.exitCode !== null, 15_000);
        expect(demo.output()).toContain('[demo] stopped');
      }
    },
    180_000,
  );
});
