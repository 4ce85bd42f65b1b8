import { AppProcess, builtEntry } from '../blackbox/built-app';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { waitFor } from '../helpers/wait-for';

/**
 * The built admin (`node dist/apps/admin/main.js`) started as an operator would, with no
 * ADMIN_TOKEN: it generates one, prints it once, and accepts it; its log lines are JSON and hold
 * neither that token nor the Redis password.
 */
describe('built admin process: generated token, structured logs, clean stop', () => {
  const password = 'process-redis-password';
  let redis: RedisServer;
  let admin: AppProcess;
  let url: string;

  beforeAll(async () => {
    builtEntry('admin'); // fails first, saying to run the build, when dist/ is missing
    redis = await RedisServer.start();
    const client = redis.client();
    await client.config('SET', 'requirepass', password);
    client.disconnect();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    admin = AppProcess.start('admin', {
      REDIS_URL: `redis://:${password}@127.0.0.1:${redis.port}`,
      RCC_NAMESPACE: uniqueNamespace('process'),
      ADMIN_PORT: String(port),
      REDIS_CONFIG_CENTER_TYPE: 'DEV',
    });
    await admin.waitForHttp(`${url}/health`);
  }, 60_000);

  afterAll(async () => {
    await admin?.stop();
    await redis?.dispose();
  });

  function printedToken(): string {
    const matches = [...admin.log.matchAll(/generated for this run:\s+(\S+)/g)];
    expect(matches).toHaveLength(1);
    return matches[0][1];
  }

  it('prints a generated token once and accepts it, and only it', async () => {
    const token = printedToken();
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes, base64url
    const ok = await fetch(`${url}/api/info`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toMatchObject({ environment: 'DEV', port: redis.port });
    const wrong = await fetch(`${url}/api/info`, { headers: { authorization: 'Bearer nope' } });
    expect(wrong.status).toBe(401);
  });

  it('writes JSON log lines that never contain the token or the Redis password', async () => {
    const token = printedToken();
    // A successful read is a debug line (LOG_LEVEL=debug): routine polling stays out of the log.
    await fetch(`${url}/api/groups`, { headers: { authorization: `Bearer ${token}` } });
    await fetch(`${url}/api/groups/logged`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config: { a: 1 } }),
    });
    await waitFor('the access log line of the write', () =>
      admin.log.includes('"/api/groups/logged"'),
    );
    expect(admin.log).not.toContain('"path":"/api/groups"');
    const lines = admin.log.split('\n').filter((line) => line.startsWith('{'));
    expect(lines.length).toBeGreaterThan(5);
    for (const line of lines) {
      const entry = JSON.parse(line) as { level: string; context?: string };
      expect(entry.level).toBeDefined();
      expect(line).not.toContain(token);
      expect(line).not.toContain(password);
    }
    const access = lines
      .map((line) => JSON.parse(line) as { context?: string; message: unknown })
      .find(
        (entry) =>
          entry.context === 'HTTP' && JSON.stringify(entry.message).includes('/api/groups/logged'),
      );
    expect(access?.message).toMatchObject({
      method: 'PUT',
      path: '/api/groups/logged',
      status: 200,
      author: 'admin',
    });
    expect(admin.log.split(token)).toHaveLength(2); // the banner, and nowhere else
  });

  it('stops cleanly on SIGTERM', async () => {
    const exit = await admin.stop();
    // Nest re-raises the signal once every shutdown hook has run; the last of them says so.
    expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    expect(admin.log).toMatch(/Admin service stopped \(SIGTERM\)/);
  });
});
