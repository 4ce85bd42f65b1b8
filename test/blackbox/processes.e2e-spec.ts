import type { Redis } from 'ioredis';
import { freePort, RedisServer, uniqueNamespace } from '../helpers/redis-server';
import { AppProcess, builtEntry, ExampleConfigView as ConfigView } from './built-app';

const TOKEN = 'blackbox-token-0123456789';
const GROUP = 'blackbox';

/**
 * The built apps as an operator runs them (`node dist/apps/...`): a change made over the admin's
 * REST API reaches the example node's `GET /config`, pushed (its periodic refresh is 60 s here).
 */
describe('black box: built admin + example processes on a real Redis', () => {
  let redis: RedisServer;
  let admin: AppProcess;
  let example: AppProcess;
  let adminUrl: string;
  let namespace: string;
  let raw: Redis;
  let exampleUrl: string;

  beforeAll(async () => {
    builtEntry('admin'); // fails first, with "run npm run build first", when dist/ is missing
    builtEntry('example');
    redis = await RedisServer.start();
    namespace = uniqueNamespace('blackbox');
    raw = redis.client();
    const [adminPort, examplePort] = [await freePort(), await freePort()];
    adminUrl = `http://127.0.0.1:${adminPort}`;
    exampleUrl = `http://127.0.0.1:${examplePort}`;
    const common = { REDIS_URL: redis.url, RCC_NAMESPACE: namespace };

    admin = AppProcess.start('admin', {
      ...common,
      ADMIN_PORT: String(adminPort),
      ADMIN_TOKEN: TOKEN,
      LOG_FORMAT: 'text',
    });
    await admin.waitForHttp(`${adminUrl}/health`);
    const created = await put({ apikey: 'k-initial', qps_limit: 5 });
    expect(created.ok).toBe(true);

    example = AppProcess.start('example', {
      ...common,
      PORT: String(examplePort),
      RCC_NODE_ID: 'blackbox-node',
      DEFAULT_CONFIG_GROUP: GROUP,
      RCC_REFRESH_MS: '60000',
    });
    await example.waitForHttp(`${exampleUrl}/config`);
  }, 60_000);

  afterAll(async () => {
    await Promise.all([example?.stop(), admin?.stop()]);
    raw?.disconnect();
    await redis?.dispose();
  });

  function put(config: Record<string, unknown>, token = TOKEN): Promise<Response> {
    return fetch(`${adminUrl}/api/groups/${GROUP}`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ config, comment: 'black-box test' }),
    });
  }

  async function nodeView(): Promise<ConfigView> {
    return (await (await fetch(`${exampleUrl}/config`)).json()) as ConfigView;
  }

  it('the example node holds the group created over REST, pinned', async () => {
    expect(await nodeView()).toEqual({
      nodeId: 'blackbox-node',
      group: GROUP,
      version: 0,
      config: { apikey: 'k-initial', qps_limit: 5 },
      pinned: true,
      shared: [],
      canary: false,
    });
  });

  it('GET /config follows each REST PUT within 200 ms (median of 5)', async () => {
    const delays: number[] = [];
    for (let round = 1; round <= 5; round++) {
      const config = { apikey: `k-${round}`, qps_limit: 5 + round };
      const started = performance.now();
      const response = await put(config);
      expect(response.status).toBe(200);
      const { version } = (await response.json()) as { version: number };
      // Poll as fast as one request after another allows, with a generous bound per round.
      for (;;) {
        const view = await nodeView();
        if (view.version === version) {
          expect(view.config).toEqual(config);
          break;
        }
        if (performance.now() - started > 2000) {
          throw new Error(`v${version} not served after 2000 ms:\n${example.log}`);
        }
      }
      delays.push(performance.now() - started);
    }
    const sorted = [...delays].sort((a, b) => a - b);
    process.stdout.write(
      `REST PUT -> example GET /config: ${delays.map((d) => d.toFixed(1)).join(', ')} ms ` +
        `(median ${sorted[2].toFixed(1)} ms)\n`,
    );
    expect(sorted[2]).toBeLessThan(200);
    // Read through @ConfigValue in the running process too.
    const apikey = (await (await fetch(`${exampleUrl}/apikey`)).json()) as Record<string, unknown>;
    expect(apikey).toEqual({ apikey: 'k-5', qps_limit: 10 });
  });

  it('a PUT without the token writes nothing: the next version is the next valid write', async () => {
    const before = await nodeView();
    const refused = await put({ apikey: 'intruder' }, 'wrong-token');
    expect(refused.status).toBe(401);
    const accepted = await put({ apikey: 'k-after' });
    expect(((await accepted.json()) as { version: number }).version).toBe(
      (before.version as number) + 1,
    );
  });

  it('both processes stop cleanly on SIGTERM (shutdown hooks run, no SIGKILL needed)', async () => {
    const lease = () => raw.zscore(`{${namespace}}:nodes`, 'blackbox-node');
    expect(await lease()).not.toBeNull();
    const exits = await Promise.all([example.stop(), admin.stop()]);
    // Nest re-raises the signal once every shutdown hook has run (no SIGKILL was needed)…
    for (const exit of exits) expect(exit).toEqual({ code: null, signal: 'SIGTERM' });
    // …and the hooks did run: the node gave its place back at once (a node killed without
    // them keeps it for a lease time, 10 s), and the admin's last hook logged its stop.
    expect(await lease()).toBeNull();
    expect(await raw.hget(`{${namespace}}:holders`, 'blackbox-node')).toBeNull();
    expect(admin.log).toMatch(/Admin service stopped \(SIGTERM\)/);
  });
});
