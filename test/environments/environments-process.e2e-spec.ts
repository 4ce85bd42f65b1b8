import { AppProcess, builtEntry } from '../blackbox/built-app';
import { freePort } from '../helpers/redis-server';
import {
  PRODUCTION_PASSWORD,
  environmentsVariable,
  startTwoRedis,
  TwoRedis,
} from './two-environments';

const TOKEN = 'environments-process-token-0123';

/**
 * The built admin (`node dist/apps/admin/main.js`) configured by `RCC_ENVIRONMENTS` as an operator
 * would: it serves both Redis servers (production with a password), and no log line, answer or
 * error ever holds the password of an environment's URL.
 */
describe('built admin process with RCC_ENVIRONMENTS', () => {
  let redis: TwoRedis;
  const processes: AppProcess[] = [];

  beforeAll(async () => {
    builtEntry('admin');
    redis = await startTwoRedis();
  });

  afterAll(async () => {
    for (const process of processes) await process.stop();
    await redis?.dispose();
  });

  it('serves both environments and logs no connection secret, at debug level too', async () => {
    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const { value } = environmentsVariable(redis);
    const admin = AppProcess.start('admin', {
      RCC_ENVIRONMENTS: value,
      RCC_PROTECTED_ENVIRONMENTS: 'production',
      ADMIN_PORT: String(port),
      ADMIN_TOKEN: TOKEN,
      LOG_LEVEL: 'debug',
    });
    processes.push(admin);
    await admin.waitForHttp(`${url}/health`);
    const get = (path: string) =>
      fetch(`${url}${path}`, { headers: { authorization: `Bearer ${TOKEN}` } });
    const environments = await get('/api/environments');
    const listed = (await environments.json()) as { name: string; protected: boolean }[];
    expect(listed.map(({ name, protected: isProtected }) => [name, isProtected])).toEqual([
      ['staging', false],
      ['production', true],
    ]);
    const info = await get('/api/info?env=production');
    const text = await info.text();
    expect(JSON.parse(text)).toMatchObject({ environment: 'production', connected: true });
    expect((await get('/api/groups?env=qa')).status).toBe(400);
    expect(text).not.toContain(PRODUCTION_PASSWORD);
    expect(admin.log).toContain('Environment \\"production\\"');
    expect(admin.log).not.toContain(PRODUCTION_PASSWORD);
  });

  it('stops on a bad RCC_ENVIRONMENTS, naming the environment and never its password', async () => {
    const admin = AppProcess.start('admin', {
      RCC_ENVIRONMENTS: `staging=redis://127.0.0.1:1,production=mongodb://:${PRODUCTION_PASSWORD}@x`,
      ADMIN_TOKEN: TOKEN,
      ADMIN_PORT: String(await freePort()),
    });
    processes.push(admin);
    const exit = await admin.waitForExit();
    expect(exit.code).toBe(1);
    expect(admin.log).toContain('RCC_ENVIRONMENTS: environment "production"');
    expect(admin.log).not.toContain(PRODUCTION_PASSWORD);
  });
});
