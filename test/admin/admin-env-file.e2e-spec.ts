import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AppProcess, builtEntry } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';

/**
 * The built admin started in a folder holding a `.env` file, as `ConfigModule` reads it: the file
 * gives the admin's settings and the library's, a real variable wins over it, and a bad value
 * stops the process naming the variable, never a token.
 */
describe('built admin process: settings from a .env file', () => {
  let redis: RedisServer;
  let folder: string;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    builtEntry('admin');
    redis = await RedisServer.start();
    folder = mkdtempSync(join(tmpdir(), 'rcc-admin-env-'));
  }, 60_000);

  afterAll(async () => {
    for (const started of processes) await started.stop();
    await redis?.dispose();
    rmSync(folder, { recursive: true, force: true });
  });

  function start(envFile: string, env: Record<string, string> = {}): AppProcess {
    writeFileSync(join(folder, '.env'), envFile);
    const admin = AppProcess.start('admin', env, 'admin', folder);
    processes.push(admin);
    return admin;
  }

  it('listens on the port the file gives, with its token and its Redis; the real env wins', async () => {
    const port = await freePort();
    const admin = start(
      [
        `ADMIN_PORT=${port}`,
        'ADMIN_TOKEN=token-from-the-env-file',
        `REDIS_URL=${redis.url}`,
        `RCC_NAMESPACE=${uniqueNamespace('env-file')}`,
        'REDIS_CONFIG_CENTER_TYPE=FROM_FILE',
        'ADMIN_MICROSERVICE=false',
      ].join('\n'),
      { REDIS_CONFIG_CENTER_TYPE: 'FROM_ENV' },
    );
    await admin.waitForHttp(`http://127.0.0.1:${port}/health`);
    const info = await fetch(`http://127.0.0.1:${port}/api/info`, {
      headers: { authorization: 'Bearer token-from-the-env-file' },
    });
    expect(info.status).toBe(200);
    expect(await info.json()).toMatchObject({ environment: 'FROM_ENV', port: redis.port });
    expect(admin.log).not.toContain('generated for this run');
    const exit = await admin.stop();
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(admin.log).toMatch(/Admin service stopped \(SIGTERM\)/);
  });

  it('stops on a bad value, naming each bad variable and never the token', async () => {
    const secret = 'secret token with spaces';
    const admin = start(
      [`ADMIN_PORT=${await freePort()}`, 'ADMIN_WRITE_RATE_LIMIT=-1', `ADMIN_TOKEN=${secret}`].join(
        '\n',
      ),
    );
    const exit = await admin.waitForExit();
    expect(exit.code).toBe(1);
    expect(admin.log).toContain('Admin service failed to start');
    expect(admin.log).toContain('ADMIN_WRITE_RATE_LIMIT must be an integer from 0 to 1000000');
    expect(admin.log).toContain('ADMIN_TOKEN: a token must be');
    expect(admin.log).not.toContain(secret);
  });

  it('refuses a token shorter than 16 characters, naming its label and never the token', async () => {
    // Issue 23 (lower): a one-character token was accepted.
    const admin = start(
      [`ADMIN_PORT=${await freePort()}`, 'ADMIN_TOKENS=ci:tiny-tok3n:writer'].join('\n'),
    );
    const exit = await admin.waitForExit();
    expect(exit.code).toBe(1);
    expect(admin.log).toContain('ADMIN_TOKENS ("ci"): a token must be 16-512');
    expect(admin.log).not.toContain('tiny-tok3n');
  });
});
